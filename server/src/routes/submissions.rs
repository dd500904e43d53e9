//! Contributions: `POST /api/v1/submissions` (JSON) and the `/submit` web
//! form, both validated by the same rules as corpus files
//! ([`kb_indexer::resource::validate`]), queued durably, and followed on a
//! status page at an unguessable address.
//!
//! The `201 Created` is sent only after the SQLite transaction committed
//! (WAL, `synchronous=FULL`), so an acknowledged submission survives `kill -9`.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kb_indexer::resource::{self, Resource};
use kb_indexer::vocabulary::Vocabularies;
use maud::{Markup, html};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::attachments::{self, AttachmentInfo};
use crate::auth::{self, ApiCaller, ClientIp};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::problems::{self, FieldProblem, FieldProblems};
use crate::routes::forms::{self, FormBody};
use crate::state::AppState;
use crate::store::{ApiKey, NewSubmission, Status, Submission, random_hex};

/// Largest accepted request body: 256 KiB is far more than any resource needs.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Largest body with a PDF attachment.
use crate::middleware::MAX_UPLOAD_BYTES;
/// The key under which a submission's fields keep its attachment's summary.
pub const ATTACHMENT: &str = "attachment";

/// Routes of contributors.
pub fn router() -> Router<AppState> {
    forms::private(
        Router::new()
            .route(
                "/api/v1/submissions",
                post(create).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
            )
            .route("/api/v1/submissions/{token}", get(status_json))
            .route("/submissions/{token}", get(status_page))
            .route(
                "/submit",
                get(form)
                    .post(submit_form)
                    .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
            )
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}

/// A request without an attachment keeps the usual body limit, although
/// the route takes uploads.
fn without_upload(request: Request) -> Request {
    request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, MAX_BODY_BYTES)))
}

/// An uploaded file: its name as sent and its bytes.
pub struct Upload {
    /// File name on the contributor's computer.
    pub name: String,
    /// The file.
    pub bytes: Vec<u8>,
}

fn multipart_error(e: &axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge(format!(
            "the request is larger than {} MB; attach a PDF of at most 20 MB",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        ))
    } else {
        AppError::InvalidForm(format!(
            "the multipart body could not be read ({}); send a `resource` part with the JSON and an `attachment` part with the PDF",
            e.body_text()
        ))
    }
}

/// The text parts and the `attachment` file of a multipart body.
async fn read_multipart(
    request: Request,
    state: &AppState,
) -> Result<(Vec<(String, String)>, Option<Upload>), AppError> {
    let mut multipart = axum::extract::Multipart::from_request(request, state)
        .await
        .map_err(|e| {
            AppError::InvalidForm(format!(
                "the multipart body could not be read: {}",
                e.body_text()
            ))
        })?;
    let mut pairs = Vec::new();
    let mut upload = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "attachment" {
            let file = field.file_name().unwrap_or("attachment.pdf").to_string();
            let bytes = field.bytes().await.map_err(|e| multipart_error(&e))?;
            // A file input left empty still sends an empty part.
            if !bytes.is_empty() {
                upload = Some(Upload {
                    name: file,
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            let text = field.text().await.map_err(|e| multipart_error(&e))?;
            pairs.push((name, text));
        }
    }
    Ok((pairs, upload))
}

/// Check an upload and keep it pending; its summary goes into the
/// submission's fields, a refusal into `errors` under `attachment`.
async fn take_attachment(
    state: &AppState,
    upload: Option<Upload>,
    errors: &mut FieldProblems,
) -> Result<Option<Value>, AppError> {
    let Some(upload) = upload else {
        return Ok(None);
    };
    if state.db.postgres().is_some() {
        // Attachments are kept on the one server's disk; replicas could not
        // serve or index them.
        errors.insert(ATTACHMENT.into(), vec![FieldProblem::AttachmentsOff]);
        return Ok(None);
    }
    let data = &state.settings.data;
    match attachments::extract(&upload.bytes, &attachments::pending_dir(data)).await {
        Ok(extracted) => {
            attachments::keep_pending(data, &upload.bytes, &extracted)
                .map_err(|e| AppError::Internal(format!("keeping an attachment: {e}")))?;
            Ok(Some(serde_json::json!({
                "sha256": extracted.sha256,
                "name": upload.name,
                "type": "application/pdf",
                "bytes": extracted.bytes,
                "pages": extracted.info.pages,
                "text_chars": extracted.info.text_chars,
                "has_text_layer": extracted.info.has_text_layer,
            })))
        }
        Err(error) => {
            let name = upload.name.chars().take(100).collect();
            errors.insert(
                ATTACHMENT.into(),
                vec![FieldProblem::Attachment { name, error }],
            );
            Ok(None)
        }
    }
}

/// JSON body extractor whose rejections are our JSON errors (400, 413),
/// not axum's plain-text ones.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> AppError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge(crate::middleware::too_large_message())
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::InvalidJson(
            "send the submission as JSON with the header `Content-Type: application/json`".into(),
        ),
        _ => AppError::InvalidJson(format!(
            "the request body is not valid JSON: {}",
            rejection.body_text()
        )),
    }
}

/// Validate fields and body with the corpus rules; on failure, each field's
/// problems (`resource` for the whole resource). An `attachment` (the
/// summary of a checked PDF) is not a resource field.
pub fn check(
    fields: &Map<String, Value>,
    body: &str,
    vocab: &Vocabularies,
) -> Result<Resource, FieldProblems> {
    let mut fields = fields.clone();
    fields.remove(ATTACHMENT);
    resource::validate(&fields, body, "submission", vocab).map_err(|errors| {
        let mut out = FieldProblems::new();
        for e in errors {
            let key = e.field.unwrap_or_else(|| "resource".into());
            problems::add(&mut out, &key, FieldProblem::Rule(e.problem));
        }
        out
    })
}

fn invalid(problems: &FieldProblems) -> AppError {
    let fields = problems::english(problems);
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    AppError::InvalidSubmission {
        message: format!(
            "the submission has {} problem{}: {}; fix each field and send it again",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" },
            names.join(", ")
        ),
        fields,
    }
}

/// Anonymous submissions are limited per client address; a keyed one was
/// already counted against its key's one quota by [`crate::keys`].
/// In cluster mode the count is kept in PostgreSQL, so the limit holds
/// across replicas.
async fn rate_check(state: &AppState, key: Option<&ApiKey>, ip: &str) -> Result<(), AppError> {
    if key.is_some() {
        return Ok(());
    }
    if let Some(pg) = state.db.postgres() {
        return pg
            .count_quota(
                &format!("submit:{ip}"),
                state.settings.submissions_per_minute,
                60,
            )
            .await?
            .map_err(|retry_after| AppError::RateLimited {
                what: "too many submissions from this address".into(),
                retry_after,
            });
    }
    state
        .limits
        .check(
            &format!("submit:{ip}"),
            state.settings.submissions_per_minute,
        )
        .map(|_| ())
        .map_err(|retry_after| AppError::RateLimited {
            what: "too many submissions from this address".into(),
            retry_after,
        })
}

async fn queue(state: &AppState, new: NewSubmission) -> Result<Submission, AppError> {
    Ok(state.db.insert_submission(new).await?)
}

async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    request: Request,
) -> Result<Response, AppError> {
    rate_check(&state, caller.key.as_ref(), &caller.ip).await?;
    let (value, upload) = if crate::middleware::uploads(&request) {
        let (parts, upload) = read_multipart(request, &state).await?;
        let Some((_, json)) = parts.into_iter().find(|(name, _)| name == "resource") else {
            return Err(AppError::InvalidForm(
                "the multipart body has no `resource` part: send the submission's JSON in a part named `resource`".into(),
            ));
        };
        let value: Value = serde_json::from_str(&json).map_err(|e| {
            AppError::InvalidJson(format!("the `resource` part is not valid JSON: {e}"))
        })?;
        (value, upload)
    } else {
        let ApiJson(value) =
            ApiJson::<Value>::from_request(without_upload(request), &state).await?;
        (value, None)
    };
    let Value::Object(mut fields) = value else {
        return Err(AppError::InvalidJson(
            "send one JSON object with the resource's fields and `body`".into(),
        ));
    };
    let body = fields.remove("body");
    let sent_inline = fields.remove(ATTACHMENT).is_some();
    let body_text = match &body {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let mut errors = check(&fields, &body_text, state.engine.vocab())
        .err()
        .unwrap_or_default();
    if !matches!(body, Some(Value::String(_)) | None) {
        // Instead of the rules' own word on the body: it was not text at all.
        errors.insert("body".into(), vec![FieldProblem::BodyNotText]);
    }
    if sent_inline {
        errors.insert(ATTACHMENT.into(), vec![FieldProblem::AttachmentInline]);
    }
    let attachment = take_attachment(&state, upload, &mut errors).await?;
    let resource = match check(&fields, &body_text, state.engine.vocab()) {
        Ok(r) if errors.is_empty() => r,
        _ => return Err(invalid(&errors)),
    };
    if let Some(summary) = &attachment {
        fields.insert(ATTACHMENT.into(), summary.clone());
    }
    let submission = queue(
        &state,
        NewSubmission {
            fields,
            body: body_text,
            title: resource.meta.title,
            key_id: caller.key.map(|k| k.id),
            client_ip: Some(caller.ip),
        },
    )
    .await?;
    let location = format!("/api/v1/submissions/{}", submission.token);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(SubmissionCreated {
            id: submission.id.to_string(),
            status: submission.status,
            status_url: format!("/submissions/{}", submission.token),
            attachment: attachment
                .as_ref()
                .and_then(|a| serde_json::from_value(a.clone()).ok()),
        }),
    )
        .into_response())
}

/// The answer to an accepted submission (`201`, with its JSON status
/// address in `Location`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubmissionCreated {
    /// Queue number.
    pub id: String,
    /// Always `pending` at first.
    pub status: Status,
    /// The contributor's status page (keep it: it is the only way back).
    pub status_url: String,
    /// What was read from the PDF attachment, when one was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<AttachmentInfo>,
}

/// Where a submission is, for its contributor.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubmissionStatus {
    /// Queue number.
    pub id: String,
    /// Moderation status.
    pub status: Status,
    /// Title as sent (or as an editor corrected it).
    pub title: String,
    /// Why it was rejected, or what to change.
    pub reason: Option<String>,
    /// Id of the published resource, once approved.
    pub resource_id: Option<String>,
    /// Page of the published resource, once approved.
    pub url: Option<String>,
    /// When it was received (RFC 3339).
    pub submitted_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

async fn find(state: &AppState, token: String) -> Result<Submission, AppError> {
    let not_found = || AppError::NotFound("no submission has this address".into());
    // Tokens are 64 hex characters; anything else cannot match.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    state
        .db
        .submission_by_token(token)
        .await?
        .ok_or_else(not_found)
}

async fn status_json(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
) -> Result<Json<SubmissionStatus>, AppError> {
    let token = token.map(|Path(t)| t).unwrap_or_default();
    let s = find(&state, token).await?;
    Ok(Json(SubmissionStatus {
        id: s.id.to_string(),
        status: s.status,
        url: s.resource_id.as_ref().map(|id| format!("/resources/{id}")),
        title: s.title,
        reason: s.reason,
        resource_id: s.resource_id,
        submitted_at: crate::i18n::rfc3339(s.created_at),
        updated_at: crate::i18n::rfc3339(s.updated_at),
    }))
}

fn status_words(status: Status) -> String {
    t(match status {
        Status::Pending => "status-pending",
        Status::Approved => "status-approved",
        Status::Rejected => "status-rejected",
        Status::ChangesRequested => "status-changes-requested",
    })
}

fn status_name(status: Status) -> String {
    t(&format!("status-name-{}", status.as_str()))
}

async fn status_page(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let token = token.map(|Path(t)| t).unwrap_or_default();
    let s = find(&state, token).await?;
    Ok(crate::web::forms::page(
        &t("submission-title"),
        None,
        html! {
            p { "“" (s.title) "” — " (t_args("submission-sent", &[("id", s.id.into()), ("when", crate::i18n::date_time(s.created_at).into())])) }
            p { strong { (t("status-label")) " " (status_name(s.status)) } ". " (status_words(s.status)) }
            @if let Some(reason) = &s.reason { p { (t("editor-note")) " " (reason) } }
            @if s.status == Status::ChangesRequested {
                p { a href="/submit" { (t("send-updated")) } }
            }
            @if let (Status::Approved, Some(id)) = (s.status, &s.resource_id) {
                p { a href={"/resources/" (id)} { (t("read-on-site")) } }
            }
            p.hint { (t("keep-address")) }
        },
    )
    .into_response())
}

/// The `/submit` page, with the tags in use as suggestions.
async fn submit_page(
    state: &AppState,
    csrf: &str,
    typed: &[(String, String)],
    errors: &FieldProblems,
    preview: Option<String>,
) -> Markup {
    let tags = state
        .blocking(|engine| Ok(engine.tags_in_use(2000)))
        .await
        .unwrap_or_default();
    crate::web::submit::page(
        &state.settings.base_url,
        state.engine.vocab(),
        crate::web::submit::SubmitPage {
            csrf,
            typed,
            errors,
            preview,
            tags: &tags,
        },
    )
}

/// What `/submit` may be opened with: a draft title (the analytics
/// dashboard links a search that found nothing this way).
#[derive(Debug, serde::Deserialize)]
struct Draft {
    title: Option<String>,
}

async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(draft): axum::extract::Query<Draft>,
) -> Result<Response, AppError> {
    let csrf = match auth::cookie(&headers, auth::FORM_COOKIE) {
        Some(token) if token.len() == 64 => token,
        _ => random_hex(32)?,
    };
    let cookie = auth::set_cookie(
        auth::FORM_COOKIE,
        &csrf,
        7200,
        state.settings.secure_cookies,
    );
    let typed: Vec<(String, String)> = draft
        .title
        .filter(|t| !t.trim().is_empty())
        .map(|t| ("title".to_string(), t.chars().take(300).collect()))
        .into_iter()
        .collect();
    Ok((
        [(header::SET_COOKIE, cookie)],
        submit_page(&state, &csrf, &typed, &FieldProblems::new(), None).await,
    )
        .into_response())
}

async fn submit_form(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, AppError> {
    let (form, upload) = if crate::middleware::uploads(&request) {
        read_multipart(request, &state).await?
    } else {
        let FormBody(form) =
            FormBody::<Vec<(String, String)>>::from_request(without_upload(request), &state)
                .await?;
        (form, None)
    };
    let expected = auth::cookie(&headers, auth::FORM_COOKIE).unwrap_or_default();
    let given = forms::form_value(&form, "csrf");
    if expected.is_empty() || !auth::same_secret(&expected, given) {
        return Err(AppError::CsrfFailed);
    }
    if !forms::form_value(&form, "website").is_empty() {
        // A bot filled in the honeypot: answer as if all went well, store nothing.
        return Ok(
            crate::web::forms::message_page(&t("thanks-title"), &t("thanks")).into_response(),
        );
    }
    let (mut fields, body) = forms::fields_from_form(&form);
    if forms::form_value(&form, "action") == "preview" {
        // Nothing is stored: the page comes back with the body rendered by
        // the resource pages' own renderer (sanitised), and what was typed.
        let html = kb_indexer::markdown::to_html(&body);
        let errors = FieldProblems::new();
        return Ok(submit_page(&state, &expected, &form, &errors, Some(html))
            .await
            .into_response());
    }
    rate_check(&state, None, &ip).await?;
    let mut errors = check(&fields, &body, state.engine.vocab())
        .err()
        .unwrap_or_default();
    let attachment = take_attachment(&state, upload, &mut errors).await?;
    let resource = match check(&fields, &body, state.engine.vocab()) {
        Ok(r) if errors.is_empty() => r,
        _ => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                submit_page(&state, &expected, &form, &errors, None).await,
            )
                .into_response());
        }
    };
    if let Some(summary) = attachment {
        fields.insert(ATTACHMENT.into(), summary);
    }
    let submission = queue(
        &state,
        NewSubmission {
            fields,
            body,
            title: resource.meta.title,
            key_id: None,
            client_ip: Some(ip),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/submissions/{}", submission.token)).into_response())
}
