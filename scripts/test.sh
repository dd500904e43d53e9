#!/usr/bin/env bash
# Runs every test suite of the project: Rust unit, HTTP and end-to-end tests,
# then the browser and partner-client suites when their folders exist.
# System packages (Chromium, MeCab IPADIC...) are installed by .ci/run; on a
# developer machine the suites that need them skip with a printed reason,
# and fail instead when CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
log=target/test-summary.log
: > "$log"

echo "== cargo test --workspace"
cargo test --workspace --color never 2>&1 | tee target/cargo-test.log
grep -E "^test result:" target/cargo-test.log >> "$log" || true

for suite in scripts/suites/*.sh; do
  [ -e "$suite" ] || continue
  echo "== $suite"
  bash "$suite" 2>&1 | tee "target/$(basename "$suite" .sh).log"
  grep -E "^(# (tests|pass|fail|skipped)|=+ .*(passed|failed).*=+$|test result:)" "target/$(basename "$suite" .sh).log" >> "$log" || true
done

echo
echo "== summary"
cat "$log"
