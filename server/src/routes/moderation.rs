//! The editors' queue: list, preview as published, edit, approve, reject,
//! request changes. Every action is a CSRF-checked POST and leaves a row in
//! the audit log.
//!
//! Approving writes the resource into the corpus (the store of record) and
//! updates the live index before answering, so it is searchable at once.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kb_indexer::markdown;
use maud::{Markup, PreEscaped, html};

use crate::auth::Editor;
use crate::error::AppError;
use crate::routes::forms::{self, FormBody};
use crate::routes::submissions::check;
use crate::state::AppState;
use crate::store::pg::Approval;
use crate::store::{Db, PgStore, Status, Submission, audit, format_time, submissions};

/// Moderation routes.
pub fn router() -> Router<AppState> {
    forms::private(
        Router::new()
            .route("/moderation", get(queue))
            .route("/moderation/{id}", get(review).post(edit))
            .route("/moderation/{id}/approve", post(approve))
            .route("/moderation/{id}/reject", post(reject))
            .route("/moderation/{id}/changes", post(request_changes)),
    )
}

async fn queue(State(state): State<AppState>, editor: Editor) -> Result<Markup, AppError> {
    let (open, decided) = state.db.queue(500, 50).await?;
    Ok(forms::page(
        "Moderation queue",
        Some((&editor.user, &editor.csrf)),
        html! {
            @if open.is_empty() { p { "Nothing waiting." } }
            @else {
                table {
                    tr { th { "#" } th { "Title" } th { "Status" } th { "Received" } th { "From" } }
                    @for s in &open {
                        tr {
                            td { (s.id) }
                            td {
                                a href={"/moderation/" (s.id)} { (s.title) }
                                (attachment_flag(s))
                            }
                            td { (s.status.as_str()) }
                            td { (format_time(s.created_at)) }
                            td { @if let Some(k) = s.key_id { "API key " (k) } @else { "web / anonymous" } }
                        }
                    }
                }
            }
            @if !decided.is_empty() {
                h2 { "Recently decided" }
                table {
                    tr { th { "#" } th { "Title" } th { "Status" } th { "Decided" } th { "Published as" } }
                    @for s in &decided {
                        tr {
                            td { (s.id) }
                            td { a href={"/moderation/" (s.id)} { (s.title) } }
                            td { (s.status.as_str()) }
                            td { (format_time(s.updated_at)) }
                            td { @if let Some(id) = &s.resource_id { a href={"/resources/" (id)} { (id) } } }
                        }
                    }
                }
            }
        },
    ))
}

async fn load(state: &AppState, id: i64) -> Result<Submission, AppError> {
    state
        .db
        .submission_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no submission {id}")))
}

/// The queue's note on a submission's PDF: its pages, and a warning when it
/// has no text layer (a scan that screen readers cannot read).
fn attachment_flag(s: &Submission) -> Markup {
    html! {
        @if let Some(a) = crate::attachments::of_fields(&s.fields) {
            " " span.attachment-note { "(PDF, " (a.pages) " page" @if a.pages != 1 { "s" } ")" }
            @if !a.has_text_layer {
                " " strong.flag.no-text-layer { "PDF has no text layer" }
            }
        }
    }
}

fn review_page(editor: &Editor, s: &Submission, errors: &BTreeMap<String, String>) -> Markup {
    let csrf = editor.csrf.as_str();
    html! {
        p { "Submission " (s.id) " — " strong { (s.status.as_str()) } ", received " (format_time(s.created_at)) "." }
        @if let Some(reason) = &s.reason { p { "Note: " (reason) } }
        @if let Some(id) = &s.resource_id { p { "Published as " a href={"/resources/" (id)} { (id) } } }
        @if let Some(a) = crate::attachments::of_fields(&s.fields) {
            p { "Attached: “" (a.name) "”, " (crate::web::resource::file_size(a.bytes)) ", " (a.pages) " pages." (attachment_flag(s)) }
            @if !a.has_text_layer {
                p.error { "This PDF has no text layer: screen-reader users cannot read it, and its words are not searchable. Ask for an accessible version before publishing." }
            }
        }
        h2 { "Preview" }
        div.preview {
            h1 { (forms::field_text(s.fields.get("title"))) }
            p { em { (forms::field_text(s.fields.get("summary"))) } }
            // Rendered and sanitised exactly as the published page renders it.
            (PreEscaped(markdown::to_html(&s.body)))
        }
        @if s.status.is_open() {
            h2 { "Decide" }
            form method="post" action={"/moderation/" (s.id) "/approve"} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="seen" value=(s.status.as_str());
                button type="submit" { "Approve and publish" }
            }
            form method="post" action={"/moderation/" (s.id) "/changes"} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="seen" value=(s.status.as_str());
                label for="changes-reason" { "What should the contributor change?" }
                textarea id="changes-reason" name="reason" rows="3" {}
                button type="submit" { "Request changes" }
            }
            form method="post" action={"/moderation/" (s.id) "/reject"} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="seen" value=(s.status.as_str());
                label for="reject-reason" { "Reason for rejecting" }
                textarea id="reject-reason" name="reason" rows="3" {}
                button type="submit" { "Reject" }
            }
            h2 { "Edit" }
            @if !errors.is_empty() { p.error { "Not saved: correct the fields marked below." } }
            form method="post" action={"/moderation/" (s.id)} {
                input type="hidden" name="csrf" value=(csrf);
                (forms::resource_inputs(&s.fields, &s.body, errors))
                p { button type="submit" { "Save changes" } }
            }
        }
    }
}

async fn review(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = load(&state, id).await?;
    let title = format!("Review: {}", s.title);
    Ok(forms::page(
        &title,
        Some((&editor.user, &editor.csrf)),
        review_page(&editor, &s, &BTreeMap::new()),
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
            let title = format!("Review: {}", s.title);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                forms::page(
                    &title,
                    Some((&editor.user, &editor.csrf)),
                    review_page(&editor, &s, &errors),
                ),
            )
                .into_response())
        }
        Ok(resource) => {
            let mut changed: Vec<&str> = forms::RESOURCE_FIELDS
                .iter()
                .copied()
                .filter(|f| {
                    forms::field_text(s.fields.get(*f)) != forms::field_text(fields.get(*f))
                })
                .collect();
            if s.body != body {
                changed.push("body");
            }
            let detail = format!("changed: {}", changed.join(", "));
            let actor = editor.user.name.clone();
            // Only while still open: an edit never reopens a decided submission.
            if !state
                .db
                .edit_submission(id, fields, body, resource.title, actor, detail)
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
        return approve_in_cluster(&state, pg, id, form.seen(), editor.user.name.clone()).await;
    }
    let data = state.settings.data.clone();
    let deciding = state.deciding.clone();
    let (engine, store, actor, seen) = (
        state.engine.clone(),
        state.store.clone(),
        editor.user.name.clone(),
        form.seen(),
    );
    let published =
        tokio::task::spawn_blocking(move || -> Result<String, AppError> {
            let _one_at_a_time = deciding
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let Some(s) = store.with(|c| submissions::by_id(c, id))? else {
                return Err(AppError::NotFound(format!("there is no submission {id}")));
            };
            if !s.status.is_open() || s.status != seen {
                return Err(conflict(id));
            }
            let resource = check(&s.fields, &s.body, engine.vocab()).map_err(|errors| {
                let list: Vec<String> = errors.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                AppError::InvalidSubmission {
                    message: format!(
                        "it cannot be published yet; edit the submission first. {}",
                        list.join(" ")
                    ),
                    fields: errors,
                }
            })?;
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
            Ok(published.id)
        })
        .await
        .map_err(|e| AppError::Internal(format!("approval task failed: {e}")))??;
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
    actor: String,
) -> Result<Response, AppError> {
    let vocab = state.engine.vocab();
    let approval = pg
        .approve(id, seen, &actor, vocab, |fields, body| {
            check(fields, body, vocab)
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
        Approval::Invalid(errors) => {
            let list: Vec<String> = errors.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                forms::message_page(
                    "Cannot publish yet",
                    &format!("Edit the submission first. {}", list.join(" ")),
                ),
            )
                .into_response())
        }
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
        return Err(AppError::InvalidSubmission {
            message: "a reason is needed: the contributor sees it on their status page; go back and write one".into(),
            fields: [("reason".to_string(), "write a reason".to_string())].into(),
        });
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
