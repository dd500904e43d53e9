//! API keys: reading one from a request, and the layer that looks it up and
//! counts it against its own per-minute quota on `/api/` routes. The key
//! records and their storage are [`crate::store::keys`]; the `kb-server key`
//! commands are in [`crate::cli`].
//!
//! A key is sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`;
//! never in the URL, where it would end up in logs. The JSON API stays open
//! without a key (library staff and the web pages use it): requests without
//! one pass untouched. A key identifies a partner or trusted contributor and
//! gives it its own per-minute quota, counted on the key, never on a client
//! address. A wrong or revoked key is refused rather than treated as
//! anonymous, so a partner learns at once that its configuration is broken.
//!
//! The key is looked up once per request, here; handlers find it in the
//! request's extensions ([`crate::auth::ApiCaller`]), and it is counted
//! against its one quota, here. Keyed answers carry `RateLimit-Limit`,
//! `RateLimit-Remaining` and `RateLimit-Reset`; a spent quota is `429` with
//! `Retry-After`, a wrong key `401`: both [`AppError`]s.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::rate_limit::Allowance;
use crate::state::AppState;

/// The API key sent with a request, if any.
pub fn api_key_secret(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.trim().to_string());
    }
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = auth.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| key.trim().to_string())
}

/// The rate-limit caller name of an API key.
pub fn quota_key(id: i64) -> String {
    format!("key:{id}")
}

/// Check the key (if any) of an `/api/` request and count it.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match admit(&state, request).await {
        Ok((request, allowance)) => {
            let mut response = next.run(request).await;
            if let Some(a) = allowance {
                let headers = response.headers_mut();
                headers.insert("ratelimit-limit", HeaderValue::from(a.limit));
                headers.insert("ratelimit-remaining", HeaderValue::from(a.remaining));
                headers.insert("ratelimit-reset", HeaderValue::from(a.reset));
            }
            response
        }
        Err(error) => error.into_response(),
    }
}

async fn admit(
    state: &AppState,
    mut request: Request,
) -> Result<(Request, Option<Allowance>), AppError> {
    if !request.uri().path().starts_with("/api/") {
        return Ok((request, None));
    }
    let Some(secret) = api_key_secret(request.headers()) else {
        return Ok((request, None));
    };
    // A failed lookup is our fault (500, logged), not the caller's key.
    let key = state
        .db
        .key_by_secret(secret)
        .await?
        .ok_or(AppError::InvalidApiKey)?;
    let allowance = state
        .limits
        .check(&quota_key(key.id), key.rate_limit)
        .map_err(|retry_after| {
            tracing::info!(partner = %key.name, "API quota spent");
            AppError::RateLimited {
                what: "the per-minute quota of this API key is spent".into(),
                retry_after,
            }
        })?;
    request.extensions_mut().insert(key);
    Ok((request, Some(allowance)))
}
