//! The submission queue: what contributors sent, waiting for an editor.
//!
//! A submission keeps the contributor's fields exactly as a JSON object (the
//! map [`kb_indexer::resource::validate`] takes) plus the Markdown body, so an
//! editor's change and the final approval go through the same rules again.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{StoreError, now, random_hex};

/// Where a submission is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Waiting for an editor.
    Pending,
    /// Published into the corpus.
    Approved,
    /// Refused, with a reason.
    Rejected,
    /// Sent back to the contributor with what to change.
    ChangesRequested,
}

impl Status {
    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::ChangesRequested => "changes-requested",
        }
    }

    /// Parse a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "pending" => Status::Pending,
            "approved" => Status::Approved,
            "rejected" => Status::Rejected,
            "changes-requested" => Status::ChangesRequested,
            _ => return None,
        })
    }

    /// Whether an editor can still act on it.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Pending | Status::ChangesRequested)
    }
}

/// What a contributor sent, validated, before it has an id.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    /// Front-matter fields as sent.
    pub fields: Map<String, Value>,
    /// Markdown body.
    pub body: String,
    /// Title, for queue listings.
    pub title: String,
    /// API key it came with, if any.
    pub key_id: Option<i64>,
    /// Client address, for abuse handling.
    pub client_ip: Option<String>,
}

/// One queued submission.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Submission {
    /// Queue number.
    pub id: i64,
    /// Secret token of the status page (64 hex characters).
    #[serde(skip)]
    pub token: String,
    /// Moderation status.
    pub status: Status,
    /// Front-matter fields.
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
    /// Markdown body.
    pub body: String,
    /// Title.
    pub title: String,
    /// Why it was rejected or what to change.
    pub reason: Option<String>,
    /// Id of the published resource, once approved.
    pub resource_id: Option<String>,
    /// API key it came with.
    pub key_id: Option<i64>,
    /// Client address.
    pub client_ip: Option<String>,
    /// Unix time received.
    pub created_at: i64,
    /// Unix time of the last change.
    pub updated_at: i64,
}

const COLUMNS: &str = "id, token, status, fields, body, title, reason, resource_id, key_id, client_ip, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<(Submission, String, String)> {
    Ok((
        Submission {
            id: row.get(0)?,
            token: row.get(1)?,
            status: Status::Pending,
            fields: Map::new(),
            body: row.get(4)?,
            title: row.get(5)?,
            reason: row.get(6)?,
            resource_id: row.get(7)?,
            key_id: row.get(8)?,
            client_ip: row.get(9)?,
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
        },
        row.get(2)?,
        row.get(3)?,
    ))
}

fn finish((mut s, status, fields): (Submission, String, String)) -> Result<Submission, StoreError> {
    s.status =
        Status::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status `{status}`")))?;
    s.fields = serde_json::from_str(&fields)
        .map_err(|e| StoreError::Corrupt(format!("fields of submission {}: {e}", s.id)))?;
    Ok(s)
}

/// Queue a submission; returns it with its id and token once committed.
pub fn insert(conn: &mut Connection, new: NewSubmission) -> Result<Submission, StoreError> {
    let token = random_hex(32)?;
    let at = now();
    let fields = Value::Object(new.fields.clone()).to_string();
    // One statement in an implicit transaction: when `execute` returns, the
    // row is committed and (synchronous=FULL) fsync'd.
    conn.execute(
        "INSERT INTO submissions (token, status, fields, body, title, key_id, client_ip, created_at, updated_at)
         VALUES (?1, 'pending', ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![token, fields, new.body, new.title, new.key_id, new.client_ip, at],
    )?;
    Ok(Submission {
        id: conn.last_insert_rowid(),
        token,
        status: Status::Pending,
        fields: new.fields,
        body: new.body,
        title: new.title,
        reason: None,
        resource_id: None,
        key_id: new.key_id,
        client_ip: new.client_ip,
        created_at: at,
        updated_at: at,
    })
}

/// A submission by its status-page token.
pub fn by_token(conn: &Connection, token: &str) -> Result<Option<Submission>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM submissions WHERE token = ?1"),
        [token],
        from_row,
    )
    .optional()?
    .map(finish)
    .transpose()
}

/// A submission by its queue number.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Submission>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM submissions WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .map(finish)
    .transpose()
}

/// Submissions with one of `statuses`, oldest first (the queue order).
pub fn list(
    conn: &Connection,
    statuses: &[Status],
    limit: usize,
) -> Result<Vec<Submission>, StoreError> {
    let names: Vec<String> = statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM submissions WHERE status IN ({}) ORDER BY id LIMIT ?1",
        names.join(",")
    ))?;
    let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(finish(row?)?);
    }
    Ok(out)
}

/// The most recently decided submissions (approved or rejected), newest first.
pub fn recently_decided(conn: &Connection, limit: usize) -> Result<Vec<Submission>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM submissions WHERE status IN ('approved', 'rejected')
         ORDER BY updated_at DESC, id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(finish(row?)?);
    }
    Ok(out)
}

/// Replace fields and body after an editor's change.
pub fn update_content(
    conn: &Connection,
    id: i64,
    fields: &Map<String, Value>,
    body: &str,
    title: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE submissions SET fields = ?2, body = ?3, title = ?4, updated_at = ?5 WHERE id = ?1",
        params![
            id,
            Value::Object(fields.clone()).to_string(),
            body,
            title,
            now()
        ],
    )?;
    Ok(())
}

/// Move a submission from status `from` to `to`, with a reason or the
/// published id; `false` when it is no longer in `from` (someone decided
/// first) and nothing changed.
///
/// One conditional statement, so two decisions on one submission cannot
/// both apply, whichever process or connection makes them. The client
/// address is kept only while the submission is open (for abuse handling)
/// and forgotten once it is decided: data minimisation.
pub fn set_status(
    conn: &Connection,
    id: i64,
    from: Status,
    to: Status,
    reason: Option<&str>,
    resource_id: Option<&str>,
) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE submissions SET status = ?2, reason = ?3, resource_id = COALESCE(?4, resource_id), updated_at = ?5,
                client_ip = CASE WHEN ?2 IN ('approved', 'rejected') THEN NULL ELSE client_ip END
         WHERE id = ?1 AND status = ?6",
        params![id, to.as_str(), reason, resource_id, now(), from.as_str()],
    )?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn new(title: &str) -> NewSubmission {
        let mut fields = Map::new();
        fields.insert("title".into(), Value::String(title.into()));
        NewSubmission {
            fields,
            body: "Body".into(),
            title: title.into(),
            key_id: None,
            client_ip: Some("192.0.2.1".into()),
        }
    }

    /// A queued submission reads back the same by token and by id, and status changes stick.
    #[test]
    fn insert_read_and_change_status() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_in(dir.path()).expect("open");
        let s = store.with(|c| insert(c, new("One"))).expect("insert");
        let again = store
            .with(|c| by_token(c, &s.token))
            .expect("read")
            .expect("found");
        assert_eq!(again.id, s.id);
        assert_eq!(again.fields["title"], "One");
        assert_eq!(again.status, Status::Pending);
        let rejected = |c: &mut Connection| {
            set_status(
                c,
                s.id,
                Status::Pending,
                Status::Rejected,
                Some("off topic"),
                None,
            )
        };
        assert!(store.with(rejected).expect("reject"));
        assert!(
            !store.with(rejected).expect("second decision"),
            "a decision taken on a status that has changed applies nothing"
        );
        let after = store
            .with(|c| by_id(c, s.id))
            .expect("read")
            .expect("found");
        assert_eq!(after.status, Status::Rejected);
        assert_eq!(after.reason.as_deref(), Some("off topic"));
        assert_eq!(
            after.client_ip, None,
            "the address is forgotten once decided"
        );
        assert!(
            store
                .with(|c| list(c, &[Status::Pending], 10))
                .expect("list")
                .is_empty()
        );
    }
}
