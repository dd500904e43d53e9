#!/usr/bin/env python3
"""Turn Debian's Japanese manual pages (manpages-ja) into a test collection.

Each page becomes a document (title = command name, text = the page without
its NAME section); its NAME description ("ls \\- ディレクトリの内容を...")
becomes the query, and the page itself is the one relevant answer. Output:
docs.jsonl, queries.tsv, qrels.txt in the folder given, the format
`kb-index eval` reads.
"""
import gzip, json, pathlib, re, sys

ROOT = pathlib.Path("/usr/share/man/ja")
ESCAPES = re.compile(r"\\f[BIRP1-4]|\\f\(..|\\f\[[^]]*\]|\\s[-+]?\d|\\\(..|\\\[[^]]*\]|\\[&|^e-]")


def clean(line: str) -> str:
    line = ESCAPES.sub(lambda m: "-" if m.group(0) == "\\-" else "", line)
    return line.replace("\\", "").strip()


def convert(out: pathlib.Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docs, queries, qrels = [], [], []
    for path in sorted(ROOT.glob("man*/*.gz")):
        try:
            text = gzip.open(path, "rt", encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        if text.startswith(".so "):
            continue  # an alias of another page
        lines = text.splitlines()
        name_desc, body, section = None, [], None
        for line in lines:
            if line.startswith(".SH"):
                section = clean(line[3:]).strip('"')
                continue
            if line.startswith(".\\\"") or line.startswith("'\\\""):
                continue
            words = clean(re.sub(r"^\.[A-Za-z]+\s*", "", line)) if line.startswith(".") else clean(line)
            if not words:
                continue
            if section in ("名前", "NAME", "名称"):
                if name_desc is None and "-" in words:
                    name_desc = words.split("-", 1)[1].strip()
                continue
            body.append(words)
        if not name_desc or not body or not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", name_desc):
            continue
        doc_id = f"{path.parent.name}/{path.name[:-3]}"
        docs.append({"id": doc_id, "title": path.name.split(".")[0], "text": "\n".join(body)})
        qid = str(len(queries) + 1)
        queries.append(f"{qid}\t{name_desc}")
        qrels.append(f"{qid} 0 {doc_id} 1")
    (out / "docs.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    (out / "queries.tsv").write_text("\n".join(queries) + "\n", encoding="utf-8")
    (out / "qrels.txt").write_text("\n".join(qrels) + "\n", encoding="utf-8")
    print(f"{len(docs)} pages, {len(queries)} queries -> {out}")


if __name__ == "__main__":
    convert(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/manpages-ja"))
