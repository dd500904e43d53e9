//! Every rate limit the server keeps, in one place: anonymous submissions
//! per client address, login attempts per address, and each API key's own
//! per-minute quota. No HTTP here.
//!
//! Each limit is a GCRA cell per caller (`governor`, keyed): a check is one
//! lookup in a concurrent map, whatever the number of callers. A caller
//! whose allowance is full again (idle for a minute) is dropped by
//! [`RateLimits::forget_idle`], which a background thread runs every
//! [`SWEEP_EVERY`], so memory stays bounded by the callers of the last
//! minute. Memory only: a restart forgives everyone, which is fine for abuse
//! control.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};

/// How often idle callers are forgotten.
pub const SWEEP_EVERY: Duration = Duration::from_secs(30);

type Keyed<C> = RateLimiter<String, DashMapStateStore<String>, C, StateInformationMiddleware>;

/// What a caller may still do, for the `RateLimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// Requests per minute.
    pub limit: u32,
    /// Requests that may be made at once right now.
    pub remaining: u32,
    /// Seconds until the whole allowance is back.
    pub reset: u64,
}

/// The limiters, one per distinct per-minute quota, each keyed by caller.
pub struct RateLimits<C: Clock = DefaultClock> {
    clock: C,
    by_quota: Mutex<HashMap<u32, Arc<Keyed<C>>>>,
}

impl RateLimits<DefaultClock> {
    /// Limits on the real clock, with a background thread forgetting idle
    /// callers every [`SWEEP_EVERY`] (it ends when the limits are dropped).
    pub fn new() -> Arc<Self> {
        let limits = Arc::new(Self::with_clock(DefaultClock::default()));
        let weak: Weak<Self> = Arc::downgrade(&limits);
        let spawned = std::thread::Builder::new()
            .name("rate-limit-sweep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(SWEEP_EVERY);
                    match weak.upgrade() {
                        Some(limits) => limits.forget_idle(),
                        None => break,
                    }
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "could not start the rate-limit sweeper; idle callers are kept");
        }
        limits
    }
}

impl<C: Clock + Clone> RateLimits<C> {
    /// Limits on `clock` (tests pass a fake one), with no sweeper thread.
    pub fn with_clock(clock: C) -> Self {
        Self {
            clock,
            by_quota: Mutex::new(HashMap::new()),
        }
    }

    fn limiter(&self, per_minute: NonZeroU32) -> Arc<Keyed<C>> {
        let mut by_quota = self.by_quota.lock().unwrap_or_else(PoisonError::into_inner);
        by_quota
            .entry(per_minute.get())
            .or_insert_with(|| {
                Arc::new(
                    RateLimiter::dashmap_with_clock(
                        Quota::per_minute(per_minute),
                        self.clock.clone(),
                    )
                    .with_middleware::<StateInformationMiddleware>(),
                )
            })
            .clone()
    }

    /// Count one request of `caller` against a quota of `per_minute` (at
    /// least one), all of which may be used at once and which refills
    /// evenly over a minute. `Err(seconds)` says when to try again (at
    /// least one second).
    pub fn check(&self, caller: &str, per_minute: u32) -> Result<Allowance, u64> {
        let quota = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let limit = quota.get();
        match self.limiter(quota).check_key(&caller.to_string()) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                let used = u64::from(limit - remaining.min(limit));
                Ok(Allowance {
                    limit,
                    remaining,
                    reset: (used * 60).div_ceil(u64::from(limit)),
                })
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Err((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1))
            }
        }
    }

    /// Forget callers whose allowance is full again and give the memory back.
    pub fn forget_idle(&self) {
        let limiters: Vec<Arc<Keyed<C>>> = self
            .by_quota
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for limiter in limiters {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// Callers remembered, over all quotas.
    pub fn len(&self) -> usize {
        self.by_quota
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .map(|l| l.len())
            .sum()
    }

    /// Whether no caller is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    /// A caller gets its allowance, then a wait in whole seconds; other
    /// callers and other quotas are unaffected, and the allowance refills.
    #[test]
    fn allowance_per_caller() {
        let clock = FakeRelativeClock::default();
        let limits = RateLimits::with_clock(clock.clone());
        let first = limits.check("a", 3).expect("allowed");
        assert_eq!((first.limit, first.remaining, first.reset), (3, 2, 20));
        assert_eq!(limits.check("a", 3).expect("allowed").remaining, 1);
        assert_eq!(limits.check("a", 3).expect("allowed").remaining, 0);
        assert_eq!(limits.check("a", 3), Err(20), "one request back every 20 s");
        assert!(limits.check("b", 3).is_ok(), "another caller");
        assert!(limits.check("a", 10).is_ok(), "another quota");
        clock.advance(Duration::from_secs(20));
        assert!(limits.check("a", 3).is_ok(), "refilled");
        assert_eq!(limits.check("a", 3), Err(20));
        clock.advance(Duration::from_millis(19_500));
        assert_eq!(limits.check("a", 3), Err(1), "a part second is a whole one");
    }

    /// Memory stays bounded: callers idle for a minute are forgotten, busy
    /// ones are kept with their count.
    #[test]
    fn idle_callers_are_forgotten() {
        let clock = FakeRelativeClock::default();
        let limits = RateLimits::with_clock(clock.clone());
        for n in 0..1000 {
            limits.check(&format!("ip:{n}"), 10).expect("allowed");
        }
        assert_eq!(limits.len(), 1000);
        clock.advance(Duration::from_secs(61));
        for _ in 0..10 {
            limits.check("busy", 10).expect("allowed");
        }
        limits.forget_idle();
        assert_eq!(limits.len(), 1, "only the busy caller is left");
        assert!(limits.check("busy", 10).is_err(), "and its count is kept");
    }
}
