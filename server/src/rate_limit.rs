//! A small in-memory token bucket per caller (client address or API key),
//! against floods of submissions. Memory only: a restart forgives everyone,
//! which is fine for abuse control.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Most buckets kept; past it, full (idle) buckets are dropped.
const MAX_BUCKETS: usize = 100_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets keyed by caller.
#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// A limiter with no buckets yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Take one token for `key`, whose bucket holds `per_minute` and refills
    /// at `per_minute` a minute; `Err(seconds)` says when to try again.
    pub fn check(&self, key: &str, per_minute: u32) -> Result<(), u64> {
        let capacity = f64::from(per_minute.max(1));
        let per_second = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_BUCKETS {
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * per_second < capacity
            });
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let refilled = now.duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refilled).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / per_second;
            // Whole seconds for Retry-After, at least one.
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A caller gets its allowance, then a wait; other callers are unaffected.
    #[test]
    fn bucket_empties_per_caller() {
        let limiter = RateLimiter::new();
        for _ in 0..3 {
            assert!(limiter.check("a", 3).is_ok());
        }
        let wait = limiter.check("a", 3).expect_err("limited");
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(limiter.check("b", 3).is_ok());
    }
}
