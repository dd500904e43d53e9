//! One error type for every HTTP handler; its `IntoResponse` decides every
//! status and stable error code in one table. Internal details are logged,
//! never sent.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

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
    /// The request body is over the size limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The API key is unknown or revoked.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Too many requests; try again after this many seconds.
    #[error("too many submissions; try again in {0} s")]
    RateLimited(u64),
    /// The shared database cannot be reached just now (cluster mode):
    /// searches still answer; writes should be retried.
    #[error("{0}")]
    Unavailable(String),
    /// Something failed on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Seconds a client is told to wait when the database is unavailable.
pub const UNAVAILABLE_RETRY_SECS: u64 = 2;

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
                AppError::Unavailable(
                    "the database is unavailable for a moment; searches still work, and this can be sent again shortly".into(),
                )
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    /// HTTP status and stable machine-readable code.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::InvalidParameter(_) => (StatusCode::BAD_REQUEST, "invalid_parameter"),
            AppError::InvalidQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::InvalidSubmission { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_submission")
            }
            AppError::InvalidJson(_) => (StatusCode::BAD_REQUEST, "invalid_json"),
            AppError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut body = json!({"error": {"code": code, "message": self.to_string()}});
        match &self {
            AppError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                body = json!({"error": {"code": code, "message": "something went wrong on our side; please try again"}});
            }
            AppError::InvalidParameter(p) => body["error"]["param"] = json!(p.param),
            AppError::InvalidSubmission { fields, .. } => body["error"]["fields"] = json!(fields),
            AppError::Unavailable(_) => {
                return (
                    status,
                    [(header::RETRY_AFTER, UNAVAILABLE_RETRY_SECS.to_string())],
                    Json(body),
                )
                    .into_response();
            }
            AppError::RateLimited(seconds) => {
                return (
                    status,
                    [(header::RETRY_AFTER, seconds.to_string())],
                    Json(body),
                )
                    .into_response();
            }
            _ => {}
        }
        (status, Json(body)).into_response()
    }
}
