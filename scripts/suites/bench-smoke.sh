#!/usr/bin/env bash
# A smoke run of the benchmark suite (1k resources, 1 s loads, debug
# binaries): checks that bench/run.sh works end to end against tantivy-cli
# and that no request failed. It asserts no timing: figures come from
# `bash bench/run.sh` on a quiet machine (BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
tantivy=$(command -v tantivy || echo "$HOME/.cargo/bin/tantivy")
missing=()
command -v wrk > /dev/null || missing+=(wrk)
[ -x "$tantivy" ] || missing+=(tantivy-cli)
[ -f /usr/share/wordnet/data.noun ] || missing+=(wordnet-base)
[ -x /usr/bin/time ] || missing+=(time)
ls /var/lib/apt/lists/*_i18n_Translation-en* > /dev/null 2>&1 || missing+=("package descriptions (apt-get update -o Acquire::Languages=en)")
oha=$(command -v oha || echo "$HOME/.cargo/bin/oha")
[ -x "$oha" ] || missing+=(oha)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${CI:-}" = true ]; then
    echo "bench smoke: missing ${missing[*]}"
    exit 1
  fi
  echo "# skipped bench smoke: install ${missing[*]} (see bench/run.sh)"
  exit 0
fi
cargo build -q -p kb-server -p kb-indexer
out=target/bench-smoke
rm -rf "$out"
BENCH_OUT=$out BENCH_BIN_DIR=target/debug TANTIVY=$tantivy OHA=$oha bash bench/run.sh --smoke
python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
rows = [json.loads(l) for l in (out / "results.jsonl").read_text().splitlines() if l.strip()]
checks = 0
def check(ok, what):
    global checks
    if not ok:
        print(f"bench smoke: FAILED: {what}")
        sys.exit(1)
    checks += 1
for kind in ("index", "incremental", "cold_start", "caught_up"):
    check(any(r["kind"] == kind for r in rows), f"a {kind} result")
for engine in ("kb", "tantivy-cli"):
    loads = [r for r in rows if r["kind"] == "query" and r["engine"] == engine]
    check(len(loads) == 3, f"{engine}: a load at 1, 16 and 64 clients")
    builds = [r for r in rows if r["kind"] == "index" and r["engine"] == engine]
    check(len(builds) == 2 and all(r["docs_per_s"] > 0 for r in builds), f"{engine}: two timed builds")
    check(all(r["qps"] > 0 for r in loads), f"{engine}: answered queries")
    check(all(r["errors"] == 0 for r in loads), f"{engine}: no failed requests")
agreement = [r for r in rows if r["kind"] == "agreement"]
check(len(agreement) == 1 and agreement[0]["agree"] >= 0.99, "both engines agree on what matches")
check(agreement[0]["kb_bytes"] > 0 and agreement[0]["peer_bytes"] > 0, "answer sizes recorded")
check(all(r["cpu_ms_per_request"] > 0 for r in rows if r["kind"] == "query" and r["qps"] > 0), "CPU time per request recorded")
check(len([r for r in rows if r["kind"] == "filtered"]) == 2, "our filtered load at 1 and 16 clients")
open_loop = [r for r in rows if r["kind"] == "open_loop"]
check(len(open_loop) == 4 and all(r["errors"] == 0 and r["achieved"] > 0 for r in open_loop), "open-loop runs at 50% and 80% for both")
for chart in ("qps-1000.svg", "p99_ms-1000.svg", "report.md"):
    check((out / chart).is_file(), f"{chart} written")
print(f"{checks} passed")
PY
