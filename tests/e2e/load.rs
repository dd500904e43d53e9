//! Load: many more concurrent clients than the server serves at once, on
//! loopback, for a bounded time. Timings are printed, never asserted (they
//! belong in the benchmarks); what is asserted is behaviour under overload.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kb_tests::{Server, corpus_copy};

const CLIENTS: usize = 256;
const MAX_IN_FLIGHT: &str = "8";
const DURATION: Duration = Duration::from_secs(12);
const RSS_LIMIT_KIB: u64 = 1024 * 1024;

const QUERIES: &[&str] = &[
    "q=reading",
    "q=dementia+reading+groups&offer=health-and-wellbeing",
    "q=digital+skills&year_from=2018&sort=newest",
    "q=&offer=reading&offer=culture-and-creativity&per_page=100",
    "q=%22reading+friends%22",
    "q=librar*&region=england",
    "q=code+club+OR+coding&type=case-study",
    "q=-children+volunteers&page=2",
    "q=title:reading&sort=title",
    "q=readng+grups",
];

/// The server's resident memory in KiB, from `/proc/<pid>/status`.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// 256 concurrent clients for 12 s against a server limited to 8 requests in
/// flight: no 5xx except the deliberate 503 of load shedding, searches keep
/// being answered 200, and the server's memory stays under 1 GiB.
#[test]
fn overload_sheds_with_503_and_nothing_else_fails() {
    let _heavy = kb_tests::heavy();
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let server = Server::start_with(
        corpus.path(),
        data.path(),
        &["--max-in-flight", MAX_IN_FLIGHT],
        &[],
    );
    let statuses: Arc<Mutex<BTreeMap<u16, u64>>> = Arc::default();
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (base, statuses, errors) = (server.base.clone(), statuses.clone(), errors.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()
                    .expect("client");
                let mut i = n;
                while started.elapsed() < DURATION {
                    let query = QUERIES[i % QUERIES.len()];
                    i += 1;
                    match client.get(format!("{base}/api/v1/search?{query}")).send() {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            if status == 503 {
                                // Shedding must be the fast, labelled kind.
                                let body = response.text().unwrap_or_default();
                                assert!(body.contains("overloaded"), "503 body: {body}");
                            }
                            *statuses.lock().expect("lock").entry(status).or_default() += 1;
                        }
                        Err(error) => errors.lock().expect("lock").push(error.to_string()),
                    }
                }
            })
        })
        .collect();
    let mut peak_rss = 0;
    while started.elapsed() < DURATION {
        peak_rss = peak_rss.max(rss_kib(server.pid()).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(200));
    }
    for client in clients {
        client.join().expect("client thread");
    }
    peak_rss = peak_rss.max(rss_kib(server.pid()).unwrap_or(0));
    let statuses = statuses.lock().expect("lock").clone();
    let errors = errors.lock().expect("lock").clone();
    let total: u64 = statuses.values().sum();
    eprintln!(
        "load: {total} answers in {:?} ({:.0}/s), statuses {statuses:?}, {} transport errors, peak RSS {} MiB",
        started.elapsed(),
        total as f64 / started.elapsed().as_secs_f64(),
        errors.len(),
        peak_rss / 1024
    );
    let unexpected: Vec<_> = statuses
        .iter()
        .filter(|&(&s, _)| s >= 500 && s != 503)
        .collect();
    assert!(
        unexpected.is_empty(),
        "5xx other than shedding: {unexpected:?}"
    );
    assert!(
        statuses.get(&200).copied().unwrap_or(0) > 0,
        "no search answered: {statuses:?}"
    );
    assert!(
        errors.len() as u64 <= total / 100,
        "{} transport errors, e.g. {:?}",
        errors.len(),
        errors.first()
    );
    assert!(peak_rss > 0, "could not read the server's memory");
    assert!(peak_rss < RSS_LIMIT_KIB, "peak RSS {peak_rss} KiB");
    // Still healthy afterwards.
    let (status, _) = server.get_json("/api/v1/search?q=reading");
    assert_eq!(status, 200);
}
