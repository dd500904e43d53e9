#!/usr/bin/env bash
# Requests per second with search analytics on and off, side by side in one
# run: two servers over the bundled corpus (each its own data folder), each
# loaded in turn with wrk for ROUNDS alternating rounds; prints each round and
# the medians. The load is the search page (which records a search and
# renders tracked result links) over a small query rotation.
#
# Usage: bash bench/analytics.sh [BIN] [SECONDS] [ROUNDS] [CONNECTIONS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin="${1:-target/release/kb-server}"
secs="${2:-10}"
rounds="${3:-3}"
conns="${4:-16}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/rotate.lua" <<'LUA'
local queries = {"dementia", "reading+groups", "digital+skills", "summer+reading+challenge",
  "health", "job+clubs", "makerspace", "loneliness", "coding", "local+history"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/?q=" .. queries[(i % #queries) + 1])
end
LUA

start() { # name port analytics
  "$bin" --corpus corpus --data "$work/$1" --bind "127.0.0.1:$2" --analytics "$3" >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server $1 did not start" >&2; cat "$work/$1.log" >&2; exit 1
}
start on 18471 on
start off 18472 off
for port in 18471 18472; do wrk -t2 -c"$conns" -d3s -s "$work/rotate.lua" "http://127.0.0.1:$port" >/dev/null; done

declare -a on off
for r in $(seq 1 "$rounds"); do
  for mode in on off; do
    port=$([ "$mode" = on ] && echo 18471 || echo 18472)
    rps=$(wrk -t2 -c"$conns" -d"${secs}s" -s "$work/rotate.lua" "http://127.0.0.1:$port" | awk '/Requests\/sec/ {print $2}')
    echo "round $r analytics $mode: $rps req/s"
    if [ "$mode" = on ]; then on+=("$rps"); else off+=("$rps"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mon=$(median "${on[@]}"); moff=$(median "${off[@]}")
echo "median on: $mon req/s, off: $moff req/s, change: $(awk -v a="$mon" -v b="$moff" 'BEGIN {printf "%+.1f%%", (a-b)/b*100}')"
echo "searches recorded by the 'on' server: $(sqlite3 "$work/on/kb.sqlite3" 'SELECT COUNT(*) FROM search_events' 2>/dev/null || echo '?')"
