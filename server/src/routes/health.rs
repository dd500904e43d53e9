//! Operator endpoints: liveness, readiness and Prometheus metrics.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::error::AppError;
use crate::routes::api::blocking;
use crate::startup::AppState;

/// `/healthz`, `/readyz`, `/metrics`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "ok"}))
}

/// Ready when the index is open and a search runs. `catching_up` is true
/// while changes made to the corpus during a restart are still being applied
/// (searches meanwhile see the index as it was).
async fn readyz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, AppError> {
    let probe = blocking(&state, |engine| {
        let req = crate::search::SearchRequest {
            per_page: 1,
            ..Default::default()
        };
        Ok(engine.search(&req)?.total)
    })
    .await;
    match probe {
        Ok(documents) => Ok(Json(json!({
            "status": "ready",
            "documents": documents,
            "catching_up": state.engine.catching_up(),
        }))),
        Err(e) => {
            // The reason is for the operator's log, not for whoever asks.
            tracing::error!(error = %e, "readiness probe failed");
            Err(AppError::NotReady)
        }
    }
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let m = &state.metrics;
    let engine = state.engine.clone();
    let (docs, bytes, commit) = tokio::task::spawn_blocking(move || engine.index_stats())
        .await
        .unwrap_or((0, 0, 0));
    m.documents.set(i64::try_from(docs).unwrap_or(i64::MAX));
    m.index_bytes.set(i64::try_from(bytes).unwrap_or(i64::MAX));
    m.last_commit.set(commit);
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        m.render(),
    )
}
