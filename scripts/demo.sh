#!/usr/bin/env bash
# The main job on the embedded default store: install, load the demo graph, validate it, serve it.
#   GOVKG_STORE (default ./var/store), PORT (default 8080), DATASETS (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
export GOVKG_STORE="${GOVKG_STORE:-$PWD/var/store}"
.venv/bin/govkg demo --datasets "${DATASETS:-2000}"
if .venv/bin/govkg validate --help >/dev/null 2>&1; then
  .venv/bin/govkg validate --format text || true   # findings are expected: the demo plants them
fi
if .venv/bin/govkg serve --help >/dev/null 2>&1 && .venv/bin/python -c "import server.serve" 2>/dev/null; then
  exec .venv/bin/govkg serve --port "${PORT:-8080}"
fi
.venv/bin/govkg query 'SELECT ?type (COUNT(*) AS ?n) WHERE { ?d <https://w3id.org/govkg/def#sharingType> ?type } GROUP BY ?type'
