//! Slow clients: a client that sends its headers a byte at a time is cut off
//! after the header-read timeout, and does not starve anyone else.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use kb_tests::{Server, corpus_copy};

const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(2);
const MARGIN: Duration = Duration::from_secs(3);
const SLOW_CLIENTS: usize = 6;

/// Send a request line, then one header byte every 250 ms without ever
/// finishing the headers; return how long until the server closed (or answered).
fn dribble(addr: &str) -> Duration {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .expect("read timeout");
    let started = Instant::now();
    let head = b"GET /api/v1/search?q=reading HTTP/1.1\r\nHost: kb.test\r\nX-Slow: ";
    let bytes = head.iter().chain(std::iter::repeat(&b'a'));
    for byte in bytes {
        if stream.write_all(&[*byte]).is_err() {
            break;
        }
        let mut buf = [0u8; 256];
        match stream.read(&mut buf) {
            // Closed, or answered (408) on its way to closing.
            Ok(_) => break,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
        if started.elapsed() > HEADER_READ_TIMEOUT * 10 {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    started.elapsed()
}

/// Six connections dribbling header bytes are closed within the header-read
/// timeout (2 s, from `KB_HEADER_READ_TIMEOUT_SECS`) plus a margin, while a
/// normal client keeps getting answers: slow clients neither hold
/// connections for ever nor starve others.
#[test]
fn slow_headers_are_cut_off_without_starving_others() {
    let _heavy = kb_tests::heavy();
    let corpus = corpus_copy();
    let data = tempfile::tempdir().expect("data");
    let server = Server::start_with(
        corpus.path(),
        data.path(),
        &[],
        &[("KB_HEADER_READ_TIMEOUT_SECS", "2")],
    );
    let slow: Vec<_> = (0..SLOW_CLIENTS)
        .map(|_| {
            let addr = server.addr().to_string();
            std::thread::spawn(move || dribble(&addr))
        })
        .collect();
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let started = Instant::now();
    let mut answered = 0;
    while started.elapsed() < HEADER_READ_TIMEOUT + Duration::from_secs(1) {
        let response = client
            .get(format!("{}/api/v1/search?q=reading", server.base))
            .send()
            .expect("a normal client is answered while slow ones dribble");
        assert!(response.status().is_success(), "{}", response.status());
        answered += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(answered >= 5, "only {answered} answers");
    for handle in slow {
        let closed_after = handle.join().expect("slow client thread");
        eprintln!("slow client closed after {closed_after:?}");
        assert!(
            closed_after >= HEADER_READ_TIMEOUT - Duration::from_millis(500),
            "closed too early: {closed_after:?}"
        );
        assert!(
            closed_after <= HEADER_READ_TIMEOUT + MARGIN,
            "slow client kept for {closed_after:?}"
        );
    }
}
