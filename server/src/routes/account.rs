//! Editor accounts on the web: `/login`, `/logout` and the admins' audit
//! log at `/admin/audit`.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::Markup;
use serde::Deserialize;

use crate::auth::{self, Admin, ClientIp, Editor};
use crate::error::AppError;
use crate::i18n::t;
use crate::routes::forms::{self, FormBody};
use crate::state::AppState;
use crate::store::{accounts, random_hex};
use crate::web::account::login_page;

/// Account routes.
pub fn router() -> Router<AppState> {
    forms::private(
        Router::new()
            .route("/login", get(login_form).post(login))
            .route("/logout", post(logout))
            .route("/admin/audit", get(audit_page)),
    )
}

/// Login attempts allowed per client address per minute: enough for typos,
/// too few for guessing.
pub const LOGINS_PER_MINUTE: u32 = 10;

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Where to go after login: `next` only if it stays on this site, else the queue.
///
/// `next` is resolved the way a browser resolves a `Location` header (the
/// WHATWG URL parser: ASCII tab, CR and LF removed, `\\` read as `/`), so
/// `/<TAB>/evil.example` and `/\\evil.example`, which browsers follow to
/// another host, are refused. The answer is the resolved path, query and
/// fragment, never the text as sent.
pub fn safe_next(next: Option<&str>) -> String {
    const FALLBACK: &str = "/moderation";
    let Some(next) = next else {
        return FALLBACK.to_string();
    };
    let Ok(base) = url::Url::parse("http://this-site.invalid/") else {
        return FALLBACK.to_string();
    };
    match base.join(next) {
        Ok(target) if target.origin() == base.origin() => {
            target[url::Position::BeforePath..].to_string()
        }
        _ => FALLBACK.to_string(),
    }
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
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    FormBody(form): FormBody<LoginForm>,
) -> Result<Response, AppError> {
    state
        .limits
        .check(&format!("login:{ip}"), LOGINS_PER_MINUTE)
        .map_err(|retry_after| AppError::RateLimited {
            what: "too many login attempts from this address".into(),
            retry_after,
        })?;
    let expected = auth::cookie(&headers, auth::FORM_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same_secret(&expected, &form.csrf) {
        return Err(AppError::CsrfFailed);
    }
    let next = safe_next(form.next.as_deref());
    let (name, password) = (form.name.trim().to_string(), form.password);
    let lookup = name.clone();
    let record = state.db.login_record(lookup).await?;
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
        .db
        .create_session(user_id, auth::SESSION_TTL_SECONDS, actor)
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
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, AppError> {
    if !editor.csrf_ok(&form.csrf) {
        return Err(AppError::CsrfFailed);
    }
    let sid = editor.session_id.clone();
    state.db.delete_session(sid).await?;
    let cookie = auth::set_cookie(auth::SESSION_COOKIE, "", 0, state.settings.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

async fn audit_page(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<Markup, AppError> {
    let rows = state.db.audit_recent(500).await?;
    Ok(crate::web::account::audit_page(
        &admin.user,
        &admin.csrf,
        &rows,
    ))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    /// Hostile `next` values that browsers would follow to another host all
    /// fall back to the queue; local paths are kept.
    #[test]
    fn next_stays_on_this_site() {
        for hostile in [
            "//evil.example",
            "/\t/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\n\\evil.example",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/moderation", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/moderation");
        assert_eq!(safe_next(Some("/moderation/7")), "/moderation/7");
        assert_eq!(
            safe_next(Some("/admin/audit?x=1#top")),
            "/admin/audit?x=1#top"
        );
    }
}
