//! API keys for partner portals and their quotas. No HTTP here.
//!
//! Keys live in `<data>/keys.json`, written by the `kb-keys` tool. Only a
//! BLAKE3 hash of each key is stored, so the file leaks nothing usable; the
//! key itself is shown once, when it is made.
//!
//! The JSON API stays open without a key (library staff and the web pages
//! use it); a key identifies a partner and gives it its own quota, counted
//! in fixed one-minute and one-day windows in memory. A wrong or revoked key
//! is refused rather than silently treated as anonymous, so a partner learns
//! at once that its configuration is broken.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

/// File under the data folder holding the keys.
pub const KEYS_FILE: &str = "keys.json";
/// Requests per minute for a key made without `--per-minute`.
pub const DEFAULT_PER_MINUTE: u32 = 600;
/// Requests per day for a key made without `--per-day`.
pub const DEFAULT_PER_DAY: u32 = 100_000;
/// How often the server looks for changes to the keys file.
const RELOAD_EVERY: Duration = Duration::from_secs(2);

/// One partner's key, as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct KeyRecord {
    /// Partner name, unique.
    pub name: String,
    /// BLAKE3 hash of the key, hex.
    pub hash: String,
    /// Requests allowed per minute.
    pub per_minute: u32,
    /// Requests allowed per day.
    pub per_day: u32,
    /// When the key was made, RFC 3339.
    pub created: String,
    /// Refused from now on.
    #[serde(default)]
    pub revoked: bool,
}

/// The keys file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KeyFile {
    /// Every key ever made, revoked ones included.
    pub keys: Vec<KeyRecord>,
}

/// Why the keys file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The JSON is broken.
    #[error("{path}: {message}")]
    Parse {
        /// File path.
        path: String,
        /// What the parser said.
        message: String,
    },
}

/// The hash stored for a key.
pub fn hash(key: &str) -> String {
    blake3::hash(key.as_bytes()).to_hex().to_string()
}

/// A new random key: `kb_` and 32 bytes in hex.
pub fn generate() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!(
        "kb_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

impl KeyFile {
    /// The keys file of a data folder.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(KEYS_FILE)
    }

    /// Read the file; a missing file means no keys.
    pub fn load(path: &Path) -> Result<Self, KeyFileError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(KeyFileError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        serde_json::from_str(&text).map_err(|e| KeyFileError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// Write the file atomically (temp file, fsync, rename, fsync the folder).
    pub fn save(&self, path: &Path) -> Result<(), KeyFileError> {
        let io = |source| KeyFileError::Io {
            path: path.display().to_string(),
            source,
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).map_err(|e| KeyFileError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let mut file = std::fs::File::create(&tmp).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// The outcome of presenting a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead; the numbers are for `RateLimit-*` headers.
    Allowed {
        /// Partner name.
        name: String,
        /// Per-minute limit.
        limit: u32,
        /// Requests left in this minute.
        remaining: u32,
        /// Seconds until the minute window resets.
        reset: u64,
    },
    /// No such key, or revoked.
    Invalid,
    /// Over quota; try again after this many seconds.
    Exhausted {
        /// Partner name.
        name: String,
        /// Which quota: `minute` or `day`.
        window: &'static str,
        /// Seconds until it resets.
        retry_after: u64,
    },
}

#[derive(Debug, Default)]
struct Usage {
    minute_start: u64,
    minute_count: u32,
    day_start: u64,
    day_count: u32,
}

struct Loaded {
    by_hash: HashMap<String, KeyRecord>,
    modified: Option<SystemTime>,
    checked: Instant,
}

/// Keys and their usage, shared by every request.
pub struct KeyGuard {
    path: PathBuf,
    loaded: Mutex<Loaded>,
    usage: Mutex<HashMap<String, Usage>>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn index(file: KeyFile) -> HashMap<String, KeyRecord> {
    file.keys
        .into_iter()
        .filter(|k| !k.revoked)
        .map(|k| (k.hash.clone(), k))
        .collect()
}

impl KeyGuard {
    /// Keys from `<data>/keys.json`; a broken file is logged and means no
    /// keys (every keyed request is refused) until it is fixed.
    pub fn open(data_dir: &Path) -> Self {
        let path = KeyFile::path(data_dir);
        let by_hash = match KeyFile::load(&path) {
            Ok(file) => index(file),
            Err(e) => {
                tracing::error!(error = %e, "API keys unusable");
                HashMap::new()
            }
        };
        Self {
            loaded: Mutex::new(Loaded {
                by_hash,
                modified: modified(&path),
                checked: Instant::now(),
            }),
            path,
            usage: Mutex::new(HashMap::new()),
        }
    }

    fn record(&self, key: &str) -> Option<KeyRecord> {
        let mut loaded = self
            .loaded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if loaded.checked.elapsed() >= RELOAD_EVERY {
            loaded.checked = Instant::now();
            let now = modified(&self.path);
            if now != loaded.modified {
                loaded.modified = now;
                match KeyFile::load(&self.path) {
                    Ok(file) => loaded.by_hash = index(file),
                    Err(e) => tracing::error!(error = %e, "API keys not reloaded"),
                }
            }
        }
        loaded.by_hash.get(&hash(key)).cloned()
    }

    /// Count one request with this key at `now` (seconds since the epoch).
    pub fn check(&self, key: &str, now: u64) -> Verdict {
        let Some(record) = self.record(key) else {
            return Verdict::Invalid;
        };
        let mut usage = self
            .usage
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let u = usage.entry(record.hash.clone()).or_default();
        let (minute, day) = (now - now % 60, now - now % 86_400);
        if u.minute_start != minute {
            u.minute_start = minute;
            u.minute_count = 0;
        }
        if u.day_start != day {
            u.day_start = day;
            u.day_count = 0;
        }
        if u.day_count >= record.per_day {
            return Verdict::Exhausted {
                name: record.name,
                window: "day",
                retry_after: day + 86_400 - now,
            };
        }
        if u.minute_count >= record.per_minute {
            return Verdict::Exhausted {
                name: record.name,
                window: "minute",
                retry_after: minute + 60 - now,
            };
        }
        u.minute_count += 1;
        u.day_count += 1;
        Verdict::Allowed {
            name: record.name,
            limit: record.per_minute,
            remaining: record.per_minute - u.minute_count,
            reset: minute + 60 - now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard_with(per_minute: u32, per_day: u32) -> (tempfile::TempDir, KeyGuard, String) {
        let dir = tempfile::tempdir().expect("dir");
        let key = generate().expect("random");
        let file = KeyFile {
            keys: vec![KeyRecord {
                name: "portal".into(),
                hash: hash(&key),
                per_minute,
                per_day,
                created: "2026-01-01T00:00:00Z".into(),
                revoked: false,
            }],
        };
        file.save(&KeyFile::path(dir.path())).expect("save");
        let guard = KeyGuard::open(dir.path());
        (dir, guard, key)
    }

    /// The per-minute quota counts down, refuses once spent, and resets on
    /// the next minute; the day quota holds across minutes.
    #[test]
    fn quotas() {
        let (_dir, guard, key) = guard_with(2, 3);
        let t = 1_700_000_040; // 0 s into a minute
        assert!(matches!(
            guard.check(&key, t),
            Verdict::Allowed { remaining: 1, .. }
        ));
        assert!(matches!(
            guard.check(&key, t + 1),
            Verdict::Allowed { remaining: 0, .. }
        ));
        assert_eq!(
            guard.check(&key, t + 10),
            Verdict::Exhausted {
                name: "portal".into(),
                window: "minute",
                retry_after: 50
            }
        );
        assert!(matches!(guard.check(&key, t + 60), Verdict::Allowed { .. }));
        assert!(matches!(
            guard.check(&key, t + 120),
            Verdict::Exhausted { window: "day", .. }
        ));
    }

    /// Unknown keys are refused, and only the hash is on disk.
    #[test]
    fn unknown_key_and_stored_hash() {
        let (dir, guard, key) = guard_with(10, 10);
        assert_eq!(guard.check("kb_wrong", 0), Verdict::Invalid);
        let text = std::fs::read_to_string(KeyFile::path(dir.path())).expect("read");
        assert!(!text.contains(&key) && text.contains(&hash(&key)));
    }
}
