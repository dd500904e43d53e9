//! The stylesheet and script, compiled into the binary so the server needs
//! no files beside it. Pages link them with a content hash in the URL, so
//! browsers may cache them for a year and still see every new version.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The site stylesheet.
pub const SITE_CSS: &str = include_str!("../../static/site.css");
/// The progressive-enhancement script (auto-submit, suggestions, filters).
pub const APP_JS: &str = include_str!("../../static/app.js");

fn digest(text: &str) -> String {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

static CSS_VERSION: LazyLock<String> = LazyLock::new(|| digest(SITE_CSS));
static JS_VERSION: LazyLock<String> = LazyLock::new(|| digest(APP_JS));

/// The stylesheet URL, versioned by content.
pub fn css_url() -> String {
    format!("/static/site.css?v={}", *CSS_VERSION)
}

/// The script URL, versioned by content.
pub fn js_url() -> String {
    format!("/static/app.js?v={}", *JS_VERSION)
}

/// Serve an asset. A request naming the current version may be cached for a
/// year; an unversioned one only briefly, since its content may change.
pub fn serve(body: &'static str, content_type: &'static str, query: Option<&str>) -> Response {
    let current = if content_type.starts_with("text/css") {
        CSS_VERSION.as_str()
    } else {
        JS_VERSION.as_str()
    };
    let versioned = query
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "v"))
        .is_some_and(|(_, v)| v == current);
    let cache = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}
