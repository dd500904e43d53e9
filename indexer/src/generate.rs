//! A deterministic scale corpus for benchmarks.
//!
//! Writes N resources as Markdown with front matter (and the same documents
//! as JSON lines for peer engines). Bodies are sentences of real English
//! prose: the glosses of Debian's WordNet (`wordnet-base`), falling back to
//! the bundled corpus's own text when WordNet is missing. Facet values are
//! skewed as in real catalogues: a few large organisations and many small
//! ones, more recent years, popular tags.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::corpus::Corpus;
use crate::markdown;

/// Where Debian's `wordnet-base` keeps its noun and verb data.
pub const WORDNET_FILES: &[&str] = &[
    "/usr/share/wordnet/data.noun",
    "/usr/share/wordnet/data.verb",
    "/usr/share/wordnet/data.adj",
];

/// Sentences of English prose to draw bodies from.
pub fn sentences(corpus: &Corpus) -> Vec<String> {
    let mut out = Vec::new();
    for file in WORDNET_FILES {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for line in text.lines().filter(|l| !l.starts_with("  ")) {
            if let Some((_, gloss)) = line.split_once(" | ") {
                for part in gloss.split("; ") {
                    let part = part.trim().trim_matches('"').trim();
                    if part.split_whitespace().count() >= 4 {
                        let mut s = part.to_string();
                        if let Some(first) = s.get(..1) {
                            s.replace_range(..1, &first.to_uppercase());
                        }
                        s.push('.');
                        out.push(s);
                    }
                }
            }
        }
    }
    if out.is_empty() {
        for entry in &corpus.entries {
            for s in markdown::to_text(&entry.resource.body).split(". ") {
                if s.split_whitespace().count() >= 4 {
                    out.push(format!("{}.", s.trim_end_matches('.')));
                }
            }
        }
    }
    out
}

fn skewed(rng: &mut fastrand::Rng, n: usize, power: f64) -> usize {
    ((n as f64) * rng.f64().powf(power)) as usize % n.max(1)
}

/// Write `count` resources under `out/<year>/gen-<n>.md`, vocabularies copied
/// from `template`, and the same documents as JSON lines in `jsonl` if given.
pub fn generate(
    template: &Path,
    out: &Path,
    count: usize,
    seed: u64,
    jsonl: Option<&Path>,
) -> Result<PathBuf, String> {
    let corpus = Corpus::load(template).map_err(|e| e.to_string())?;
    let pool = sentences(&corpus);
    if pool.is_empty() {
        return Err("no prose found: install wordnet-base or keep the bundled corpus".into());
    }
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    for file in ["vocabularies.toml", "synonyms.toml"] {
        std::fs::copy(template.join(file), out.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    let mut json_out = match jsonl {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| e.to_string())?,
        )),
        None => None,
    };
    let vocab = &corpus.vocab;
    let offers: Vec<&str> = vocab
        .offers
        .terms()
        .iter()
        .map(|t| t.slug.as_str())
        .collect();
    let types: Vec<&str> = vocab
        .types
        .terms()
        .iter()
        .map(|t| t.slug.as_str())
        .collect();
    let regions: Vec<&str> = vocab
        .regions
        .terms()
        .iter()
        .map(|t| t.slug.as_str())
        .collect();
    let mut tags: Vec<String> = corpus
        .entries
        .iter()
        .flat_map(|e| e.resource.tags.clone())
        .collect();
    tags.sort();
    tags.dedup();
    let places = [
        "North", "South", "East", "West", "Central", "Greater", "Upper", "Lower", "New", "Old",
    ];
    let kinds = [
        "county",
        "city",
        "borough",
        "district",
        "unitary",
        "island",
        "metropolitan",
    ];
    let mut rng = fastrand::Rng::with_seed(seed);
    for n in 0..count {
        let year = 2025 - skewed(&mut rng, 11, 2.0) as i32;
        let month = rng.u8(1..=12);
        let day = rng.u8(1..=28);
        let org_index = skewed(&mut rng, 2000, 3.0);
        let organisation = format!(
            "{} {} library service {}",
            places[org_index % places.len()],
            kinds[org_index % kinds.len()],
            org_index
        );
        let mut chosen = vec![offers[skewed(&mut rng, offers.len(), 1.5)]];
        if rng.bool() {
            let other = offers[rng.usize(..offers.len())];
            if !chosen.contains(&other) {
                chosen.push(other);
            }
        }
        let tag_count = rng.usize(2..=5);
        let mut chosen_tags: Vec<&str> = Vec::new();
        for _ in 0..tag_count {
            let t = tags[skewed(&mut rng, tags.len(), 2.0)].as_str();
            if !chosen_tags.contains(&t) {
                chosen_tags.push(t);
            }
        }
        let title_source = &pool[rng.usize(..pool.len())];
        let title: String = title_source
            .trim_end_matches('.')
            .split_whitespace()
            .take(9)
            .collect::<Vec<_>>()
            .join(" ");
        let summary = pool[rng.usize(..pool.len())].clone();
        let mut body = String::new();
        let sections = [
            "Context",
            "What we did",
            "Partners",
            "Outcomes",
            "Lessons learned",
        ];
        let target = rng.usize(3000..4000);
        let mut section = 0;
        while body.len() < target {
            if body.len() >= section * target / sections.len() && section < sections.len() {
                body.push_str(&format!("\n## {}\n\n", sections[section]));
                section += 1;
            }
            for _ in 0..rng.usize(3..7) {
                body.push_str(&pool[rng.usize(..pool.len())]);
                body.push(' ');
            }
            body.push_str("\n\n");
        }
        let id = format!("{year}/gen-{n}");
        let region = regions[skewed(&mut rng, regions.len(), 1.3)];
        let resource_type = types[skewed(&mut rng, types.len(), 1.5)];
        let markdown = format!(
            "---\ntitle: {}\nsummary: {}\noffers: [{}]\ntype: {resource_type}\npublished: {year}-{month:02}-{day:02}\nregion: {region}\norganisation: {organisation}\ntags: [{}]\nlanguage: en\n---\n{body}",
            serde_json::to_string(&title).unwrap_or_default(),
            serde_json::to_string(&summary).unwrap_or_default(),
            chosen.join(", "),
            chosen_tags.join(", "),
        );
        let dir = out.join(year.to_string());
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(format!("gen-{n}.md")), markdown).map_err(|e| e.to_string())?;
        if let Some(w) = json_out.as_mut() {
            let doc = json!({
                "id": id, "title": title, "summary": summary, "body": markdown::to_text(&body),
                "offer": chosen, "type": resource_type, "region": region, "organisation": organisation,
                "tag": chosen_tags, "year": year,
            });
            writeln!(w, "{doc}").map_err(|e| e.to_string())?;
        }
    }
    if let Some(mut w) = json_out {
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(out.to_path_buf())
}
