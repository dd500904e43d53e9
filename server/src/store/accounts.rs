//! People (editors and admins) with argon2 password hashes, their login
//! sessions, and the roles of people and API keys (the keys themselves are
//! in [`super::keys`]).
//!
//! Secrets are never stored: passwords as argon2id PHC strings, session ids
//! (and API keys) as SHA-256 hashes ([`key_hash`]: they are 32 random bytes,
//! so a fast hash is enough: a leaked database opens no session and no key).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{StoreError, hex, now, random_hex};

/// What an account or key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Moderates the queue.
    Editor,
    /// Moderates and reads the audit log.
    Admin,
    /// A partner portal's key: submits and reads, never moderates.
    Partner,
    /// A trusted contributor's key: submits, never moderates.
    Contributor,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Admin => "admin",
            Role::Partner => "partner",
            Role::Contributor => "contributor",
        }
    }

    /// Parse a stored or typed name.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "editor" => Role::Editor,
            "admin" => Role::Admin,
            "partner" => Role::Partner,
            "contributor" => Role::Contributor,
            _ => return None,
        })
    }

    /// Whether the role may use the moderation pages.
    pub fn can_moderate(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }
}

pub(crate) fn role(text: String) -> Result<Role, StoreError> {
    Role::parse(&text).ok_or_else(|| StoreError::Corrupt(format!("role `{text}`")))
}

/// A person who can log in.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    /// Account number.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// Editor or admin.
    pub role: Role,
}

/// Hash a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Random(e.to_string()))
}

/// Check a password against a stored argon2 hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// Add a person; fails if the name is taken.
pub fn add_user(
    conn: &Connection,
    name: &str,
    role: Role,
    password: &str,
) -> Result<User, StoreError> {
    if login_record(conn, name)?.is_some() {
        return Err(StoreError::Conflict(format!(
            "there is already an account named `{name}`"
        )));
    }
    let hash = hash_password(password)?;
    conn.execute(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, role.as_str(), hash, now()],
    )?;
    Ok(User {
        id: conn.last_insert_rowid(),
        name: name.to_string(),
        role,
    })
}

/// A user and their stored password hash, by login name.
pub fn login_record(conn: &Connection, name: &str) -> Result<Option<(User, String)>, StoreError> {
    let row: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT id, role, password_hash FROM users WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(id, role_name, hash)| {
        Ok((
            User {
                id,
                name: name.to_string(),
                role: role(role_name)?,
            },
            hash,
        ))
    })
    .transpose()
}

/// Check a password against what [`login_record`] found. Slow on purpose
/// (argon2): call it without holding the database lock.
pub fn check_password(record: Option<(User, String)>, password: &str) -> Option<User> {
    match record {
        Some((user, hash)) => verify_password(password, &hash).then_some(user),
        None => {
            // Spend the same time as a real check so that timing does not
            // tell which names exist.
            let _ = hash_password(password);
            None
        }
    }
}

/// The user with this name and password, if both match.
pub fn check_login(
    conn: &Connection,
    name: &str,
    password: &str,
) -> Result<Option<User>, StoreError> {
    Ok(check_password(login_record(conn, name)?, password))
}

/// A new login session: returns `(session id, CSRF token)`.
pub fn create_session(
    conn: &Connection,
    user_id: i64,
    ttl_seconds: i64,
) -> Result<(String, String), StoreError> {
    let (sid, csrf) = (random_hex(32)?, random_hex(32)?);
    conn.execute(
        "INSERT INTO sessions (id, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![key_hash(&sid), user_id, csrf, now() + ttl_seconds],
    )?;
    // Sweep expired sessions now and then, on logins, which are rare.
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", [now()])?;
    Ok((sid, csrf))
}

/// The user and CSRF token of a live session; `None` if unknown or expired.
pub fn session(conn: &Connection, sid: &str) -> Result<Option<(User, String)>, StoreError> {
    let row: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT u.id, u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id = ?1 AND s.expires_at > ?2",
            params![key_hash(sid), now()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    row.map(|(id, name, role_name, csrf)| {
        Ok((
            User {
                id,
                name,
                role: role(role_name)?,
            },
            csrf,
        ))
    })
    .transpose()
}

/// End a session.
pub fn delete_session(conn: &Connection, sid: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM sessions WHERE id = ?1", [key_hash(sid)])?;
    Ok(())
}

/// The stored form of a random secret (a session id or an API key).
pub(crate) fn key_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Passwords verify only when right, and are stored as argon2id hashes.
    #[test]
    fn passwords_are_hashed_and_checked() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_in(dir.path()).expect("open");
        store
            .with(|c| add_user(c, "ed", Role::Editor, "correct horse"))
            .expect("add");
        let stored: String = store
            .with(|c| Ok(c.query_row("SELECT password_hash FROM users", [], |r| r.get(0))?))
            .expect("hash");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(
            store
                .with(|c| check_login(c, "ed", "correct horse"))
                .expect("login")
                .is_some()
        );
        assert!(
            store
                .with(|c| check_login(c, "ed", "wrong"))
                .expect("login")
                .is_none()
        );
        assert!(
            store
                .with(|c| check_login(c, "nobody", "x"))
                .expect("login")
                .is_none()
        );
    }

    /// Sessions are found by their id, stored only as a hash, and expire.
    #[test]
    fn sessions_are_hashed_and_expire() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_in(dir.path()).expect("open");
        let user = store
            .with(|c| add_user(c, "ed", Role::Editor, "correct horse"))
            .expect("add");
        let (sid, csrf) = store
            .with(|c| create_session(c, user.id, 60))
            .expect("session");
        let stored: String = store
            .with(|c| Ok(c.query_row("SELECT id FROM sessions", [], |r| r.get(0))?))
            .expect("row");
        assert_ne!(stored, sid);
        let (found, found_csrf) = store
            .with(|c| session(c, &sid))
            .expect("lookup")
            .expect("live");
        assert_eq!((found.id, found_csrf), (user.id, csrf));
        let (old, _) = store
            .with(|c| create_session(c, user.id, -1))
            .expect("session");
        assert!(store.with(|c| session(c, &old)).expect("lookup").is_none());
        store.with(|c| delete_session(c, &sid)).expect("logout");
        assert!(store.with(|c| session(c, &sid)).expect("lookup").is_none());
    }
}
