#!/usr/bin/env bash
# Compiles every catalogue under locale/: the English one (Chinese is the source language) and
# zh_Hans, which only rewords Django's own Chinese messages. With gettext's msgfmt, which also
# checks placeholders; without it (a machine that only runs the demo), with polib.
set -euo pipefail
cd "$(dirname "$0")/.."
for po in locale/*/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  if command -v msgfmt >/dev/null; then
    msgfmt --check-format -o "${po%.po}.mo" "$po"
  else
    .venv/bin/python -c 'import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' "$po" "${po%.po}.mo"
  fi
done
