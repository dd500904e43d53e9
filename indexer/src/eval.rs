//! Relevance evaluation on TREC-style test collections.
//!
//! A collection is a folder with `docs.jsonl` (`{"id","title","text",...}` per
//! line), `queries.tsv` (`qid<TAB>text`) and `qrels.txt` (`qid 0 docid grade`).
//! Documents are indexed in RAM with the product schema and analyzers, every
//! query goes through the product query path, and the metrics are computed
//! as trec_eval computes them: runs ordered by score then by docid
//! descending, nDCG with the grade as gain, binary metrics counting grade ≥ 1
//! as relevant, averaged over every query that has judgments.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexWriter, Score};

use crate::query::{QueryBuilder, parse};
use crate::resource::Resource;
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

/// Rank every query of the collection in `dir`; returns `(qid, ranking)` pairs.
pub fn run(dir: &Path, language: &str) -> Result<Vec<(String, Ranked)>, EvalError> {
    let schema = KbSchema::new();
    let index = schema.create_in_ram();
    let vocab = Vocabularies::default();
    let mut writer: IndexWriter = index.writer(crate::builder::WRITER_HEAP_BYTES)?;
    let docs_path = dir.join("docs.jsonl");
    let mut ids: Vec<String> = Vec::new();
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
        let resource = Resource {
            id: id.clone(),
            title: text("title"),
            summary: String::new(),
            offers: Vec::new(),
            resource_type: String::new(),
            published: None,
            year: 0,
            region: String::new(),
            organisation: String::new(),
            tags: Vec::new(),
            language: language.into(),
            source_url: None,
            contributor: None,
            licence: None,
            sample: false,
            body: text("text"),
        };
        writer.add_document(schema.document(&resource, &id, "", &vocab))?;
        ids.push(id);
    }
    writer.commit()?;
    let builder = QueryBuilder::new(schema.clone(), Synonyms::default(), None);
    rank(&index, &schema, &builder, &dir.join("queries.tsv"))
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
/// corpus folder, as the server would (its synonyms and vocabularies).
pub fn run_corpus(
    corpus: &Path,
    dir: &Path,
    folding: WelshFolding,
) -> Result<Vec<(String, Ranked)>, EvalError> {
    let loaded =
        crate::corpus::Corpus::load(corpus).map_err(|e| file_error(corpus, e.to_string()))?;
    let synonyms_path = corpus.join("synonyms.toml");
    let synonyms = if synonyms_path.exists() {
        Synonyms::load(&synonyms_path).map_err(|e| file_error(&synonyms_path, e.to_string()))?
    } else {
        Synonyms::default()
    };
    let schema = KbSchema::new();
    let index = schema.create_in_ram();
    let mut writer: IndexWriter = index.writer(crate::builder::WRITER_HEAP_BYTES)?;
    for entry in &loaded.entries {
        let mut resource = entry.resource.clone();
        if folding == WelshFolding::Off && resource.language == "cy" {
            // Any code without an analysis of its own is analysed as plain words.
            resource.language = "und".into();
        }
        writer.add_document(schema.document(&resource, &entry.path, &entry.hash, &loaded.vocab))?;
    }
    writer.commit()?;
    let builder = QueryBuilder::new(schema.clone(), synonyms, Some(loaded.vocab.clone()));
    rank(&index, &schema, &builder, &dir.join("queries.tsv"))
}

/// Run every query of a `queries.tsv` through the product query path.
fn rank(
    index: &tantivy::Index,
    schema: &KbSchema,
    builder: &QueryBuilder,
    queries_path: &Path,
) -> Result<Vec<(String, Ranked)>, EvalError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut out = Vec::new();
    for (n, line) in lines(queries_path)?.iter().enumerate() {
        let Some((qid, text)) = line.split_once('\t') else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(file_error(
                queries_path,
                format!("line {}: expected `qid<TAB>text`", n + 1),
            ));
        };
        // Over-long queries are cut at a word boundary, as the API would refuse them.
        let nodes = parse(text)
            .or_else(|_| {
                parse(
                    &text
                        .split_whitespace()
                        .take(crate::query::MAX_CLAUSES)
                        .collect::<Vec<_>>()
                        .join(" ")[..],
                )
            })
            .unwrap_or_default();
        let compiled = builder.compile(&searcher, &nodes);
        let mut top: Vec<(Score, DocAddress)> = searcher.search(
            &compiled.query,
            &TopDocs::with_limit(RUN_DEPTH).order_by_score(),
        )?;
        // The same reranking of the best candidates as the server's.
        compiled.add_bonus(&searcher, &mut top)?;
        let mut ranked: Ranked = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: tantivy::TantivyDocument = searcher.doc(address)?;
            let id = doc
                .get_first(schema.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            ranked.push((id, score));
        }
        // trec_eval's order: score descending, then docid descending.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
        out.push((qid.trim().to_string(), ranked));
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
