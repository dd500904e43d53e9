//! The HTTP layers every request passes through, outermost first: request
//! id, tracing (with `Authorization` and cookies marked sensitive so they are
//! never logged), metrics, security headers, compression, HTML error pages,
//! panic capture, load shedding with one in-flight limit for the whole
//! server, timeout and body limit. Every error these layers answer with is
//! an [`AppError`], so it has the same body and code as a handler's.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::{AppError, ErrorSource, answers_json};
use crate::metrics::Metrics;
use crate::settings::Settings;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The gzip level of compressed answers. On the contract's example search
/// (27 KB of JSON), zlib-rs takes 52, 81, 106 and 162 µs at levels 1, 2, 3
/// and 6 and writes 9.5, 7.6, 7.2 and 6.9 KB: level 2 is where more CPU
/// stops buying much size (from 1 to 2, 15 ns per byte saved; from 2 to 3,
/// 69 ns), and compressing was a fifth of a compressed answer's CPU at 3.
pub const GZIP_LEVEL: i32 = 2;

/// The Content-Security-Policy of every response: no inline script, nothing
/// from other origins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    AppError::Internal(format!("a request handler panicked: {what}")).into_response()
}

/// The errors of the load-shedding and timeout layers, as `AppError`s.
async fn layer_error(error: tower::BoxError) -> AppError {
    if error.is::<tower::load_shed::error::Overloaded>() {
        AppError::Overloaded
    } else if error.is::<tower::timeout::error::Elapsed>() {
        AppError::Timeout
    } else {
        AppError::Internal(format!("a middleware layer failed: {error}"))
    }
}

/// Refuse a body announced as larger than [`MAX_BODY_BYTES`] before reading
/// it; bodies without a length are capped by `DefaultBodyLimit` as the
/// extractors read them.
async fn limit_body(request: Request<Body>, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = if uploads(&request) {
        MAX_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    };
    if announced.is_some_and(|n| n > limit as u64) {
        return AppError::PayloadTooLarge(too_large_message()).into_response();
    }
    next.run(request).await
}

/// Largest multipart body with a PDF attachment: the attachment, the
/// resource, and room for the part headers.
pub const MAX_UPLOAD_BYTES: usize = crate::attachments::MAX_BYTES + MAX_BODY_BYTES + 64 * 1024;

/// A submission carrying an attachment: multipart to one of the two
/// submission addresses.
pub fn uploads<B>(request: &Request<B>) -> bool {
    request.method() == axum::http::Method::POST
        && matches!(request.uri().path(), "/api/v1/submissions" | "/submit")
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// What to say about a body over [`MAX_BODY_BYTES`].
pub fn too_large_message() -> String {
    format!(
        "the request is larger than {} KiB; shorten the text, or link to the full document with `source_url`",
        MAX_BODY_BYTES / 1024
    )
}

/// On web pages, an `AppError` answer becomes the site's HTML error page
/// (same status and headers); the API and operator endpoints keep JSON.
async fn render_errors(
    State(base_url): State<Arc<str>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if answers_json(&path) {
        return response;
    }
    let Some(ErrorSource(error)) = response.extensions().get::<ErrorSource>().cloned() else {
        return response;
    };
    let mut page = crate::web::layout::render_error_page(&base_url, &path, &error);
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && !page.headers().contains_key(name)
        {
            page.headers_mut().insert(name.clone(), value.clone());
        }
    }
    page
}

async fn record(State(metrics): State<Metrics>, request: Request<Body>, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Wrap a router in the production layers; `settings` gives the number of
/// requests served at once (`max_in_flight`) and the per-request time limit.
pub fn apply<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    metrics: Metrics,
    settings: &Settings,
) -> Router<S> {
    let request_id = HeaderName::from_static("x-request-id");
    let security = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ));
    // One stack, outermost first, given to `Router::layer` once. Each
    // `Router::layer` call wraps every route in a box of its own, and a
    // request clones its route's boxes, each clone cloning the boxes inside
    // it: twelve calls here (fourteen with `startup::app`'s two) cost each
    // request 136 boxed clones.
    // Every route still gets its own copy of the stack: the in-flight limit
    // therefore shares one semaphore among all of them
    // (`GlobalConcurrencyLimitLayer`), so it is one limit for the server.
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::COOKIE,
            HeaderName::from_static("x-api-key"),
        ]))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), uri = %request.uri().path(), request_id = %id)
            }),
        )
        .layer(middleware::from_fn_with_state(metrics, record))
        .layer(security)
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(GZIP_LEVEL)))
        .layer(middleware::from_fn_with_state(
            Arc::<str>::from(settings.base_url.as_str()),
            render_errors,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(HandleErrorLayer::new(layer_error))
        .load_shed()
        .layer(GlobalConcurrencyLimitLayer::new(settings.max_in_flight))
        .timeout(settings.request_timeout())
        .layer(middleware::from_fn(limit_body))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES));
    router.layer(stack)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    /// A panicking handler is answered like any internal error: 500 with the
    /// JSON body and code of the one error table, the panic text kept out.
    #[tokio::test]
    async fn panics_go_through_the_error_table() {
        let response = panic_response(Box::new("index slot 7 poisoned"));
        assert_eq!(
            response.status(),
            axum::http::StatusCode::INTERNAL_SERVER_ERROR
        );
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let value: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(value["error"]["code"], "internal_error");
        assert!(!value.to_string().contains("poisoned"));
    }
}
