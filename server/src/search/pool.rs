//! The search pool: one thread per core runs every search and page lookup.
//!
//! Requests wait in the pool's queue, not on a thread each. A pool thread
//! that finishes a search takes the next one from the queue at once; when
//! the async side handed out one slot per core instead, every search paid
//! two thread wake-ups before it started and the cores sat idle about a
//! fifth of the time under load.
//!
//! A search that finds pool threads idle may split its segments over them
//! ([`SearchPool::idle_threads`]); under load each search keeps to one thread.
//! The pool is owned ([`SearchPool`], one in the server's state), not a
//! process-wide static.
//!
//! [`blocking`], [`blocking_wide`] and [`search_on_pool`] are the bridge the
//! routes use to run engine work here, off the async executor.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Engine, SearchError, SearchRequest, SearchResults};

/// A pool of search threads and the count of its jobs queued or running.
/// The server keeps one (in its state); tests may make several.
pub struct SearchPool {
    pool: rayon::ThreadPool,
    /// Jobs queued or running in the pool.
    pending: AtomicUsize,
}

/// Why pool work gave no answer.
#[derive(Debug, thiserror::Error)]
#[error("search work failed: {0}")]
pub struct PoolError(String);

impl SearchPool {
    /// A pool of `threads` threads (at least one), named `search-<n>`.
    pub fn new(threads: usize) -> std::io::Result<Arc<Self>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .thread_name(|i| format!("search-{i}"))
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Arc::new(Self {
            pool,
            pending: AtomicUsize::new(0),
        }))
    }

    /// A pool with one thread per core.
    pub fn per_core() -> std::io::Result<Arc<Self>> {
        Self::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    }

    /// Its number of threads.
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Pool threads with nothing to do, besides the caller's.
    pub fn idle_threads(&self) -> usize {
        self.threads()
            .saturating_sub(self.pending.load(Ordering::Acquire))
    }

    /// Run `work` on the pool and wait for it without blocking the executor.
    /// `work` gets the number of threads it may use (itself and the idle ones).
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(usize) -> T + Send + 'static,
    ) -> Result<T, PoolError> {
        let (done, answer) = tokio::sync::oneshot::channel();
        self.pending.fetch_add(1, Ordering::AcqRel);
        let this = self.clone();
        self.pool.spawn(move || {
            // The request went away while this waited (the client left, or its
            // time ran out): nobody would read the answer.
            if done.is_closed() {
                this.pending.fetch_sub(1, Ordering::AcqRel);
                return;
            }
            let threads = 1 + this.idle_threads();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(threads)));
            this.pending.fetch_sub(1, Ordering::AcqRel);
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
}

/// Run blocking engine work on the pool, off the async executor.
pub async fn blocking<T, E>(
    pool: &Arc<SearchPool>,
    engine: &Arc<Engine>,
    work: impl FnOnce(&Engine) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<PoolError> + Send + 'static,
{
    blocking_wide(pool, engine, move |engine, _| work(engine)).await
}

/// Like [`blocking`], and the work may also use the pool threads that are
/// idle: it gets their number plus its own (1 when the machine is busy).
/// A search alone on the machine then finishes sooner; under load every
/// search keeps to one core, so none waits longer.
pub async fn blocking_wide<T, E>(
    pool: &Arc<SearchPool>,
    engine: &Arc<Engine>,
    work: impl FnOnce(&Engine, usize) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<PoolError> + Send + 'static,
{
    let engine = engine.clone();
    pool.run(move |threads| work(&engine, threads)).await?
}

/// Run a search on the pool, sharing its segments over idle pool threads.
pub async fn search_on_pool<E>(
    pool: &Arc<SearchPool>,
    engine: &Arc<Engine>,
    req: &SearchRequest,
) -> Result<SearchResults, E>
where
    E: From<PoolError> + From<SearchError> + Send + 'static,
{
    let req = req.clone();
    blocking_wide(pool, engine, move |engine, threads| {
        Ok(engine.search_with(&req, threads)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panicking search answers with its message, and the pool goes on
    /// serving the next one with every thread.
    #[tokio::test]
    async fn a_panic_is_an_error_and_the_pool_goes_on() {
        let pool = SearchPool::new(2).expect("pool");
        let failed = pool.run(|_| -> u32 { panic!("broken query") }).await;
        let message = failed.expect_err("a panic is an error").to_string();
        assert!(message.contains("broken query"), "{message}");
        let threads = pool.threads();
        let answers = futures_join(&pool, threads * 3).await;
        assert_eq!(answers, (0..threads * 3).collect::<Vec<_>>());
    }

    async fn futures_join(pool: &Arc<SearchPool>, n: usize) -> Vec<usize> {
        let running: Vec<_> = (0..n)
            .map(|i| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.run(move |_| i).await })
            })
            .collect();
        let mut out = Vec::new();
        for r in running {
            out.push(r.await.expect("task").expect("answer"));
        }
        out
    }

    /// Work whose request went away before it started is not done.
    #[tokio::test]
    async fn abandoned_work_is_skipped() {
        let pool = SearchPool::new(2).expect("pool");
        let threads = pool.threads();
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = std::sync::Arc::new(std::sync::Mutex::new(hold));
        // Keep every pool thread busy until released.
        let busy: Vec<_> = (0..threads)
            .map(|_| {
                let (hold, pool) = (hold.clone(), pool.clone());
                tokio::spawn(async move {
                    pool.run(move |_| {
                        let _ = hold.lock().map(|h| h.recv());
                    })
                    .await
                })
            })
            .collect();
        let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = ran.clone();
        let queued = pool.clone();
        let abandoned = tokio::spawn(async move {
            queued
                .run(move |_| flag.store(true, Ordering::SeqCst))
                .await
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        abandoned.abort();
        let _ = abandoned.await;
        for _ in 0..threads {
            let _ = release.send(());
        }
        for b in busy {
            b.await.expect("task").expect("answer");
        }
        // Anything queued after the abandoned work runs after it.
        pool.run(|_| ()).await.expect("answer");
        assert!(!ran.load(Ordering::SeqCst), "abandoned work ran");
    }

    /// A job alone may use every pool thread; the count never exceeds them.
    #[tokio::test]
    async fn a_lone_job_gets_the_idle_threads() {
        let pool = SearchPool::new(3).expect("pool");
        let threads = pool.run(|threads| threads).await.expect("answer");
        assert!(threads >= 1 && threads <= pool.threads(), "{threads}");
    }

    /// Two pools are independent: a pool whose threads are all busy does
    /// not hold up work on another.
    #[tokio::test]
    async fn pools_are_independent() {
        let (busy, free) = (
            SearchPool::new(1).expect("pool"),
            SearchPool::new(1).expect("pool"),
        );
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let blocked = {
            let busy = busy.clone();
            tokio::spawn(async move {
                busy.run(move |_| {
                    let _ = hold.recv();
                })
                .await
            })
        };
        let answer = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            free.run(|threads| threads),
        )
        .await
        .expect("the free pool answers while the other is busy")
        .expect("answer");
        assert_eq!(answer, 1);
        let _ = release.send(());
        blocked.await.expect("task").expect("answer");
    }
}
