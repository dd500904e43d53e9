#!/usr/bin/env python3
"""Compare two builds of the same corpus (say, two document-store settings)
served side by side by the same kb-server binary.

    bench/store_ab.py SERVER_A SERVER_B CORPUS PATHS DATA_A DATA_B [ROUNDS] [SECONDS]

DATA_A and DATA_B are data folders (each with its own `index/`, a copy
per server); SERVER_A serves DATA_A and SERVER_B DATA_B (kb-server
binaries, the same one or two builds). The script starts both and:
- sends every query of PATHS (lines of /api/v1/search?...) to both, twice,
  and checks that both give the same total, the same hits in the same order
  and the same highlights; the second pass's median `took_ms` is the engine
  time;
- runs ROUNDS (default 5) closed-loop loads of SECONDS (default 5) with
  16 connections (wrk and bench/paths.lua, the order of the two servers
  alternating by round), recording the server's CPU time (user + system
  from /proc/PID/stat) per request and the requests per second;
- reads VmRSS and RssAnon of both after the loads.
Prints one JSON line per server with the medians, and the index sizes.
Exits 1 when any answer differs."""
import json, os, statistics, subprocess, sys, time, urllib.request, socket

# Server CPU time from /proc, as bench/cpu.py reads it (this folder is on
# the path when the script runs).
from cpu import cpu_ms


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
        return json.loads(r.read())


def status_kb(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def size_mb(folder, suffix=""):
    total = 0
    for name in os.listdir(folder):
        if name.endswith(suffix):
            total += os.path.getsize(os.path.join(folder, name))
    return round(total / 1e6, 1)


def start(server, corpus, data):
    port = free_port()
    log = open(os.path.join(data, "server.log"), "w")
    proc = subprocess.Popen([server, "--corpus", corpus, "--data", data, "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "RUST_LOG": "warn"})
    for _ in range(1200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
                if b'"catching_up":false' in r.read():
                    return proc, port
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server on {data} did not get ready")


def answer(a):
    return (a["total"], [(h["id"], h.get("highlights")) for h in a["hits"]])


def main(server_a, server_b, corpus, paths_file, data_a, data_b, rounds=5, seconds=5):
    paths = open(paths_file).read().split()
    servers = [start(server_a, corpus, data_a), start(server_b, corpus, data_b)]
    try:
        took = [[], []]
        differ = []
        for attempt in range(2):
            for i, path in enumerate(paths):
                order = (0, 1) if i % 2 == 0 else (1, 0)
                got = {}
                for s in order:
                    got[s] = get(servers[s][1], path)
                if attempt == 1:
                    for s in (0, 1):
                        took[s].append(got[s]["took_ms"])
                    if answer(got[0]) != answer(got[1]):
                        differ.append(path)
        cpu = [[], []]
        qps = [[], []]
        here = os.path.dirname(os.path.abspath(__file__))
        for r in range(rounds):
            for s in ((0, 1) if r % 2 == 0 else (1, 0)):
                proc, port = servers[s]
                before = cpu_ms(proc.pid)
                out = subprocess.run(["wrk", "-t", "2", "-c", "16", "-d", f"{seconds}s", "-s",
                                      os.path.join(here, "paths.lua"), f"http://127.0.0.1:{port}"],
                                     capture_output=True, text=True, env={**os.environ, "PATHS_FILE": paths_file},
                                     check=True).stdout
                after = cpu_ms(proc.pid)
                line = next(l for l in out.splitlines() if l.startswith("RESULT"))
                values = dict(kv.split("=") for kv in line.split()[1:])
                requests = int(values["requests"])
                cpu[s].append((after - before) / max(requests, 1))
                qps[s].append(requests / (int(values["duration_us"]) / 1e6))
        for s, (data, (proc, _)) in enumerate(zip((data_a, data_b), servers)):
            index = os.path.join(data, "index")
            print(json.dumps({
                "data": data, "store_mb": size_mb(index, ".store"), "index_mb": size_mb(index),
                "cpu_ms_per_request": round(statistics.median(cpu[s]), 3),
                "cpu_rounds": [round(c, 3) for c in cpu[s]],
                "qps": round(statistics.median(qps[s]), 1),
                "took_ms_median": round(statistics.median(took[s]), 3),
                "took_ms_mean": round(statistics.mean(took[s]), 3),
                "rss_mb": status_kb(proc.pid, "VmRSS") // 1024,
                "anon_mb": status_kb(proc.pid, "RssAnon") // 1024,
            }))
        print(json.dumps({"queries": len(paths), "differ": len(differ), "first_differences": differ[:10]}))
        return 1 if differ else 0
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    a = sys.argv[1:]
    sys.exit(main(*a[:6], *(int(x) for x in a[6:8])))
