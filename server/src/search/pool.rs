//! The search pool: one thread per core runs every search and page lookup.
//!
//! Requests wait in the pool's queue, not on a thread each. A pool thread
//! that finishes a search takes the next one from the queue at once; when
//! the async side handed out one slot per core instead, every search paid
//! two thread wake-ups before it started and the cores sat idle about a
//! fifth of the time under load.
//!
//! A search that finds pool threads idle may split its segments over them
//! ([`idle_threads`]); under load each search keeps to one thread.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The pool, sized to the cores.
static POOL: LazyLock<rayon::ThreadPool> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .num_threads(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
        .thread_name(|i| format!("search-{i}"))
        .build()
        .unwrap_or_else(|e| panic!("cannot start the search pool: {e}"))
});

/// Jobs queued or running in the pool.
static PENDING: AtomicUsize = AtomicUsize::new(0);

/// Pool threads with nothing to do, besides the caller's.
pub fn idle_threads() -> usize {
    POOL.current_num_threads()
        .saturating_sub(PENDING.load(Ordering::Acquire))
}

/// Why pool work gave no answer.
#[derive(Debug, thiserror::Error)]
#[error("search work failed: {0}")]
pub struct PoolError(String);

/// Run `work` on the pool and wait for it without blocking the executor.
/// `work` gets the number of threads it may use (itself and the idle ones).
pub async fn run<T: Send + 'static>(
    work: impl FnOnce(usize) -> T + Send + 'static,
) -> Result<T, PoolError> {
    let (done, answer) = tokio::sync::oneshot::channel();
    PENDING.fetch_add(1, Ordering::AcqRel);
    POOL.spawn(move || {
        let threads = 1 + idle_threads();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(threads)));
        PENDING.fetch_sub(1, Ordering::AcqRel);
        let _ = done.send(result.map_err(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a search panicked".into());
            PoolError(message)
        }));
    });
    answer
        .await
        .map_err(|_| PoolError("the search pool dropped the work".into()))?
}
