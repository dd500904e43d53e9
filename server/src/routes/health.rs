//! Operator endpoints: liveness, readiness and Prometheus metrics.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::error::AppError;
use crate::state::AppState;

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
/// reports its place in the change log (see [`replica_readiness`]).
async fn readyz(State(state): State<AppState>) -> Result<Response, AppError> {
    let probe = state
        .blocking(|engine| {
            let req = crate::search::SearchRequest {
                per_page: 1,
                ..Default::default()
            };
            Ok(engine.search(&req)?.total)
        })
        .await;
    let Some(replica) = &state.replica else {
        return readiness(probe, state.engine.catching_up()).map(IntoResponse::into_response);
    };
    let documents = match probe {
        Ok(documents) => documents,
        Err(e) => return readiness(Err(e), false).map(IntoResponse::into_response),
    };
    Ok(replica_readiness(
        documents,
        &ReplicaPosition {
            applied: state.engine.applied_seq(),
            head: replica.head(),
            connected: replica.connected(),
        },
        state.settings.max_lag,
    ))
}

/// Where a replica stands in the change log.
struct ReplicaPosition {
    /// The last change its index applied.
    applied: i64,
    /// The newest change it has seen in PostgreSQL.
    head: i64,
    /// Whether it can reach PostgreSQL now.
    connected: bool,
}

/// A cluster replica's readiness: its lag in changes, and `503` while the
/// lag is over `max_lag`, or while it is empty and has not built its index
/// from PostgreSQL yet. While PostgreSQL is down a replica that has an index
/// stays ready: searches go on from it.
fn replica_readiness(documents: u64, at: &ReplicaPosition, max_lag: u64) -> Response {
    let lag = u64::try_from(at.head - at.applied).unwrap_or(0);
    let ready =
        lag <= max_lag && (at.connected || at.applied > 0) && !(at.applied == 0 && at.head > 0);
    let body = Json(json!({
        "status": if ready { "ready" } else { "not ready" },
        "documents": documents,
        "catching_up": lag > 0,
        "replica": {
            "applied_seq": at.applied,
            "head_seq": at.head,
            "lag": lag,
            "max_lag": max_lag,
            "database_connected": at.connected,
        },
    }));
    if ready {
        body.into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            body,
        )
            .into_response()
    }
}

/// The answer to a readiness probe's outcome. A failure's reason is for
/// the operator's log, never for whoever asks.
fn readiness(
    probe: Result<u64, AppError>,
    catching_up: bool,
) -> Result<Json<serde_json::Value>, AppError> {
    match probe {
        Ok(documents) => Ok(Json(json!({
            "status": "ready",
            "documents": documents,
            "catching_up": catching_up,
        }))),
        Err(e) => {
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

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    /// A failed probe is `503` `not_ready` with `Retry-After`, and the
    /// failure's text (paths, library errors) stays in the log.
    #[tokio::test]
    async fn a_failed_probe_sends_no_internal_text() {
        let failure = AppError::Internal("segment /srv/kb/data/index/0a1b.idx is missing".into());
        let response = readiness(Err(failure), false)
            .expect_err("not ready")
            .into_response();
        assert_eq!(
            response.status(),
            axum::http::StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("\"not_ready\""), "{body}");
        assert!(
            !body.contains("/srv") && !body.contains("segment"),
            "{body}"
        );
    }

    /// A replica is ready within `max_lag` changes of the newest one, not
    /// ready beyond it, not ready while empty and unbuilt, and stays ready
    /// with an index while PostgreSQL is unreachable.
    #[test]
    fn replica_readiness_follows_the_lag() {
        let status = |applied, head, connected, max_lag| {
            replica_readiness(
                10,
                &ReplicaPosition {
                    applied,
                    head,
                    connected,
                },
                max_lag,
            )
            .status()
        };
        let (ok, unavailable) = (
            axum::http::StatusCode::OK,
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
        );
        assert_eq!(status(95, 100, true, 10), ok);
        assert_eq!(status(80, 100, true, 10), unavailable, "lag 20 > 10");
        assert_eq!(status(0, 5, true, 10), unavailable, "empty, not built yet");
        assert_eq!(status(0, 0, true, 10), ok, "empty database, empty index");
        assert_eq!(
            status(0, 0, false, 10),
            unavailable,
            "never reached PostgreSQL"
        );
        assert_eq!(
            status(100, 100, false, 10),
            ok,
            "PostgreSQL down: serve what it has"
        );
    }
}
