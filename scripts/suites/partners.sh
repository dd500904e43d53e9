#!/usr/bin/env bash
# Partner-portal clients from PyPI (Sickle, feedparser, lxml, extruct,
# schemathesis) against a real kb-server.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/partners/run.sh
