#!/usr/bin/env python3
"""Draw the benchmark's queries from a corpus's docs.jsonl: 1000 queries of
one to three words read from documents' bodies (15% of the two- and
three-word ones quoted as phrases).

Writes, for the same query texts in the same order:
- kb_paths.txt: our API, 10 hits, relevance order, no filters (what the peer
  is asked);
- peer_paths.txt: tantivy-cli's `serve`, 10 hits;
- kb_filtered_paths.txt: our API with 0-3 facet filters, year ranges and
  10% sorted by date, as library staff search (the peer has no facets, so
  this load has no peer counterpart)."""
import json, random, sys, urllib.parse

STOP = set("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with".split())
HITS = 10


def main(docs_path, out_dir, count=1000, seed=7):
    rng = random.Random(seed)
    docs = []
    with open(docs_path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 7 == 0:
                docs.append(json.loads(line))
            if len(docs) >= 5000:
                break
    ours, peer, filtered = [], [], []
    while len(ours) < count:
        d = rng.choice(docs)
        words = [w.strip(".,;:()\"'").lower() for w in d["body"].split()]
        words = [w for w in words if w.isalpha() and w not in STOP and len(w) > 2]
        if not words:
            continue
        start = rng.randrange(len(words))
        n = rng.choice([1, 1, 2, 2, 3])
        chosen = words[start:start + n] or words[:1]
        text = " ".join(chosen)
        if len(chosen) > 1 and rng.random() < 0.15:
            text = f'"{text}"'
        ours.append("/api/v1/search?" + urllib.parse.urlencode([("q", text), ("per_page", HITS)]))
        peer.append("/api/?" + urllib.parse.urlencode([("q", text), ("nhits", HITS)]))
        params = [("q", text), ("per_page", HITS)]
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            facet = rng.choice(["offer", "type", "region", "tag"])
            value = d[facet] if isinstance(d[facet], str) else rng.choice(d[facet])
            if (facet, value) not in params:
                params.append((facet, value))
        if rng.random() < 0.3:
            params.append(("year_from", str(d["year"] - rng.randrange(3))))
            params.append(("year_to", str(d["year"] + rng.randrange(2))))
        if rng.random() < 0.1:
            params.append(("sort", "newest"))
        filtered.append("/api/v1/search?" + urllib.parse.urlencode(params))
    for name, paths in [("kb_paths", ours), ("peer_paths", peer), ("kb_filtered_paths", filtered)]:
        open(f"{out_dir}/{name}.txt", "w").write("\n".join(paths) + "\n")
    print(f"{len(ours)} queries -> {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
