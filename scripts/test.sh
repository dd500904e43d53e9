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

status=0
echo "== cargo test --workspace"
cargo test --workspace --color never 2>&1 | tee target/cargo-test.log || status=1
grep -E "^test result:" target/cargo-test.log | sed 's/^/cargo: /' >> "$log" || true

for suite in scripts/suites/*.sh; do
  [ -e "$suite" ] || continue
  echo "== $suite"
  bash "$suite" 2>&1 | tee "target/$(basename "$suite" .sh).log" || status=1
  grep -E "^(# (tests|pass|fail|skipped) |[0-9]+ (passed|failed)|=+ .*(passed|failed).*=+$|test result:|  [0-9]+ generated, )" "target/$(basename "$suite" .sh).log" \
    | sed "s|^|$(basename "$suite" .sh): |" >> "$log" || true
done

echo
echo "== summary"
cat "$log"
exit "$status"
