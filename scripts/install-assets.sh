#!/bin/sh
# Install the query page's browser assets (YASGUI, from the npm registry) into
# server/static/vendor/, which git ignores.  Without them the page is a plain HTML form.
# Usage: scripts/install-assets.sh [--strict]   (needs node and npm; uses package-lock.json)
#   --strict: fail instead of falling back (the test install: the browser tests need YASGUI)
set -eu
cd "$(dirname "$0")/.."
strict=0; [ "${1:-}" = "--strict" ] && strict=1
give_up() {
    echo "install-assets: $1" >&2
    if [ "$strict" = 1 ]; then exit 1; fi
    echo "install-assets: the query page stays a plain HTML form" >&2
    exit 0
}
command -v npm >/dev/null 2>&1 || give_up "npm not found"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error || give_up "npm could not install YASGUI"
src=node_modules/@zazuko/yasgui/build
dest=server/static/vendor/yasgui
mkdir -p "$dest"
cp "$src/yasgui.min.js" "$src/yasgui.min.css" "$dest/"
cp node_modules/@zazuko/yasgui/package.json "$dest/package.json"
echo "install-assets: YASGUI $(node -p "require('./$dest/package.json').version") in $dest" >&2
