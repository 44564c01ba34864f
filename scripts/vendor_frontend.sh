#!/usr/bin/env bash
# `make vendor`: copy the front-end libraries the pages use from their npm packages into
# static/vendor/<dir>/, with their licence. Pages never load a CDN (docs/architecture.md rule 7:
# the CSP allows scripts from our own origin only), so upgrading a library means changing its
# version below, running `make vendor` and committing what changed.
set -euo pipefail

cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "缺少 npm:请安装 Node.js / npm 后重试"; exit 1; }

# dir | npm package | version | files to copy, as path-in-package[:name-in-dir], space separated
PACKAGES=(
  "htmx|htmx.org|2.0.11|dist/htmx.min.js"
  "leaflet|leaflet|1.9.4|dist/leaflet.js dist/leaflet.js.map dist/leaflet.css dist/images/layers.png:images/layers.png dist/images/layers-2x.png:images/layers-2x.png dist/images/marker-icon.png:images/marker-icon.png dist/images/marker-icon-2x.png:images/marker-icon-2x.png dist/images/marker-shadow.png:images/marker-shadow.png"
  "echarts|echarts|5.6.0|dist/echarts.min.js"
  "leaflet.heat|leaflet.heat|0.2.0|dist/leaflet-heat.js"
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r dir package version files <<<"$entry"
  echo "vendor: $package@$version -> static/vendor/$dir/"
  mkdir -p "$work/$dir"
  (cd "$work/$dir" && npm pack --silent "$package@$version" >/dev/null && tar -xzf ./*.tgz)
  src="$work/$dir/package"
  dest="static/vendor/$dir"
  mkdir -p "$dest"
  for spec in $files; do
    from="${spec%%:*}"
    to="${spec#*:}"
    [[ "$spec" == *:* ]] || to="$(basename "$from")"
    mkdir -p "$dest/$(dirname "$to")"
    cp "$src/$from" "$dest/$to"
  done
  licence="$(find "$src" -maxdepth 1 -iname 'LICEN[CS]E*' | head -n 1)"
  [[ -n "$licence" ]] || { echo "vendor: $package has no licence file"; exit 1; }
  cp "$licence" "$dest/LICENSE"
done
echo "vendor: done — review with git diff --stat static/vendor"
