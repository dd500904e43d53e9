//! Contributors' and editors' rights over their personal data (UK GDPR):
//! a copy of everything held about them, erasure, and the retention purge.
//!
//! Erasure deletes the account (the API key, or the editor with their
//! sessions), anonymises the personal fields of their submissions (the
//! contributor's name, the client address, the link to the key), and keeps
//! the audit log whole with every entry of theirs under one pseudonym. The
//! ids of their published resources are returned so that the caller removes
//! the attribution from the corpus too.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

use super::accounts::User;
use super::audit::{self, AuditEntry};
use super::keys::ApiKey;
use super::submissions::{self, Submission};
use super::{StoreError, now, random_hex};

/// Everything held about one person, as they download it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    /// When the copy was made (Unix time).
    pub exported_at: i64,
    /// The account: the API key's record (`kind: api_key`, with `key`) or
    /// the editor's (`kind: editor`).
    #[schema(value_type = Object)]
    pub account: Value,
    /// Submissions sent with the key (with every field and the client address).
    pub submissions: Vec<Submission>,
    /// Audit entries where they are the actor.
    pub audit: Vec<AuditEntry>,
    /// Editors' sessions: when each ends (never the session secret).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub sessions: Vec<Value>,
}

/// What an erasure changed.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Erasure {
    /// The name the audit log now uses for them.
    pub pseudonym: String,
    /// Submissions whose personal fields were removed.
    pub submissions_anonymised: usize,
    /// Audit entries moved to the pseudonym.
    pub audit_entries_pseudonymised: usize,
    /// Published resources that came from their submissions: the caller
    /// removes the attribution from each.
    pub published: Vec<String>,
}

/// The audit actor name of an API key.
pub fn key_actor(key_id: i64) -> String {
    format!("key:{key_id}")
}

fn audit_of(conn: &Connection, actor: &str) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT at, actor, action, submission_id, detail FROM audit WHERE actor = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([actor], |r| {
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

fn submissions_of_key(conn: &Connection, key_id: i64) -> Result<Vec<Submission>, StoreError> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM submissions WHERE key_id = ?1 ORDER BY id")?
        .query_map([key_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(s) = submissions::by_id(conn, id)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// Everything held about the holder of an API key.
pub fn export_key(conn: &Connection, key: &ApiKey) -> Result<Export, StoreError> {
    Ok(Export {
        exported_at: now(),
        account: json!({"kind": "api_key", "key": key}),
        submissions: submissions_of_key(conn, key.id)?,
        audit: audit_of(conn, &key_actor(key.id))?,
        sessions: Vec::new(),
    })
}

/// Everything held about an editor or admin.
pub fn export_user(conn: &Connection, user: &User) -> Result<Export, StoreError> {
    let created_at: Option<i64> = conn
        .query_row(
            "SELECT created_at FROM users WHERE id = ?1",
            [user.id],
            |r| r.get(0),
        )
        .optional()?;
    let sessions = conn
        .prepare("SELECT expires_at FROM sessions WHERE user_id = ?1 ORDER BY expires_at")?
        .query_map([user.id], |r| r.get::<_, i64>(0))?
        .map(|e| e.map(|at| json!({"expires_at": at})))
        .collect::<Result<_, _>>()?;
    Ok(Export {
        exported_at: now(),
        account: json!({
            "kind": "editor",
            "id": user.id,
            "name": user.name,
            "role": user.role.as_str(),
            "created_at": created_at,
            "password": "stored only as a one-way argon2 hash, never shown",
        }),
        submissions: Vec::new(),
        audit: audit_of(conn, &user.name)?,
        sessions,
    })
}

fn pseudonym() -> Result<String, StoreError> {
    Ok(format!("erased-{}", random_hex(6)?))
}

fn pseudonymise(conn: &Connection, actor: &str, pseudonym: &str) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "UPDATE audit SET actor = ?2 WHERE actor = ?1",
        params![actor, pseudonym],
    )?)
}

/// Erase the holder of an API key: delete the key, anonymise their
/// submissions, pseudonymise their audit entries. One transaction.
pub fn erase_key(conn: &mut Connection, key_id: i64) -> Result<Erasure, StoreError> {
    let pseudonym = pseudonym()?;
    let tx = conn.transaction()?;
    let mut published = Vec::new();
    let mut anonymised = 0;
    let rows: Vec<(i64, String, Option<String>)> = tx
        .prepare("SELECT id, fields, resource_id FROM submissions WHERE key_id = ?1")?
        .query_map([key_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (id, fields, resource_id) in rows {
        let mut fields: serde_json::Map<String, Value> = serde_json::from_str(&fields)
            .map_err(|e| StoreError::Corrupt(format!("fields of submission {id}: {e}")))?;
        fields.remove("contributor");
        tx.execute(
            "UPDATE submissions SET fields = ?2, key_id = NULL, client_ip = NULL, updated_at = ?3 WHERE id = ?1",
            params![id, Value::Object(fields).to_string(), now()],
        )?;
        anonymised += 1;
        if let Some(resource_id) = resource_id {
            published.push(resource_id);
        }
    }
    let moved = pseudonymise(&tx, &key_actor(key_id), &pseudonym)?;
    tx.execute("DELETE FROM api_keys WHERE id = ?1", [key_id])?;
    audit::record(
        &tx,
        &pseudonym,
        "erased",
        None,
        "API key holder's data erased on request",
    )?;
    tx.commit()?;
    Ok(Erasure {
        pseudonym,
        submissions_anonymised: anonymised,
        audit_entries_pseudonymised: moved,
        published,
    })
}

/// Erase an editor: delete the account and its sessions, pseudonymise their
/// audit entries. One transaction.
pub fn erase_user(conn: &mut Connection, user: &User) -> Result<Erasure, StoreError> {
    let pseudonym = pseudonym()?;
    let tx = conn.transaction()?;
    let moved = pseudonymise(&tx, &user.name, &pseudonym)?;
    tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user.id])?;
    tx.execute("DELETE FROM users WHERE id = ?1", [user.id])?;
    audit::record(
        &tx,
        &pseudonym,
        "erased",
        None,
        "editor account erased on request",
    )?;
    tx.commit()?;
    Ok(Erasure {
        pseudonym,
        submissions_anonymised: 0,
        audit_entries_pseudonymised: moved,
        published: Vec::new(),
    })
}

/// What a retention purge deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Rejected submissions last changed before the cut-off.
    pub rejected_submissions: usize,
    /// Sessions that expired before the cut-off.
    pub expired_sessions: usize,
}

/// Delete rejected submissions and expired sessions older than `days` days.
pub fn purge(conn: &Connection, days: u32, at: i64) -> Result<Purged, StoreError> {
    let cutoff = at - i64::from(days) * 86_400;
    let rejected_submissions = conn.execute(
        "DELETE FROM submissions WHERE status = 'rejected' AND updated_at < ?1",
        [cutoff],
    )?;
    let expired_sessions = conn.execute("DELETE FROM sessions WHERE expires_at < ?1", [cutoff])?;
    Ok(Purged {
        rejected_submissions,
        expired_sessions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::accounts::Role;
    use crate::store::keys;
    use crate::store::submissions::{NewSubmission, Status};
    use crate::store::{Store, submissions as subs};

    fn submit(conn: &mut Connection, key_id: Option<i64>, contributor: &str) -> Submission {
        let mut fields = serde_json::Map::new();
        fields.insert("title".into(), json!("A title"));
        fields.insert("contributor".into(), json!(contributor));
        subs::insert(
            conn,
            NewSubmission {
                fields,
                body: "Body".into(),
                title: "A title".into(),
                key_id,
                client_ip: Some("192.0.2.7".into()),
            },
        )
        .expect("insert")
    }

    /// Erasing a key holder removes their name, address and key from the
    /// store, keeps the submission's content, and keeps the audit log whole
    /// under a pseudonym.
    #[test]
    fn erasing_a_key_anonymises_and_pseudonymises() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_in(dir.path()).expect("open");
        store
            .with(|c| {
                let (key, _) = keys::create_key(c, "Ann's key", Role::Contributor, 5)?;
                let s = submit(c, Some(key.id), "Ann Jones");
                audit::record(c, &key_actor(key.id), "submitted", Some(s.id), "")?;
                let copy = export_key(c, &key)?;
                assert_eq!(copy.submissions.len(), 1);
                assert_eq!(copy.audit.len(), 1);
                let erased = erase_key(c, key.id)?;
                assert_eq!(erased.submissions_anonymised, 1);
                assert_eq!(erased.audit_entries_pseudonymised, 1);
                let after = subs::by_id(c, s.id)?.expect("kept");
                assert_eq!(after.body, "Body");
                assert!(after.fields.get("contributor").is_none());
                assert!(after.client_ip.is_none() && after.key_id.is_none());
                assert!(keys::list_keys(c)?.is_empty());
                let all = audit::recent(c, 10)?;
                assert!(all.iter().all(|e| e.actor == erased.pseudonym), "{all:?}");
                Ok(())
            })
            .expect("store");
    }

    /// The purge deletes rejected submissions and expired sessions older
    /// than the retention period, and nothing else.
    #[test]
    fn purge_keeps_recent_and_undecided_work() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_in(dir.path()).expect("open");
        store
            .with(|c| {
                let old = submit(c, None, "A");
                let pending = submit(c, None, "B");
                subs::set_status(
                    c,
                    old.id,
                    Status::Pending,
                    Status::Rejected,
                    Some("off topic"),
                    None,
                )?;
                let later = now() + 200 * 86_400;
                let purged = purge(c, 180, later)?;
                assert_eq!(purged.rejected_submissions, 1);
                assert!(subs::by_id(c, old.id)?.is_none());
                assert!(subs::by_id(c, pending.id)?.is_some());
                assert_eq!(purge(c, 180, now())?.rejected_submissions, 0);
                Ok(())
            })
            .expect("store");
    }
}
