//! Hostile inputs against the real server: generated query strings no
//! person would type. The contract is that a caller's mistake is a 4xx (or
//! a 200 for what can be answered), never a 5xx. Timings are printed, not
//! asserted: timing belongs in the benchmarks.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::{Duration, Instant};

use kb_tests::{Server, corpus_copy};

const QUERIES: usize = 1000;

/// A small deterministic generator; the test needs variety, not quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn long_word(&mut self, min: usize, spread: u64) -> String {
        let len = min + self.below(spread) as usize;
        self.word(len)
    }
    fn word(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b'a' + self.below(26) as u8))
            .collect()
    }
}

/// Percent-encode every byte, so the server sees exactly these bytes.
fn encode(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "%{b:02X}");
        out
    })
}

/// One hostile query string (after `?`), of kind `n % 12`.
fn hostile(rng: &mut Rng, n: usize) -> String {
    match n % 12 {
        0 => {
            let depth = 1 + rng.below(2000) as usize;
            let q = format!(
                "{}{}{}",
                "(".repeat(depth),
                rng.word(5),
                ")".repeat(depth / 2)
            );
            format!("q={}", encode(q.as_bytes()))
        }
        1 => {
            let words: Vec<String> = (0..1 + rng.below(50))
                .map(|_| format!("{}~{}", rng.long_word(20, 300), rng.below(5)))
                .collect();
            format!("q={}", encode(words.join(" ").as_bytes()))
        }
        2 => {
            let q = (0..1 + rng.below(200))
                .map(|_| format!("{}*", rng.word(1)))
                .collect::<String>();
            format!(
                "q={}{}",
                encode(q.as_bytes()),
                "*".repeat(rng.below(500) as usize)
            )
        }
        3 => {
            let bytes: Vec<u8> = (0..1 + rng.below(100))
                .map(|_| rng.below(32) as u8)
                .collect();
            format!("q={}&tag={}", encode(&bytes), encode(&bytes))
        }
        4 => {
            let bytes: Vec<u8> = (0..1 + rng.below(60))
                .map(|_| 0x80 + rng.below(128) as u8)
                .collect();
            format!(
                "q={}&offer={}&region={}",
                encode(&bytes),
                encode(&bytes),
                encode(&bytes)
            )
        }
        5 => {
            let huge = [
                "99999999999999999999999",
                "18446744073709551615",
                "-1",
                "0",
                "NaN",
                "1e9",
                "4294967296",
            ];
            let page = huge[rng.below(huge.len() as u64) as usize];
            let per_page = huge[rng.below(huge.len() as u64) as usize];
            format!("q=reading&page={page}&per_page={per_page}")
        }
        6 => {
            let repeat = 1 + rng.below(800) as usize;
            let mut q = String::from("q=a");
            for i in 0..repeat {
                let _ = write!(q, "&offer=reading&tag={}&q=b{i}&page={i}", rng.word(3));
            }
            q
        }
        7 => {
            let q = (0..1 + rng.below(300))
                .map(|i| {
                    [
                        "AND", "OR", "NOT", "-", "+", "\"", ":", "title:", "year:", "^2", "\\",
                    ][(i + rng.below(11)) as usize % 11]
                })
                .collect::<Vec<_>>()
                .join(" ");
            format!("q={}", encode(q.as_bytes()))
        }
        8 => format!(
            "q=x&year_from={}&year_to={}&sort={}",
            rng.next() as i64,
            -(rng.below(1 << 40) as i64),
            encode(rng.word(30).as_bytes())
        ),
        9 => {
            // Broken percent-encoding and raw punctuation.
            let junk = [
                "%", "%G", "%%", "%zz", "%E2%82", "&&&", "===", "q", ";", "%00",
            ];
            (0..1 + rng.below(40))
                .map(|_| junk[rng.below(junk.len() as u64) as usize])
                .collect()
        }
        10 => format!(
            "q={}:{}&{}={}",
            encode(rng.word(40).as_bytes()),
            encode(rng.word(40).as_bytes()),
            rng.word(8),
            rng.word(8)
        ),
        _ => {
            let q = format!(
                "\"{} {}",
                rng.long_word(1000, 9000),
                "\u{202e}\u{0}\u{fffd}日本語"
            );
            format!("q={}", encode(q.as_bytes()))
        }
    }
}

/// 1,000 generated hostile queries (deep nesting, long fuzzy words, long
/// wildcards, control characters, invalid UTF-8, huge paging, repeated
/// parameters...) to the search API, the search page, suggestions and the
/// Atom feed: not one answer is a 5xx.
#[test]
fn hostile_queries_never_get_a_5xx() {
    let _heavy = kb_tests::heavy();
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let server = Server::start(corpus.path(), data.path());
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let routes = ["/api/v1/search", "/", "/api/v1/suggest", "/feeds/atom"];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut timings = Vec::with_capacity(QUERIES);
    for n in 0..QUERIES {
        let route = routes[(n / 12) % routes.len()];
        let url = format!("{}{route}?{}", server.base, hostile(&mut rng, n));
        let started = Instant::now();
        let status = match client.get(&url).send() {
            Ok(response) => response.status().as_u16(),
            Err(error) => panic!("no answer to {}: {error}", &url[..url.len().min(300)]),
        };
        timings.push((started.elapsed(), n % 12));
        *statuses.entry(status).or_default() += 1;
        if status >= 500 {
            failures.push(format!("{status} {}", &url[..url.len().min(300)]));
        }
    }
    timings.sort();
    let percentile = |p: f64| timings[((timings.len() - 1) as f64 * p) as usize].0;
    eprintln!(
        "hostile: {QUERIES} queries, statuses {statuses:?}; time p50 {:?}, p99 {:?}, max {:?} (kind {})",
        percentile(0.5),
        percentile(0.99),
        timings.last().map(|t| t.0).unwrap_or_default(),
        timings.last().map(|t| t.1).unwrap_or_default(),
    );
    assert!(
        failures.is_empty(),
        "{} 5xx answers: {failures:#?}",
        failures.len()
    );
}
