//! Reading the contributor and editor forms: the resource fields they
//! carry, form bodies whose rejections are the site's own errors, and the
//! headers of pages that belong to one person. The pages themselves are
//! rendered in [`crate::web::forms`].

use kb_indexer::resource::CONTRIBUTED_FIELDS;
use serde_json::{Map, Value};

use crate::error::AppError;

/// Form pairs to the field map that validation takes, and the body.
/// Empty inputs count as not given.
pub fn fields_from_form(form: &[(String, String)]) -> (Map<String, Value>, String) {
    let mut fields = Map::new();
    let mut body = String::new();
    for (name, value) in form {
        if name == "body" {
            body = value.replace("\r\n", "\n");
        } else if CONTRIBUTED_FIELDS.contains(&name.as_str()) && !value.trim().is_empty() {
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
