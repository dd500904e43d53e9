//! `kb-server backup` and `kb-server restore` on real folders, while the
//! server runs.

use std::path::Path;
use std::process::{Command, Output};

use kb_tests::{Server, binary, corpus_copy};
use serde_json::{Value, json};

fn kb_server(corpus: &Path, data: &Path, args: &[&str], backup: &Path) -> Output {
    Command::new(binary("kb-server"))
        .arg("--corpus")
        .arg(corpus)
        .arg("--data")
        .arg(data)
        .args(args)
        .arg(backup)
        .output()
        .expect("kb-server runs")
}

fn search_ids(server: &Server, query: &str) -> (u64, Vec<String>) {
    let (status, body) = server.get_json(&format!("/api/v1/search?{query}&per_page=100"));
    assert_eq!(status, 200, "{body}");
    let ids = body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect();
    (body["total"].as_u64().expect("total"), ids)
}

/// A backup taken while the server runs, restored into empty folders, gives a
/// server with the same search results and the same queued submission; a
/// restore over folders that are not empty is refused and changes nothing.
#[test]
fn backup_restores_the_same_site() {
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let server = Server::start(corpus.path(), data.path());
    let submitted: Value = reqwest::blocking::Client::new()
        .post(format!("{}/api/v1/submissions", server.base))
        .json(&json!({
            "title": "Backup test submission",
            "summary": "Queued before the backup.",
            "offers": ["reading"], "type": "case-study", "year": 2024,
            "region": "wales", "organisation": "Test Libraries",
            "body": "Marker backup-test.",
        }))
        .send()
        .and_then(reqwest::blocking::Response::error_for_status)
        .and_then(reqwest::blocking::Response::json)
        .expect("submission accepted");
    let token = submitted["status_url"]
        .as_str()
        .and_then(|u| u.strip_prefix("/submissions/"))
        .expect("status_url")
        .to_string();
    let queries = [
        "q=reading",
        "q=dementia&offer=health-and-wellbeing",
        "q=&sort=title",
    ];
    let before: Vec<_> = queries.iter().map(|q| search_ids(&server, q)).collect();
    let (_, queued_before) = server.get_json(&format!("/api/v1/submissions/{token}"));

    let backups = tempfile::tempdir().expect("backups");
    let backup = backups.path().join("nightly");
    let out = kb_server(corpus.path(), data.path(), &["backup"], &backup);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(backup.join("manifest.json").is_file());
    assert!(
        !backup.join("index").exists(),
        "the index is rebuilt, not copied"
    );
    drop(server);

    let target = tempfile::tempdir().expect("target");
    let (corpus2, data2) = (target.path().join("corpus"), target.path().join("data"));
    let out = kb_server(&corpus2, &data2, &["restore"], &backup);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let again = kb_server(&corpus2, &data2, &["restore"], &backup);
    assert!(!again.status.success(), "a second restore must refuse");
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("not empty"), "{stderr}");

    let restored = Server::start(&corpus2, &data2);
    let after: Vec<_> = queries.iter().map(|q| search_ids(&restored, q)).collect();
    assert_eq!(before, after, "same search results after restore");
    assert!(before[0].0 > 0, "the comparison is not vacuous");
    let (status, queued_after) = restored.get_json(&format!("/api/v1/submissions/{token}"));
    assert_eq!(status, 200, "{queued_after}");
    assert_eq!(queued_before, queued_after, "the same queue row");
    assert_eq!(queued_after["status"], "pending");
}
