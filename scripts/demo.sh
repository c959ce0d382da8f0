#!/usr/bin/env bash
# The main job on the embedded default store: install, load the demo graph and the regulation
# texts, validate, serve.
#   GOVKG_STORE (default ./var/store), PORT (default 8080), DATASETS (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
export GOVKG_STORE="${GOVKG_STORE:-$PWD/var/store}"
.venv/bin/govkg demo --datasets "${DATASETS:-2000}"
# the four regulations as ELI articles, so article pages show their text (../shared beside the clone)
if compgen -G "../shared/regulations/*.txt" >/dev/null; then
  .venv/bin/govkg load ../shared/regulations/*.txt
fi
# exit 1 means findings, which the demo plants on purpose; 2 is an error
status=0
mkdir -p var
.venv/bin/govkg validate --format text > var/validation.txt || status=$?
if [ "$status" -gt 1 ]; then
  exit "$status"
fi
sed -n '2,3p' var/validation.txt >&2   # conforms / results / violations; the whole summary is in the file
exec .venv/bin/govkg serve --port "${PORT:-8080}"
