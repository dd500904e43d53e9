//! `kill -9` at random moments while contributors submit: every submission
//! the server acknowledged with 201 must be in the queue exactly once after
//! restarts, and the SQLite file must pass `PRAGMA integrity_check`.

use std::collections::HashMap;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kb_tests::{Server, binary, corpus_copy};
use serde_json::json;

const SUBMISSIONS: usize = 500;
const CLIENTS: usize = 8;
const KILLS: usize = 3;

/// A small pseudo-random delay source; the test needs variety, not quality.
fn jitter(seed: &mut u64, low_ms: u64, high_ms: u64) -> Duration {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    Duration::from_millis(low_ms + *seed % (high_ms - low_ms))
}

fn create_key(corpus: &std::path::Path, data: &std::path::Path) -> String {
    let out = Command::new(binary("kb-server"))
        .arg("--corpus")
        .arg(corpus)
        .arg("--data")
        .arg(data)
        .args([
            "key",
            "create",
            "--name",
            "Crash test",
            "--role",
            "contributor",
            "--rate-limit",
            "1000000",
        ])
        .output()
        .expect("kb-server key create runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("kb_"))
        .expect("the key is printed once")
        .to_string()
}

/// 500 submissions from 8 clients across 3 `kill -9`s and restarts on the
/// same data folder: no acknowledged submission is lost or duplicated.
#[test]
fn kill_9_loses_no_acknowledged_submission() {
    let _heavy = kb_tests::heavy();
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let key = create_key(corpus.path(), data.path());
    let server = Server::start(corpus.path(), data.path());
    let base = Arc::new(RwLock::new(server.base.clone()));
    let acknowledged: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));

    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (base, acknowledged, next, key, failures) = (
                base.clone(),
                acknowledged.clone(),
                next.clone(),
                key.clone(),
                failures.clone(),
            );
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .expect("client");
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= SUBMISSIONS {
                        return;
                    }
                    let body = json!({
                        "title": format!("Crash test submission {n}"),
                        "summary": "Sent while the server is being killed.",
                        "offers": ["reading"], "type": "case-study", "year": 2024,
                        "region": "wales", "organisation": "Test Libraries",
                        "body": format!("Marker crash-{n}."),
                    });
                    let deadline = Instant::now() + Duration::from_secs(120);
                    // Retry until acknowledged: an unacknowledged attempt may or
                    // may not be stored, which the contract allows.
                    while Instant::now() < deadline {
                        let url =
                            format!("{}/api/v1/submissions", base.read().expect("base").as_str());
                        match client
                            .post(url)
                            .header("x-api-key", &key)
                            .json(&body)
                            .send()
                        {
                            Ok(r) if r.status().as_u16() == 201 => {
                                let v: serde_json::Value = match r.json() {
                                    Ok(v) => v,
                                    // Killed between the status line and the body: not acknowledged.
                                    Err(_) => continue,
                                };
                                let token = v["status_url"]
                                    .as_str()
                                    .unwrap_or("")
                                    .trim_start_matches("/submissions/")
                                    .to_string();
                                acknowledged.lock().expect("lock").insert(token, n);
                                break;
                            }
                            Ok(r) => {
                                panic!("submission {n} refused: {} {:?}", r.status(), r.text())
                            }
                            Err(_) => {
                                failures.fetch_add(1, Ordering::SeqCst);
                                std::thread::sleep(Duration::from_millis(50));
                            }
                        }
                    }
                }
            })
        })
        .collect();

    let mut seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(7, |d| d.as_nanos() as u64)
        | 1;
    let mut server = Some(server);
    for k in 0..KILLS {
        // Kill mid-stream: once a random share of the work is acknowledged,
        // then after a random few milliseconds more.
        let target = 40 + k * 140 + jitter(&mut seed, 0, 100).as_millis() as usize;
        let wait = Instant::now() + Duration::from_secs(120);
        while acknowledged.lock().expect("lock").len() < target && Instant::now() < wait {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(jitter(&mut seed, 1, 40));
        // Dropping the server kills it with SIGKILL (Child::kill) and reaps it.
        drop(server.take());
        let restarted = Server::start(corpus.path(), data.path());
        *base.write().expect("base") = restarted.base.clone();
        server = Some(restarted);
    }
    for c in clients {
        c.join().expect("client thread");
    }
    drop(server);

    let acknowledged = acknowledged.lock().expect("lock").clone();
    let failures = failures.load(Ordering::SeqCst);
    eprintln!("crash test: {failures} requests failed while the server was down");
    assert!(
        failures > 0,
        "the kills happened while clients were sending"
    );
    assert_eq!(
        acknowledged.len(),
        SUBMISSIONS,
        "every submission was eventually acknowledged"
    );
    let db = rusqlite::Connection::open(data.path().join("kb.sqlite3")).expect("open queue");
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity check");
    assert_eq!(check, "ok");
    for (token, n) in &acknowledged {
        let rows: Vec<String> = db
            .prepare("SELECT body FROM submissions WHERE token = ?1")
            .and_then(|mut s| s.query_map([token], |r| r.get(0))?.collect())
            .expect("query");
        assert_eq!(
            rows.len(),
            1,
            "acknowledged submission {n} is in the queue exactly once"
        );
        assert_eq!(rows[0], format!("Marker crash-{n}."));
    }
}
