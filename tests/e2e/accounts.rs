//! `kb-server user ...` and `kb-server key ...` against a data folder, and
//! the keys they make used on the real server.

use std::path::Path;
use std::process::{Command, Output};

use kb_tests::{Server, binary, corpus_copy};
use serde_json::json;

fn kb_server(corpus: &Path, data: &Path, args: &[&str], password: Option<&str>) -> Output {
    let mut command = Command::new(binary("kb-server"));
    command
        .arg("--corpus")
        .arg(corpus)
        .arg("--data")
        .arg(data)
        .args(args);
    match password {
        Some(p) => command.env("KB_PASSWORD", p),
        None => command.env_remove("KB_PASSWORD"),
    };
    command.output().expect("kb-server runs")
}

/// An admin is added with the password from KB_PASSWORD; a key is printed
/// once, listed without its secret, works on the API until revoked, then 401.
#[test]
fn users_and_keys_from_the_command_line() {
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let (c, d) = (corpus.path(), data.path());

    let out = kb_server(
        c,
        d,
        &["user", "add", "--role", "admin", "ada"],
        Some("a long enough password"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kb_server(
        c,
        d,
        &["user", "add", "--role", "editor", "eve"],
        Some("short"),
    );
    assert!(!out.status.success(), "short passwords are refused");

    let out = kb_server(
        c,
        d,
        &[
            "key",
            "create",
            "--name",
            "Partner portal",
            "--role",
            "partner",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let secret = stdout
        .lines()
        .find(|l| l.starts_with("kb_"))
        .expect("secret printed")
        .to_string();
    let list = kb_server(c, d, &["key", "list"], None);
    let listed = String::from_utf8_lossy(&list.stdout).into_owned();
    assert!(
        listed.contains("Partner portal") && listed.contains("partner"),
        "{listed}"
    );
    assert!(!listed.contains(&secret), "the secret is never shown again");

    let submission = json!({
        "title": "Key test", "summary": "S.", "offers": ["reading"], "type": "report",
        "year": 2020, "region": "scotland", "organisation": "Org", "body": "Text."
    });
    let client = reqwest::blocking::Client::new();
    {
        let server = Server::start(c, d);
        let r = client
            .post(format!("{}/api/v1/submissions", server.base))
            .bearer_auth(&secret)
            .json(&submission)
            .send()
            .expect("request");
        assert_eq!(r.status().as_u16(), 201);
    }
    let out = kb_server(c, d, &["key", "revoke", "1"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kb_server(c, d, &["key", "revoke", "99"], None);
    assert!(!out.status.success(), "revoking an unknown key is an error");
    let server = Server::start(c, d);
    let r = client
        .post(format!("{}/api/v1/submissions", server.base))
        .header("x-api-key", &secret)
        .json(&submission)
        .send()
        .expect("request");
    assert_eq!(r.status().as_u16(), 401);
    let v: serde_json::Value = r.json().expect("json error");
    assert_eq!(v["error"]["code"], "invalid_api_key");
}
