//! Who is calling: the caller of the JSON API (its key, checked by
//! [`crate::keys`], or anonymous), login sessions on the editor pages, CSRF
//! tokens on every form, and the client address for rate limits.
//!
//! - A session is a random id in an `HttpOnly; SameSite=Lax; Path=/` cookie
//!   (and `Secure` when `--secure-cookies` is set), looked up in SQLite with
//!   its expiry. Each session has its own CSRF token, put in a hidden field
//!   of every form and checked on every POST.
//! - Forms shown before login (`/login`, `/submit`) use a double-submit
//!   token: the same random value in a cookie and in a hidden field.
//! - Editor pages answer an anonymous visitor with a redirect to `/login`,
//!   and a caller with an API key with 403: keys never moderate.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::keys::api_key_secret;
use crate::state::AppState;
use crate::store::{ApiKey, Role, User};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "kb_session";
/// Name of the double-submit CSRF cookie of forms shown before login.
pub const FORM_COOKIE: &str = "kb_form";
/// How long a login lasts, in seconds (12 hours).
pub const SESSION_TTL_SECONDS: i64 = 12 * 3600;

/// The value of cookie `name`, if sent (parsed by the `cookie` crate; a
/// malformed pair is skipped, not an error).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// A `Set-Cookie` value with the attributes every cookie of ours carries:
/// `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` when asked.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    Cookie::build((name.to_string(), value.to_string()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age))
        .secure(secure)
        .build()
        .to_string()
}

/// Compare two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The client's address for rate limits: the socket's peer (`unknown` in
/// tests without one), or, when `trusted_proxy` is set, the last
/// `X-Forwarded-For` entry: the one our own proxy appended. Earlier entries
/// come from the client and prove nothing; without a trusted proxy the
/// header is ignored altogether, since any client can send it.
pub fn client_ip(parts: &Parts, trusted_proxy: bool) -> String {
    if trusted_proxy {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|entry| !entry.is_empty())
            .and_then(|entry| entry.parse::<std::net::IpAddr>().ok());
        if let Some(ip) = forwarded {
            return ip.to_string();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

/// The client's address as an extractor (see [`client_ip`]).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, state.settings.trusted_proxy)))
    }
}

/// The caller of a JSON API route: its live API key, or anonymous.
pub struct ApiCaller {
    /// The key, when one was sent.
    pub key: Option<ApiKey>,
    /// The client address.
    pub ip: String,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = std::convert::Infallible;

    /// The key was looked up and counted once, by [`crate::keys::enforce`].
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self {
            key: parts.extensions.get::<ApiKey>().cloned(),
            ip: client_ip(parts, state.settings.trusted_proxy),
        })
    }
}

/// A logged-in editor or admin.
pub struct Editor {
    /// The person.
    pub user: User,
    /// The session's CSRF token.
    pub csrf: String,
    /// The session id.
    pub session_id: String,
}

impl Editor {
    /// Whether a submitted form's token is this session's.
    pub fn csrf_ok(&self, given: &str) -> bool {
        same_secret(&self.csrf, given)
    }
}

/// Why an editor page was refused.
pub enum StaffRejection {
    /// Not logged in: go to the login page, then back to `next`.
    Login(String),
    /// Logged in (or keyed) but not allowed.
    Forbidden(&'static str),
    /// Our side failed.
    Internal(AppError),
}

impl IntoResponse for StaffRejection {
    fn into_response(self) -> Response {
        match self {
            StaffRejection::Login(next) => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                Redirect::to(&format!("/login?next={next}")).into_response()
            }
            StaffRejection::Forbidden(why) => AppError::Forbidden(why.into()).into_response(),
            StaffRejection::Internal(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Editor {
    type Rejection = StaffRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, StaffRejection> {
        if api_key_secret(&parts.headers).is_some() {
            return Err(StaffRejection::Forbidden(
                "API keys cannot use the editor pages; log in as an editor instead.",
            ));
        }
        // After login, come back to the page asked for; a form post cannot
        // be replayed as a GET, so those go back to the queue.
        let next = match parts.uri.path_and_query() {
            Some(p) if parts.method == axum::http::Method::GET => p.as_str().to_string(),
            _ => "/moderation".to_string(),
        };
        let Some(sid) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(StaffRejection::Login(next));
        };
        let lookup = sid.clone();
        let found = state
            .db
            .session(lookup)
            .await
            .map_err(|e| StaffRejection::Internal(e.into()))?;
        match found {
            Some((user, csrf)) if user.role.can_moderate() => Ok(Self {
                user,
                csrf,
                session_id: sid,
            }),
            Some(_) => Err(StaffRejection::Forbidden("Your account may not moderate.")),
            None => Err(StaffRejection::Login(next)),
        }
    }
}

/// A logged-in admin.
pub struct Admin(pub Editor);

impl FromRequestParts<AppState> for Admin {
    type Rejection = StaffRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, StaffRejection> {
        let editor = Editor::from_request_parts(parts, state).await?;
        if editor.user.role == Role::Admin {
            Ok(Admin(editor))
        } else {
            Err(StaffRejection::Forbidden("Only admins can see this page."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys are read from either header, and cookies from a multi-cookie header.
    #[test]
    fn headers_are_read() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, "Bearer kb_abc".parse().expect("h"));
        assert_eq!(api_key_secret(&h).as_deref(), Some("kb_abc"));
        let mut h = HeaderMap::new();
        h.insert("x-api-key", "kb_def".parse().expect("h"));
        assert_eq!(api_key_secret(&h).as_deref(), Some("kb_def"));
        h.insert(header::COOKIE, "a=1; kb_session=xyz".parse().expect("h"));
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("xyz"));
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }

    /// `X-Forwarded-For` decides the rate-limit address only behind a trusted
    /// proxy, and then only its last entry (earlier ones are the client's word).
    #[test]
    fn forwarded_for_is_trusted_only_when_configured() {
        let request = axum::http::Request::builder()
            .header("x-forwarded-for", "203.0.113.9, 198.51.100.7")
            .header("x-forwarded-for", "192.0.2.1")
            .body(())
            .expect("request");
        let (mut parts, ()) = request.into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 2], 4000))));
        assert_eq!(client_ip(&parts, false), "10.0.0.2");
        assert_eq!(client_ip(&parts, true), "192.0.2.1");
        parts.headers.remove("x-forwarded-for");
        assert_eq!(client_ip(&parts, true), "10.0.0.2", "no header: the peer");
    }
}
