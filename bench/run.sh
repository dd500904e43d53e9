#!/usr/bin/env bash
# Benchmarks against tantivy-cli, side by side in one run.
#
#   bench/run.sh            100k resources of real text
#   bench/run.sh --quick    10k resources, short load runs (under 5 minutes)
#   bench/run.sh --million  adds 1M resources (long)
#   bench/run.sh --smoke    1k resources, 1 s load runs: checks the script works
#
# BENCH_TEXT=real (the default) builds the corpus from text this project did
# not write: Debian's package long descriptions and WordNet's glosses, whole
# passages, lengths varying (bench/realtext.py); BENCH_TEXT=generated uses
# `kb-index gen` (random WordNet sentences, nearly constant lengths).
#
# Both servers get the same documents and the same 1000 queries (one to
# three words, some phrases) and return 10 hits. Each load runs `rounds`
# times, the two engines alternating and the first of them alternating by
# round; the report gives medians. Every query is first sent once to both,
# to check they agree on what matches (bench/agree.py), and answer sizes are
# recorded. Then open-loop loads at fixed rates, 50% and 80% of the peer's
# measured capacity (oha with latency correction), show queueing that a
# closed loop hides.
#
# Needs: wrk (Debian), python3, /usr/bin/time, wordnet-base, the English
# package descriptions in the apt lists (`apt-get update -o
# Acquire::Languages=en`, as root), tantivy-cli (`cargo install tantivy-cli`,
# without --locked) and oha (`cargo install oha`) for the open-loop runs.
# Results: target/bench/results.jsonl, target/bench/report.md, target/bench/*.svg
# (BENCH_OUT sets another folder; BENCH_BIN_DIR uses binaries already built
# there instead of a release build, as the CI smoke run does).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
case "$mode" in
  --quick) sizes=(10000); duration=5; rounds=1; open_duration=5 ;;
  --smoke) sizes=(1000); duration=1; rounds=1; open_duration=1 ;;
  --million) sizes=(100000 1000000); duration=15; rounds=3; open_duration=10 ;;
  *) sizes=(100000); duration=15; rounds=3; open_duration=10 ;;
esac
text=${BENCH_TEXT:-real}
out=${BENCH_OUT:-target/bench}
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"

TANTIVY=${TANTIVY:-$(command -v tantivy || echo "$HOME/.cargo/bin/tantivy")}
[ -x "$TANTIVY" ] || { echo "tantivy-cli not found: cargo install tantivy-cli"; exit 1; }
command -v wrk > /dev/null || { echo "wrk not found: apt-get install wrk"; exit 1; }
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}

bin=${BENCH_BIN_DIR:-}
if [ -z "$bin" ]; then
  cargo build --release -q -p kb-server -p kb-indexer
  bin=target/release
fi
KB_INDEX=$bin/kb-index
KB_SERVER=$bin/kb-server

record() { echo "$1" >> "$results"; echo "$1"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() {
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "server at $1 did not start"; return 1
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# Resident memory less the index files mapped in: the process's own heap.
anon_kb() { awk '/RssAnon/ {print $2}' "/proc/$1/status"; }

# A moment of the server's start: seconds since $start and its memory now.
record_start() { # kind size pid
  record "{\"kind\":\"$1\",\"engine\":\"kb\",\"docs\":$2,\"seconds\":$(python3 -c "print(round($(date +%s.%N)-$start,3))"),\"rss_mb\":$(( $(rss_kb "$3") / 1024 ))}"
}

# CPU time a process has used, in milliseconds (user + system).
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / t)}' "/proc/$1/stat"; }

load() { # name size pid port paths conns [label]
  local name=$1 size=$2 pid=$3 port=$4 paths=$5 conns=$6 label=${7:-query}
  local line cpu_before cpu_after
  cpu_before=$(cpu_ms "$pid")
  line=$(PATHS_FILE="$paths" wrk -t "$(( conns < 2 ? 1 : 2 ))" -c "$conns" -d "${duration}s" \
    -s bench/paths.lua "http://127.0.0.1:$port" | grep '^RESULT')
  cpu_after=$(cpu_ms "$pid")
  # shellcheck disable=SC2086
  eval "$(echo "${line#RESULT }" | tr ' ' '\n' | sed 's/^/local /')"
  record "{\"kind\":\"$label\",\"engine\":\"$name\",\"docs\":$size,\"connections\":$conns,\"qps\":$(python3 -c "print(round($requests/($duration_us/1e6),1))"),\"p50_ms\":$(python3 -c "print($p50_us/1000)"),\"p99_ms\":$(python3 -c "print($p99_us/1000)"),\"p999_ms\":$(python3 -c "print($p999_us/1000)"),\"errors\":$errors,\"bytes_per_answer\":$(( requests > 0 ? bytes / requests : 0 )),\"cpu_ms_per_request\":$(python3 -c "print(round(($cpu_after-$cpu_before)/max($requests,1),3))"),\"rss_mb\":$(( $(rss_kb "$pid") / 1024 )),\"anon_mb\":$(( $(anon_kb "$pid") / 1024 ))}"
}

# An open-loop load: requests sent at a fixed rate whatever the answers'
# pace, latency counted from when each request was due (oha's latency
# correction), so queueing shows instead of slowing the sender.
open_load() { # name size pid port paths rate share
  local name=$1 size=$2 pid=$3 port=$4 paths=$5 rate=$6 share=$7
  local urls="$out/urls-$name.txt"
  sed "s|^|http://127.0.0.1:$port|" "$paths" > "$urls"
  # Uncompressed answers, as wrk asks for them.
  "$OHA" --no-tui --output-format json -z "${open_duration}s" -q "$rate" --latency-correction \
    -c 64 -H 'Accept-Encoding: identity' --urls-from-file "$urls" > "$out/oha.json" 2> "$out/oha.err" || { cat "$out/oha.err"; return 1; }
  record "$(python3 - "$out/oha.json" "$name" "$size" "$rate" "$share" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
pct = r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
ok = sum(v for k, v in codes.items() if k.startswith("2"))
print(json.dumps({"kind": "open_loop", "engine": sys.argv[2], "docs": int(sys.argv[3]),
                  "rate": float(sys.argv[4]), "share_of_peer": float(sys.argv[5]),
                  "achieved": round(r["summary"]["requestsPerSec"], 1),
                  "p50_ms": round(pct["p50"] * 1000, 2), "p99_ms": round(pct["p99"] * 1000, 2),
                  # The requests still open when the time is up are cut, not failed.
                  "errors": sum(codes.values()) - ok + sum(v for k, v in r.get("errorDistribution", {}).items()
                                                           if "deadline" not in k)}))
PY
)"
}

for size in "${sizes[@]}"; do
  dir="$out/$size-$text"
  if [ ! -f "$dir/docs.jsonl" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    if [ "$text" = generated ]; then
      $KB_INDEX gen --count "$size" --out "$dir/corpus" --jsonl "$dir/docs.jsonl"
    else
      python3 bench/realtext.py "$size" "$dir"
    fi
  fi

  # Indexing from scratch, each with 2 threads, twice each in the order
  # ours, the peer's, the peer's, ours (the machine's speed drifts; the
  # report takes each side's faster build). Both inputs are read once first,
  # so that the page cache holds them and neither build's time depends on
  # what an earlier step left in memory.
  find "$dir/corpus" -name '*.md' -print0 | xargs -0 cat > /dev/null
  cat "$dir/docs.jsonl" > /dev/null
  for engine in kb tantivy-cli tantivy-cli kb; do
    rm -rf "$dir/kb-data" "$dir/peer"
    if [ "$engine" = kb ]; then
      /usr/bin/time -f '%e %M' -o "$dir/build-time" $KB_INDEX build --corpus "$dir/corpus" --data "$dir/kb-data" > /dev/null
      index_dir="$dir/kb-data/index"
    else
      mkdir -p "$dir/peer" && cp bench/peer-meta.json "$dir/peer/meta.json"
      /usr/bin/time -f '%e %M' -o "$dir/build-time" "$TANTIVY" index -i "$dir/peer" -t 2 -f "$dir/docs.jsonl" > /dev/null 2>&1
      index_dir="$dir/peer"
    fi
    read -r secs rss < "$dir/build-time"
    record "{\"kind\":\"index\",\"engine\":\"$engine\",\"docs\":$size,\"seconds\":$secs,\"docs_per_s\":$(python3 -c "print(round($size/$secs))"),\"peak_rss_mb\":$(( rss / 1024 )),\"size_mb\":$(( $(du -sk "$index_dir" | cut -f1) / 1024 ))}"
  done
  # The last build was ours: the peer's index is built again for its server.
  mkdir -p "$dir/peer" && cp bench/peer-meta.json "$dir/peer/meta.json"
  "$TANTIVY" index -i "$dir/peer" -t 2 -f "$dir/docs.jsonl" > /dev/null 2>&1

  # Incremental rebuild after changing one file.
  one=$(find "$dir/corpus" -name '*-1.md' | head -1)
  printf '\nOne more sentence added for the incremental benchmark.\n' >> "$one"
  /usr/bin/time -f '%e %M' -o "$dir/inc-time" $KB_INDEX build --corpus "$dir/corpus" --data "$dir/kb-data" > /dev/null
  read -r secs rss < "$dir/inc-time"
  record "{\"kind\":\"incremental\",\"engine\":\"kb\",\"docs\":$size,\"seconds\":$secs}"

  python3 bench/queries.py "$dir/docs.jsonl" "$dir" > /dev/null

  # Query load: both servers up, measured alternately at each concurrency.
  kb_port=$(free_port); peer_port=$(free_port)
  start=$(date +%s.%N)
  RUST_LOG=warn $KB_SERVER --corpus "$dir/corpus" --data "$dir/kb-data" --bind "127.0.0.1:$kb_port" > "$dir/kb-server.log" 2>&1 &
  kb_pid=$!
  wait_http "http://127.0.0.1:$kb_port/api/v1/search?q=library"
  record_start cold_start "$size" "$kb_pid"
  # The server answers from the index at once and reads the corpus for
  # changes in the background; loads start once that is done.
  for _ in $(seq 1 1200); do
    curl -sf "http://127.0.0.1:$kb_port/readyz" | grep -q '"catching_up":false' && break
    sleep 0.1
  done
  record_start caught_up "$size" "$kb_pid"
  "$TANTIVY" serve -i "$dir/peer" --host 127.0.0.1 -p "$peer_port" > "$dir/peer-server.log" 2>&1 &
  peer_pid=$!
  wait_http "http://127.0.0.1:$peer_port/api/?q=library"
  trap 'kill $kb_pid $peer_pid 2>/dev/null || true' EXIT
  # Same queries, same hits: do both find the same things? (Also warms both.)
  record "$(python3 bench/agree.py "$kb_port" "$peer_port" "$dir" "$size")"
  for round in $(seq 1 "$rounds"); do
    for conns in 1 16 64; do
      if [ $(( round % 2 )) -eq 1 ]; then
        load kb "$size" "$kb_pid" "$kb_port" "$dir/kb_paths.txt" "$conns"
        load tantivy-cli "$size" "$peer_pid" "$peer_port" "$dir/peer_paths.txt" "$conns"
      else
        load tantivy-cli "$size" "$peer_pid" "$peer_port" "$dir/peer_paths.txt" "$conns"
        load kb "$size" "$kb_pid" "$kb_port" "$dir/kb_paths.txt" "$conns"
      fi
    done
    # The same texts with facet filters, year ranges and date sorts: the
    # peer has no such load.
    for conns in 1 16; do
      load kb "$size" "$kb_pid" "$kb_port" "$dir/kb_filtered_paths.txt" "$conns" filtered
    done
  done
  if [ -x "$OHA" ]; then
    capacity=$(python3 -c "
import json, statistics
rows = [json.loads(l) for l in open('$results')]
print(statistics.median(r['qps'] for r in rows if r['kind'] == 'query' and r['engine'] == 'tantivy-cli' and r['docs'] == $size and r['connections'] == 16))")
    for share in 0.5 0.8; do
      rate=$(python3 -c "print(max(1, round($capacity * $share)))")
      open_load kb "$size" "$kb_pid" "$kb_port" "$dir/kb_paths.txt" "$rate" "$share"
      open_load tantivy-cli "$size" "$peer_pid" "$peer_port" "$dir/peer_paths.txt" "$rate" "$share"
    done
  else
    echo "# no open-loop runs: oha not found (cargo install oha)"
  fi
  kill "$kb_pid" "$peer_pid" 2>/dev/null || true
  wait "$kb_pid" "$peer_pid" 2>/dev/null || true
  trap - EXIT
done

python3 bench/report.py "$results" "$out"
