//! Cluster mode's store of record for resources: PostgreSQL tables, their
//! versioned migrations, and the ordered change log replicas derive their
//! index from.
//!
//! Every change to a published resource is written in one transaction with
//! its change-log row: the resource, a revision, and a sequence number taken
//! from the one-row `change_head` table. Holding that row's lock until
//! commit hands numbers out in commit order without gaps, so a replica that
//! has applied change `n` has seen every change up to `n`. The commit sends a
//! `NOTIFY` on [`CHANGES_CHANNEL`] to wake replicas; they also poll.
//!
//! `kb-index import` and `kb-index export` move a corpus folder in and out;
//! the server's approvals go through [`put_resource`] as well.

use std::path::Path;

use tokio_postgres::{Client, GenericClient, NoTls, Transaction};

use crate::corpus::{Corpus, Problem};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The channel replicas `LISTEN` on; the payload is the new sequence number.
pub const CHANGES_CHANNEL: &str = "kb_changes";

/// Advisory lock key held while migrating, so replicas starting together
/// migrate once.
const MIGRATION_LOCK: i64 = 0x6b62_6d69_6772;

/// Why a cluster store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// PostgreSQL refused or could not be reached.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// A migration failed.
    #[error("database migration: {0}")]
    Migration(#[from] refinery::Error),
    /// Reading or writing a corpus folder failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The corpus could not be read.
    #[error(transparent)]
    Corpus(#[from] crate::corpus::CorpusError),
    /// The corpus has problems; nothing was imported.
    #[error("{} problem(s) in the corpus; nothing was imported", .0.len())]
    Invalid(Vec<Problem>),
    /// A stored value makes no sense (e.g. an exported path leaves the folder).
    #[error("bad stored value: {0}")]
    Corrupt(String),
}

/// Connect to `url` (`postgres://user@host:port/db`) without TLS; the
/// connection is driven on a spawned task (call inside a Tokio runtime).
pub async fn connect(url: &str) -> Result<Client, ClusterError> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(%error, "PostgreSQL connection closed");
        }
    });
    Ok(client)
}

/// Bring the database's tables to this version (idempotent; safe when
/// several processes start at once).
pub async fn migrate(client: &mut Client) -> Result<(), ClusterError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let result = embedded::migrations::runner().run_async(client).await;
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await?;
    result?;
    Ok(())
}

/// Seconds since the Unix epoch.
fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Content hash of a resource's file text, to skip unchanged imports.
pub fn text_hash(markdown: &str) -> String {
    blake3::hash(markdown.as_bytes()).to_hex()[..32].to_string()
}

/// Lock the change log's head until the transaction ends: writers of
/// resources go one at a time from here (choose a free id, write, log).
pub async fn lock_head(tx: &Transaction<'_>) -> Result<i64, ClusterError> {
    let row = tx
        .query_one("SELECT seq FROM change_head FOR UPDATE", &[])
        .await?;
    Ok(row.get(0))
}

/// Take the next change number (the head must be locked).
async fn next_seq(tx: &Transaction<'_>) -> Result<i64, ClusterError> {
    let row = tx
        .query_one("UPDATE change_head SET seq = seq + 1 RETURNING seq", &[])
        .await?;
    Ok(row.get(0))
}

/// Write (or, with `markdown` `None`, delete) resource `id` at corpus path
/// `path`, with a revision and a change-log row, in the caller's transaction.
/// Returns the change's sequence number, or `None` when the stored text is
/// already `markdown` (nothing changed, nothing logged).
pub async fn put_resource(
    tx: &Transaction<'_>,
    id: &str,
    path: &str,
    markdown: Option<&str>,
) -> Result<Option<i64>, ClusterError> {
    lock_head(tx).await?;
    let current = tx
        .query_opt("SELECT hash, revision FROM resources WHERE id = $1", &[&id])
        .await?;
    let hash = markdown.map(text_hash);
    let revision: i32 = match (&current, &hash) {
        (Some(row), Some(hash)) if row.get::<_, String>(0) == *hash => return Ok(None),
        (None, None) => return Ok(None),
        (Some(row), _) => row.get::<_, i32>(1) + 1,
        (None, Some(_)) => 1,
    };
    let seq = next_seq(tx).await?;
    let at = now();
    match (markdown, &hash) {
        (Some(text), Some(hash)) => {
            tx.execute(
                "INSERT INTO resources (id, path, markdown, hash, revision, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (id) DO UPDATE SET path = $2, markdown = $3, hash = $4,
                     revision = $5, updated_at = $6",
                &[&id, &path, &text, hash, &revision, &at],
            )
            .await?;
        }
        _ => {
            tx.execute("DELETE FROM resources WHERE id = $1", &[&id])
                .await?;
        }
    }
    tx.execute(
        "INSERT INTO resource_revisions (id, revision, markdown, seq, changed_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[&id, &revision, &markdown, &seq, &at],
    )
    .await?;
    tx.execute(
        "INSERT INTO changes (seq, resource_id, path, markdown, at) VALUES ($1, $2, $3, $4, $5)",
        &[&seq, &id, &path, &markdown, &at],
    )
    .await?;
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&CHANGES_CHANNEL, &seq.to_string()],
    )
    .await?;
    Ok(Some(seq))
}

/// Whether a resource with this id is stored.
pub async fn resource_exists(client: &impl GenericClient, id: &str) -> Result<bool, ClusterError> {
    Ok(client
        .query_opt("SELECT 1 FROM resources WHERE id = $1", &[&id])
        .await?
        .is_some())
}

/// One change-log row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Sequence number (1, 2, 3... in commit order).
    pub seq: i64,
    /// The resource's id.
    pub id: String,
    /// Its path in a corpus folder.
    pub path: String,
    /// The file text, or `None` when the resource was deleted.
    pub markdown: Option<String>,
}

/// Up to `limit` changes after `seq`, in order.
pub async fn changes_after(
    client: &impl GenericClient,
    seq: i64,
    limit: i64,
) -> Result<Vec<Change>, ClusterError> {
    let rows = client
        .query(
            "SELECT seq, resource_id, path, markdown FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&seq, &limit],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Change {
            seq: r.get(0),
            id: r.get(1),
            path: r.get(2),
            markdown: r.get(3),
        })
        .collect())
}

/// The newest change's sequence number (0 when nothing was ever published).
pub async fn head(client: &impl GenericClient) -> Result<i64, ClusterError> {
    Ok(client
        .query_one("SELECT seq FROM change_head", &[])
        .await?
        .get(0))
}

/// Every stored resource as of one moment, handed to `sink` in id order in
/// batches, and the change number that moment corresponds to: a replica
/// that indexes them all and records that number is exactly up to date.
pub async fn snapshot(
    client: &mut Client,
    mut sink: impl FnMut(Vec<Change>),
) -> Result<i64, ClusterError> {
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let head = head(&tx).await?;
    let mut after = String::new();
    loop {
        let rows = tx
            .query(
                "SELECT id, path, markdown FROM resources WHERE id > $1 ORDER BY id LIMIT 2000",
                &[&after],
            )
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.get(0);
        sink(
            rows.iter()
                .map(|r| Change {
                    seq: head,
                    id: r.get(0),
                    path: r.get(1),
                    markdown: Some(r.get(2)),
                })
                .collect(),
        );
    }
    tx.commit().await?;
    Ok(head)
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Resources stored for the first time or changed.
    pub written: usize,
    /// Resources already stored with the same text.
    pub unchanged: usize,
}

/// Load every resource of the corpus at `root` into the database, after the
/// same validation as `kb-index check`: any problem and nothing is imported.
/// Idempotent by id: a resource already stored with the same text is left
/// alone (no revision, no change).
pub async fn import(client: &mut Client, root: &Path) -> Result<ImportReport, ClusterError> {
    // Validate everything first, keeping only ids and paths: a large corpus
    // is read twice rather than held in memory.
    let mut valid: Vec<(String, String)> = Vec::new();
    let corpus = Corpus::scan(root, &std::collections::HashMap::new(), |_, entry| {
        valid.push((entry.resource.meta.id, entry.path));
    })?;
    if !corpus.problems.is_empty() {
        return Err(ClusterError::Invalid(corpus.problems));
    }
    let mut report = ImportReport::default();
    // Batches keep each transaction (and the change-head lock) short.
    for batch in valid.chunks(500) {
        let tx = client.transaction().await?;
        for (id, path) in batch {
            let text = std::fs::read_to_string(root.join(path))?;
            match put_resource(&tx, id, path, Some(&text)).await? {
                Some(_) => report.written += 1,
                None => report.unchanged += 1,
            }
        }
        tx.commit().await?;
    }
    Ok(report)
}

/// Write every stored resource to `out/<path>` as it was imported or
/// published; returns how many.
pub async fn export(client: &impl GenericClient, out: &Path) -> Result<usize, ClusterError> {
    let rows = client
        .query("SELECT path, markdown FROM resources ORDER BY id", &[])
        .await?;
    for row in &rows {
        let path: String = row.get(0);
        let relative = Path::new(&path);
        if relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(ClusterError::Corrupt(format!("resource path `{path}`")));
        }
        let target = out.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, row.get::<_, String>(1))?;
    }
    Ok(rows.len())
}
