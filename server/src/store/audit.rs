//! The audit log: who approved, rejected, edited or sent back which
//! submission, and when. Rows are only ever added.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{StoreError, now};

/// One audit row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Unix time.
    pub at: i64,
    /// Login name of the person (or `key:<id>`).
    pub actor: String,
    /// `approved`, `rejected`, `edited`, `changes-requested`, `login`...
    pub action: String,
    /// The submission concerned, if any.
    pub submission_id: Option<i64>,
    /// Free text: reason, published id, changed fields.
    pub detail: String,
}

/// Add a row.
pub fn record(
    conn: &Connection,
    actor: &str,
    action: &str,
    submission_id: Option<i64>,
    detail: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO audit (at, actor, action, submission_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now(), actor, action, submission_id, detail],
    )?;
    Ok(())
}

/// The newest rows first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT at, actor, action, submission_id, detail FROM audit ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        Ok(AuditEntry {
            at: r.get(0)?,
            actor: r.get(1)?,
            action: r.get(2)?,
            submission_id: r.get(3)?,
            detail: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
