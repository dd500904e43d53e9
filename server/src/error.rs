//! One error type for every HTTP handler; its `IntoResponse` decides every
//! status and stable error code in one table. Internal details are logged,
//! never sent.

use axum::Json;
use axum::http::StatusCode;
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
    /// Something failed on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<SearchError> for AppError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Query(q) => AppError::InvalidQuery(q.to_string()),
            SearchError::Index(e) => AppError::Internal(e.to_string()),
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
            _ => {}
        }
        (status, Json(body)).into_response()
    }
}
