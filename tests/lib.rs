//! Shared helpers for end-to-end tests: locating the real binaries, starting
//! `kb-server` on a free port with a temporary data folder, and waiting for it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Path of a workspace binary in the debug target folder, building it if missing.
pub fn binary(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from);
    let path = target.join("debug").join(name);
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--bins", "-p", "kb-server", "-p", "kb-indexer"])
            .current_dir(workspace())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building {name} failed");
    }
    path
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A running `kb-server`, killed on drop.
pub struct Server {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub base: String,
}

impl Server {
    /// Start the real binary over `corpus` with data in `data`, and wait until it answers searches.
    pub fn start(corpus: &Path, data: &Path) -> Server {
        Server::start_with(corpus, data, &[], &[])
    }

    /// Like [`Server::start`], with extra flags and environment variables.
    pub fn start_with(corpus: &Path, data: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let port = free_port();
        let child = Command::new(binary("kb-server"))
            .arg("--corpus")
            .arg(corpus)
            .arg("--data")
            .arg(data)
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .args(args)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kb-server starts");
        let base = format!("http://127.0.0.1:{port}");
        let server = Server { child, base };
        server.wait_ready();
        server
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The listening address, e.g. `127.0.0.1:40123`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    fn wait_ready(&self) {
        let client = reqwest::blocking::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            // Ready, and done applying corpus changes made while it was down.
            if client
                .get(format!("{}/readyz", self.base))
                .send()
                .ok()
                .filter(|r| r.status().is_success())
                .and_then(|r| r.json::<serde_json::Value>().ok())
                .is_some_and(|v| v["catching_up"] == false)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("kb-server did not answer within 60 s");
    }

    /// GET a path and parse JSON.
    pub fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = reqwest::blocking::get(format!("{}{path}", self.base)).expect("request");
        let status = response.status().as_u16();
        (status, response.json().expect("json body"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copy the bundled corpus into a temporary folder the test may change.
pub fn corpus_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp corpus");
    copy_dir(&workspace().join("corpus"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read corpus") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Whether this run is CI, where missing prerequisites are failures, not skips.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Held by the tests that load the machine (load shedding, hostile input,
/// slow clients, kill -9 runs), so they do not run at the same time: on two
/// cores, one of them starving another of CPU would make a timeout look like
/// a server fault.
pub fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HEAVY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
