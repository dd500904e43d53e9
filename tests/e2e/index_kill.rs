//! `kill -9` during an index build: the index must still open, the next
//! build must complete it, and the server must then serve every resource.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kb_tests::{Server, binary, workspace};

const RESOURCES: u64 = 3000;

/// Run `kb-index build` to the end; return its summary line's counts
/// (added, updated, deleted, unchanged, invalid).
fn build(corpus: &Path, data: &Path) -> [u64; 5] {
    let out = Command::new(binary("kb-index"))
        .arg("build")
        .arg("--corpus")
        .arg(corpus)
        .arg("--data")
        .arg(data)
        .output()
        .expect("kb-index build runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "build after kill failed: {text}");
    let summary = text
        .lines()
        .find(|l| l.contains(" added, "))
        .unwrap_or_else(|| panic!("no summary in: {text}"));
    let count = |label: &str| -> u64 {
        summary
            .split(',')
            .find_map(|part| part.trim().strip_suffix(label))
            .and_then(|n| n.trim().rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no `{label}` in {summary}"))
    };
    [
        count("added"),
        count("updated"),
        count("deleted"),
        count("unchanged"),
        count("invalid"),
    ]
}

/// Start `kb-index build` and SIGKILL it after `delay`.
fn build_killed_after(corpus: &Path, data: &Path, delay: Duration) {
    let mut child = Command::new(binary("kb-index"))
        .arg("build")
        .arg("--corpus")
        .arg(corpus)
        .arg("--data")
        .arg(data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("kb-index build starts");
    std::thread::sleep(delay);
    // `Child::kill` is SIGKILL on Unix: no destructor or handler runs.
    let _ = child.kill();
    let status = child.wait().expect("wait");
    eprintln!("kb-index build killed after {delay:?} (exit {status:?})");
}

/// A corpus of 3,000 generated resources, `kb-index build` SIGKILLed at a
/// random moment of a full build and again of an incremental one: each time
/// the next build completes with every resource indexed, a further build
/// finds nothing to do, and the server then serves all 3,000.
#[test]
fn kill_9_during_build_leaves_an_index_that_opens() {
    let _heavy = kb_tests::heavy();
    let dir = tempfile::tempdir().expect("dir");
    let (corpus, data) = (dir.path().join("corpus"), dir.path().join("data"));
    let out = Command::new(binary("kb-index"))
        .args(["gen", "--count", &RESOURCES.to_string(), "--out"])
        .arg(&corpus)
        .arg("--template")
        .arg(workspace().join("corpus"))
        .output()
        .expect("kb-index gen runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64 | 1);
    // Random delays within each build's usual length (printed, to replay a failure).
    let mut delay = |max_ms: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        Duration::from_millis(10 + seed % max_ms)
    };

    build_killed_after(&corpus, &data, delay(1500));
    let [added, updated, _, unchanged, invalid] = build(&corpus, &data);
    assert_eq!(invalid, 0);
    assert_eq!(
        added + updated + unchanged,
        RESOURCES,
        "every resource indexed"
    );

    // Change a tenth of the files, then kill the incremental build.
    let markdown = walk(&corpus)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"));
    for entry in markdown.take((RESOURCES / 10) as usize) {
        let text = std::fs::read_to_string(&entry).expect("read");
        std::fs::write(&entry, format!("{text}\nMarker zqxrevised.\n")).expect("write");
    }
    build_killed_after(&corpus, &data, delay(300));
    let [added, updated, _, unchanged, invalid] = build(&corpus, &data);
    assert_eq!(invalid, 0);
    assert_eq!(
        added + updated + unchanged,
        RESOURCES,
        "every resource indexed"
    );

    let [added, updated, deleted, unchanged, _] = build(&corpus, &data);
    assert_eq!(
        [added, updated, deleted, unchanged],
        [0, 0, 0, RESOURCES],
        "nothing left to do"
    );

    let server = Server::start(&corpus, &data);
    let (status, body) = server.get_json("/api/v1/search?q=");
    assert_eq!(status, 200);
    assert_eq!(body["total"].as_u64(), Some(RESOURCES), "{}", body["total"]);
    let (status, body) = server.get_json("/api/v1/search?q=zqxrevised");
    assert_eq!(status, 200);
    assert_eq!(
        body["total"].as_u64(),
        Some(RESOURCES / 10),
        "the changes are indexed"
    );
}

/// Every file under `dir`, in a stable order.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
