#!/usr/bin/env bash
# Install govkg and what it needs into .venv (idempotent).
#   scripts/install.sh          the package with the server
#   scripts/install.sh test     also the test tools, Chromium and the front-end assets
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-run}"

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip

if [ "$what" = "test" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]'
  # system packages the tests drive: Debian's Chromium (browser tests)
  if [ -f scripts/apt-packages.txt ] && ! dpkg -s $(cat scripts/apt-packages.txt) >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $(cat scripts/apt-packages.txt)
  fi
else
  .venv/bin/python -m pip install --quiet -e '.[server]'
fi
# front-end assets (the query editor) come from the npm registry, never committed
if [ "$what" = "test" ]; then
  scripts/install-assets.sh --strict
else
  scripts/install-assets.sh
fi
