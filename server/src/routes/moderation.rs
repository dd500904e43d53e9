//! The editors' queue: list, preview as published, edit, approve, reject,
//! request changes. Every action is a CSRF-checked POST and leaves a row in
//! the audit log.
//!
//! Approving writes the resource into the corpus (the store of record) and
//! updates the live index before answering, so it is searchable at once.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::Markup;

use crate::auth::Editor;
use crate::error::AppError;
use crate::problems::FieldProblems;
use crate::routes::forms::{self, FormBody};
use crate::routes::submissions::check;
use crate::state::AppState;
use crate::store::pg::Approval;
use crate::store::{Db, PgStore, Status, Submission, audit, submissions};
use crate::web::forms::field_text;
use crate::web::moderation::{self, Problems};

/// Moderation routes.
pub fn router() -> Router<AppState> {
    forms::private(
        Router::new()
            .route("/moderation", get(queue))
            .route("/moderation/{id}", get(review_get).post(edit))
            .route("/moderation/{id}/approve", post(approve))
            .route("/moderation/{id}/reject", post(reject))
            .route("/moderation/{id}/changes", post(request_changes)),
    )
}

async fn queue(State(state): State<AppState>, editor: Editor) -> Result<Markup, AppError> {
    let (open, decided) = state.db.queue(500, 50).await?;
    Ok(moderation::queue_page(
        (&editor.user, &editor.csrf),
        &open,
        &decided,
    ))
}

async fn load(state: &AppState, id: i64) -> Result<Submission, AppError> {
    state
        .db
        .submission_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no submission {id}")))
}

/// The review page of `s`, with what went wrong with the last action.
fn review(editor: &Editor, s: &Submission, problems: &Problems<'_>) -> Markup {
    moderation::review_page((&editor.user, &editor.csrf), s, problems)
}

async fn review_get(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = load(&state, id).await?;
    Ok(review(&editor, &s, &Problems::default()).into_response())
}

/// An approval refused because the submission breaks the rules: its review
/// page again, with each field's problems in the edit form. Without the
/// problems at hand (cluster mode answers in English words), they are found
/// again from the submission as it is now.
async fn cannot_publish(
    state: &AppState,
    editor: &Editor,
    id: i64,
    errors: Option<FieldProblems>,
) -> Result<Response, AppError> {
    let s = load(state, id).await?;
    let errors = match errors {
        Some(errors) => errors,
        None => match check(&s.fields, &s.body, state.engine.vocab()) {
            Err(errors) => errors,
            // Corrected since: the editor can approve it now.
            Ok(_) => return Ok(Redirect::to(&format!("/moderation/{id}")).into_response()),
        },
    };
    let problems = Problems {
        fields: Some(&errors),
        approval: true,
        reason_missing: None,
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        review(editor, &s, &problems),
    )
        .into_response())
}

fn conflict(id: i64) -> AppError {
    AppError::Conflict(format!(
        "submission {id} has already been decided; reload the queue to see its status"
    ))
}

async fn edit(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<i64>,
    FormBody(form): FormBody<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if !editor.csrf_ok(forms::form_value(&form, "csrf")) {
        return Err(AppError::CsrfFailed);
    }
    let mut s = load(&state, id).await?;
    if !s.status.is_open() {
        return Err(conflict(id));
    }
    let (mut fields, body) = forms::fields_from_form(&form);
    // The attachment is not on the edit form: an edit keeps it.
    if let Some(a) = s.fields.get(crate::routes::submissions::ATTACHMENT) {
        fields.insert(crate::routes::submissions::ATTACHMENT.into(), a.clone());
    }
    match check(&fields, &body, state.engine.vocab()) {
        Err(errors) => {
            s.fields = fields;
            s.body = body;
            let problems = Problems {
                fields: Some(&errors),
                ..Problems::default()
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                review(&editor, &s, &problems),
            )
                .into_response())
        }
        Ok(resource) => {
            let mut changed: Vec<&str> = kb_indexer::resource::CONTRIBUTED_FIELDS
                .iter()
                .copied()
                .filter(|f| field_text(s.fields.get(*f)) != field_text(fields.get(*f)))
                .collect();
            if s.body != body {
                changed.push("body");
            }
            let detail = format!("changed: {}", changed.join(", "));
            let actor = editor.user.name.clone();
            // Only while still open: an edit never reopens a decided submission.
            if !state
                .db
                .edit_submission(id, fields, body, resource.meta.title, actor, detail)
                .await?
            {
                return Err(conflict(id));
            }
            Ok(Redirect::to(&format!("/moderation/{id}")).into_response())
        }
    }
}

#[derive(serde::Deserialize)]
struct Decision {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    /// The status the editor saw when deciding (a hidden field of the review
    /// page); the decision applies only if it is still that. Without it, the
    /// decision applies only to a pending submission.
    #[serde(default)]
    seen: String,
}

impl Decision {
    fn seen(&self) -> Status {
        Status::parse(&self.seen).unwrap_or(Status::Pending)
    }
}

async fn approve(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<i64>,
    FormBody(form): FormBody<Decision>,
) -> Result<Response, AppError> {
    if !editor.csrf_ok(&form.csrf) {
        return Err(AppError::CsrfFailed);
    }
    if let Some(pg) = state.db.postgres() {
        return approve_in_cluster(&state, pg, id, form.seen(), &editor).await;
    }
    let data = state.settings.data.clone();
    let deciding = state.deciding.clone();
    let (engine, store, actor, seen) = (
        state.engine.clone(),
        state.store.clone(),
        editor.user.name.clone(),
        form.seen(),
    );
    // `Ok(Err(problems))`: the submission breaks the rules and stays open.
    let published =
        tokio::task::spawn_blocking(move || -> Result<Result<String, FieldProblems>, AppError> {
            let _one_at_a_time = deciding
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let Some(s) = store.with(|c| submissions::by_id(c, id))? else {
                return Err(AppError::NotFound(format!("there is no submission {id}")));
            };
            if !s.status.is_open() || s.status != seen {
                return Err(conflict(id));
            }
            let resource = match check(&s.fields, &s.body, engine.vocab()) {
                Ok(resource) => resource,
                Err(problems) => return Ok(Err(problems)),
            };
            // The corpus file is written (fsync'd) and indexed before the queue
            // says approved: a crash in between leaves it pending, never lost.
            let attachment = match crate::attachments::of_fields(&s.fields) {
                Some(meta) => {
                    let text = crate::attachments::approve(&data, &meta.sha256).map_err(|e| {
                        AppError::Internal(format!("moving the attachment of submission {id}: {e}"))
                    })?;
                    Some((meta, text))
                }
                None => None,
            };
            let (published, path) = engine
                .publish_new_with(&resource, attachment.as_ref().map(|(m, t)| (m, t.as_str())))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let recorded = store.with(|c| {
                let tx = c.transaction()?;
                let changed = submissions::set_status(
                    &tx,
                    id,
                    seen,
                    Status::Approved,
                    None,
                    Some(&published.id),
                )?;
                if changed {
                    audit::record(
                        &tx,
                        &actor,
                        "approved",
                        Some(id),
                        &format!("published as {} ({path})", published.id),
                    )?;
                    tx.commit()?;
                }
                Ok(changed)
            })?;
            if !recorded {
                // Only another server on the same database can get here.
                tracing::error!(id, resource = %published.id, %path, "submission decided elsewhere while it was being published; withdraw the file by hand");
                return Err(conflict(id));
            }
            Ok(Ok(published.meta.id))
        })
        .await
        .map_err(|e| AppError::Internal(format!("approval task failed: {e}")))??;
    let published = match published {
        Ok(published) => published,
        Err(problems) => return cannot_publish(&state, &editor, id, Some(problems)).await,
    };
    tracing::info!(id, resource = %published, "approved");
    Ok(Redirect::to(&format!("/moderation/{id}")).into_response())
}

/// How long an approval waits for this replica's index to show it before
/// answering anyway (it is committed; the index follows).
const SEARCHABLE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Cluster mode: publish through PostgreSQL's change log (one transaction,
/// a conditional decision), then wait until this replica's index has it, so
/// the editor's next search finds it; the other replicas follow on their own.
async fn approve_in_cluster(
    state: &AppState,
    pg: &std::sync::Arc<PgStore>,
    id: i64,
    seen: Status,
    editor: &Editor,
) -> Result<Response, AppError> {
    let vocab = state.engine.vocab();
    let approval = pg
        .approve(id, seen, &editor.user.name, vocab, |fields, body| {
            check(fields, body, vocab).map_err(|problems| crate::problems::english(&problems))
        })
        .await?;
    match approval {
        Approval::Published { seq, .. } => {
            if !crate::cluster::wait_applied(&state.engine, seq, SEARCHABLE_WAIT).await {
                tracing::warn!(
                    seq,
                    "approved, but this replica's index has not caught up yet"
                );
            }
            Ok(Redirect::to(&format!("/moderation/{id}")).into_response())
        }
        Approval::NotOpen(_) => Err(conflict(id)),
        Approval::NotFound => Err(AppError::NotFound(format!("there is no submission {id}"))),
        Approval::Invalid(_) => cannot_publish(state, editor, id, None).await,
    }
}

async fn decide(
    state: AppState,
    editor: Editor,
    id: i64,
    form: Decision,
    status: Status,
) -> Result<Response, AppError> {
    if !editor.csrf_ok(&form.csrf) {
        return Err(AppError::CsrfFailed);
    }
    let reason = form.reason.trim().to_string();
    if reason.is_empty() {
        // The contributor sees the reason on their status page: the review
        // page again, the problem beside the box left empty.
        let s = load(&state, id).await?;
        let problems = Problems {
            reason_missing: Some(match status {
                Status::Rejected => "reject",
                _ => "changes",
            }),
            ..Problems::default()
        };
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            review(&editor, &s, &problems),
        )
            .into_response());
    }
    let (store, actor, seen) = (state.store.clone(), editor.user.name.clone(), form.seen());
    let deciding = state.deciding.clone();
    if let Db::Postgres(_) = &state.db {
        // Cluster mode: one conditional update in PostgreSQL decides between
        // editors on every replica.
        if !state.db.decide(id, seen, status, reason, actor).await? {
            load(&state, id).await?;
            return Err(conflict(id));
        }
        return Ok(Redirect::to("/moderation").into_response());
    }
    tokio::task::spawn_blocking(move || -> Result<(), AppError> {
        let _one_at_a_time = deciding
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let decided = store.with(|c| {
            let tx = c.transaction()?;
            let Some(s) = submissions::by_id(&tx, id)? else {
                return Ok(None);
            };
            let changed = s.status.is_open()
                && submissions::set_status(&tx, id, seen, status, Some(&reason), None)?;
            if changed {
                audit::record(&tx, &actor, status.as_str(), Some(id), &reason)?;
                tx.commit()?;
            }
            Ok(Some(changed))
        })?;
        match decided {
            None => Err(AppError::NotFound(format!("there is no submission {id}"))),
            Some(false) => Err(conflict(id)),
            Some(true) => Ok(()),
        }
    })
    .await
    .map_err(|e| AppError::Internal(format!("decision task failed: {e}")))??;
    Ok(Redirect::to("/moderation").into_response())
}

async fn reject(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<i64>,
    FormBody(form): FormBody<Decision>,
) -> Result<Response, AppError> {
    decide(state, editor, id, form, Status::Rejected).await
}

async fn request_changes(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<i64>,
    FormBody(form): FormBody<Decision>,
) -> Result<Response, AppError> {
    decide(state, editor, id, form, Status::ChangesRequested).await
}
