//! Welsh: searching Welsh text with its mutations folded, the interface in
//! Welsh and English, the API's labels in the language asked for, and the
//! honest marking of illustrative sample resources.

use axum::http::StatusCode;

use crate::helpers::{get, get_json, ids, search};
use crate::queue_helpers::TestApp;

/// A search for the radical form finds a Welsh resource that only has the
/// mutated form: `caerdydd` finds *Nghaerdydd*, `treftadaeth` finds
/// *dreftadaeth*. Without the Welsh analysis these fail.
#[tokio::test]
async fn radical_forms_find_mutated_welsh_words() {
    for (query, id) in [
        ("caerdydd", "2024/clybiau-codio-caerdydd"),
        ("treftadaeth", "2017/arddangosfa-treftadaeth-y-chwareli"),
        ("gynghanedd", "2021/barddoniaeth-gymunedol-y-llyfrgell"),
        ("cynghanedd", "2021/barddoniaeth-gymunedol-y-llyfrgell"),
    ] {
        let value = search(&format!("q={query}&language=cy")).await;
        assert_eq!(
            ids(&value).first().map(String::as_str),
            Some(id),
            "{query}: {value}"
        );
    }
    // The snippet marks the mutated word the radical query found.
    let value = search("q=treftadaeth&language=cy").await;
    let hit = &value["hits"][0];
    let marked = format!(
        "{}{}",
        hit["highlights"]["title"], hit["highlights"]["body"]
    );
    assert!(marked.contains("<mark>dreftadaeth</mark>"), "{hit}");
}

/// Every page answers in Welsh with `?lang=cy`: `<html lang>`, the
/// switch back to English keeping the query, `hreflang` alternates, and
/// Welsh interface words; English text from the catalogue is absent.
#[tokio::test]
async fn pages_speak_welsh_when_asked() {
    let (status, html) = get("/?q=dementia&offer=reading&lang=cy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="cy-GB">"#), "{html}");
    assert!(html.contains("Chwilio am arfer da"));
    assert!(!html.contains("Search good practice"));
    assert!(html.contains(r#"hreflang="en" lang="en">English</a>"#));
    assert!(
        html.contains(r#"href="/?q=dementia&amp;offer=reading&amp;lang=en""#),
        "switch keeps the query"
    );
    assert!(html.contains(r#"<link rel="alternate" hreflang="cy""#));
    assert!(html.contains(r#"<link rel="alternate" hreflang="x-default""#));
    assert!(html.contains("Darllen"), "offer label in Welsh");
    for path in [
        "/browse?lang=cy",
        "/accessibility?lang=cy",
        "/privacy?lang=cy",
        "/resources/2019/reading-friends-dementia?lang=cy",
    ] {
        let (status, html) = get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(r#"<html lang="cy-GB">"#), "{path}");
        assert!(html.contains("Datganiad hygyrchedd"), "{path}: footer link");
    }
    let (status, html) = get("/no-such-page?lang=cy").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("Heb ddod o hyd i'r dudalen")
            || html.contains("Heb ddod o hyd i&#39;r dudalen"),
        "{html}"
    );
}

/// The first visit follows `Accept-Language`; `?lang=` sets a cookie that
/// keeps the choice, and the cookie beats `Accept-Language` afterwards.
#[tokio::test]
async fn accept_language_then_cookie() {
    let app = TestApp::new(10);
    let welsh = app.get("/", &[("accept-language", "cy,en;q=0.8")]).await;
    assert!(welsh.text.contains(r#"<html lang="cy-GB">"#));
    assert_eq!(welsh.header(axum::http::header::CONTENT_LANGUAGE), "cy");
    let english = app.get("/", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert!(english.text.contains(r#"<html lang="en-GB">"#));
    let chosen = app.get("/?lang=en", &[("accept-language", "cy")]).await;
    assert!(chosen.text.contains(r#"<html lang="en-GB">"#));
    let cookie = chosen.header(axum::http::header::SET_COOKIE);
    assert!(cookie.starts_with("kb_lang=en;"), "{cookie}");
    let kept = app
        .get(
            "/browse",
            &[("accept-language", "cy"), ("cookie", "kb_lang=en")],
        )
        .await;
    assert!(kept.text.contains(r#"<html lang="en-GB">"#));
}

/// The JSON API keeps its English codes, and adds labels in Welsh for
/// `?lang=cy`: facet labels and each hit's `labels`.
#[tokio::test]
async fn api_labels_in_the_language_asked_for() {
    let value = search("q=llyfrgell&lang=cy").await;
    let offers = value["facets"]["offer"].as_array().expect("offers");
    let reading = offers
        .iter()
        .find(|v| v["value"] == "reading")
        .expect("reading");
    assert_eq!(reading["label"], "Darllen");
    let hit = &value["hits"][0];
    assert_eq!(hit["labels"]["wales"], "Cymru", "{hit}");
    assert_eq!(hit["region"], "wales", "codes stay English");
    let english = search("q=llyfrgell").await;
    let reading = english["facets"]["offer"]
        .as_array()
        .and_then(|o| o.iter().find(|v| v["value"] == "reading").cloned())
        .expect("reading");
    assert_eq!(reading["label"], "Reading");
    let (status, resource) =
        get_json("/api/v1/resources/2024/clybiau-codio-caerdydd?lang=cy").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resource["labels"]["case-study"], "Astudiaeth achos");
    assert_eq!(resource["type"], "case-study");
    // Another language is a 400 that names the accepted ones.
    let (status, error) = get_json("/api/v1/search?q=llyfrgell&lang=fr").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"]["param"], "lang", "{error}");
}

/// Bundled demo resources say they are illustrative: `sample: true` in the
/// API and a notice on their page, in either language.
#[tokio::test]
async fn sample_resources_are_marked() {
    let (_, resource) = get_json("/api/v1/resources/2019/reading-friends-dementia").await;
    assert_eq!(resource["sample"], true);
    let value = search("q=dementia").await;
    assert_eq!(value["hits"][0]["sample"], true);
    let (_, html) = get("/resources/2019/reading-friends-dementia").await;
    assert!(html.contains("Illustrative example"));
    let (_, html) = get("/resources/2019/reading-friends-dementia?lang=cy").await;
    assert!(html.contains("Enghraifft i ddangos"));
}

/// The Atom feed and the OpenSearch description speak Welsh for `?lang=cy`.
#[tokio::test]
async fn feeds_and_opensearch_in_welsh() {
    let (_, feed) = get("/feeds/atom?q=llyfrgell&lang=cy").await;
    assert!(feed.contains("Arfer Da Llyfrgelloedd: llyfrgell"), "{feed}");
    assert!(feed.contains(r#"xml:lang="cy""#));
    let (_, osd) = get("/opensearch.xml?lang=cy").await;
    assert!(osd.contains("<Language>cy-gb</Language>"), "{osd}");
    assert!(osd.contains("lang=cy"));
}
