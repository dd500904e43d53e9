#!/usr/bin/env python3
"""Build a benchmark corpus of real English text that this project did not
write: Debian's package long descriptions (the apt lists' Translation-en) and
WordNet's glosses, as whole passages.

    bench/realtext.py COUNT OUT_DIR [--seed N]

Writes OUT_DIR/corpus (Markdown resources with front matter, vocabularies and
synonyms copied from the bundled corpus) and OUT_DIR/docs.jsonl (the same
documents, body as plain text, for the peer). A document is led by one
package's description (its title is the package's one-line description, its
summary the first sentence), followed by further sections, each a
neighbouring package's description under its one-line description as a
heading, or a run of WordNet glosses from one lexicographer file. Body
lengths follow a log-normal law (median about 500 words), so lengths vary as
real documents' do. Facet values are drawn, skewed, from the vocabularies.

Needs the English translations in the apt lists: as root,
`apt-get update -o Acquire::Languages=en` (Debian images often turn them
off), and wordnet-base.
"""
import glob, json, math, os, random, re, shutil, subprocess, sys, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLED = os.path.join(HERE, "..", "corpus")


def debian_passages():
    """(short description, [paragraphs]) of every distinct long description."""
    files = sorted(glob.glob("/var/lib/apt/lists/*_i18n_Translation-en*"))
    if not files:
        sys.exit("no Translation-en in /var/lib/apt/lists: run `apt-get update -o Acquire::Languages=en` as root")
    seen, out = set(), []
    for path in files:
        text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path],
                              check=True, capture_output=True, text=True).stdout
        for stanza in text.split("\n\n"):
            md5 = re.search(r"^Description-md5: (\S+)", stanza, re.M)
            desc = re.search(r"^Description-en: (.*)((?:\n .*)*)", stanza, re.M)
            if not md5 or not desc or md5.group(1) in seen:
                continue
            seen.add(md5.group(1))
            short = clean(desc.group(1))
            paragraphs, current = [], []
            for line in desc.group(2).split("\n")[1:]:
                line = line[1:]
                if line.strip() == ".":
                    if current:
                        paragraphs.append(" ".join(current))
                    current = []
                else:
                    current.append(clean(line.strip().lstrip("*-+o ").strip()))
            if current:
                paragraphs.append(" ".join(current))
            paragraphs = [p for p in paragraphs if len(p.split()) >= 4]
            # A one-line description over 150 characters is a paragraph, not a title.
            if short and paragraphs and len(short) <= 150:
                out.append((short, paragraphs))
    return out


def wordnet_passages():
    """Runs of 3 to 8 glosses from one WordNet lexicographer file."""
    out = []
    for pos in ["noun", "verb", "adj", "adv"]:
        path = f"/usr/share/wordnet/data.{pos}"
        if not os.path.exists(path):
            sys.exit("WordNet not found: apt-get install wordnet-base")
        run, lex = [], None
        with open(path, encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue
                head, gloss = line.split("|", 1)
                fields = head.split()
                words = [fields[4 + 2 * i].replace("_", " ") for i in range(int(fields[3], 16))]
                sentence = clean(f"{words[0].capitalize()}: {gloss.strip()}")
                if fields[1] != lex or len(run) >= 8:
                    if len(run) >= 3:
                        out.append(" ".join(run))
                    run, lex = [], fields[1]
                run.append(sentence if sentence.endswith(".") else sentence + ".")
    return out


def clean(text):
    text = "".join(c for c in text if c.isprintable())
    # Characters Markdown would read as markup are dropped, so that both
    # engines index the same words.
    return re.sub(r"[`*_#<>\[\]|\\]", " ", text).replace("  ", " ").strip()


def words(text):
    return len(text.split())


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    rng = random.Random(seed)
    debian = debian_passages()
    glosses = wordnet_passages()
    vocab = tomllib.load(open(os.path.join(BUNDLED, "vocabularies.toml"), "rb"))
    offers = [t["slug"] for t in vocab["offers"]]
    types = [t["slug"] for t in vocab["types"]]
    regions = [t["slug"] for t in vocab["regions"]]
    tags = sorted({t.strip() for path in glob.glob(os.path.join(BUNDLED, "*", "*.md"))
                   for m in re.finditer(r"^tags: \[(.*)\]", open(path, encoding="utf-8").read(), re.M)
                   for t in m.group(1).split(",") if t.strip()})

    def skewed(n, power):
        return int(n * rng.random() ** power) % n

    corpus = os.path.join(out, "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    for name in ["vocabularies.toml", "synonyms.toml"]:
        shutil.copy(os.path.join(BUNDLED, name), corpus)
    order = list(range(len(debian)))
    rng.shuffle(order)
    lengths = []
    with open(os.path.join(out, "docs.jsonl"), "w", encoding="utf-8") as jsonl:
        for n in range(count):
            lead = order[n % len(order)]
            short, paragraphs = debian[lead]
            title = short[0].upper() + short[1:]
            if n >= len(order):
                title += f" ({n // len(order) + 1})"
            first = re.split(r"(?<=[.!?]) ", paragraphs[0])[0]
            summary = first if len(first) <= 600 else first[:597].rsplit(" ", 1)[0] + "..."
            target = max(30, int(math.exp(rng.gauss(math.log(460), 0.75))))
            sections = [(None, paragraphs)]
            total = sum(words(p) for p in paragraphs)
            step = 1
            while total < target and step < 60:
                if rng.random() < 0.7:
                    heading, more = debian[(lead + step) % len(debian)]
                    step += 1
                else:
                    heading, more = "Notes", [glosses[rng.randrange(len(glosses))]]
                sections.append((heading[0].upper() + heading[1:], more))
                total += words(heading) + sum(words(p) for p in more)
            lengths.append(total)
            markdown_parts, text_parts = [], []
            for heading, ps in sections:
                if heading:
                    markdown_parts.append(f"## {heading}")
                    text_parts.append(heading)
                markdown_parts.extend(ps)
                text_parts.extend(ps)
            body_md = "\n\n".join(markdown_parts)
            year = 2025 - skewed(11, 2.0)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            chosen = [offers[skewed(len(offers), 1.5)]]
            if rng.random() < 0.5:
                other = offers[rng.randrange(len(offers))]
                if other not in chosen:
                    chosen.append(other)
            chosen_tags = []
            for _ in range(rng.randint(2, 5)):
                t = tags[skewed(len(tags), 2.0)]
                if t not in chosen_tags:
                    chosen_tags.append(t)
            region = regions[skewed(len(regions), 1.3)]
            rtype = types[skewed(len(types), 1.5)]
            # Named without common words, so that a query word does not
            # match every document through its organisation.
            org = f"Authority {skewed(2000, 3.0)}"
            os.makedirs(os.path.join(corpus, str(year)), exist_ok=True)
            slug = f"text-{n}"
            with open(os.path.join(corpus, str(year), slug + ".md"), "w", encoding="utf-8") as f:
                f.write("---\n")
                f.write(f"title: {json.dumps(title)}\nsummary: {json.dumps(summary)}\n")
                f.write(f"offers: [{', '.join(chosen)}]\ntype: {rtype}\n")
                f.write(f"published: {year}-{month:02}-{day:02}\nregion: {region}\n")
                f.write(f"organisation: {json.dumps(org)}\ntags: [{', '.join(chosen_tags)}]\nlanguage: en\n---\n")
                f.write(body_md + "\n")
            jsonl.write(json.dumps({
                "id": f"{year}/{slug}", "title": title, "summary": summary,
                "body": "\n\n".join(text_parts), "offer": chosen, "type": rtype,
                "region": region, "organisation": org, "tag": chosen_tags, "year": year,
            }) + "\n")
    lengths.sort()
    print(f"{count} documents -> {out}: body words median {lengths[len(lengths) // 2]}, "
          f"p10 {lengths[len(lengths) // 10]}, p90 {lengths[len(lengths) * 9 // 10]}; "
          f"{len(debian)} package descriptions, {len(glosses)} gloss runs")


if __name__ == "__main__":
    main()
