//! API keys and quotas on `/api/` routes, as a middleware layer.
//!
//! A key is sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`;
//! never in the URL, where it would end up in logs. Requests without a key
//! pass untouched (see [`crate::keys`] for why). Keyed answers carry
//! `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; a spent
//! quota is `429` with `Retry-After`, a wrong key `401`, both with the usual
//! JSON error body.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::keys::{KeyGuard, Verdict};
use crate::store::Db;

/// The key guard over the store's keys, to pass to `from_fn_with_state` with [`enforce`].
pub fn guard(db: Db) -> Arc<KeyGuard> {
    Arc::new(KeyGuard::new(db))
}

fn error(status: StatusCode, code: &str, message: String) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

/// Check the key (if any) of an `/api/` request and count it.
pub async fn enforce(State(guard): State<Arc<KeyGuard>>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let Some(key) = crate::auth::api_key_secret(request.headers()) else {
        return next.run(request).await;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match guard.check(&key, now).await {
        Verdict::Invalid => {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                "this API key is not known or has been revoked; ask for a new one, or send no key for anonymous access".into(),
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"api\""),
            );
            response
        }
        Verdict::Unavailable => {
            let mut response = error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "API keys cannot be checked for a moment; try again shortly, or send no key for anonymous access".into(),
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(crate::error::UNAVAILABLE_RETRY_SECS),
            );
            response
        }
        Verdict::Exhausted {
            name,
            window,
            retry_after,
        } => {
            tracing::info!(partner = %name, window, "API quota spent");
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "the {window} quota of this API key is spent; try again in {retry_after} s"
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        Verdict::Allowed {
            limit,
            remaining,
            reset,
            ..
        } => {
            let mut response = next.run(request).await;
            let headers = response.headers_mut();
            headers.insert("ratelimit-limit", HeaderValue::from(limit));
            headers.insert("ratelimit-remaining", HeaderValue::from(remaining));
            headers.insert("ratelimit-reset", HeaderValue::from(reset));
            response
        }
    }
}
