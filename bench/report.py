#!/usr/bin/env python3
"""Summarise bench results (results.jsonl) as Markdown tables of medians
(with min-max over the rounds) and ratios against tantivy-cli, and draw p99
latency and queries/s against concurrency, and indexing speed against corpus
size, as SVG line charts."""
import json, statistics, sys, pathlib


def svg_chart(title, series, ylabel, path, xlabel="concurrent clients"):
    width, height, pad = 520, 300, 50
    xs = sorted({x for pts in series.values() for x, _ in pts})
    ymax = max((y for pts in series.values() for _, y in pts), default=1) * 1.1 or 1
    def px(x):
        return pad + (xs.index(x) / max(len(xs) - 1, 1)) * (width - 2 * pad)
    def py(y):
        return height - pad - (y / ymax) * (height - 2 * pad)
    colours = ["#1f6feb", "#d1242f", "#1a7f37", "#8250df"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<text x="{width/2}" y="18" text-anchor="middle" font-size="14">{title}</text>',
           f'<line x1="{pad}" y1="{height-pad}" x2="{width-pad}" y2="{height-pad}" stroke="#555"/>',
           f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height-pad}" stroke="#555"/>',
           f'<text x="14" y="{height/2}" transform="rotate(-90 14 {height/2})" text-anchor="middle">{ylabel}</text>',
           f'<text x="{width/2}" y="{height-12}" text-anchor="middle">{xlabel}</text>']
    for x in xs:
        out.append(f'<text x="{px(x)}" y="{height-pad+16}" text-anchor="middle">{x}</text>')
    for i in range(5):
        y = ymax * i / 4
        out.append(f'<text x="{pad-6}" y="{py(y)+4}" text-anchor="end">{y:.3g}</text>')
    for k, (name, pts) in enumerate(sorted(series.items())):
        c = colours[k % len(colours)]
        pts = sorted(pts)
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (c, " ".join(f"{px(x)},{py(y)}" for x, y in pts)))
        out.append(f'<text x="{width-pad-110}" y="{pad+16*k}" fill="{c}">{name}</text>')
    out.append("</svg>")
    pathlib.Path(path).write_text("\n".join(out))


def main(results_path, out_dir):
    rows = [json.loads(l) for l in open(results_path) if l.strip()]
    md = ["| kind | engine | docs | figures |", "|---|---|---|---|"]
    for r in rows:
        figures = ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("kind", "engine", "docs"))
        md.append(f"| {r['kind']} | {r['engine']} | {r['docs']} | {figures} |")
    md.append("")
    md.append("Medians over the rounds, min-max in brackets; ratios are of medians, ours / peer's.")
    md.append("")
    md.append("| docs | clients | our q/s | peer q/s | q/s ratio | our p50 ms | peer p50 ms | our p99 ms | peer p99 ms | p99 ratio | our CPU ms/req | peer CPU ms/req | our bytes | peer bytes | errors |")
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    queries = [r for r in rows if r["kind"] == "query"]

    def runs(engine, docs, conns):
        return [r for r in queries if r["engine"] == engine and r["docs"] == docs and r["connections"] == conns]

    def med(rs, key):
        return statistics.median(r[key] for r in rs)

    def span(rs, key):
        values = [r[key] for r in rs]
        return f"{statistics.median(values):g} ({min(values):g}-{max(values):g})" if len(values) > 1 else f"{values[0]:g}"

    for docs in sorted({r["docs"] for r in queries}):
        for conns in sorted({r["connections"] for r in queries}):
            ours, peer = runs("kb", docs, conns), runs("tantivy-cli", docs, conns)
            if ours and peer:
                md.append(f"| {docs} | {conns} | {span(ours, 'qps')} | {span(peer, 'qps')} | {med(ours, 'qps')/max(med(peer, 'qps'), 1e-9):.2f} | {med(ours, 'p50_ms'):g} | {med(peer, 'p50_ms'):g} | {span(ours, 'p99_ms')} | {span(peer, 'p99_ms')} | {med(ours, 'p99_ms')/max(med(peer, 'p99_ms'), 1e-9):.2f} | {med(ours, 'cpu_ms_per_request'):g} | {med(peer, 'cpu_ms_per_request'):g} | {med(ours, 'bytes_per_answer'):g} | {med(peer, 'bytes_per_answer'):g} | {sum(r['errors'] for r in ours + peer)} |")
        for metric, label, unit in (("p99_ms", "p99 latency (median)", "ms"), ("qps", "queries per second (median)", "q/s")):
            series = {}
            for engine in ("kb", "tantivy-cli"):
                for conns in sorted({r["connections"] for r in queries}):
                    rs = runs(engine, docs, conns)
                    if rs:
                        series.setdefault(engine, []).append((conns, med(rs, metric)))
            svg_chart(f"{label}, {docs} resources", series, unit, f"{out_dir}/{metric}-{docs}.svg")
    filtered = [r for r in rows if r["kind"] == "filtered"]
    if filtered:
        md.append("")
        md.append("Our load with facet filters, year ranges and date sorts (no peer counterpart):")
        md.append("")
        md.append("| docs | clients | q/s | p50 ms | p99 ms | CPU ms/req | bytes |")
        md.append("|---|---|---|---|---|---|---|")
        for docs in sorted({r["docs"] for r in filtered}):
            for conns in sorted({r["connections"] for r in filtered}):
                rs = [r for r in filtered if r["docs"] == docs and r["connections"] == conns]
                md.append(f"| {docs} | {conns} | {span(rs, 'qps')} | {med(rs, 'p50_ms'):g} | {span(rs, 'p99_ms')} | {med(rs, 'cpu_ms_per_request'):g} | {med(rs, 'bytes_per_answer'):g} |")
    open_loop = [r for r in rows if r["kind"] == "open_loop"]
    if open_loop:
        md.append("")
        md.append("Open loop: requests sent at a fixed rate (a share of the peer's closed-loop q/s at 16 clients), latency from when each was due:")
        md.append("")
        md.append("| docs | share | rate | engine | achieved q/s | p50 ms | p99 ms | errors |")
        md.append("|---|---|---|---|---|---|---|---|")
        for r in open_loop:
            md.append(f"| {r['docs']} | {r['share_of_peer']} | {r['rate']:g} | {r['engine']} | {r['achieved']} | {r['p50_ms']} | {r['p99_ms']} | {r['errors']} |")
    for r in rows:
        if r["kind"] == "agreement":
            md.append("")
            md.append(f"Agreement over {r['queries']} queries at {r['docs']} resources: both found something or both nothing for {r['agree']:.1%}; same total for {r['same_total']:.1%}; median share of the peer's 10 ids in ours {r['overlap']}; median answer {r['kb_bytes']:g} bytes (ours, with facets and highlights) vs {r['peer_bytes']:g} (peer); median engine time {r['kb_engine_ms']} ms (ours, `took_ms`) vs {r['peer_engine_ms']} ms (peer's own timings).")
    index = [r for r in rows if r["kind"] == "index"]
    for docs in sorted({r["docs"] for r in index}):
        # Each side's faster build (bench/run.sh builds each twice, alternating).
        def best(engine):
            builds = [r for r in index if r["engine"] == engine and r["docs"] == docs]
            return max(builds, key=lambda r: r["docs_per_s"], default=None), [r["docs_per_s"] for r in builds]
        (ours, ours_all), (peer, peer_all) = best("kb"), best("tantivy-cli")
        if ours and peer:
            md.append("")
            md.append(f"Indexing {docs} (best of {ours_all} and {peer_all} docs/s): ours {ours['docs_per_s']} docs/s vs {peer['docs_per_s']} ({ours['docs_per_s']/peer['docs_per_s']:.2f}x); peak RSS {ours['peak_rss_mb']} MB vs {peer['peak_rss_mb']} MB ({ours['peak_rss_mb']/max(peer['peak_rss_mb'],1):.2f}x); index {ours['size_mb']} MB vs {peer['size_mb']} MB ({ours['size_mb']/max(peer['size_mb'],1):.2f}x)")
    if len({r["docs"] for r in index}) > 1:
        series = {}
        best_of = {}
        for r in index:
            key = (r["engine"], r["docs"])
            best_of[key] = max(best_of.get(key, 0), r["docs_per_s"])
        for (engine, docs), rate in sorted(best_of.items()):
            series.setdefault(engine, []).append((docs, rate))
        svg_chart("indexing speed", series, "docs/s", f"{out_dir}/index-docs-per-s.svg", xlabel="resources")
    text = "\n".join(md) + "\n"
    pathlib.Path(f"{out_dir}/report.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
