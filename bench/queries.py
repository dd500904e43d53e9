#!/usr/bin/env python3
"""Draw a query mix from a generated corpus (docs.jsonl): 1-3 word queries,
phrases, with and without 1-3 facet filters and year ranges, some sorted by
date. Writes our request paths and, for the peer, the same query text: the
same words ORed, or the same quoted phrase (it has no facets)."""
import json, random, sys, urllib.parse

STOP = set("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with".split())


def main(docs_path, out_dir, count=2000, seed=7):
    rng = random.Random(seed)
    docs = []
    with open(docs_path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 7 == 0:
                docs.append(json.loads(line))
            if len(docs) >= 5000:
                break
    ours, peer = [], []
    for _ in range(count):
        d = rng.choice(docs)
        words = [w.strip(".,;:()\"'").lower() for w in d["body"].split()]
        words = [w for w in words if w.isalpha() and w not in STOP and len(w) > 2]
        if not words:
            continue
        start = rng.randrange(len(words))
        n = rng.choice([1, 1, 2, 2, 3])
        chosen = words[start:start + n] or words[:1]
        text = " ".join(chosen)
        params = []
        if n > 1 and rng.random() < 0.15:
            text = f'"{text}"'
        params.append(("q", text))
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            facet = rng.choice(["offer", "type", "region", "tag"])
            value = d[facet] if isinstance(d[facet], str) else rng.choice(d[facet])
            params.append((facet, value))
        if rng.random() < 0.3:
            params.append(("year_from", str(d["year"] - rng.randrange(3))))
            params.append(("year_to", str(d["year"] + rng.randrange(2))))
        if rng.random() < 0.2:
            params.append(("sort", "newest"))
        ours.append("/api/v1/search?" + urllib.parse.urlencode(params))
        peer.append("/api/?" + urllib.parse.urlencode([("q", text), ("nhits", "20")]))
    open(f"{out_dir}/kb_paths.txt", "w").write("\n".join(ours) + "\n")
    open(f"{out_dir}/peer_paths.txt", "w").write("\n".join(peer) + "\n")
    print(f"{len(ours)} queries -> {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
