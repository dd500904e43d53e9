//! A PostgreSQL server for tests: `KB_TEST_DATABASE_URL` when set, else a
//! throw-away cluster (`initdb` into a temp folder, run as the `postgres`
//! user when the tests run as root) on a loopback port, stopped on drop.
//! Without either, tests skip with the reason, and fail when `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A database for one test, and whatever keeps its server up.
pub struct TestDatabase {
    /// Connection URL.
    pub url: String,
    cluster: Option<(tempfile::TempDir, PathBuf, Vec<String>)>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((dir, bin, prefix)) = &self.cluster {
            let data = dir.path().join("pg");
            let _ = command(prefix, &bin.join("pg_ctl"))
                .args(["-D", &data.to_string_lossy(), "-m", "immediate", "stop"])
                .output();
        }
    }
}

fn command(prefix: &[String], program: &Path) -> Command {
    match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(program);
            c
        }
        None => Command::new(program),
    }
}

/// The PostgreSQL programs folder of Debian's package, if installed.
pub fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

fn skip(reason: &str) -> Option<TestDatabase> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("PostgreSQL tests cannot run in CI: {reason}");
    }
    eprintln!("skipping the PostgreSQL half of this test: {reason}");
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A fresh, empty database named after `name`, or `None` (printed) when no
/// PostgreSQL can be had.
pub async fn fresh_database(name: &str) -> Option<TestDatabase> {
    if let Ok(base) = std::env::var("KB_TEST_DATABASE_URL") {
        let db = format!(
            "kb_test_{name}_{}",
            crate::store::random_hex(6).expect("random")
        );
        let client = kb_indexer::cluster::connect(&base).await.expect("connect");
        client
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .await
            .expect("create database");
        let mut config: tokio_postgres::Config = base.parse().expect("url");
        config.dbname(&db);
        let url = format!(
            "postgres://{}@{}:{}/{db}",
            config.get_user().unwrap_or("postgres"),
            std::env::var("KB_TEST_DATABASE_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
            config.get_ports().first().copied().unwrap_or(5432)
        );
        return Some(TestDatabase { url, cluster: None });
    }
    let Some(bin) = postgres_bin() else {
        return skip("no PostgreSQL (install Debian's `postgresql`, or set KB_TEST_DATABASE_URL)");
    };
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let prefix: Vec<String> = if root {
        ["runuser", "-u", "postgres", "--"]
            .map(String::from)
            .to_vec()
    } else {
        Vec::new()
    };
    let dir = tempfile::tempdir().expect("dir");
    if root {
        let chown = Command::new("chown")
            .args(["postgres:postgres", &dir.path().to_string_lossy()])
            .status();
        if !chown.is_ok_and(|s| s.success()) {
            return skip("cannot give the temp folder to the `postgres` user");
        }
    }
    let data = dir.path().join("pg");
    let init = command(&prefix, &bin.join("initdb"))
        .args([
            "-D",
            &data.to_string_lossy(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ])
        .output()
        .expect("run initdb");
    assert!(
        init.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    let port = free_port();
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
        dir.path().display()
    );
    let start = command(&prefix, &bin.join("pg_ctl"))
        .args(["-D", &data.to_string_lossy(), "-o", &options, "-w", "-l"])
        .arg(dir.path().join("log"))
        .arg("start")
        .output()
        .expect("run pg_ctl");
    assert!(
        start.status.success(),
        "pg_ctl start failed: {}",
        String::from_utf8_lossy(&start.stderr)
    );
    let _ = name;
    Some(TestDatabase {
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        cluster: Some((dir, bin, prefix)),
    })
}
