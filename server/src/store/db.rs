//! [`Db`]: the one store interface the routes use, over the embedded SQLite
//! file (one machine) or PostgreSQL (cluster mode, `KB_DATABASE_URL`).
//!
//! Both backends keep the same promises: a call that returned has
//! committed; decisions on a submission are conditional updates, so of two
//! editors deciding at once exactly one wins; sessions and keys are found
//! wherever they were made (for PostgreSQL, on any replica).

use std::sync::Arc;

use rusqlite::params;
use serde_json::{Map, Value};

use super::accounts::{self, Role, User};
use super::{AuditEntry, NewSubmission, PgStore, Status, Store, StoreError, Submission};
use super::{audit, now, submissions};

/// The store of record for everything but published resources (embedded
/// mode) or for everything (cluster mode).
#[derive(Clone)]
pub enum Db {
    /// `<data>/kb.sqlite3`; published resources live in the corpus folder.
    Sqlite(Arc<Store>),
    /// PostgreSQL shared by every replica.
    Postgres(Arc<PgStore>),
}

/// Open statuses as SQL, for the conditional updates.
const OPEN: &str = "('pending', 'changes-requested')";

impl Db {
    /// The PostgreSQL store, in cluster mode.
    pub fn postgres(&self) -> Option<&Arc<PgStore>> {
        match self {
            Db::Postgres(pg) => Some(pg),
            Db::Sqlite(_) => None,
        }
    }

    /// A published resource's file text, front matter and Markdown body, in
    /// cluster mode; `None` in embedded mode, where the corpus file is the
    /// store of record and the search engine reads it.
    pub async fn resource_source(&self, id: &str) -> Result<Option<String>, StoreError> {
        match self {
            Db::Postgres(pg) => pg.resource_source(id).await,
            Db::Sqlite(_) => Ok(None),
        }
    }

    /// Queue a submission; returns it with its id and token once committed.
    pub async fn insert_submission(&self, new: NewSubmission) -> Result<Submission, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| submissions::insert(c, new)).await,
            Db::Postgres(pg) => pg.insert_submission(new).await,
        }
    }

    /// A submission by its status-page token.
    pub async fn submission_by_token(
        &self,
        token: String,
    ) -> Result<Option<Submission>, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| submissions::by_token(c, &token)).await,
            Db::Postgres(pg) => pg.submission_by_token(&token).await,
        }
    }

    /// A submission by its queue number.
    pub async fn submission_by_id(&self, id: i64) -> Result<Option<Submission>, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| submissions::by_id(c, id)).await,
            Db::Postgres(pg) => pg.submission_by_id(id).await,
        }
    }

    /// Up to `open` open submissions (oldest first) and `decided` recently
    /// decided ones (newest first).
    pub async fn queue(
        &self,
        open: usize,
        decided: usize,
    ) -> Result<(Vec<Submission>, Vec<Submission>), StoreError> {
        match self {
            Db::Sqlite(s) => {
                s.run(move |c| {
                    Ok((
                        submissions::list(c, &[Status::Pending, Status::ChangesRequested], open)?,
                        submissions::recently_decided(c, decided)?,
                    ))
                })
                .await
            }
            Db::Postgres(pg) => pg.queue(open, decided).await,
        }
    }

    /// Replace an open submission's content and log the edit; false if it
    /// was decided meanwhile.
    pub async fn edit_submission(
        &self,
        id: i64,
        fields: Map<String, Value>,
        body: String,
        title: String,
        actor: String,
        detail: String,
    ) -> Result<bool, StoreError> {
        match self {
            Db::Sqlite(s) => {
                s.run(move |c| {
                    let tx = c.transaction()?;
                    let changed = tx.execute(
                        &format!(
                            "UPDATE submissions SET fields = ?2, body = ?3, title = ?4, updated_at = ?5
                             WHERE id = ?1 AND status IN {OPEN}"
                        ),
                        params![id, Value::Object(fields).to_string(), body, title, now()],
                    )?;
                    if changed == 0 {
                        return Ok(false);
                    }
                    audit::record(&tx, &actor, "edited", Some(id), &detail)?;
                    tx.commit()?;
                    Ok(true)
                })
                .await
            }
            Db::Postgres(pg) => {
                pg.edit_submission(id, &fields, &body, &title, &actor, &detail)
                    .await
            }
        }
    }

    /// Reject or send back a submission with a reason, and log it, in one
    /// conditional update from the status the editor saw (`seen`, which must
    /// be an open one): false (nothing changed) if it is no longer that.
    pub async fn decide(
        &self,
        id: i64,
        seen: Status,
        status: Status,
        reason: String,
        actor: String,
    ) -> Result<bool, StoreError> {
        if !seen.is_open() {
            return Ok(false);
        }
        match self {
            Db::Sqlite(s) => {
                s.run(move |c| {
                    let tx = c.transaction()?;
                    if !submissions::set_status(&tx, id, seen, status, Some(&reason), None)? {
                        return Ok(false);
                    }
                    audit::record(&tx, &actor, status.as_str(), Some(id), &reason)?;
                    tx.commit()?;
                    Ok(true)
                })
                .await
            }
            Db::Postgres(pg) => pg.decide(id, seen, status, &reason, &actor).await,
        }
    }

    /// The user with this login name and their stored password hash.
    pub async fn login_record(&self, name: String) -> Result<Option<(User, String)>, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| accounts::login_record(c, &name)).await,
            Db::Postgres(pg) => pg.login_record(&name).await,
        }
    }

    /// Add a person; `Conflict` if the name is taken.
    pub async fn add_user(
        &self,
        name: String,
        role: Role,
        password: String,
    ) -> Result<User, StoreError> {
        match self {
            Db::Sqlite(s) => {
                s.run(move |c| accounts::add_user(c, &name, role, &password))
                    .await
            }
            Db::Postgres(pg) => pg.add_user(&name, role, &password).await,
        }
    }

    /// A new session, with the login in the audit log: `(session id, CSRF token)`.
    pub async fn create_session(
        &self,
        user_id: i64,
        ttl_seconds: i64,
        actor: String,
    ) -> Result<(String, String), StoreError> {
        match self {
            Db::Sqlite(s) => {
                s.run(move |c| {
                    let session = accounts::create_session(c, user_id, ttl_seconds)?;
                    audit::record(c, &actor, "login", None, "")?;
                    Ok(session)
                })
                .await
            }
            Db::Postgres(pg) => pg.create_session(user_id, ttl_seconds, &actor).await,
        }
    }

    /// The user and CSRF token of a live session.
    pub async fn session(&self, sid: String) -> Result<Option<(User, String)>, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| accounts::session(c, &sid)).await,
            Db::Postgres(pg) => pg.session(&sid).await,
        }
    }

    /// End a session.
    pub async fn delete_session(&self, sid: String) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| accounts::delete_session(c, &sid)).await,
            Db::Postgres(pg) => pg.delete_session(&sid).await,
        }
    }

    /// The newest audit rows first.
    pub async fn audit_recent(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| audit::recent(c, limit)).await,
            Db::Postgres(pg) => pg.audit_recent(limit).await,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! The same scenarios against both backends. The PostgreSQL runs need a
    //! server: `KB_TEST_DATABASE_URL` (a database the tests may fill), or a
    //! throw-away cluster started from Debian's `postgresql` package; without
    //! either they skip with the reason, and fail when `CI=true`.

    use super::*;
    use crate::store::test_postgres;

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

    /// Every backend under test: SQLite in a temp folder, and PostgreSQL
    /// when a server can be had.
    async fn backends() -> Vec<(Db, Box<dyn std::any::Any>)> {
        let dir = tempfile::tempdir().expect("dir");
        let sqlite = Db::Sqlite(Arc::new(Store::open_in(dir.path()).expect("open")));
        let mut all: Vec<(Db, Box<dyn std::any::Any>)> = vec![(sqlite, Box::new(dir))];
        if let Some(database) = test_postgres::fresh_database("store").await {
            let pg = PgStore::connect(&database.url).await.expect("connect");
            all.push((Db::Postgres(Arc::new(pg)), Box::new(database)));
        }
        all
    }

    fn name(db: &Db) -> &'static str {
        match db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// A queued submission reads back by token and id on either backend;
    /// a decision is a conditional update: the second decision on the same
    /// submission changes nothing and says so.
    #[tokio::test]
    async fn submissions_and_conditional_decisions() {
        for (db, _dir) in backends().await {
            let backend = name(&db);
            let s = db.insert_submission(new("One")).await.expect("insert");
            let by_token = db
                .submission_by_token(s.token.clone())
                .await
                .expect("read")
                .expect("found");
            assert_eq!(by_token.id, s.id, "{backend}");
            assert_eq!(by_token.fields["title"], "One", "{backend}");
            let (open, _) = db.queue(10, 10).await.expect("queue");
            assert_eq!(open.len(), 1, "{backend}");
            assert!(
                db.edit_submission(
                    s.id,
                    by_token.fields.clone(),
                    "New body".into(),
                    "One".into(),
                    "ed".into(),
                    "changed: body".into()
                )
                .await
                .expect("edit"),
                "{backend}"
            );
            let first = db.decide(
                s.id,
                Status::Pending,
                Status::Rejected,
                "off topic".into(),
                "ed".into(),
            );
            let second = db.decide(
                s.id,
                Status::Pending,
                Status::ChangesRequested,
                "fix".into(),
                "ann".into(),
            );
            let (first, second) = tokio::join!(first, second);
            let wins = [first.expect("decide"), second.expect("decide")];
            assert_eq!(
                wins.iter().filter(|w| **w).count(),
                1,
                "{backend}: exactly one decision wins: {wins:?}"
            );
            // Rejected is final: later decisions and edits change nothing.
            let after = db
                .submission_by_id(s.id)
                .await
                .expect("read")
                .expect("found");
            if after.status == Status::Rejected {
                assert_eq!(after.client_ip, None, "{backend}: address forgotten");
                assert!(
                    !db.decide(
                        s.id,
                        Status::Rejected,
                        Status::Rejected,
                        "again".into(),
                        "x".into()
                    )
                    .await
                    .expect("decide"),
                    "{backend}"
                );
            }
            assert_eq!(after.body, "New body", "{backend}");
            let audit = db.audit_recent(10).await.expect("audit");
            assert_eq!(audit.len(), 2, "{backend}: one edit and one decision");
        }
    }

    /// Accounts, sessions and keys behave the same on either backend:
    /// passwords check, sessions are found and end, keys work until revoked,
    /// a taken name is a conflict.
    #[tokio::test]
    async fn accounts_sessions_and_keys() {
        for (db, _dir) in backends().await {
            let backend = name(&db);
            let user = db
                .add_user("ed".into(), Role::Editor, "correct horse".into())
                .await
                .expect("add");
            assert!(
                matches!(
                    db.add_user("ed".into(), Role::Admin, "x".into()).await,
                    Err(StoreError::Conflict(_))
                ),
                "{backend}"
            );
            let record = db.login_record("ed".into()).await.expect("lookup");
            assert!(
                accounts::check_password(record, "correct horse").is_some(),
                "{backend}"
            );
            let (sid, csrf) = db
                .create_session(user.id, 60, "ed".into())
                .await
                .expect("session");
            let (found, found_csrf) = db
                .session(sid.clone())
                .await
                .expect("lookup")
                .expect("live");
            assert_eq!((found.id, found_csrf), (user.id, csrf), "{backend}");
            db.delete_session(sid.clone()).await.expect("logout");
            assert!(
                db.session(sid).await.expect("lookup").is_none(),
                "{backend}"
            );
            let (key, secret) = db
                .create_key("Portal".into(), Role::Partner, 60)
                .await
                .expect("key");
            assert_eq!(
                db.key_by_secret(secret.clone())
                    .await
                    .expect("lookup")
                    .map(|k| k.id),
                Some(key.id),
                "{backend}"
            );
            assert_eq!(db.list_keys().await.expect("list").len(), 1, "{backend}");
            assert!(db.revoke_key(key.id).await.expect("revoke"), "{backend}");
            assert!(
                db.key_by_secret(secret).await.expect("lookup").is_none(),
                "{backend}"
            );
        }
    }
}
