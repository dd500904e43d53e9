//! Relevance evaluation on TREC-style test collections.
//!
//! A collection is a folder with `docs.jsonl` (`{"id","title","text",...}` per
//! line), `queries.tsv` (`qid<TAB>text`) and `qrels.txt` (`qid 0 docid grade`).
//! Documents are indexed in RAM with the product schema and analyzers, every
//! query goes through the product query path and the product ranking
//! ([`crate::rank`], the server's order), and the metrics are computed as
//! trec_eval computes them: runs ordered by score then by docid descending
//! (the product's own order for documents without dates), nDCG with the
//! grade as gain, binary metrics counting grade ≥ 1 as relevant, averaged
//! over every query that has judgments.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use fixedbitset::FixedBitSet;
use tantivy::query::EnableScoring;
use tantivy::{DocAddress, IndexWriter, Score, Searcher, SegmentOrdinal};

use crate::query::{Compiled, QueryBuilder, Weights, parse};
use crate::rank::{self, IdRanks};
use crate::resource::{Metadata, Resource};
use crate::schema::KbSchema;
use crate::synonyms::Synonyms;
use crate::vocabulary::Vocabularies;

/// Depth of every ranked list.
pub const RUN_DEPTH: usize = 1000;

/// Averaged metrics over all judged queries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Mean nDCG at 10.
    pub ndcg10: f64,
    /// Mean average precision.
    pub map: f64,
    /// Mean recall at 100.
    pub recall100: f64,
    /// Mean reciprocal rank of the first relevant result within the top 10.
    pub mrr10: f64,
    /// Number of queries averaged.
    pub queries: usize,
}

/// A failure to read or index the collection.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file is missing or unreadable.
    #[error("{path}: {message}")]
    File {
        /// File path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Tantivy failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}

fn file_error(path: &Path, message: impl Into<String>) -> EvalError {
    EvalError::File {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn lines(path: &Path) -> Result<Vec<String>, EvalError> {
    let file = std::fs::File::open(path).map_err(|e| file_error(path, e.to_string()))?;
    std::io::BufReader::new(file)
        .lines()
        .collect::<Result<_, _>>()
        .map_err(|e| file_error(path, e.to_string()))
}

/// One ranked result.
pub type Ranked = Vec<(String, Score)>;

/// What a collection is ranked with: the product's query configuration.
#[derive(Clone)]
pub struct Settings {
    /// Language code of the collection's documents (selects the analysis).
    pub language: String,
    /// Synonym groups (the corpus's `synonyms.toml`).
    pub synonyms: Synonyms,
    /// Vocabularies for `field:value` clauses.
    pub vocab: Vocabularies,
    /// Ranking weights.
    pub weights: Weights,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: "en".into(),
            synonyms: Synonyms::default(),
            vocab: Vocabularies::default(),
            weights: Weights::default(),
        }
    }
}

/// A ranked collection.
pub struct Ranking {
    /// `(qid, ranking)` per query, in the order of `queries.tsv`.
    pub run: Vec<(String, Ranked)>,
    /// Queries the server would refuse even shortened: `(qid, reason)`.
    /// They rank nothing, as the server would answer nothing.
    pub refused: Vec<(String, String)>,
}

/// The collection's documents as resources, in file order.
fn documents(dir: &Path, language: &str) -> Result<Vec<Resource>, EvalError> {
    let docs_path = dir.join("docs.jsonl");
    let mut out = Vec::new();
    for (n, line) in lines(&docs_path)?.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| file_error(&docs_path, format!("line {}: {e}", n + 1)))?;
        let text = |key: &str| {
            value
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let id = match value.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => return Err(file_error(&docs_path, format!("line {}: no \"id\"", n + 1))),
        };
        out.push(as_resource(id, text("title"), text("text"), language));
    }
    Ok(out)
}

/// A collection's document as a resource: a title and a body, in `language`, nothing else.
pub fn as_resource(id: String, title: String, body: String, language: &str) -> Resource {
    Resource {
        meta: Metadata {
            id,
            title,
            summary: String::new(),
            offers: Vec::new(),
            resource_type: String::new(),
            year: 0,
            published: None,
            region: String::new(),
            organisation: String::new(),
            language: language.into(),
            tags: Vec::new(),
        },
        source_url: None,
        contributor: None,
        licence: None,
        sample: false,
        body,
    }
}

/// The collection's queries, `(qid, text)`, in file order.
pub fn queries(dir: &Path) -> Result<Vec<(String, String)>, EvalError> {
    let queries_path = dir.join("queries.tsv");
    let mut out = Vec::new();
    for (n, line) in lines(&queries_path)?.iter().enumerate() {
        let Some((qid, text)) = line.split_once('\t') else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(file_error(
                &queries_path,
                format!("line {}: expected `qid<TAB>text`", n + 1),
            ));
        };
        out.push((qid.trim().to_string(), text.to_string()));
    }
    Ok(out)
}

/// Parse a query as the server does. A query over the server's limits is
/// cut at a word boundary, as a user told to shorten it would; if even
/// that is refused, the reason is returned.
pub fn parse_query(text: &str) -> Result<Vec<crate::query::Node>, String> {
    let error = match parse(text) {
        Ok(nodes) => return Ok(nodes),
        Err(e) => e.to_string(),
    };
    // The longest run of leading words the server takes (punctuation such
    // as brackets counts against the limit too).
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut take = words.len().min(crate::query::MAX_CLAUSES);
    while take > 0 {
        let short = words[..take].join(" ");
        if short.len() <= crate::query::MAX_QUERY_BYTES
            && let Ok(nodes) = parse(&short)
        {
            return Ok(nodes);
        }
        take -= 1;
    }
    Err(error)
}

/// Rank one query's best `limit` hits exactly as the server's relevance
/// order does (see [`crate::rank`]; feedback as in [`QueryBuilder::expand`]);
/// every document here has no date.
pub fn rank_query(
    searcher: &Searcher,
    builder: &QueryBuilder,
    ranks: &IdRanks,
    nodes: &[crate::query::Node],
    limit: usize,
) -> tantivy::Result<Vec<rank::Candidate>> {
    let compiled = builder.compile(searcher, nodes);
    let first = rank_compiled(searcher, &compiled, ranks, None, limit)?;
    if builder.wants_feedback(nodes, &compiled) {
        let best: Vec<(DocAddress, Score)> = first.iter().map(|c| (c.address, c.score)).collect();
        if let Some(expanded) = builder.expand(searcher, nodes, &compiled, &best)? {
            // As the server: the words typed decide what matches.
            let matching = compiled
                .query
                .weight(EnableScoring::disabled_from_searcher(searcher))?;
            let mut sets = Vec::new();
            for reader in searcher.segment_readers() {
                let mut set = FixedBitSet::with_capacity(reader.max_doc() as usize);
                let alive = reader.alive_bitset();
                matching.for_each_no_score(reader, &mut |docs| {
                    for &doc in docs {
                        if alive.is_none_or(|a| a.is_alive(doc)) {
                            set.insert(doc as usize);
                        }
                    }
                })?;
                sets.push(set);
            }
            return rank_compiled(searcher, &expanded, ranks, Some(&sets), limit);
        }
    }
    Ok(first)
}

fn rank_compiled(
    searcher: &Searcher,
    compiled: &Compiled,
    ranks: &IdRanks,
    within: Option<&[FixedBitSet]>,
    limit: usize,
) -> tantivy::Result<Vec<rank::Candidate>> {
    let weight = compiled.query.weight(compiled.scoring())?;
    let mut top = rank::Top::new(rank::depth(limit));
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let within = match within {
            Some(sets) => match sets.get(ord) {
                Some(set) => rank::Within::Docs(set),
                None => continue,
            },
            None => rank::Within::All,
        };
        rank::rank_segment(
            weight.as_ref(),
            reader,
            ord as SegmentOrdinal,
            &within,
            !compiled.prunable,
            &[],
            ranks.segment(ord as SegmentOrdinal),
            &mut top,
        )?;
    }
    rank::finish(searcher, compiled, top, limit)
}

/// Rank every query of the collection in `dir`.
///
/// The documents are indexed in RAM by one thread, in file order, so two
/// runs build the same index and write the same run file.
pub fn run(dir: &Path, settings: &Settings) -> Result<Ranking, EvalError> {
    let docs = documents(dir, &settings.language)?;
    run_over(
        docs.into_iter().map(|r| {
            let path = r.id.clone();
            (r, path)
        }),
        dir,
        settings,
    )
}

/// How Welsh resources are analysed in [`run_corpus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WelshFolding {
    /// The product's Welsh analysis, initial mutations folded.
    On,
    /// Welsh indexed as plain words (lowercase and accents only): the baseline.
    Off,
}

/// Rank the queries of `queries.tsv` in `dir` over the resources of a
/// corpus folder (instead of a `docs.jsonl`), as the server would.
pub fn run_corpus(
    corpus: &Path,
    dir: &Path,
    settings: &Settings,
    folding: WelshFolding,
) -> Result<Ranking, EvalError> {
    let loaded =
        crate::corpus::Corpus::load(corpus).map_err(|e| file_error(corpus, e.to_string()))?;
    let docs = loaded.entries.into_iter().map(|entry| {
        let mut resource = entry.resource;
        if folding == WelshFolding::Off && resource.language == "cy" {
            // A code without an analysis of its own is analysed as plain words.
            resource.language = "und".into();
        }
        (resource, entry.path)
    });
    run_over(docs, dir, settings)
}

/// Index `(resource, path)` pairs in RAM and rank the queries of `dir`.
fn run_over(
    resources: impl IntoIterator<Item = (Resource, String)>,
    dir: &Path,
    settings: &Settings,
) -> Result<Ranking, EvalError> {
    let schema = KbSchema::new();
    let index = schema.create_in_ram();
    let mut writer: IndexWriter =
        index.writer_with_num_threads(1, crate::builder::WRITER_HEAP_BYTES)?;
    for (resource, path) in resources {
        writer.add_document(schema.document(&resource, &path, "", &settings.vocab))?;
    }
    writer.commit()?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let ranks = IdRanks::new(&searcher)?;
    let builder = QueryBuilder::new(
        schema.clone(),
        settings.synonyms.clone(),
        Some(settings.vocab.clone()),
    )
    .with_weights(settings.weights);
    let mut out = Ranking {
        run: Vec::new(),
        refused: Vec::new(),
    };
    for (qid, text) in queries(dir)? {
        let nodes = match parse_query(&text) {
            Ok(nodes) => nodes,
            Err(reason) => {
                out.refused.push((qid.clone(), reason));
                out.run.push((qid, Vec::new()));
                continue;
            }
        };
        let top = rank_query(&searcher, &builder, &ranks, &nodes, RUN_DEPTH)?;
        let mut ranked: Ranked = Vec::with_capacity(top.len());
        for c in top {
            let doc: tantivy::TantivyDocument = searcher.doc(c.address)?;
            let id = schema.stored_id(&doc).unwrap_or_default();
            ranked.push((id, c.score));
        }
        out.run.push((qid, ranked));
    }
    Ok(out)
}

/// Read `qrels.txt` into qid → docid → grade.
pub fn read_qrels(path: &Path) -> Result<HashMap<String, HashMap<String, i32>>, EvalError> {
    let mut qrels: HashMap<String, HashMap<String, i32>> = HashMap::new();
    for (n, line) in lines(path)?.iter().enumerate() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.is_empty() {
            continue;
        }
        let [qid, _, docid, grade] = parts[..] else {
            return Err(file_error(
                path,
                format!("line {}: expected `qid 0 docid grade`", n + 1),
            ));
        };
        let grade: i32 = grade.parse().map_err(|_| {
            file_error(
                path,
                format!("line {}: grade `{grade}` is not a number", n + 1),
            )
        })?;
        qrels
            .entry(qid.to_string())
            .or_default()
            .insert(docid.to_string(), grade);
    }
    Ok(qrels)
}

/// Compute the metrics of a run against judgments.
pub fn score(run: &[(String, Ranked)], qrels: &HashMap<String, HashMap<String, i32>>) -> Metrics {
    let runs: HashMap<&str, &Ranked> = run.iter().map(|(q, r)| (q.as_str(), r)).collect();
    let empty: Ranked = Vec::new();
    let (mut ndcg, mut map, mut recall, mut mrr, mut count) = (0.0, 0.0, 0.0, 0.0, 0usize);
    for (qid, judged) in qrels {
        let relevant = judged.values().filter(|&&g| g >= 1).count();
        if relevant == 0 {
            continue;
        }
        count += 1;
        let ranked = runs.get(qid.as_str()).copied().unwrap_or(&empty);
        let grade = |doc: &str| judged.get(doc).copied().unwrap_or(0).max(0) as f64;
        let dcg: f64 = ranked
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, (d, _))| grade(d) / ((i + 2) as f64).log2())
            .sum();
        let mut ideal: Vec<f64> = judged.values().map(|&g| g.max(0) as f64).collect();
        ideal.sort_by(|a, b| b.total_cmp(a));
        let idcg: f64 = ideal
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, g)| g / ((i + 2) as f64).log2())
            .sum();
        if idcg > 0.0 {
            ndcg += dcg / idcg;
        }
        let mut hits = 0usize;
        let mut precision_sum = 0.0;
        for (rank, (doc, _)) in ranked.iter().enumerate() {
            if grade(doc) >= 1.0 {
                hits += 1;
                precision_sum += hits as f64 / (rank + 1) as f64;
            }
        }
        map += precision_sum / relevant as f64;
        let found = ranked
            .iter()
            .take(100)
            .filter(|(d, _)| grade(d) >= 1.0)
            .count();
        recall += found as f64 / relevant as f64;
        if let Some(rank) = ranked.iter().take(10).position(|(d, _)| grade(d) >= 1.0) {
            mrr += 1.0 / (rank + 1) as f64;
        }
    }
    let n = count.max(1) as f64;
    Metrics {
        ndcg10: ndcg / n,
        map: map / n,
        recall100: recall / n,
        mrr10: mrr / n,
        queries: count,
    }
}

/// Write a TREC run file: `qid Q0 docid rank score tag`.
pub fn write_run(run: &[(String, Ranked)], out: &mut impl Write, tag: &str) -> std::io::Result<()> {
    for (qid, ranked) in run {
        for (rank, (doc, score)) in ranked.iter().enumerate() {
            writeln!(out, "{qid} Q0 {doc} {} {score:.6} {tag}", rank + 1)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metrics match hand-computed values on a tiny judged run.
    #[test]
    fn metrics_match_hand_computation() {
        let mut qrels = HashMap::new();
        qrels.insert(
            "1".to_string(),
            HashMap::from([
                ("a".to_string(), 2),
                ("b".to_string(), 1),
                ("z".to_string(), 0),
            ]),
        );
        let run = vec![(
            "1".to_string(),
            vec![
                ("b".to_string(), 3.0),
                ("x".to_string(), 2.0),
                ("a".to_string(), 1.0),
            ],
        )];
        let m = score(&run, &qrels);
        // DCG = 1/log2(2) + 2/log2(4) = 2; IDCG = 2 + 1/log2(3).
        let expected = 2.0 / (2.0 + 1.0 / 3f64.log2());
        assert!((m.ndcg10 - expected).abs() < 1e-9, "{m:?}");
        // AP = (1/1 + 2/3) / 2.
        assert!((m.map - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-9);
        assert!((m.recall100 - 1.0).abs() < 1e-9);
        assert!((m.mrr10 - 1.0).abs() < 1e-9);
    }
}
