//! One error type for every HTTP handler and layer; its `IntoResponse`
//! decides every status and stable error code in one table. Internal
//! details are logged, never sent.
//!
//! The answer is JSON (`{"error": {"code", "message"}}`); the error itself
//! rides along in the response's extensions, so that
//! [`crate::middleware`] can turn it into the site's HTML error page on the
//! web pages (see [`answers_json`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::search::{ParamError, SearchError};

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A search parameter is wrong.
    #[error("{0}")]
    InvalidParameter(#[from] ParamError),
    /// The query text breaks a safety limit.
    #[error("{0}")]
    InvalidQuery(String),
    /// No such resource or page.
    #[error("{0}")]
    NotFound(String),
    /// A submission breaks the resource rules; every bad field is named.
    #[error("{message}")]
    InvalidSubmission {
        /// Summary for people.
        message: String,
        /// Field name to what is wrong with it and how to fix it.
        fields: BTreeMap<String, String>,
    },
    /// The request body is not the JSON (or form) the route takes.
    #[error("{0}")]
    InvalidJson(String),
    /// A form body could not be read.
    #[error("{0}")]
    InvalidForm(String),
    /// The request body is over the size limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The API key is unknown or revoked.
    #[error(
        "this API key is unknown or has been revoked; ask the site's administrators for a new one, or send no key for anonymous access"
    )]
    InvalidApiKey,
    /// The address exists but does not take this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// A form's CSRF token is missing or wrong.
    #[error(
        "this form is out of date or was sent from another site; go back, reload the page and try again"
    )]
    CsrfFailed,
    /// The thing acted on has changed since it was shown (another editor decided first).
    #[error("{0}")]
    Conflict(String),
    /// Too many requests; try again after `retry_after` seconds.
    #[error("{what}; try again in {retry_after} s")]
    RateLimited {
        /// What is limited, for people.
        what: String,
        /// Seconds until a request will be accepted.
        retry_after: u64,
    },
    /// More requests are in flight than the server takes at once.
    #[error("the server is busy; try again in a moment")]
    Overloaded,
    /// The request took longer than the server allows.
    #[error("the request took too long to answer; try again in a moment")]
    Timeout,
    /// The search index cannot answer yet (operators' readiness probe).
    #[error("the search index is not ready to answer")]
    NotReady,
    /// The shared database cannot be reached just now (cluster mode):
    /// searches still answer; writes should be sent again shortly.
    #[error(
        "the database is unavailable for a moment; searches still work, and this can be sent again shortly"
    )]
    Unavailable,
    /// Something failed on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Seconds a client is told to wait when the database is unavailable.
pub const UNAVAILABLE_RETRY_SECS: u64 = 2;

impl From<crate::search::pool::PoolError> for AppError {
    fn from(e: crate::search::pool::PoolError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<SearchError> for AppError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Query(q) => AppError::InvalidQuery(q.to_string()),
            SearchError::Index(e) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// The stable machine-readable `code` of every error answer: one per
/// condition. The OpenAPI document lists exactly these (derived from this
/// type), so the two cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A search parameter is wrong (`param` names it).
    InvalidParameter,
    /// The query text breaks a rule or a safety limit.
    InvalidQuery,
    /// No such resource, submission or route.
    NotFound,
    /// A submission breaks the resource rules (`fields` names each problem).
    InvalidSubmission,
    /// The body is not the JSON the route takes.
    InvalidJson,
    /// A form body could not be read.
    InvalidForm,
    /// The body is over the size limit.
    PayloadTooLarge,
    /// The API key is unknown or revoked.
    InvalidApiKey,
    /// The address does not take this method; see `Allow`.
    MethodNotAllowed,
    /// The caller may not do this.
    Forbidden,
    /// A form's CSRF token is missing or wrong.
    CsrfFailed,
    /// Someone else changed the thing first.
    Conflict,
    /// Too many requests; see `Retry-After`.
    RateLimited,
    /// The server is at its in-flight limit; see `Retry-After`.
    Overloaded,
    /// The request took too long; see `Retry-After`.
    Timeout,
    /// The search index cannot answer yet.
    NotReady,
    /// The shared database is unavailable for a moment (cluster mode); see `Retry-After`.
    Unavailable,
    /// Something failed on our side (details are logged, not sent).
    InternalError,
}

impl AppError {
    /// HTTP status and stable machine-readable code: the one table.
    pub fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        use ErrorCode as C;
        match self {
            AppError::InvalidParameter(_) => (StatusCode::BAD_REQUEST, C::InvalidParameter),
            AppError::InvalidQuery(_) => (StatusCode::BAD_REQUEST, C::InvalidQuery),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, C::NotFound),
            AppError::InvalidSubmission { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, C::InvalidSubmission)
            }
            AppError::InvalidJson(_) => (StatusCode::BAD_REQUEST, C::InvalidJson),
            AppError::InvalidForm(_) => (StatusCode::BAD_REQUEST, C::InvalidForm),
            AppError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, C::PayloadTooLarge),
            AppError::InvalidApiKey => (StatusCode::UNAUTHORIZED, C::InvalidApiKey),
            AppError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, C::MethodNotAllowed),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, C::Forbidden),
            AppError::CsrfFailed => (StatusCode::FORBIDDEN, C::CsrfFailed),
            AppError::Conflict(_) => (StatusCode::CONFLICT, C::Conflict),
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, C::RateLimited),
            AppError::Overloaded => (StatusCode::SERVICE_UNAVAILABLE, C::Overloaded),
            AppError::Timeout => (StatusCode::SERVICE_UNAVAILABLE, C::Timeout),
            AppError::NotReady => (StatusCode::SERVICE_UNAVAILABLE, C::NotReady),
            AppError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, C::Unavailable),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, C::InternalError),
        }
    }
}

/// The body of every JSON error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for people and for programs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The parameter at fault, for `invalid_parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// Field name to what is wrong with it, for `invalid_submission`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

/// Whether errors on `path` are answered as JSON: the API (its
/// documentation page aside), the feeds and harvesting endpoints, and the
/// operators' endpoints, all read by programs. Every other path is a web
/// page and gets the site's HTML error page.
pub fn answers_json(path: &str) -> bool {
    (path.starts_with("/api/") && path != "/api/docs")
        || path.starts_with("/feeds/")
        || matches!(
            path,
            "/oai" | "/sitemap.xml" | "/opensearch.xml" | "/healthz" | "/readyz" | "/metrics"
        )
}

impl AppError {
    /// The message sent to the caller: internal details never leave the server.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => "something went wrong on our side; please try again".into(),
            other => other.to_string(),
        }
    }

    /// Headers the condition calls for: when to retry, how to authenticate.
    fn extra_headers(&self) -> Vec<(header::HeaderName, HeaderValue)> {
        match self {
            AppError::RateLimited { retry_after, .. } => {
                vec![(header::RETRY_AFTER, HeaderValue::from(*retry_after))]
            }
            AppError::Overloaded | AppError::Timeout | AppError::NotReady => {
                vec![(header::RETRY_AFTER, HeaderValue::from_static("1"))]
            }
            AppError::Unavailable => vec![(
                header::RETRY_AFTER,
                HeaderValue::from(UNAVAILABLE_RETRY_SECS),
            )],
            AppError::InvalidApiKey => vec![(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"api\""),
            )],
            _ => Vec::new(),
        }
    }

    /// The status and headers of this error around another body (the HTML
    /// error page uses it).
    pub fn respond_with(&self, body: impl IntoResponse) -> Response {
        let (status, _) = self.status_and_code();
        let mut response = (status, body).into_response();
        response.headers_mut().extend(self.extra_headers());
        response
    }
}

/// The error behind an error response, for [`crate::middleware`] to render
/// as an HTML page on web paths.
#[derive(Clone)]
pub struct ErrorSource(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (_, code) = self.status_and_code();
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message: self.public_message(),
                param: match &self {
                    AppError::InvalidParameter(p) => Some(p.param.clone()),
                    _ => None,
                },
                fields: match &self {
                    AppError::InvalidSubmission { fields, .. } => Some(fields.clone()),
                    _ => None,
                },
            },
        };
        let mut response = self.respond_with(Json(body));
        response
            .extensions_mut()
            .insert(ErrorSource(Arc::new(self)));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An internal error's detail is logged, never sent; the caller gets the
    /// generic message under the stable code.
    #[test]
    fn internal_detail_is_never_sent() {
        let error = AppError::Internal("disk /srv/kb/data is full".into());
        assert_eq!(error.status_and_code().1, ErrorCode::InternalError);
        assert!(!error.public_message().contains("/srv"));
    }

    /// API and operator paths answer JSON; pages and the API docs page do not.
    #[test]
    fn json_paths() {
        for path in [
            "/api/v1/search",
            "/feeds/atom",
            "/oai",
            "/readyz",
            "/healthz",
            "/metrics",
        ] {
            assert!(answers_json(path), "{path}");
        }
        for path in ["/", "/login", "/submit", "/moderation/1", "/api/docs"] {
            assert!(!answers_json(path), "{path}");
        }
    }
}
