#!/usr/bin/env python3
"""Server CPU time per request, for builds side by side.

    python3 bench/cpu.py ROUNDS PASSES PATHS NAME:PID:PORT [NAME:PID:PORT ...]

Sends every path of the file PATHS (one per line) PASSES times, one request
at a time, to each server in turn, and reads the server's user plus system
CPU time from /proc/PID/stat before and after. The order of the servers
alternates by round; the median of the rounds is printed per server. With
AE=gzip in the environment the requests carry `Accept-Encoding: gzip`.

CPU time, unlike requests per second, is not moved much by other work on a
shared machine, so two builds measured this way in one run compare fairly.
Run each server on its own copy of the index folder.
"""
import http.client
import os
import statistics
import sys


def cpu_ms(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    rounds, passes, path_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    servers = [tuple(s.split(":")) for s in sys.argv[4:]]
    paths = open(path_file).read().split()
    headers = {"Accept-Encoding": os.environ["AE"]} if os.environ.get("AE") else {}
    conns = {name: http.client.HTTPConnection("127.0.0.1", int(port)) for name, _, port in servers}

    def send(name, path):
        conns[name].request("GET", path, headers=headers)
        response = conns[name].getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{name}: {path} answered {response.status}")

    for name, _, _ in servers:  # warm up
        for path in paths[:100]:
            send(name, path)
    per_request = {name: [] for name, _, _ in servers}
    for r in range(rounds):
        for name, pid, _ in servers if r % 2 == 0 else servers[::-1]:
            before = cpu_ms(pid)
            for _ in range(passes):
                for path in paths:
                    send(name, path)
            per_request[name].append((cpu_ms(pid) - before) / (len(paths) * passes))
    for name, values in per_request.items():
        print(name, "CPU ms/request", [round(v, 3) for v in values],
              "median", round(statistics.median(values), 3))


if __name__ == "__main__":
    main()
