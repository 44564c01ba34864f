#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages: Debian's Chromium for the
# browser tests, a CJK font so Chinese renders, PostgreSQL server binaries, gettext.
# As root on Debian/Ubuntu it installs them; elsewhere it says exactly what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy\|noto sans cjk" || missing+=(fonts-wqy-microhei)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统依赖 / installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "缺少系统依赖 / missing system packages: ${missing[*]}" >&2
  echo "在 Debian/Ubuntu 上请运行 / on Debian/Ubuntu run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
