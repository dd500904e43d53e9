//! The plain HTML shell of the contributor and editor pages, and the
//! resource form they share. Every value goes through maud, which escapes it.

use std::collections::BTreeMap;

use maud::{DOCTYPE, Markup, html};
use serde_json::{Map, Value};

use crate::error::AppError;
use crate::i18n::t;
use crate::store::User;

/// Resource fields on forms, in order. Each has a label (`field-<name>`)
/// and a hint (`hint-<name>`) in the catalogues. Lists are comma-separated.
pub const RESOURCE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "offers",
    "type",
    "published",
    "year",
    "region",
    "organisation",
    "tags",
    "language",
    "source_url",
    "contributor",
    "licence",
];

/// A whole page, with the language switch and the shared footer.
pub fn page(title: &str, who: Option<(&User, &str)>, content: Markup) -> Markup {
    let lang = crate::i18n::lang();
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (t("site-name")) }
                // The strict CSP forbids inline styles: the rules for these
                // pages live in the site stylesheet under `.form-page`.
                link rel="stylesheet" href=(crate::web::assets::css_url());
            }
            body.form-page {
                header {
                    a href="/" { (t("site-name")) }
                    @if let Some((user, csrf)) = who {
                        " · " a href="/moderation" { (t("nav-moderation")) }
                        @if user.role == crate::store::Role::Admin { " · " a href="/admin/audit" { (t("nav-audit")) } }
                        " · " a href="/account/data" { (t("nav-my-data")) }
                        form.inline method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(csrf);
                            " · " (user.name) " " button type="submit" { (t("log-out")) }
                        }
                    }
                    (crate::web::layout::language_switch())
                }
                main { h1 { (title) } (content) }
                (crate::web::layout::footer())
            }
        }
    }
}

/// A page with one message.
pub fn message_page(title: &str, text: &str) -> Markup {
    page(title, None, html! { p { (text) } })
}

/// A stored field value as form text: lists joined with commas.
pub fn field_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// Form pairs to the field map that validation takes, and the body.
/// Empty inputs count as not given.
pub fn fields_from_form(form: &[(String, String)]) -> (Map<String, Value>, String) {
    let mut fields = Map::new();
    let mut body = String::new();
    for (name, value) in form {
        if name == "body" {
            body = value.replace("\r\n", "\n");
        } else if RESOURCE_FIELDS.contains(&name.as_str()) && !value.trim().is_empty() {
            // Ticked boxes repeat their name: their values make one list.
            let value = match fields.get(name) {
                Some(Value::String(before)) => format!("{before}, {}", value.trim()),
                _ => value.trim().to_string(),
            };
            fields.insert(name.clone(), Value::String(value));
        }
    }
    (fields, body)
}

/// The value of `name` in form pairs.
pub fn form_value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The resource inputs, each with its error beside it and the user's input kept.
pub fn resource_inputs(
    fields: &Map<String, Value>,
    body: &str,
    errors: &BTreeMap<String, String>,
) -> Markup {
    // Field problems are worded by the shared validation rules, in English:
    // marked so on a Welsh page.
    let detail_lang = (crate::i18n::lang() != crate::i18n::Lang::En).then_some("en");
    html! {
        @if let Some(general) = errors.get("resource") { p.error lang=[detail_lang] { (general) } }
        @for name in RESOURCE_FIELDS {
            label for=(name) { (t(&format!("field-{name}"))) }
            @if let Some(e) = errors.get(*name) {
                span.error id={(name) "-error"} { (t("field-problem")) " " span lang=[detail_lang] { (e) } } br;
            }
            input type="text" id=(name) name=(name) value=(field_text(fields.get(*name)))
                aria-describedby={(name) "-hint"};
            span.hint id={(name) "-hint"} { (t(&format!("hint-{name}"))) }
        }
        label for="body" { (t("field-body")) }
        @if let Some(e) = errors.get("body") {
            span.error id="body-error" { (t("field-problem")) " " span lang=[detail_lang] { (e) } } br;
        }
        textarea id="body" name="body" rows="14" { (body) }
        @for (name, message) in errors.iter().filter(|(k, _)| *k != "resource" && *k != "body" && !RESOURCE_FIELDS.contains(&k.as_str())) {
            p.error lang=[detail_lang] { (name) ": " (message) }
        }
    }
}

/// A URL-encoded form body whose rejections are [`AppError`]s (so a body
/// over the limit is the usual `413` page), not axum's plain-text ones.
pub struct FormBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for FormBody<T> {
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(FormBody(value)),
            Err(rejection) => Err(match rejection.status() {
                axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                    AppError::PayloadTooLarge(crate::middleware::too_large_message())
                }
                _ => AppError::InvalidForm(format!(
                    "the form could not be read ({}); reload the page and send it again",
                    rejection.body_text()
                )),
            }),
        }
    }
}

/// Headers for pages that belong to one person (editor pages, forms, status
/// pages): never stored by caches, never framed by another site (forms in a
/// hidden frame are how clickjacking works).
pub fn private<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    use axum::http::{HeaderName, HeaderValue, header};
    use tower_http::set_header::SetResponseHeaderLayer;
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
}
