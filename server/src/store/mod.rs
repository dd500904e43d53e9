//! The server's own durable state in one embedded SQLite file
//! (`<data>/kb.sqlite3`): the submission queue, editor accounts and sessions,
//! API keys and the audit log.
//!
//! The database runs in WAL mode with `synchronous=FULL`, so a transaction
//! that returned is on disk (fsync'd) before the caller answers the client:
//! a `kill -9` right after a `201 Created` loses nothing. One connection
//! behind a mutex is plenty for a moderation queue; callers on the async side
//! go through [`Store::run`], which moves the work to a blocking thread.
//!
//! # Layout
//!
//! - [`submissions`]: the queue and its statuses.
//! - [`accounts`]: people (editors, admins), sessions, roles.
//! - [`keys`]: API keys (SQLite, PostgreSQL and through [`Db`]).
//! - [`audit`]: who did what to which submission, and when.
//! - [`pg`]: the same records in PostgreSQL, for cluster mode.
//! - [`personal`]: a person's copy of their data, erasure, the retention purge.
//! - [`db`]: [`Db`], the one interface the routes use over either.

pub mod accounts;
pub mod audit;
pub mod db;
pub mod keys;
pub mod personal;
pub mod pg;
pub mod submissions;
#[cfg(test)]
pub(crate) mod test_postgres;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;

pub use accounts::{Role, User};
pub use audit::AuditEntry;
pub use db::Db;
pub use keys::ApiKey;
pub use pg::PgStore;
pub use submissions::{NewSubmission, Status, Submission};

/// Name of the database file under the data folder.
pub const DB_FILE: &str = "kb.sqlite3";

/// Why a store operation failed. Our side, except `Conflict`, which only
/// the command line meets.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed (disk full, permissions, corruption...).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The data folder could not be created.
    #[error("data folder: {0}")]
    Io(#[from] std::io::Error),
    /// A value stored in the database could not be read back.
    #[error("bad stored value: {0}")]
    Corrupt(String),
    /// The operating system's random source failed.
    #[error("random source: {0}")]
    Random(String),
    /// The record already exists (e.g. an account name is taken).
    #[error("{0}")]
    Conflict(String),
    /// The blocking task panicked or was cancelled.
    #[error("store task failed: {0}")]
    Task(String),
    /// PostgreSQL answered with an error (cluster mode).
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    /// PostgreSQL cannot be reached just now (cluster mode): try again later.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
}

/// The embedded database.
pub struct Store {
    conn: Mutex<Connection>,
}

const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS submissions (
    id           INTEGER PRIMARY KEY,
    token        TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL DEFAULT 'pending',
    fields       TEXT NOT NULL,
    body         TEXT NOT NULL,
    title        TEXT NOT NULL,
    reason       TEXT,
    resource_id  TEXT,
    key_id       INTEGER,
    client_ip    TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions(status, id);
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    rate_limit  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE TABLE IF NOT EXISTS audit (
    id            INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    submission_id INTEGER,
    detail        TEXT NOT NULL DEFAULT ''
);
";

impl Store {
    /// Open (or create) the database in `data_dir`, in WAL mode with full fsync.
    pub fn open_in(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        Self::open(&data_dir.join(DB_FILE))
    }

    /// Open (or create) the database file at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        // WAL: readers never block the writer; FULL: every commit is fsync'd
        // before it returns, which the "no acknowledged submission lost" rule needs.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(MIGRATION)?;
        conn.execute_batch(crate::analytics::store::SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Run `work` on the connection, on this thread.
    pub fn with<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut conn)
    }

    /// Run `work` on the connection on a blocking thread, off the async executor.
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.with(work))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// `n` bytes from the operating system's random source, as lowercase hex.
pub fn random_hex(n: usize) -> Result<String, StoreError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(hex(&bytes))
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A Unix time as `YYYY-MM-DD HH:MM UTC`, for pages.
pub fn format_time(at: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The database is created in WAL mode with full fsync, as durability needs.
    #[test]
    fn opens_in_wal_mode_with_full_sync() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_in(dir.path()).expect("open");
        let (mode, sync): (String, i64) = store
            .with(|c| {
                let mode = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                let sync = c.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
                Ok((mode, sync))
            })
            .expect("pragmas");
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL is 2");
    }

    /// Tokens are 32 random bytes: 64 hex characters, different every time.
    #[test]
    fn random_tokens_are_long_and_distinct() {
        let a = random_hex(32).expect("random");
        let b = random_hex(32).expect("random");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
