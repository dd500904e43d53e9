//! API keys in the store: the record ([`ApiKey`]), and creating, listing,
//! revoking and looking keys up, in SQLite (functions over a connection),
//! PostgreSQL ([`PgStore`]) and through [`Db`]. The HTTP side (reading a key
//! from a request, its quota) is [`crate::keys`].
//!
//! A key is `kb_` and 32 random bytes in hex, shown once when it is created;
//! only its SHA-256 hash is stored ([`key_hash`]).

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use tokio_postgres::Row;

use super::accounts::{Role, key_hash, role};
use super::{Db, PgStore, StoreError, now, random_hex};

/// An API key's record (never the key itself).
#[derive(Debug, Clone, Serialize)]
pub struct ApiKey {
    /// Key number, used to revoke it.
    pub id: i64,
    /// Who it is for, e.g. "Partner portal".
    pub name: String,
    /// Partner or contributor.
    pub role: Role,
    /// Submissions allowed per minute.
    pub rate_limit: u32,
    /// Unix time created.
    pub created_at: i64,
    /// Unix time revoked, if it was.
    pub revoked_at: Option<i64>,
}

impl ApiKey {
    /// The record of a key just stored as number `id` at `at`.
    fn created(id: i64, name: &str, role: Role, rate_limit: u32, at: i64) -> Self {
        Self {
            id,
            name: name.to_string(),
            role,
            rate_limit,
            created_at: at,
            revoked_at: None,
        }
    }
}

/// A new key's secret: `kb_` and 32 random bytes in hex.
fn new_secret() -> Result<String, StoreError> {
    Ok(format!("kb_{}", random_hex(32)?))
}

const KEY_COLUMNS: &str = "id, name, role, rate_limit, created_at, revoked_at";

/// Create an API key: returns its record and the secret, which is shown once.
pub fn create_key(
    conn: &Connection,
    name: &str,
    role: Role,
    rate_limit: u32,
) -> Result<(ApiKey, String), StoreError> {
    let secret = new_secret()?;
    let at = now();
    conn.execute(
        "INSERT INTO api_keys (name, role, hash, rate_limit, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, role.as_str(), key_hash(&secret), rate_limit, at],
    )?;
    let key = ApiKey::created(conn.last_insert_rowid(), name, role, rate_limit, at);
    Ok((key, secret))
}

fn key_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ApiKey, String)> {
    Ok((
        ApiKey {
            id: r.get(0)?,
            name: r.get(1)?,
            role: Role::Partner,
            rate_limit: r.get(3)?,
            created_at: r.get(4)?,
            revoked_at: r.get(5)?,
        },
        r.get(2)?,
    ))
}

/// Every key, newest first.
pub fn list_keys(conn: &Connection) -> Result<Vec<ApiKey>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([], key_from_row)?;
    let mut out = Vec::new();
    for row in rows {
        let (mut key, role_name) = row?;
        key.role = role(role_name)?;
        out.push(key);
    }
    Ok(out)
}

/// Revoke a key; returns false if there is no such key.
pub fn revoke_key(conn: &Connection, id: i64) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
        params![id, now()],
    )?;
    Ok(changed > 0)
}

/// The live (not revoked) key with this secret.
pub fn key_by_secret(conn: &Connection, secret: &str) -> Result<Option<ApiKey>, StoreError> {
    let row = conn
        .query_row(
            &format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL"),
            [key_hash(secret)],
            key_from_row,
        )
        .optional()?;
    row.map(|(mut key, role_name)| {
        key.role = role(role_name)?;
        Ok(key)
    })
    .transpose()
}

fn api_key(row: &Row) -> Result<ApiKey, StoreError> {
    let rate: i64 = row.try_get(3)?;
    Ok(ApiKey {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        role: role(row.try_get(2)?)?,
        rate_limit: u32::try_from(rate).unwrap_or(u32::MAX),
        created_at: row.try_get(4)?,
        revoked_at: row.try_get(5)?,
    })
}

impl PgStore {
    /// Create an API key: its record and the secret, shown once.
    pub async fn create_key(
        &self,
        name: &str,
        role: Role,
        rate_limit: u32,
    ) -> Result<(ApiKey, String), StoreError> {
        let secret = new_secret()?;
        let at = now();
        let row = self
            .client()
            .await?
            .query_one(
                "INSERT INTO api_keys (name, role, hash, rate_limit, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[&name, &role.as_str(), &key_hash(&secret), &i64::from(rate_limit), &at],
            )
            .await?;
        let key = ApiKey::created(row.try_get(0)?, name, role, rate_limit, at);
        Ok((key, secret))
    }

    /// Every key, newest first.
    pub async fn list_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY id DESC"),
                &[],
            )
            .await?;
        rows.iter().map(api_key).collect()
    }

    /// Revoke a key; false if there is no such key.
    pub async fn revoke_key(&self, id: i64) -> Result<bool, StoreError> {
        let changed = self
            .client()
            .await?
            .execute(
                "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
                &[&id, &now()],
            )
            .await?;
        Ok(changed > 0)
    }

    /// The live key with this secret.
    pub async fn key_by_secret(&self, secret: &str) -> Result<Option<ApiKey>, StoreError> {
        self.client()
            .await?
            .query_opt(
                &format!(
                    "SELECT {KEY_COLUMNS} FROM api_keys WHERE hash = $1 AND revoked_at IS NULL"
                ),
                &[&key_hash(secret)],
            )
            .await?
            .as_ref()
            .map(api_key)
            .transpose()
    }
}

impl Db {
    /// Create an API key: its record and the secret, shown once.
    pub async fn create_key(
        &self,
        name: String,
        role: Role,
        rate_limit: u32,
    ) -> Result<(ApiKey, String), StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| create_key(c, &name, role, rate_limit)).await,
            Db::Postgres(pg) => pg.create_key(&name, role, rate_limit).await,
        }
    }

    /// Every key, newest first.
    pub async fn list_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(|c| list_keys(c)).await,
            Db::Postgres(pg) => pg.list_keys().await,
        }
    }

    /// Revoke a key; false if there is no such key.
    pub async fn revoke_key(&self, id: i64) -> Result<bool, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| revoke_key(c, id)).await,
            Db::Postgres(pg) => pg.revoke_key(id).await,
        }
    }

    /// The live key with this secret.
    pub async fn key_by_secret(&self, secret: String) -> Result<Option<ApiKey>, StoreError> {
        match self {
            Db::Sqlite(s) => s.run(move |c| key_by_secret(c, &secret)).await,
            Db::Postgres(pg) => pg.key_by_secret(&secret).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// A key works until it is revoked, and only its hash is stored.
    #[test]
    fn keys_work_until_revoked() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_in(dir.path()).expect("open");
        let (key, secret) = store
            .with(|c| create_key(c, "Portal", Role::Partner, 60))
            .expect("create");
        let found = store.with(|c| key_by_secret(c, &secret)).expect("lookup");
        assert_eq!(found.map(|k| k.id), Some(key.id));
        let stored: String = store
            .with(|c| Ok(c.query_row("SELECT hash FROM api_keys", [], |r| r.get(0))?))
            .expect("hash");
        assert_ne!(stored, secret);
        assert!(store.with(|c| revoke_key(c, key.id)).expect("revoke"));
        assert!(
            store
                .with(|c| key_by_secret(c, &secret))
                .expect("lookup")
                .is_none()
        );
    }
}
