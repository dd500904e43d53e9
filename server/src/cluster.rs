//! Cluster mode's replica loop: keep this server's index in step with
//! PostgreSQL's change log.
//!
//! The loop holds its own connection with `LISTEN` on the changes channel.
//! A notification only wakes it; it also polls every [`POLL`], so a missed
//! notification (or one sent while it was reconnecting) costs at most that
//! long. Changes are applied in order, in batches, each batch one index
//! commit that records the last applied number. An index that has applied
//! nothing starts from a consistent snapshot of every stored resource. When
//! PostgreSQL is down the loop retries every [`RETRY`] and searches go on
//! from the local index.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use kb_indexer::cluster::{self, CHANGES_CHANNEL, ClusterError};
use tokio_postgres::{AsyncMessage, NoTls};

use crate::search::Engine;

/// Longest wait between two looks at the change log without a notification.
pub const POLL: Duration = Duration::from_millis(250);

/// Wait before reconnecting after PostgreSQL went away.
const RETRY: Duration = Duration::from_millis(500);

/// Changes applied per index commit.
const BATCH: i64 = 1000;

/// What `/readyz` reports about replication.
#[derive(Debug, Default)]
pub struct ReplicaStatus {
    /// The newest change number seen in PostgreSQL.
    head: AtomicI64,
    /// Whether the loop's connection is up.
    connected: AtomicBool,
}

impl ReplicaStatus {
    /// The newest change number seen in PostgreSQL.
    pub fn head(&self) -> i64 {
        self.head.load(Ordering::Acquire)
    }

    /// Whether the replica can reach PostgreSQL just now.
    pub fn connected(&self) -> bool {
        self.connected.load(Ordering::Acquire)
    }

    /// How many changes `engine` is behind the newest one seen.
    pub fn lag(&self, engine: &Engine) -> u64 {
        u64::try_from(self.head() - engine.applied_seq()).unwrap_or(0)
    }
}

/// Follow the change log at `url` into `engine` for ever (run on its own
/// thread: applying changes blocks).
pub async fn follow(engine: Arc<Engine>, url: String, status: Arc<ReplicaStatus>) {
    loop {
        if let Err(error) = follow_once(&engine, &url, &status).await {
            tracing::warn!(%error, "replication paused; retrying");
        }
        status.connected.store(false, Ordering::Release);
        tokio::time::sleep(RETRY).await;
    }
}

async fn follow_once(
    engine: &Engine,
    url: &str,
    status: &ReplicaStatus,
) -> Result<(), ClusterError> {
    let (mut client, mut connection) = tokio_postgres::connect(url, NoTls).await?;
    let wake = Arc::new(tokio::sync::Notify::new());
    let closed = Arc::new(AtomicBool::new(false));
    let (notify, gone) = (wake.clone(), closed.clone());
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(_)) => notify.notify_one(),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        gone.store(true, Ordering::Release);
        notify.notify_one();
    });
    let result = async {
        client
            .batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))
            .await?;
        // The head first: a replica must not look up to date before it knows
        // how far behind it is.
        status
            .head
            .store(cluster::head(&client).await?, Ordering::Release);
        status.connected.store(true, Ordering::Release);
        if engine.applied_seq() == 0 && engine.num_docs() == 0 {
            snapshot(engine, &mut client, status).await?;
        }
        loop {
            status
                .head
                .store(cluster::head(&client).await?, Ordering::Release);
            let changes = cluster::changes_after(&client, engine.applied_seq(), BATCH).await?;
            if let Some(last) = changes.last() {
                engine
                    .apply_changes(&changes, last.seq, false)
                    .map_err(|e| ClusterError::Corrupt(e.to_string()))?;
                continue;
            }
            if closed.load(Ordering::Acquire) {
                return Ok(());
            }
            let _ = tokio::time::timeout(POLL, wake.notified()).await;
        }
    }
    .await;
    driver.abort();
    result
}

/// Index every stored resource as of one moment and record that moment's
/// change number.
async fn snapshot(
    engine: &Engine,
    client: &mut tokio_postgres::Client,
    status: &ReplicaStatus,
) -> Result<(), ClusterError> {
    let started = std::time::Instant::now();
    let mut first = true;
    let mut count = 0usize;
    let mut failure = None;
    let head = cluster::snapshot(client, |batch| {
        if failure.is_some() {
            return;
        }
        count += batch.len();
        if let Err(e) = engine.add_snapshot_batch(&batch, first) {
            failure = Some(e);
        }
        first = false;
    })
    .await?;
    if let Some(e) = failure {
        return Err(ClusterError::Corrupt(e.to_string()));
    }
    status.head.store(head, Ordering::Release);
    engine
        .apply_changes(&[], head, first)
        .map_err(|e| ClusterError::Corrupt(e.to_string()))?;
    tracing::info!(
        resources = count,
        seq = head,
        seconds = started.elapsed().as_secs_f64(),
        "index built from the database"
    );
    Ok(())
}

/// Wait until `engine` has applied change `seq`, or `timeout` passed;
/// true if it has.
pub async fn wait_applied(engine: &Engine, seq: i64, timeout: Duration) -> bool {
    let mut applied = engine.watch_applied();
    tokio::time::timeout(timeout, applied.wait_for(|a| *a >= seq))
        .await
        .is_ok_and(|r| r.is_ok())
}
