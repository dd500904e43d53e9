//! Editor accounts on the web: `/login`, `/logout` and the admins' audit
//! log at `/admin/audit`.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use serde::Deserialize;

use std::sync::Arc;

use axum::Extension;

use crate::auth::{self, Admin, ClientIp, Editor};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::rate_limit::RateLimiter;
use crate::routes::forms;
use crate::startup::AppState;
use crate::store::{accounts, audit, format_time, random_hex};

/// Account routes.
pub fn router() -> Router<AppState> {
    forms::private(
        Router::new()
            .route("/login", get(login_form).post(login))
            .route("/logout", post(logout))
            .route("/admin/audit", get(audit_page))
            .layer(Extension(Arc::new(RateLimiter::new()))),
    )
}

/// Login attempts allowed per client address per minute: enough for typos,
/// too few for guessing.
pub const LOGINS_PER_MINUTE: u32 = 10;

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only local paths: never send someone to another site after login.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/moderation".to_string(),
    }
}

fn login_page(csrf: &str, next: &str, name: &str, error: Option<&str>) -> Markup {
    forms::page(
        &t("login-title"),
        None,
        html! {
            @if let Some(e) = error { p.error { (e) } }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                label for="name" { (t("login-name")) }
                input type="text" id="name" name="name" value=(name) autocomplete="username";
                label for="password" { (t("login-password")) }
                input type="password" id="password" name="password" autocomplete="current-password";
                p { button type="submit" { (t("log-in")) } }
            }
        },
    )
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Next>,
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
    let next = safe_next(q.next.as_deref());
    Ok((
        [(header::SET_COOKIE, cookie)],
        login_page(&csrf, &next, "", None),
    )
        .into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<RateLimiter>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    if let Err(seconds) = limiter.check(&format!("login:{ip}"), LOGINS_PER_MINUTE) {
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, seconds.to_string())],
            forms::message_page(
                &t("login-too-many-title"),
                &t_args("login-too-many", &[("seconds", seconds.into())]),
            ),
        )
            .into_response());
    }
    let expected = auth::cookie(&headers, auth::FORM_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same_secret(&expected, &form.csrf) {
        return Ok(forms::csrf_failed());
    }
    let next = safe_next(form.next.as_deref());
    let (name, password) = (form.name.trim().to_string(), form.password);
    let lookup = name.clone();
    let record = state
        .store
        .run(move |c| accounts::login_record(c, &lookup))
        .await?;
    // argon2 is slow by design: verify off the executor and outside the
    // database lock, so one login does not hold up the queue.
    let user = tokio::task::spawn_blocking(move || accounts::check_password(record, &password))
        .await
        .map_err(|e| AppError::Internal(format!("password check failed: {e}")))?;
    let Some(user) = user else {
        tracing::warn!(%name, "failed login");
        return Ok((
            StatusCode::UNAUTHORIZED,
            login_page(&expected, &next, &name, Some(&t("login-wrong"))),
        )
            .into_response());
    };
    let (user_id, actor) = (user.id, user.name.clone());
    let (sid, _) = state
        .store
        .run(move |c| {
            let session = accounts::create_session(c, user_id, auth::SESSION_TTL_SECONDS)?;
            audit::record(c, &actor, "login", None, "")?;
            Ok(session)
        })
        .await?;
    let cookie = auth::set_cookie(
        auth::SESSION_COOKIE,
        &sid,
        auth::SESSION_TTL_SECONDS,
        state.settings.secure_cookies,
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    editor: Editor,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    if !editor.csrf_ok(&form.csrf) {
        return Ok(forms::csrf_failed());
    }
    let sid = editor.session_id.clone();
    state
        .store
        .run(move |c| accounts::delete_session(c, &sid))
        .await?;
    let cookie = auth::set_cookie(auth::SESSION_COOKIE, "", 0, state.settings.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

async fn audit_page(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<Markup, AppError> {
    let rows = state.store.run(|c| audit::recent(c, 500)).await?;
    Ok(forms::page(
        "Audit log",
        Some((&admin.user, &admin.csrf)),
        html! {
            table {
                tr { th { "When" } th { "Who" } th { "Did" } th { "Submission" } th { "Detail" } }
                @for row in &rows {
                    tr {
                        td { (format_time(row.at)) }
                        td { (row.actor) }
                        td { (row.action) }
                        td { @if let Some(id) = row.submission_id { a href={"/moderation/" (id)} { (id) } } }
                        td { (row.detail) }
                    }
                }
            }
        },
    ))
}
