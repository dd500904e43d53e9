//! Operator endpoints: liveness, readiness and Prometheus metrics.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
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
/// (searches meanwhile see the index as it was). A cluster replica also
/// reports its lag behind the change log, and is not ready (503) while that
/// is over `max_lag` or while it is empty and has not built its index yet.
async fn readyz(State(state): State<AppState>) -> Result<Response, AppError> {
    let probe = blocking(&state, |engine| {
        let req = crate::search::SearchRequest {
            per_page: 1,
            ..Default::default()
        };
        Ok(engine.search(&req)?.total)
    })
    .await;
    let documents = match probe {
        Ok(documents) => documents,
        Err(e) => {
            // The reason is for the operator's log, not for whoever asks.
            tracing::error!(error = %e, "readiness probe failed");
            return Err(AppError::NotReady);
        }
    };
    let Some(replica) = &state.replica else {
        return Ok(Json(json!({
            "status": "ready",
            "documents": documents,
            "catching_up": state.engine.catching_up(),
        }))
        .into_response());
    };
    // While PostgreSQL is down a replica goes on serving searches and stays
    // ready with what it has.
    let lag = replica.lag(&state.engine);
    let applied = state.engine.applied_seq();
    let ready = lag <= state.settings.max_lag
        && (replica.connected() || applied > 0)
        && !(applied == 0 && replica.head() > 0);
    let body = Json(json!({
        "status": if ready { "ready" } else { "not ready" },
        "documents": documents,
        "catching_up": lag > 0,
        "replica": {
            "applied_seq": applied,
            "head_seq": replica.head(),
            "lag": lag,
            "max_lag": state.settings.max_lag,
            "database_connected": replica.connected(),
        },
    }));
    Ok(if ready {
        body.into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            body,
        )
            .into_response()
    })
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
