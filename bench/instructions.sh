#!/usr/bin/env bash
# Instructions per answer of a kb-server build on the bundled corpus's
# example filtered query, counted by valgrind (cachegrind, no cache model):
# unlike time on a shared machine, the count repeats to a few parts in a
# thousand, so two builds' counts compare small changes that timing noise
# hides. It is not time: a vectorised search counts one instruction per 32
# bytes, a contended atomic one instruction; confirm with bench/bundled.sh.
#
#   bench/instructions.sh BIN_DIR [identity|gzip]
#
# Runs the server under cachegrind twice, for 50 and for 550 answers (two
# clients), and prints (count(550) - count(50)) / 500, so that starting
# and stopping cancel out. Each run starts from a copy of one data folder
# prepared by the build itself. Needs valgrind (Debian) and oha.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1
encoding=${2:-identity}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}
command -v valgrind > /dev/null || { echo "valgrind not found: apt-get install valgrind"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
url_path="/api/v1/search?q=dementia+reading+groups&offer=health-and-wellbeing&year_from=2018"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() {
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$1/readyz" 2>/dev/null | grep -q '"catching_up":false' && return 0
    sleep 0.2
  done
  echo "the server on port $1 did not get ready"; exit 1
}
# The data folder (index, dictionaries), prepared once without valgrind.
port=$(free_port)
"$bin/kb-server" --corpus corpus --data "$work/base" --bind "127.0.0.1:$port" > "$work/base.log" 2>&1 &
pid=$!
wait_ready "$port"
curl -sf "http://127.0.0.1:$port$url_path" > /dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true
count() {
  local n=$1 data="$work/run-$1"
  cp -r "$work/base" "$data"
  port=$(free_port)
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$work/cg-$n.out" \
    "$bin/kb-server" --corpus corpus --data "$data" --bind "127.0.0.1:$port" > "$work/run-$n.log" 2>&1 &
  local p=$!
  wait_ready "$port"
  "$OHA" --no-tui -n "$n" -c 2 -H "Accept-Encoding: $encoding" "http://127.0.0.1:$port$url_path" > /dev/null
  kill -INT "$p"; wait "$p" 2>/dev/null || true
  awk '/^summary/ {print $2}' "$work/cg-$n.out"
}
few=$(count 50)
many=$(count 550)
echo "$(basename "$bin") $encoding: $(( (many - few) / 500 )) instructions per answer"
