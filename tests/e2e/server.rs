//! `kb-server` started as a process and queried over HTTP.

use kb_tests::{Server, corpus_copy};

/// The example request works against the real binary on a real port,
/// and errors come back as JSON 4xx.
#[test]
fn serves_the_search_api_over_http() {
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let server = Server::start(corpus.path(), data.path());
    let (status, v) = server.get_json(
        "/api/v1/search?q=dementia%20reading%20groups&offer=health-and-wellbeing&year_from=2018",
    );
    assert_eq!(status, 200, "{v}");
    assert!(v["total"].as_u64() > Some(0));
    assert!(v["hits"][0]["highlights"]["body"].as_str().is_some());
    let (status, v) = server.get_json("/api/v1/search?per_page=1000");
    assert_eq!(status, 400);
    assert_eq!(v["error"]["code"], "invalid_parameter");
}

/// A restart reuses the index, and a file added while the server was down is
/// searchable after the next start; a deleted file is gone.
#[test]
fn restart_applies_corpus_changes() {
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    {
        let server = Server::start(corpus.path(), data.path());
        let (_, v) = server.get_json("/api/v1/search?q=zeppelin");
        assert_eq!(v["total"], 0);
    }
    std::fs::write(
        corpus.path().join("2024/zeppelin-reading-club.md"),
        "---\ntitle: Zeppelin reading club\nsummary: Airship stories for teens.\noffers: [reading]\ntype: case-study\nyear: 2024\nregion: london\norganisation: A London borough library service\n---\nA club reading stories about airships and zeppelin flights.\n",
    )
    .expect("write resource");
    std::fs::remove_file(corpus.path().join("2019/reading-friends-dementia.md")).expect("remove");
    let server = Server::start(corpus.path(), data.path());
    let (_, v) = server.get_json("/api/v1/search?q=zeppelin");
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["id"], "2024/zeppelin-reading-club");
    let (status, _) = server.get_json("/api/v1/resources/2019/reading-friends-dementia");
    assert_eq!(status, 404);
}
