//! Cluster mode's store: the same records as the SQLite file (submissions,
//! people, sessions, API keys, audit log) plus published resources and
//! quota counters, in PostgreSQL, shared by every replica. The tables and
//! their migrations are in [`kb_indexer::cluster`], which `kb-index import`
//! uses too.
//!
//! Connections come from a `deadpool-postgres` pool. When PostgreSQL cannot
//! be reached, operations fail with [`StoreError::Unavailable`], which the
//! routes answer `503` with `Retry-After`; searches never come here.

use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use kb_indexer::cluster::{self, ClusterError};
use serde_json::{Map, Value};
use tokio_postgres::{NoTls, Row};

use super::accounts::{self, Role, User, key_hash};
use super::{AuditEntry, NewSubmission, Status, StoreError, Submission, now, random_hex};

/// Most connections one replica opens.
const POOL_SIZE: usize = 16;

/// How long a request waits to connect or for a free connection before it
/// is answered 503.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        // Errors without an SQL state are the connection's (refused, closed,
        // timed out); class 57 and 08 are the server shutting down or the
        // link failing. Both mean "try again later", not a bug.
        match e.code().map(|c| c.code()) {
            None => StoreError::Unavailable(e.to_string()),
            Some(code) if code.starts_with("57") || code.starts_with("08") => {
                StoreError::Unavailable(e.to_string())
            }
            Some(_) => StoreError::Postgres(e.to_string()),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            other => StoreError::Unavailable(other.to_string()),
        }
    }
}

impl From<ClusterError> for StoreError {
    fn from(e: ClusterError) -> Self {
        match e {
            ClusterError::Postgres(e) => e.into(),
            other => StoreError::Postgres(other.to_string()),
        }
    }
}

/// The PostgreSQL store of one replica (a pool of connections).
pub struct PgStore {
    pool: Pool,
    url: String,
}

const SUBMISSION_COLUMNS: &str = "id, token, status, fields, body, title, reason, resource_id, key_id, client_ip, created_at, updated_at";

fn submission(row: &Row) -> Result<Submission, StoreError> {
    let status: String = row.try_get(2)?;
    let fields: String = row.try_get(3)?;
    let id: i64 = row.try_get(0)?;
    Ok(Submission {
        id,
        token: row.try_get(1)?,
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status `{status}`")))?,
        fields: serde_json::from_str(&fields)
            .map_err(|e| StoreError::Corrupt(format!("fields of submission {id}: {e}")))?,
        body: row.try_get(4)?,
        title: row.try_get(5)?,
        reason: row.try_get(6)?,
        resource_id: row.try_get(7)?,
        key_id: row.try_get(8)?,
        client_ip: row.try_get(9)?,
        created_at: row.try_get(10)?,
        updated_at: row.try_get(11)?,
    })
}

/// Open statuses as SQL, for the conditional updates.
const OPEN: &str = "('pending', 'changes-requested')";

impl PgStore {
    /// Connect to `url`, run the migrations, and keep a pool.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StoreError::Postgres(format!("bad database URL: {e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Postgres(e.to_string()))?;
        let mut client = cluster::connect(url).await?;
        cluster::migrate(&mut client).await?;
        Ok(Self {
            pool,
            url: url.to_string(),
        })
    }

    /// The URL it was opened with (replicas open their own listening connection).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A pooled connection.
    pub async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }

    /// A published resource's file text (front matter and Markdown body).
    pub async fn resource_source(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .client()
            .await?
            .query_opt("SELECT markdown FROM resources WHERE id = $1", &[&id])
            .await?
            .map(|row| row.get(0)))
    }

    /// Queue a submission; returns it once committed.
    pub async fn insert_submission(&self, new: NewSubmission) -> Result<Submission, StoreError> {
        let token = random_hex(32)?;
        let at = now();
        let fields = Value::Object(new.fields.clone()).to_string();
        let row = self
            .client()
            .await?
            .query_one(
                "INSERT INTO submissions (token, status, fields, body, title, key_id, client_ip, created_at, updated_at)
                 VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                &[&token, &fields, &new.body, &new.title, &new.key_id, &new.client_ip, &at],
            )
            .await?;
        Ok(Submission {
            id: row.try_get(0)?,
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

    async fn one_submission(
        &self,
        filter: &str,
        value: &(dyn tokio_postgres::types::ToSql + Sync),
    ) -> Result<Option<Submission>, StoreError> {
        self.client()
            .await?
            .query_opt(
                &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE {filter} = $1"),
                &[value],
            )
            .await?
            .as_ref()
            .map(submission)
            .transpose()
    }

    /// A submission by its status-page token.
    pub async fn submission_by_token(&self, token: &str) -> Result<Option<Submission>, StoreError> {
        self.one_submission("token", &token).await
    }

    /// A submission by its queue number.
    pub async fn submission_by_id(&self, id: i64) -> Result<Option<Submission>, StoreError> {
        self.one_submission("id", &id).await
    }

    /// Open submissions (oldest first) and recently decided ones (newest first).
    pub async fn queue(
        &self,
        open: usize,
        decided: usize,
    ) -> Result<(Vec<Submission>, Vec<Submission>), StoreError> {
        let client = self.client().await?;
        let open_rows = client
            .query(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE status IN {OPEN} ORDER BY id LIMIT $1"
                ),
                &[&(open as i64)],
            )
            .await?;
        let decided_rows = client
            .query(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE status IN ('approved', 'rejected')
                     ORDER BY updated_at DESC, id DESC LIMIT $1"
                ),
                &[&(decided as i64)],
            )
            .await?;
        Ok((
            open_rows.iter().map(submission).collect::<Result<_, _>>()?,
            decided_rows
                .iter()
                .map(submission)
                .collect::<Result<_, _>>()?,
        ))
    }

    /// Replace an open submission's content and log the edit; false if it
    /// was decided meanwhile.
    pub async fn edit_submission(
        &self,
        id: i64,
        fields: &Map<String, Value>,
        body: &str,
        title: &str,
        actor: &str,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let changed = tx
            .execute(
                &format!(
                    "UPDATE submissions SET fields = $2, body = $3, title = $4, updated_at = $5
                     WHERE id = $1 AND status IN {OPEN}"
                ),
                &[
                    &id,
                    &Value::Object(fields.clone()).to_string(),
                    &body,
                    &title,
                    &now(),
                ],
            )
            .await?;
        if changed == 0 {
            return Ok(false);
        }
        audit(&tx, actor, "edited", Some(id), detail).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Reject or send back a submission, in one conditional update from
    /// the status the editor saw: of two editors deciding at once, exactly
    /// one gets `true`.
    pub async fn decide(
        &self,
        id: i64,
        seen: Status,
        status: Status,
        reason: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if !set_status_if(&tx, id, seen, status, Some(reason), None).await? {
            return Ok(false);
        }
        audit(&tx, actor, status.as_str(), Some(id), reason).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The user with this login name and their password hash.
    pub async fn login_record(&self, name: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT id, role, password_hash FROM users WHERE name = $1",
                &[&name],
            )
            .await?;
        row.map(|r| {
            Ok((
                User {
                    id: r.try_get(0)?,
                    name: name.to_string(),
                    role: accounts::role(r.try_get(1)?)?,
                },
                r.try_get(2)?,
            ))
        })
        .transpose()
    }

    /// Add a person; fails with `Conflict` if the name is taken.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<User, StoreError> {
        let hash = accounts::hash_password(password)?;
        let row = self
            .client()
            .await?
            .query_opt(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING RETURNING id",
                &[&name, &role.as_str(), &hash, &now()],
            )
            .await?;
        let Some(row) = row else {
            return Err(StoreError::Conflict(format!(
                "there is already an account named `{name}`"
            )));
        };
        Ok(User {
            id: row.try_get(0)?,
            name: name.to_string(),
            role,
        })
    }

    /// A new session for `user_id` (the login is logged as `actor`):
    /// returns `(session id, CSRF token)`. Any replica finds it.
    pub async fn create_session(
        &self,
        user_id: i64,
        ttl_seconds: i64,
        actor: &str,
    ) -> Result<(String, String), StoreError> {
        let (sid, csrf) = (random_hex(32)?, random_hex(32)?);
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "INSERT INTO sessions (id, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
            &[&key_hash(&sid), &user_id, &csrf, &(now() + ttl_seconds)],
        )
        .await?;
        tx.execute("DELETE FROM sessions WHERE expires_at < $1", &[&now()])
            .await?;
        audit(&tx, actor, "login", None, "").await?;
        tx.commit().await?;
        Ok((sid, csrf))
    }

    /// The user and CSRF token of a live session.
    pub async fn session(&self, sid: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT u.id, u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.id = $1 AND s.expires_at > $2",
                &[&key_hash(sid), &now()],
            )
            .await?;
        row.map(|r| {
            Ok((
                User {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    role: accounts::role(r.try_get(2)?)?,
                },
                r.try_get(3)?,
            ))
        })
        .transpose()
    }

    /// End a session.
    pub async fn delete_session(&self, sid: &str) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute("DELETE FROM sessions WHERE id = $1", &[&key_hash(sid)])
            .await?;
        Ok(())
    }

    /// The newest audit rows first.
    pub async fn audit_recent(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT at, actor, action, submission_id, detail FROM audit ORDER BY id DESC LIMIT $1",
                &[&(limit as i64)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    action: r.try_get(2)?,
                    submission_id: r.try_get(3)?,
                    detail: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Count one event in `bucket` for the current window of `window`
    /// seconds, shared by every replica; `Err(seconds)` to wait when the
    /// count is past `limit`.
    pub async fn count_quota(
        &self,
        bucket: &str,
        limit: u32,
        window: i64,
    ) -> Result<Result<(), u64>, StoreError> {
        let at = now();
        let start = at - at.rem_euclid(window);
        let client = self.client().await?;
        let row = client
            .query_one(
                "INSERT INTO quota_counters (bucket, window_start, count) VALUES ($1, $2, 1)
                 ON CONFLICT (bucket, window_start) DO UPDATE SET count = quota_counters.count + 1
                 RETURNING count",
                &[&bucket, &start],
            )
            .await?;
        let count: i64 = row.try_get(0)?;
        if count == 1 {
            // First in a new window: forget windows long past.
            client
                .execute(
                    "DELETE FROM quota_counters WHERE window_start < $1",
                    &[&(start - 3600)],
                )
                .await?;
        }
        Ok(if count > i64::from(limit) {
            Err(u64::try_from(start + window - at).unwrap_or(1).max(1))
        } else {
            Ok(())
        })
    }
}

/// Add an audit row in a transaction.
pub(crate) async fn audit(
    tx: &tokio_postgres::Transaction<'_>,
    actor: &str,
    action: &str,
    submission_id: Option<i64>,
    detail: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit (at, actor, action, submission_id, detail) VALUES ($1, $2, $3, $4, $5)",
        &[&now(), &actor, &action, &submission_id, &detail],
    )
    .await?;
    Ok(())
}

/// Move a submission from `seen` (an open status) to `status`; false (and
/// nothing changed) if it is no longer `seen`. The client address is
/// forgotten once decided.
pub(crate) async fn set_status_if(
    tx: &tokio_postgres::Transaction<'_>,
    id: i64,
    seen: Status,
    status: Status,
    reason: Option<&str>,
    resource_id: Option<&str>,
) -> Result<bool, StoreError> {
    let changed = tx
        .execute(
            &format!(
                "UPDATE submissions SET status = $2, reason = $3, resource_id = COALESCE($4, resource_id),
                     updated_at = $5,
                     client_ip = CASE WHEN $2 IN ('approved', 'rejected') THEN NULL ELSE client_ip END
                 WHERE id = $1 AND status = $6 AND status IN {OPEN}"
            ),
            &[&id, &status.as_str(), &reason, &resource_id, &now(), &seen.as_str()],
        )
        .await?;
    Ok(changed == 1)
}

/// What an approval in cluster mode came to.
#[derive(Debug)]
pub enum Approval {
    /// Published as this resource id by change number `seq`.
    Published {
        /// The resource's id.
        resource_id: String,
        /// Its change number; the resource is searchable on a replica once
        /// that replica applied it.
        seq: i64,
    },
    /// Already decided (by someone else, maybe on another replica).
    NotOpen(Submission),
    /// No such submission.
    NotFound,
    /// The submission breaks the resource rules (field to message).
    Invalid(std::collections::BTreeMap<String, String>),
}

impl PgStore {
    /// Approve submission `id`: in one transaction, lock it, check it with
    /// `check`, choose a free id `<year>/<slug>` (`-2`, `-3`... when taken),
    /// store the resource with its change-log row, mark the submission
    /// approved and log it. Only from the status the editor saw (`seen`). Of
    /// two editors approving at once, one publishes
    /// and the other gets [`Approval::NotOpen`].
    pub async fn approve(
        &self,
        id: i64,
        seen: Status,
        actor: &str,
        vocab: &kb_indexer::vocabulary::Vocabularies,
        check: impl Fn(
            &Map<String, Value>,
            &str,
        ) -> Result<
            kb_indexer::resource::Resource,
            std::collections::BTreeMap<String, String>,
        >,
    ) -> Result<Approval, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(row) = tx
            .query_opt(
                &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE id = $1 FOR UPDATE"),
                &[&id],
            )
            .await?
        else {
            return Ok(Approval::NotFound);
        };
        let s = submission(&row)?;
        if !s.status.is_open() || s.status != seen {
            return Ok(Approval::NotOpen(s));
        }
        let resource = match check(&s.fields, &s.body) {
            Ok(r) => r,
            Err(errors) => return Ok(Approval::Invalid(errors)),
        };
        cluster::lock_head(&tx).await?;
        let year = resource.year.to_string();
        let base = crate::search::title_slug(&resource.title);
        let mut chosen = None;
        for n in 1..=1000 {
            let slug = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let candidate_id = format!("{year}/{slug}");
            let path = format!("{candidate_id}.md");
            let taken = tx
                .query_opt(
                    "SELECT 1 FROM resources WHERE id = $1 OR path = $2",
                    &[&candidate_id, &path],
                )
                .await?
                .is_some();
            if !taken {
                chosen = Some((candidate_id, path));
                break;
            }
        }
        let Some((resource_id, path)) = chosen else {
            return Err(StoreError::Conflict(format!("no free id for `{base}`")));
        };
        let mut candidate = resource;
        candidate.id = resource_id.clone();
        let text = candidate.to_markdown();
        // Read back as a replica will before storing it: what replicas index
        // is exactly what was checked.
        kb_indexer::corpus::parse_resource(&text, &path, vocab).map_err(|problems| {
            StoreError::Corrupt(
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let seq = cluster::put_resource(&tx, &resource_id, &path, Some(&text))
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("{resource_id} was not written")))?;
        set_status_if(&tx, id, seen, Status::Approved, None, Some(&resource_id)).await?;
        audit(
            &tx,
            actor,
            "approved",
            Some(id),
            &format!("published as {resource_id} ({path})"),
        )
        .await?;
        tx.commit().await?;
        Ok(Approval::Published { resource_id, seq })
    }
}
