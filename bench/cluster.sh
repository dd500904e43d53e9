#!/usr/bin/env bash
# Cluster mode figures: import speed, and how long a replica with an empty
# data folder takes to build its index from PostgreSQL and be ready.
#
#   bench/cluster.sh [N]     N generated resources (default 100000)
#
# Needs Debian's `postgresql` (a throw-away cluster is started in a temp
# folder on a loopback port, as the `postgres` user when run as root).
# The replication delay (p50/p99) is printed by the cluster end-to-end test:
#   cargo test -p kb-tests --test e2e cluster -- --nocapture
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
bin=${BENCH_BIN_DIR:-}
if [ -z "$bin" ]; then
  cargo build --release -q -p kb-server -p kb-indexer
  bin=target/release
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort | tail -1)
work=$(mktemp -d)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$work"
  as_pg=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null || true
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$work" /tmp/kb-cluster-bench-corpus /tmp/kb-cluster-bench-data
}
trap cleanup EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres > /dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start > /dev/null
url="postgres://postgres@127.0.0.1:$port/postgres"

corpus=/tmp/kb-cluster-bench-corpus
rm -rf "$corpus"
# The bundled corpus's resources copied under new paths (so new ids) up to
# `count`: real text that passes `kb-index check`, as import requires.
python3 - "$count" "$corpus" <<'PY'
import pathlib, shutil, sys
count, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
src = pathlib.Path("corpus")
out.mkdir(parents=True)
for name in ("vocabularies.toml", "synonyms.toml"):
    if (src / name).exists():
        shutil.copy(src / name, out / name)
texts = [p.read_bytes() for p in sorted(src.rglob("*.md")) if "id:" not in p.read_text()]
for i in range(count):
    folder = out / f"copy-{i // 1000:03d}"
    folder.mkdir(exist_ok=True)
    (folder / f"r{i}.md").write_bytes(texts[i % len(texts)])
PY
echo "corpus: $count resources, $(du -sh "$corpus" | cut -f1)"
"$bin/kb-index" import --corpus "$corpus" --database-url "$url"
"$bin/kb-index" import --corpus "$corpus" --database-url "$url"

data=/tmp/kb-cluster-bench-data
rm -rf "$data"
start=$(date +%s.%N)
RUST_LOG=warn "$bin/kb-server" --corpus "$corpus" --data "$data" --database-url "$url" \
  --bind "127.0.0.1:$http_port" &
server_pid=$!
until curl -fsS "http://127.0.0.1:$http_port/readyz" 2> /dev/null | grep -q '"lag":0'; do
  sleep 0.2
done
end=$(date +%s.%N)
echo "fresh replica built from PostgreSQL and ready in $(python3 -c "print(round($end - $start, 1))") s"
curl -fsS "http://127.0.0.1:$http_port/readyz"
echo
