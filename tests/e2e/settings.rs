//! Settings as an operator gives them: a `kb.toml`, `KB_*` variables and
//! flags on the real binary.

use std::process::Command;

use kb_tests::{Server, binary, corpus_copy};

/// Each layer overrides the one before (file < env < flag): the file's
/// `base_url` loses to `KB_BASE_URL`, `KB_ADMIN_EMAIL` loses to
/// `--admin-email`, and the OAI-PMH `Identify` answer shows the winners.
#[test]
fn file_then_env_then_flag() {
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let config = data.path().join("kb.toml");
    std::fs::write(
        &config,
        "base_url = \"http://file.test\"\nadmin_email = \"file@file.test\"\n",
    )
    .expect("write kb.toml");
    let config = config.to_str().expect("utf-8 path");
    let server = Server::start_with(
        corpus.path(),
        data.path(),
        &["--config", config, "--admin-email", "flag@flag.test"],
        &[
            ("KB_BASE_URL", "http://env.test"),
            ("KB_ADMIN_EMAIL", "env@env.test"),
        ],
    );
    let identify = reqwest::blocking::get(format!("{}/oai?verb=Identify", server.base))
        .and_then(|r| r.text())
        .expect("Identify answers");
    assert!(identify.contains("http://env.test/oai"), "{identify}");
    assert!(identify.contains("flag@flag.test"), "{identify}");
    assert!(!identify.contains("file.test"), "{identify}");
}

/// A settings file with a misspelt key stops the server before it serves,
/// with an error naming the file and the key.
#[test]
fn bad_settings_file_stops_the_start() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("kb.toml");
    std::fs::write(&config, "max_in_flight = 8\nrequest_timeout = 3\n").expect("write");
    let out = Command::new(binary("kb-server"))
        .arg("--data")
        .arg(dir.path().join("data"))
        .env("KB_CONFIG", &config)
        .env("KB_BIND", "127.0.0.1:1")
        .output()
        .expect("kb-server runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("request_timeout"), "{stderr}");
    assert!(stderr.contains("kb.toml"), "{stderr}");
}
