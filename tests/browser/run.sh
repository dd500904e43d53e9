#!/usr/bin/env bash
# Browser tests of the web pages. Builds nothing: give it a kb-server binary
# (KB_SERVER_BIN, default target/debug/kb-server). It starts the server on a
# free port over the bundled corpus with a throwaway data folder, waits until
# it answers, runs every tests/browser/*.test.mjs with node's test runner,
# and stops the server whatever happens.
#
# Needs: node >= 20, `npm ci` (or `npm install`) in tests/browser, and
# Chromium at /usr/bin/chromium (or CHROMIUM=/path). Without Chromium the
# tests skip with a reason, except under CI=true, where they fail.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

bin="${KB_SERVER_BIN:-target/debug/kb-server}"
if [ ! -x "$bin" ]; then
  echo "run.sh: no kb-server binary at $bin; build it first (cargo build -p kb-server) or set KB_SERVER_BIN" >&2
  exit 1
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
  echo "run.sh: node packages missing; run: (cd tests/browser && npm ci)" >&2
  exit 1
fi

port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
data="$(mktemp -d)"
log="$data/server.log"

# A copy of the corpus: the moderation tests approve a resource, which
# writes a file into the corpus, and the repository's own must stay as it is.
cp -r corpus "$data/corpus"

# An editor account for the moderation tests, and an admin for the audit log.
export KB_EDITOR_PASSWORD="browser-test-password"
KB_PASSWORD="$KB_EDITOR_PASSWORD" "$bin" --corpus "$data/corpus" --data "$data/data" user add --role editor editor >/dev/null
export KB_ADMIN_PASSWORD="browser-test-admin-password"
KB_PASSWORD="$KB_ADMIN_PASSWORD" "$bin" --corpus "$data/corpus" --data "$data/data" user add --role admin gweinyddwr >/dev/null
"$bin" --corpus "$data/corpus" --data "$data/data" --bind "127.0.0.1:$port" --base-url "http://127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

ready=""
for _ in $(seq 1 150); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "run.sh: kb-server exited before answering; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
      "http://127.0.0.1:$port/api/v1/search?per_page=0"; then
    ready=1
    break
  fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "run.sh: kb-server did not answer on port $port within 30 s; its log:" >&2
  cat "$log" >&2
  exit 1
fi

export KB_TEST_URL="http://127.0.0.1:$port"
mkdir -p target/screenshots
# One file at a time: each drives its own Chromium, and CI machines are small.
node --test --test-concurrency=1 tests/browser/*.test.mjs
