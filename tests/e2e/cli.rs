//! `kb-index` run as a command, as an editor or a CI job runs it.

use std::process::Command;

use kb_tests::{binary, corpus_copy, workspace};

/// The bundled corpus is valid.
#[test]
fn bundled_corpus_passes_check() {
    let out = Command::new(binary("kb-index"))
        .args(["check", "--corpus"])
        .arg(workspace().join("corpus"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("0 problems"), "{text}");
}

/// A corpus with several broken files lists every problem, with file, line
/// and field, exits 1, and says the same in JSON.
#[test]
fn check_lists_every_problem() {
    let corpus = corpus_copy();
    let path = corpus.path().join("2019/reading-friends-dementia.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace(
            "offers: [reading, health-and-wellbeing]",
            "offers: [reading, helth-and-wellbeing]",
        ),
    )
    .expect("write");
    std::fs::write(
        corpus.path().join("2020/broken.md"),
        "---\ntitle: [unclosed\n---\nBody\n",
    )
    .expect("write");
    std::fs::write(
        corpus.path().join("2020/latin1.md"),
        b"---\ntitle: caf\xe9\n---\n",
    )
    .expect("write");

    let out = Command::new(binary("kb-index"))
        .args(["check", "--corpus"])
        .arg(corpus.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("2019/reading-friends-dementia.md:4: offers:"),
        "{text}"
    );
    assert!(
        text.contains("did you mean `health-and-wellbeing`"),
        "{text}"
    );
    assert!(text.contains("2020/broken.md"), "{text}");
    assert!(
        text.contains("2020/latin1.md") && text.contains("UTF-8"),
        "{text}"
    );

    let out = Command::new(binary("kb-index"))
        .args(["check", "--format", "json", "--corpus"])
        .arg(corpus.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let errors = v["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 3, "{v}");
    let offer = errors
        .iter()
        .find(|e| e["field"] == "offers")
        .expect("offer error");
    assert_eq!(offer["line"], 4);
    assert_eq!(offer["suggestions"][0], "health-and-wellbeing");
}

/// `kb-index build` is incremental: a second run changes nothing.
#[test]
fn build_is_incremental() {
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let run = || {
        let out = Command::new(binary("kb-index"))
            .args(["build", "--corpus"])
            .arg(corpus.path())
            .arg("--data")
            .arg(data.path())
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = run();
    assert!(
        first.contains("full build") && !first.contains(" 0 added"),
        "{first}"
    );
    let second = run();
    assert!(
        second.contains("incremental build") && second.contains("0 added, 0 updated, 0 deleted"),
        "{second}"
    );
}
