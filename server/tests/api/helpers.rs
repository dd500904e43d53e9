//! A shared engine over the bundled corpus and a small typed client.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use http_body_util::BodyExt;
use kb_server::search::Engine;
use kb_server::settings::Settings;
use kb_server::startup::app;
use kb_server::state::AppState;
use kb_server::store::Store;
use serde_json::Value;
use tower::ServiceExt;

/// The bundled corpus folder.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

/// One engine for all tests of this binary, over the bundled corpus.
pub fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let data = tempfile::tempdir().expect("temp data dir").keep();
            let engine =
                Engine::open(&corpus_dir(), &data).expect("engine opens over the bundled corpus");
            let settings = Settings::parse_from([
                "kb-server".as_ref(),
                "--corpus".as_ref(),
                corpus_dir().as_os_str(),
                "--data".as_ref(),
                data.as_os_str(),
                "--base-url".as_ref(),
                "http://kb.test".as_ref(),
            ]);
            let store = Store::open_in(&data).expect("store opens");
            AppState::new(Arc::new(engine), Arc::new(settings), Arc::new(store))
        })
        .clone()
}

/// GET a path; returns status and body text.
pub async fn get(path: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .uri(path)
        .body(Body::empty())
        .expect("request");
    let response = app(state()).oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// GET a path that must answer JSON; returns status and value.
pub async fn get_json(path: &str) -> (StatusCode, Value) {
    let (status, body) = get(path).await;
    let value = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("{path} did not answer JSON ({e}): {body}"));
    (status, value)
}

/// GET a search that must succeed.
pub async fn search(query: &str) -> Value {
    let (status, value) = get_json(&format!("/api/v1/search?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {value}");
    value
}

/// Ids of the hits of a search answer.
pub fn ids(value: &Value) -> Vec<String> {
    value["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}
