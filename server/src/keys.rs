//! Quotas for API keys. No HTTP here.
//!
//! Keys live in the SQLite store (`kb-server key create|list|revoke`), stored
//! only as hashes; each carries a per-minute limit. The JSON API stays open
//! without a key (library staff and the web pages use it); a key identifies a
//! partner or trusted contributor and gives it its own quota, counted in
//! fixed one-minute windows in memory and keyed on the key's id, never on a
//! client address. A wrong or revoked key is refused rather than silently
//! treated as anonymous, so a partner learns at once that its configuration
//! is broken.
//!
//! In cluster mode keys are in PostgreSQL, so a key works on every replica;
//! each replica counts its own window, so across `n` replicas behind a load
//! balancer a key gets at most `n` times its quota per minute (a bounded,
//! documented overshoot; with round-robin balancing it stays near 1x).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::store::accounts::ApiKey;
use crate::store::{Db, StoreError};

/// The outcome of presenting a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead; the numbers are for `RateLimit-*` headers.
    Allowed {
        /// Key name.
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
    /// The key store cannot be reached just now (cluster mode).
    Unavailable,
    /// Over quota; try again after this many seconds.
    Exhausted {
        /// Key name.
        name: String,
        /// Which quota: `minute`.
        window: &'static str,
        /// Seconds until it resets.
        retry_after: u64,
    },
}

#[derive(Debug, Default)]
struct Usage {
    minute_start: u64,
    minute_count: u32,
}

/// Keys (from the store) and their usage, shared by every request.
pub struct KeyGuard {
    db: Db,
    usage: Mutex<HashMap<i64, Usage>>,
}

impl KeyGuard {
    /// A guard over the keys in `store`.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            usage: Mutex::new(HashMap::new()),
        }
    }

    /// Count one request with this key at `now` (seconds since the epoch).
    pub async fn check(&self, key: &str, now: u64) -> Verdict {
        let secret = key.to_string();
        let record = match self.db.key_by_secret(secret).await {
            Ok(Some(record)) => record,
            Ok(None) => return Verdict::Invalid,
            Err(StoreError::Unavailable(e)) => {
                tracing::warn!(error = %e, "API key lookup: database unavailable");
                return Verdict::Unavailable;
            }
            Err(e) => {
                tracing::error!(error = %e, "API key lookup failed");
                return Verdict::Invalid;
            }
        };
        self.count(&record, now)
    }

    fn count(&self, record: &ApiKey, now: u64) -> Verdict {
        let mut usage = self
            .usage
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let u = usage.entry(record.id).or_default();
        let minute = now - now % 60;
        if u.minute_start != minute {
            u.minute_start = minute;
            u.minute_count = 0;
        }
        if u.minute_count >= record.rate_limit {
            return Verdict::Exhausted {
                name: record.name.clone(),
                window: "minute",
                retry_after: minute + 60 - now,
            };
        }
        u.minute_count += 1;
        Verdict::Allowed {
            name: record.name.clone(),
            limit: record.rate_limit,
            remaining: record.rate_limit - u.minute_count,
            reset: minute + 60 - now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::accounts::{self, Role};
    use std::sync::Arc;

    async fn guard_with(per_minute: u32) -> (tempfile::TempDir, KeyGuard, String, String) {
        let dir = tempfile::tempdir().expect("dir");
        let store = Arc::new(Store::open_in(dir.path()).expect("store"));
        let (_, key) = store
            .with(|c| accounts::create_key(c, "portal", Role::Partner, per_minute))
            .expect("key");
        let (_, other) = store
            .with(|c| accounts::create_key(c, "other", Role::Partner, per_minute))
            .expect("key");
        (dir, KeyGuard::new(Db::Sqlite(store)), key, other)
    }

    /// The per-minute quota counts down, refuses once spent, resets on the
    /// next minute, and one key's use does not touch another's.
    #[tokio::test]
    async fn quotas() {
        let (_dir, guard, key, other) = guard_with(2).await;
        let t = 1_700_000_040; // 0 s into a minute
        assert!(matches!(
            guard.check(&key, t).await,
            Verdict::Allowed { remaining: 1, .. }
        ));
        assert!(matches!(
            guard.check(&key, t + 1).await,
            Verdict::Allowed { remaining: 0, .. }
        ));
        assert_eq!(
            guard.check(&key, t + 10).await,
            Verdict::Exhausted {
                name: "portal".into(),
                window: "minute",
                retry_after: 50
            }
        );
        assert!(matches!(
            guard.check(&other, t + 10).await,
            Verdict::Allowed { remaining: 1, .. }
        ));
        assert!(matches!(
            guard.check(&key, t + 60).await,
            Verdict::Allowed { .. }
        ));
    }

    /// Unknown keys are refused.
    #[tokio::test]
    async fn unknown_key() {
        let (_dir, guard, _, _) = guard_with(10).await;
        assert_eq!(guard.check("kb_wrong", 0).await, Verdict::Invalid);
    }
}
