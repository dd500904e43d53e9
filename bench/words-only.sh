#!/usr/bin/env bash
# The query load of bench/run.sh on its mix less the quoted phrases, for one
# size and one number of clients, ours and the peer's alternately (three
# rounds of 10 s). Run after bench/run.sh, on the indexes and paths it left:
#
#   bench/words-only.sh 100000 16
#   bench/words-only.sh 1000000 1
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:?size}; conns=${2:?clients}
out=${BENCH_OUT:-target/bench}
dir="$out/$size-${BENCH_TEXT:-real}"
TANTIVY=${TANTIVY:-$(command -v tantivy || echo "$HOME/.cargo/bin/tantivy")}
bin=${BENCH_BIN_DIR:-target/release}
# The same lines of both files, less those whose query is quoted.
paste -d '\t' "$dir/kb_paths.txt" "$dir/peer_paths.txt" | grep -v '%22' > "$dir/words_pairs.txt"
cut -f1 "$dir/words_pairs.txt" > "$dir/kb_words.txt"
cut -f2 "$dir/words_pairs.txt" > "$dir/peer_words.txt"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
kb_port=$(port); peer_port=$(port)
RUST_LOG=warn "$bin/kb-server" --corpus "$dir/corpus" --data "$dir/kb-data" --bind "127.0.0.1:$kb_port" > "$dir/kb-words.log" 2>&1 &
kb_pid=$!
"$TANTIVY" serve -i "$dir/peer" --host 127.0.0.1 -p "$peer_port" > "$dir/peer-words.log" 2>&1 &
peer_pid=$!
trap 'kill $kb_pid $peer_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 1200); do
  curl -sf "http://127.0.0.1:$kb_port/readyz" | grep -q '"catching_up":false' && break
  sleep 0.1
done
for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$peer_port/api/?q=library" && break; sleep 0.1; done
echo "$(wc -l < "$dir/kb_words.txt") queries without phrases, $size resources, $conns clients"
for _ in 1 2 3; do
  for engine in kb tantivy-cli; do
    if [ "$engine" = kb ]; then p=$kb_port; f="$dir/kb_words.txt"; else p=$peer_port; f="$dir/peer_words.txt"; fi
    PATHS_FILE="$f" wrk -t "$(( conns < 2 ? 1 : 2 ))" -c "$conns" -d 10s -s bench/paths.lua "http://127.0.0.1:$p" \
      | grep '^RESULT' | sed "s/^RESULT/$engine/"
  done
done
