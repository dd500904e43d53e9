//! Operator endpoints: liveness, readiness and Prometheus metrics.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

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

/// Ready when the index is open and a search runs (and, for a cluster
/// replica, its lag behind the change log is at most `max_lag`). `catching_up` is true
/// while changes made to the corpus during a restart are still being applied
/// (searches meanwhile see the index as it was).
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let probe = blocking(&state, |engine| {
        let req = crate::search::SearchRequest {
            per_page: 1,
            ..Default::default()
        };
        Ok(engine.search(&req)?.total)
    })
    .await;
    match probe {
        Ok(documents) => match &state.replica {
            // A replica is ready once it is within `max_lag` changes of the
            // newest one it has seen, and has seen PostgreSQL at least once.
            // While PostgreSQL is down it goes on serving searches and stays
            // ready with what it has.
            Some(replica) => {
                let lag = replica.lag(&state.engine);
                let applied = state.engine.applied_seq();
                // An empty replica is not ready until its first snapshot is in,
                // whatever the threshold.
                let ready = lag <= state.settings.max_lag
                    && (replica.connected() || applied > 0)
                    && !(applied == 0 && replica.head() > 0);
                (
                    if ready {
                        StatusCode::OK
                    } else {
                        StatusCode::SERVICE_UNAVAILABLE
                    },
                    Json(json!({
                        "status": if ready { "ready" } else { "not ready" },
                        "documents": documents,
                        "catching_up": lag > 0,
                        "replica": {
                            "applied_seq": state.engine.applied_seq(),
                            "head_seq": replica.head(),
                            "lag": lag,
                            "max_lag": state.settings.max_lag,
                            "database_connected": replica.connected(),
                        },
                    })),
                )
            }
            None => (
                StatusCode::OK,
                Json(json!({
                    "status": "ready",
                    "documents": documents,
                    "catching_up": state.engine.catching_up(),
                })),
            ),
        },
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "not ready", "reason": e.to_string()})),
        ),
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
