#!/usr/bin/env bash
# Browser tests (headless Chromium + playwright-core): web pages, JavaScript
# on and off, accessibility (axe-core), screenshots in target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v node > /dev/null; then
  if [ "${CI:-}" = "true" ]; then echo "node is required for the browser tests"; exit 1; fi
  echo "skipped: node not installed"; exit 0
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
cargo build -q -p kb-server
bash tests/browser/run.sh
