#!/usr/bin/env bash
# Compiles the English catalogue (Chinese is the source language). Uses gettext's msgfmt.
set -euo pipefail
cd "$(dirname "$0")/.."
for po in locale/*/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  msgfmt --check-format -o "${po%.po}.mo" "$po"
done
