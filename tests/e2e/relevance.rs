//! Relevance on the Cranfield collection, through the product's query path.

use std::path::PathBuf;
use std::process::Command;

use kb_tests::{binary, in_ci, workspace};

fn collection() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KB_CRANFIELD").map(PathBuf::from),
        Some(workspace().join("../shared/data/cranfield")),
        Some(PathBuf::from("/work/shared/data/cranfield")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("qrels.txt").exists())
}

/// nDCG@10 on Cranfield stays at or above 0.37 (Lucene BM25 scores 0.3783;
/// we measured 0.3816). A drop below 0.37 fails CI.
#[test]
fn cranfield_ndcg_stays_above_floor() {
    let Some(dir) = collection() else {
        assert!(
            !in_ci(),
            "the Cranfield collection was not found (set KB_CRANFIELD)"
        );
        eprintln!("skipped: Cranfield collection not found; set KB_CRANFIELD to run this test");
        return;
    };
    let run = tempfile::NamedTempFile::new().expect("tmp");
    let out = Command::new(binary("kb-index"))
        .args(["eval", "--collection"])
        .arg(&dir)
        .arg("--run")
        .arg(run.path())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let ndcg: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("nDCG@10: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no nDCG line in {text}"));
    println!("{text}");
    assert!(ndcg >= 0.37, "nDCG@10 fell to {ndcg:.4}");
    let lines = std::fs::read_to_string(run.path()).expect("run file");
    let first = lines.lines().next().expect("run has lines");
    assert_eq!(
        first.split_whitespace().count(),
        6,
        "TREC run format: {first}"
    );
}

fn eval_metric(collection: &std::path::Path, bigram: bool, metric: &str) -> f64 {
    let mut command = Command::new(binary("kb-index"));
    command
        .args(["eval", "--language", "ja", "--collection"])
        .arg(collection);
    if bigram {
        command.env("KB_JAPANESE", "bigram");
    }
    let out = command.output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    println!(
        "{}{text}",
        if bigram {
            "bigram fallback:\n"
        } else {
            "lindera:\n"
        }
    );
    text.lines()
        .find_map(|l| l.strip_prefix(metric))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {metric} in {text}"))
}

/// On real Japanese text (the manual pages of Debian's manpages-ja, each
/// page's NAME description as the query), lindera segmentation finds the page
/// more often than the bigram fallback.
#[test]
fn japanese_recall_lindera_beats_bigrams() {
    let pages = std::path::Path::new("/usr/share/man/ja/man1");
    let dictionary = std::path::Path::new(kb_indexer_source()).join("matrix.def");
    if !pages.exists() || !dictionary.exists() {
        assert!(
            !in_ci(),
            "manpages-ja and mecab-ipadic must be installed in CI"
        );
        eprintln!("skipped: apt-get install manpages-ja mecab-ipadic to run this test");
        return;
    }
    let collection = tempfile::tempdir().expect("tmp");
    let status = Command::new("python3")
        .arg(workspace().join("bench/manpages_ja.py"))
        .arg(collection.path())
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let lindera = eval_metric(collection.path(), false, "MRR@10: ");
    let bigram = eval_metric(collection.path(), true, "MRR@10: ");
    assert!(
        lindera > bigram,
        "lindera MRR@10 {lindera:.4} is not above bigrams {bigram:.4}"
    );
}

fn kb_indexer_source() -> &'static str {
    "/usr/share/mecab/dic/ipadic"
}
