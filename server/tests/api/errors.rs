//! Errors answered by the layers around the handlers (body limit, in-flight
//! limit, key lookup) go through the same error table as the handlers':
//! JSON with a stable code on the API, the HTML error page on web pages.

use std::task::Poll;

use axum::body::{Body, Bytes};
use axum::http::{Method, StatusCode, header};
use kb_server::middleware::MAX_BODY_BYTES;
use kb_server::store::{Role, keys};
use tokio::sync::oneshot;

use crate::queue_helpers::TestApp;

/// A request body that tells `polled` when the handler starts reading it,
/// then never ends: the request stays in flight until it is dropped.
fn held_body(polled: oneshot::Sender<()>) -> Body {
    let mut polled = Some(polled);
    Body::from_stream(futures_util::stream::poll_fn(
        move |_| -> Poll<Option<Result<Bytes, std::io::Error>>> {
            if let Some(tx) = polled.take() {
                let _ = tx.send(());
            }
            Poll::Pending
        },
    ))
}

/// `--max-in-flight` is one limit for the whole server, not one per route:
/// with the limit at 2, a request held open on each of two routes makes a
/// request to a third route get the fast `503` `overloaded` with
/// `Retry-After`, as JSON through the one error table.
#[tokio::test]
async fn in_flight_limit_spans_all_routes() {
    let app = std::sync::Arc::new(TestApp::with_settings(|s| s.max_in_flight = 2));
    let mut held = Vec::new();
    for (path, content_type) in [
        ("/api/v1/submissions", "application/json"),
        ("/login", "application/x-www-form-urlencoded"),
    ] {
        let (tx, rx) = oneshot::channel();
        let app = app.clone();
        held.push(tokio::spawn(async move {
            app.send(
                Method::POST,
                path,
                &[("content-type", content_type)],
                held_body(tx),
            )
            .await
        }));
        rx.await.expect("the handler reads the held body");
    }
    let a = app.get("/healthz", &[]).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.text);
    assert_eq!(a.json()["error"]["code"], "overloaded");
    assert_eq!(a.header(header::RETRY_AFTER), "1");
    for task in &held {
        task.abort();
    }
    for task in held {
        let _ = task.await;
    }
    let a = app.get("/healthz", &[]).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "slots come back when requests end"
    );
}

/// A body announced as over the limit is refused before it is read with
/// `413` `payload_too_large`: JSON on the API (not axum's plain text), the
/// HTML error page on a web form.
#[tokio::test]
async fn oversize_bodies_go_through_the_error_table() {
    let app = TestApp::new(10);
    let big = "x".repeat(MAX_BODY_BYTES + 1);
    let length = big.len().to_string();
    let a = app
        .send(
            Method::POST,
            "/api/v1/submissions",
            &[
                ("content-type", "application/json"),
                ("content-length", &length),
            ],
            big.clone(),
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        a.header(header::CONTENT_TYPE)
            .starts_with("application/json")
    );
    assert_eq!(a.json()["error"]["code"], "payload_too_large");
    let a = app
        .send(
            Method::POST,
            "/submit",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("content-length", &length),
            ],
            big,
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        a.header(header::CONTENT_TYPE).starts_with("text/html"),
        "{}",
        a.header(header::CONTENT_TYPE)
    );
    assert!(
        a.text.contains("There is a problem with what was sent"),
        "{}",
        a.text
    );
    assert_eq!(app.queued(), 0);
}

/// A bad key is refused with one code, `invalid_api_key`, and a
/// `WWW-Authenticate` challenge, on every API route; a database failure
/// while looking a key up is our fault (500, detail logged, not sent),
/// never a 401 telling a partner its good key is wrong.
#[tokio::test]
async fn key_errors_use_one_code_and_a_failed_lookup_is_500() {
    let app = TestApp::new(10);
    let (_, secret) = app
        .state
        .store
        .with(|c| keys::create_key(c, "portal", Role::Partner, 100))
        .expect("key");
    for path in ["/api/v1/search?q=reading", "/api/v1/facets"] {
        let a = app.get(path, &[("x-api-key", "kb_wrong")]).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(a.json()["error"]["code"], "invalid_api_key", "{path}");
        assert!(
            a.header(header::WWW_AUTHENTICATE).starts_with("Bearer"),
            "{path}"
        );
    }
    let a = app
        .post_json(
            "/api/v1/submissions",
            &[("authorization", "Bearer kb_wrong")],
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(a.json()["error"]["code"], "invalid_api_key");

    app.state
        .store
        .with(|c| Ok(c.execute_batch("DROP TABLE api_keys")?))
        .expect("break the key table");
    let a = app.get("/api/v1/facets", &[("x-api-key", &secret)]).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", a.text);
    assert_eq!(a.json()["error"]["code"], "internal_error");
    assert!(
        !a.text.contains("api_keys"),
        "no internal detail: {}",
        a.text
    );
}

/// An editor page refused to a caller (a form whose CSRF token is wrong)
/// is the site's HTML error page with the error's status, not JSON.
#[tokio::test]
async fn page_errors_are_html() {
    let app = TestApp::new(10);
    let (cookie, _) = app.session("edna", Role::Editor, 3600);
    let a = app
        .post_form(
            "/moderation/1/reject",
            &[("cookie", &cookie)],
            &[("csrf", "wrong"), ("reason", "x")],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert!(a.text.contains("Form expired"), "{}", a.text);
}

/// A known address asked with a method it does not take is `405` with the
/// `Allow` header, as JSON `method_not_allowed` on the API and as the HTML
/// error page on a web page.
#[tokio::test]
async fn wrong_method_is_405_through_the_error_table() {
    let app = TestApp::new(10);
    let a = app
        .send(Method::PUT, "/api/v1/search", &[], Body::empty())
        .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.json()["error"]["code"], "method_not_allowed");
    assert!(a.header(header::ALLOW).contains("GET"), "{:?}", a.headers);
    let a = app.send(Method::DELETE, "/login", &[], Body::empty()).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(a.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert!(a.header(header::ALLOW).contains("POST"), "{:?}", a.headers);
}
