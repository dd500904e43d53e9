#!/usr/bin/env python3
"""Check that both servers found the same things for the benchmark's queries.

    bench/agree.py KB_PORT PEER_PORT OUT_DIR DOCS

Sends every query of kb_paths.txt and peer_paths.txt (same texts, same
order, 10 hits each) once to each server and prints one JSON line:
- agree: the share of queries where both found something or both found
  nothing;
- same_total: the share where both counted the same number of matches (our
  synonyms and the fields we search beyond the peer's can make ours larger);
- overlap: the median share of the peer's 10 ids also in our 10 (the
  rankings differ: ours adds title/body length normalisation and proximity);
- bytes: the median answer size of each;
- engine_ms: the median time each engine reports spending on the query
  (our `took_ms`; the peer's `timings`, search plus fetching documents),
  free of HTTP and of the peer's transport stalls.
Queries where the two disagree on matching anything are listed (up to 10).
Exits 1 when fewer than 99% agree."""
import json, statistics, sys, urllib.request


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
        body = r.read()
    return json.loads(body), len(body)


def main(kb_port, peer_port, out_dir, docs):
    ours = open(f"{out_dir}/kb_paths.txt").read().split()
    peers = open(f"{out_dir}/peer_paths.txt").read().split()
    agree = same = 0
    overlaps, kb_bytes, peer_bytes, differ = [], [], [], []
    kb_ms, peer_ms = [], []
    for a, b in zip(ours, peers):
        mine, mine_len = get(kb_port, a)
        theirs, theirs_len = get(peer_port, b)
        kb_ms.append(mine["took_ms"])
        peer_ms.append(sum(t["duration"] for t in theirs.get("timings", {}).get("timings", [])) / 1000)
        kb_bytes.append(mine_len)
        peer_bytes.append(theirs_len)
        n_mine, n_theirs = mine["total"], theirs["num_hits"]
        if (n_mine > 0) == (n_theirs > 0):
            agree += 1
        else:
            differ.append((a, n_mine, n_theirs))
        same += n_mine == n_theirs
        peer_ids = set()
        for h in theirs["hits"]:
            value = h["doc"]["id"]
            peer_ids.add(value[0] if isinstance(value, list) else value)
        if peer_ids:
            overlaps.append(len(peer_ids & {h["id"] for h in mine["hits"]}) / len(peer_ids))
    n = len(ours)
    result = {
        "kind": "agreement", "engine": "kb", "docs": int(docs), "queries": n,
        "agree": round(agree / n, 4), "same_total": round(same / n, 4),
        "overlap": round(statistics.median(overlaps), 2) if overlaps else None,
        "kb_bytes": statistics.median(kb_bytes), "peer_bytes": statistics.median(peer_bytes),
        "kb_engine_ms": round(statistics.median(kb_ms), 3), "peer_engine_ms": round(statistics.median(peer_ms), 3),
    }
    print(json.dumps(result))
    for path, m, t in differ[:10]:
        print(f"# differ: {path}: ours {m}, peer {t}", file=sys.stderr)
    sys.exit(0 if agree / n >= 0.99 else 1)


if __name__ == "__main__":
    main(*sys.argv[1:5])
