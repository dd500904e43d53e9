//! Helpers for the submission and moderation tests: a private engine over a
//! copy of the corpus (approvals write into it), a store, and a client that
//! keeps one router so in-memory rate limits carry across requests.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kb_server::search::Engine;
use kb_server::settings::Settings;
use kb_server::startup::app;
use kb_server::state::AppState;
use kb_server::store::{Role, Store, accounts};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::corpus_dir;

/// A whole application over its own corpus copy and data folder.
pub struct TestApp {
    /// The state, to look into the store and engine.
    pub state: AppState,
    router: Router,
    /// The corpus copy.
    pub corpus: tempfile::TempDir,
    _data: tempfile::TempDir,
}

/// An answer: status, headers, body text.
pub struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body as text.
    pub text: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// A header's value.
    pub fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read corpus") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

impl TestApp {
    /// A fresh application allowing `per_minute` anonymous submissions.
    pub fn new(per_minute: u32) -> TestApp {
        Self::with_settings(|settings| settings.submissions_per_minute = per_minute)
    }

    /// A fresh application whose settings `change` adjusts.
    pub fn with_settings(change: impl FnOnce(&mut Settings)) -> TestApp {
        let corpus = tempfile::tempdir().expect("corpus dir");
        copy_dir(&corpus_dir(), corpus.path());
        let data = tempfile::tempdir().expect("data dir");
        let engine = Engine::open(corpus.path(), data.path()).expect("engine opens");
        let store = Store::open_in(data.path()).expect("store opens");
        let settings = Settings {
            corpus: corpus.path().to_path_buf(),
            data: data.path().to_path_buf(),
            bind: "127.0.0.1:0".parse().expect("addr"),
            base_url: "http://kb.test".into(),
            secure_cookies: false,
            admin_email: "admin@example.org".into(),
            ..Settings::default()
        };
        let mut settings = settings;
        change(&mut settings);
        let state = AppState::new(Arc::new(engine), Arc::new(settings), Arc::new(store));
        TestApp {
            router: app(state.clone()),
            state,
            corpus,
            _data: data,
        }
    }

    /// Send a request.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(body.into()).expect("request"))
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Answer {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// GET with headers.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        self.send(Method::GET, path, headers, Body::empty()).await
    }

    /// POST JSON.
    pub async fn post_json(&self, path: &str, headers: &[(&str, &str)], value: &Value) -> Answer {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.send(Method::POST, path, &all, value.to_string()).await
    }

    /// POST a URL-encoded form.
    pub async fn post_form(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        pairs: &[(&str, &str)],
    ) -> Answer {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        self.send(Method::POST, path, &all, body).await
    }

    /// Add a person and give back a `Cookie` header of a live session and its CSRF token.
    pub fn session(&self, name: &str, role: Role, ttl_seconds: i64) -> (String, String) {
        let (sid, csrf) = self
            .state
            .store
            .with(|c| {
                let user = match accounts::add_user(c, name, role, "correct horse battery") {
                    Ok(user) => user.id,
                    Err(_) => {
                        c.query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0))?
                    }
                };
                accounts::create_session(c, user, ttl_seconds)
            })
            .expect("session");
        (format!("kb_session={sid}"), csrf)
    }

    /// Number of rows in the submissions table.
    pub fn queued(&self) -> i64 {
        self.state
            .store
            .with(|c| Ok(c.query_row("SELECT COUNT(*) FROM submissions", [], |r| r.get(0))?))
            .expect("count")
    }
}

/// A valid submission.
pub fn good() -> Value {
    json!({
        "title": "Quantum knitting circles in branch libraries",
        "summary": "Weekly knitting and conversation groups for isolated older people.",
        "offers": ["health-and-wellbeing", "culture-and-creativity"],
        "type": "case-study",
        "published": "2023-03-01",
        "region": "north-west",
        "organisation": "Example County Libraries",
        "tags": ["knitting", "loneliness"],
        "language": "en",
        "source_url": "https://example.org/knitting.pdf",
        "contributor": "A. Librarian",
        "body": "## What we did\n\nQuantum knitting circles met every Tuesday in four branches."
    })
}
