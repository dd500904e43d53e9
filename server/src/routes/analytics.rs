//! Search analytics over HTTP: the click redirect on result links, the
//! editors' dashboard with its CSV, and the admins' JSON report.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use crate::analytics::report::{self, AnalyticsReport};
use crate::analytics::valid_search_id;
use crate::auth::{Admin, Editor, StaffRejection};
use crate::error::AppError;
use crate::search::MAX_DEPTH;
use crate::state::AppState;

/// Routes of the analytics.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/r/{search_id}/{position}", get(click))
        .route("/admin/analytics", get(dashboard))
        .route("/admin/analytics.csv", get(download))
        .route("/api/v1/analytics", get(json))
}

/// The resource a result link opens.
#[derive(Debug, Deserialize)]
struct Target {
    id: Option<String>,
}

/// Whether `id` has the shape of a resource id (`2019/reading-friends`):
/// path segments of letters, digits, `.`, `_` and `-`, none of them `.` or
/// `..`. The redirect is built from it under `/resources/`, so it can only
/// lead to a page of this site.
fn resource_id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id.split('/').all(|s| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        })
}

/// `/r/{search_id}/{position}?id=...`: record the click (unless the browser
/// opted out or recording is off) and send the browser on to the resource.
async fn click(
    State(state): State<AppState>,
    Path((search_id, position)): Path<(String, String)>,
    Query(target): Query<Target>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = target.id.unwrap_or_default();
    if !resource_id_ok(&id) {
        return Err(AppError::NotFound(
            "This result link is incomplete: it names no resource. Search again and open the result from the list.".into(),
        ));
    }
    let position = position
        .parse::<u32>()
        .ok()
        .filter(|p| (1..=MAX_DEPTH as u32).contains(p));
    if let Some(position) = position
        && valid_search_id(&search_id)
        && state.analytics.records(&headers)
    {
        state.analytics.click(search_id, position);
    }
    Ok(Redirect::to(&format!("/resources/{id}")).into_response())
}

/// The report, with everything queued so far written first.
async fn current_report(state: &AppState) -> Result<AnalyticsReport, AppError> {
    state.analytics.flush().await;
    Ok(state
        .store
        .run(|c| report::build(c, crate::store::now()))
        .await?)
}

async fn dashboard(State(state): State<AppState>, _editor: Editor) -> Result<Response, AppError> {
    let report = current_report(&state).await?;
    let enabled = state.settings.analytics == crate::settings::Switch::On;
    Ok(crate::web::analytics::page(&state.settings.base_url, &report, enabled).into_response())
}

async fn download(State(state): State<AppState>, _editor: Editor) -> Result<Response, AppError> {
    let report = current_report(&state).await?;
    let body = report::csv(&report).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"search-analytics.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// `/api/v1/analytics`: the report as JSON, for a logged-in admin's session
/// (API keys cannot read it).
async fn json(
    State(state): State<AppState>,
    admin: Result<Admin, StaffRejection>,
) -> Result<Json<AnalyticsReport>, AppError> {
    match admin {
        Ok(_) => Ok(Json(current_report(&state).await?)),
        Err(StaffRejection::Internal(e)) => Err(e),
        Err(StaffRejection::Login(_)) => Err(AppError::Forbidden(
            "the analytics report is for admins: log in at /login as an admin, then send the session cookie".into(),
        )),
        Err(StaffRejection::Forbidden(why)) => Err(AppError::Forbidden(why.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only resource-shaped ids are redirected to, so the link cannot lead
    /// off the site or out of `/resources/`.
    #[test]
    fn redirect_targets_stay_on_the_site() {
        assert!(resource_id_ok("2019/reading-friends-dementia"));
        for bad in [
            "",
            "//evil.example",
            "../admin",
            "2019/../../x",
            "https://evil.example",
            "a\\b",
            "a?b",
        ] {
            assert!(!resource_id_ok(bad), "{bad}");
        }
    }
}
