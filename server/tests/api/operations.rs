//! Operator endpoints and the layers every response passes through.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kb_server::startup::app;
use tower::ServiceExt;

use crate::helpers::{get, get_json, state};

/// Liveness and readiness answer, and readiness reports the searchable count.
#[tokio::test]
async fn health_and_readiness() {
    let (status, v) = get_json("/healthz").await;
    assert_eq!((status, v["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (status, v) = get_json("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["documents"].as_u64() > Some(60));
}

/// Metrics count requests by route and status and report the index.
#[tokio::test]
async fn metrics_are_exposed() {
    let _ = get("/api/v1/search?q=dementia").await;
    let _ = get("/api/v1/search?page=0").await;
    let (status, text) = get("/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains(
            "kb_http_requests_total{method=\"GET\",route=\"/api/v1/search\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(
        text.contains("route=\"/api/v1/search\",status=\"400\""),
        "{text}"
    );
    assert!(text.contains("kb_http_request_duration_seconds_bucket"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("kb_index_documents ") && !l.ends_with(" 0")),
        "{text}"
    );
}

/// Every response carries the security headers and a request id.
#[tokio::test]
async fn security_headers_on_every_response() {
    for path in [
        "/api/v1/search?q=x",
        "/api/v1/resources/none",
        "/healthz",
        "/no/such/route",
    ] {
        let response = app(state())
            .oneshot(
                Request::builder()
                    .uri(path)
                    .body(Body::empty())
                    .expect("req"),
            )
            .await
            .expect("resp");
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(
            headers.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{path}"
        );
        assert!(headers.get("referrer-policy").is_some(), "{path}");
        assert!(headers.get("x-request-id").is_some(), "{path}");
    }
}

/// Unknown API paths answer a JSON 404; unknown page paths the HTML page.
#[tokio::test]
async fn unknown_paths_are_404() {
    let (status, v) = get_json("/api/v1/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
    let (status, html) = get("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("<html") && html.contains("/no/such/page"));
}

/// Streamed exports survive response compression (a gzip client once made
/// the stream be polled past its end and the server panicked).
#[tokio::test]
async fn streamed_export_with_gzip() {
    use http_body_util::BodyExt;
    let request = Request::builder()
        .uri("/api/v1/export.json")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .expect("req");
    let response = app(state()).oneshot(request).await.expect("resp");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"gzip"[..])
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("whole body")
        .to_bytes();
    assert!(bytes.len() > 100);
}

/// A search answer asked for with gzip comes compressed, at least three
/// times smaller, and inflates to the answer an identity client gets.
#[tokio::test]
async fn search_answers_are_gzipped_when_asked() {
    use std::io::Read;

    use http_body_util::BodyExt;
    let state = state();
    let mut bodies = Vec::new();
    for encoding in ["gzip", "identity"] {
        let request = Request::builder()
            .uri("/api/v1/search?q=dementia%20reading&per_page=10")
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .expect("req");
        let response = app(state.clone()).oneshot(request).await.expect("resp");
        assert_eq!(response.status(), StatusCode::OK);
        let compressed = response.headers().get("content-encoding").is_some();
        assert_eq!(compressed, encoding == "gzip", "{encoding}");
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        bodies.push(bytes.to_vec());
    }
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(bodies[0].as_slice())
        .read_to_end(&mut inflated)
        .expect("a gzip stream");
    assert!(
        bodies[0].len() * 3 < inflated.len(),
        "{} bytes compressed from {}",
        bodies[0].len(),
        inflated.len()
    );
    let answer = |bytes: &[u8]| {
        let mut v: serde_json::Value = serde_json::from_slice(bytes).expect("JSON");
        v["took_ms"] = serde_json::Value::Null;
        v
    };
    assert_eq!(answer(&inflated), answer(&bodies[1]));
}
