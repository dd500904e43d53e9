#!/usr/bin/env bash
# One filtered query on the bundled corpus under 16 clients: the latency a
# library's own small catalogue sees, and the server's CPU per answer.
#
#   bench/bundled.sh [ROUNDS] [SECONDS]      (default 3 rounds of 8 s)
#
# Starts the release server on corpus/ with a fresh data folder, then loads
# `/api/v1/search?q=dementia reading groups&offer=health-and-wellbeing&year_from=2018`
# (the contract's example request, 10 hits, all facets, highlights) with oha,
# 16 connections, once asking for gzip (as browsers and HTTP libraries do)
# and once for no encoding, alternating by round. Prints p50, p99, requests
# per second and server CPU per request for each round and their medians.
# Needs oha (`cargo install --locked oha`). BENCH_BIN_DIR uses a kb-server
# already built there.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-8}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}
[ -x "$OHA" ] || { echo "oha not found: cargo install --locked oha"; exit 1; }
bin=${BENCH_BIN_DIR:-}
if [ -z "$bin" ]; then
  cargo build --release -q -p kb-server
  bin=target/release
fi
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin/kb-server" --corpus corpus --data "$data" --bind "127.0.0.1:$port" > "$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/readyz" 2>/dev/null | grep -q '"catching_up":false' && break
  sleep 0.1
done
url="http://127.0.0.1:$port/api/v1/search?q=dementia+reading+groups&offer=health-and-wellbeing&year_from=2018"
curl -sf "$url" > /dev/null || { echo "the server did not answer; see $data/server.log"; exit 1; }
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / t}' "/proc/$1/stat"; }
results=$(mktemp)
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then encodings="gzip identity"; else encodings="identity gzip"; fi
  for encoding in $encodings; do
    before=$(cpu_ms "$pid")
    "$OHA" --no-tui --output-format json -z "${seconds}s" -c 16 -H "Accept-Encoding: $encoding" "$url" > "$data/oha.json"
    after=$(cpu_ms "$pid")
    python3 - "$data/oha.json" "$encoding" "$round" "$before" "$after" >> "$results" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
pct, summary = r["latencyPercentiles"], r["summary"]
total = sum(r.get("statusCodeDistribution", {}).values())
ok = r.get("statusCodeDistribution", {}).get("200", 0)
print(json.dumps({"encoding": sys.argv[2], "round": int(sys.argv[3]),
                  "qps": round(summary["requestsPerSec"], 1),
                  "p50_ms": round(pct["p50"] * 1000, 2), "p99_ms": round(pct["p99"] * 1000, 2),
                  "cpu_ms_per_request": round((float(sys.argv[5]) - float(sys.argv[4])) / max(ok, 1), 3),
                  "bytes_per_answer": round(summary.get("sizePerRequest") or 0),
                  "not_ok": total - ok}))
PY
  done
done
python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print("| encoding | round | q/s | p50 ms | p99 ms | CPU ms/request | bytes/answer | not 200 |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['encoding']} | {r['round']} | {r['qps']} | {r['p50_ms']} | {r['p99_ms']} | {r['cpu_ms_per_request']} | {r['bytes_per_answer']} | {r['not_ok']} |")
for enc in ("gzip", "identity"):
    rs = [r for r in rows if r["encoding"] == enc]
    med = lambda k: statistics.median(r[k] for r in rs)
    print(f"| **{enc}, median** | | {med('qps')} | {med('p50_ms')} | {med('p99_ms')} | {med('cpu_ms_per_request')} | {med('bytes_per_answer')} | {sum(r['not_ok'] for r in rs)} |")
if any(r["not_ok"] for r in rows):
    sys.exit("some answers were not 200")
PY
rm -f "$results"
