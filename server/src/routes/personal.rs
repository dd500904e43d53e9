//! People's rights over their data: a copy of everything held about them
//! (JSON) and erasure, for contributors by API key (`/api/v1/me/data`) and
//! for editors signed in (`/account/data`). See `store::personal`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::auth::{self, ApiCaller, Editor};
use crate::error::AppError;
use crate::i18n::t;
use crate::routes::forms::{self, FormBody};
use crate::state::AppState;
use crate::store::Store;
use crate::store::personal::{self, Erasure};

/// Routes for copies and erasure.
pub fn router() -> Router<AppState> {
    let api = Router::new().route("/api/v1/me/data", get(key_export).delete(key_erase));
    let pages = Router::new()
        .route("/account/data", get(data_page))
        .route("/account/data.json", get(user_export))
        .route("/account/erase", post(user_erase));
    api.merge(forms::private(pages))
}

/// The embedded store holding people's data. In cluster mode the data is in
/// PostgreSQL, where copies and erasure are not built yet: refused plainly,
/// so nobody believes they were served.
fn embedded(state: &AppState) -> Result<Arc<Store>, AppError> {
    match state.db.postgres() {
        None => Ok(state.store.clone()),
        Some(_) => Err(AppError::Forbidden(
            "copies and erasure of personal data are not available in cluster mode yet; email the address on /privacy and the administrators will do it by hand".into(),
        )),
    }
}

fn key_required(caller: ApiCaller) -> Result<crate::store::ApiKey, AppError> {
    caller.key.ok_or_else(|| {
        AppError::Forbidden(
            "send your API key (`Authorization: Bearer kb_...`) to see or erase the data held about you".into(),
        )
    })
}

/// Remove the attribution from published resources after an erasure. A
/// failure on one is logged and reported, and the erasure stands.
fn remove_attribution(state: &AppState, erasure: &Erasure) -> Vec<String> {
    let mut failed = Vec::new();
    for id in &erasure.published {
        if let Err(e) = state.engine.remove_contributor(id) {
            tracing::error!(%id, error = %e, "could not remove the contributor from a resource");
            failed.push(id.clone());
        }
    }
    failed
}

/// `GET /api/v1/me/data`: everything held about the key's holder.
async fn key_export(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<personal::Export>, AppError> {
    let store = embedded(&state)?;
    let key = key_required(caller)?;
    let export = store.run(move |c| personal::export_key(c, &key)).await?;
    Ok(Json(export))
}

/// What `DELETE /api/v1/me/data` erased. The keys are in alphabetical
/// order, as the answer has always had them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErasureReport {
    /// Published resources whose attribution could not be removed (logged
    /// for the administrators, who finish the job by hand).
    pub attribution_not_removed: Vec<String>,
    /// Published resources that no longer name the contributor.
    pub attribution_removed: Vec<String>,
    /// Audit entries now under the pseudonym.
    pub audit_entries_pseudonymised: usize,
    /// Always `true`: the key is deleted and stops working.
    pub erased: bool,
    /// The name the audit log now uses instead of the key.
    pub pseudonym: String,
    /// Submissions whose contributor name, client address and key were removed.
    pub submissions_anonymised: usize,
}

/// `DELETE /api/v1/me/data`: erase the key's holder (the key stops working).
async fn key_erase(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<ErasureReport>, AppError> {
    let store = embedded(&state)?;
    let key = key_required(caller)?;
    let key_id = key.id;
    let erasure = store.run(move |c| personal::erase_key(c, key_id)).await?;
    let engine_state = state.clone();
    let (erasure, failed) = tokio::task::spawn_blocking(move || {
        let failed = remove_attribution(&engine_state, &erasure);
        (erasure, failed)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Json(ErasureReport {
        attribution_removed: erasure
            .published
            .iter()
            .filter(|id| !failed.contains(id))
            .cloned()
            .collect(),
        attribution_not_removed: failed,
        audit_entries_pseudonymised: erasure.audit_entries_pseudonymised,
        erased: true,
        pseudonym: erasure.pseudonym,
        submissions_anonymised: erasure.submissions_anonymised,
    }))
}

/// `GET /account/data`: what is held, a download link, and erasure.
async fn data_page(editor: Editor) -> Response {
    crate::web::account::my_data_page(&editor.user, &editor.csrf).into_response()
}

/// `GET /account/data.json`: the signed-in editor's data as a download.
async fn user_export(State(state): State<AppState>, editor: Editor) -> Result<Response, AppError> {
    let store = embedded(&state)?;
    let user = editor.user.clone();
    let export = store.run(move |c| personal::export_user(c, &user)).await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"my-data.json\"",
        )],
        Json(export),
    )
        .into_response())
}

#[derive(Deserialize)]
struct EraseForm {
    csrf: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /account/erase`: erase the signed-in editor, then sign them out.
async fn user_erase(
    State(state): State<AppState>,
    editor: Editor,
    FormBody(form): FormBody<EraseForm>,
) -> Result<Response, AppError> {
    if !editor.csrf_ok(&form.csrf) {
        return Err(AppError::CsrfFailed);
    }
    if form.confirm != "yes" {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::web::forms::message_page(
                &t("my-data-erase-title"),
                &t("my-data-erase-unconfirmed"),
            ),
        )
            .into_response());
    }
    let store = embedded(&state)?;
    let user = editor.user.clone();
    store.run(move |c| personal::erase_user(c, &user)).await?;
    let cookie = auth::set_cookie(auth::SESSION_COOKIE, "", 0, state.settings.secure_cookies);
    Ok((
        [(header::SET_COOKIE, cookie)],
        crate::web::forms::message_page(&t("my-data-erased-title"), &t("my-data-erased")),
    )
        .into_response())
}

/// Delete rejected submissions and expired sessions past the retention
/// period now, then every hour.
pub fn spawn_retention(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    if state.db.postgres().is_some() {
        tracing::warn!(
            "retention purge runs in embedded mode only; cluster mode keeps rejected submissions and sessions"
        );
        return None;
    }
    let store = state.store.clone();
    let days = state.settings.retention_days;
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match store
                .run(move |c| personal::purge(c, days, crate::store::now()))
                .await
            {
                Ok(purged) => tracing::info!(
                    rejected = purged.rejected_submissions,
                    sessions = purged.expired_sessions,
                    days,
                    "retention purge"
                ),
                Err(e) => tracing::error!(error = %e, "retention purge failed"),
            }
        }
    }))
}
