//! HTTP tests of the web pages, through `app(state).oneshot(request)` with no
//! socket, over an index built from a temporary copy of the bundled corpus.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use clap::Parser;
use http_body_util::BodyExt;
use kb_server::search::Engine;
use kb_server::settings::Settings;
use kb_server::startup::app;
use kb_server::state::AppState;
use tower::ServiceExt;

const BASE_URL: &str = "https://kb.example.org";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create corpus copy");
    for entry in std::fs::read_dir(from).expect("read corpus") {
        let entry = entry.expect("corpus entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy corpus file");
        }
    }
}

/// One engine for all tests: the index is built once, in a temporary folder
/// that lives as long as the test process.
fn state() -> AppState {
    static FIXTURE: OnceLock<(tempfile::TempDir, AppState)> = OnceLock::new();
    FIXTURE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let corpus = dir.path().join("corpus");
            let data = dir.path().join("data");
            copy_dir(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus"),
                &corpus,
            );
            let engine = Engine::open(&corpus, &data).expect("engine opens");
            let settings = Settings::parse_from([
                "kb-server",
                "--corpus",
                corpus.to_str().expect("utf-8 path"),
                "--data",
                data.to_str().expect("utf-8 path"),
                "--base-url",
                BASE_URL,
            ]);
            let state = AppState::new(
                Arc::new(engine),
                Arc::new(settings),
                Arc::new(kb_server::store::Store::open_in(&data).expect("store opens")),
            );
            (dir, state)
        })
        .1
        .clone()
}

async fn get(uri: &str) -> (StatusCode, HeaderMap, String) {
    let response = app(state())
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
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
    (
        status,
        headers,
        String::from_utf8(bytes.to_vec()).expect("utf-8 body"),
    )
}

async fn get_json(uri: &str) -> serde_json::Value {
    let (status, _, body) = get(uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    serde_json::from_str(&body).expect("json")
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The search page is a complete HTML page: head metadata, landmarks, skip
/// link, search box, every facet as a fieldset, and all resources counted.
#[tokio::test]
async fn search_page_lists_everything_with_facets() {
    let (status, headers, body) = get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type(&headers).starts_with("text/html"));
    let total = get_json("/api/v1/search?per_page=0").await["total"]
        .as_u64()
        .expect("total");
    for needle in [
        "<!DOCTYPE html>",
        "<html lang=\"en-GB\">",
        "<title>",
        "<meta name=\"description\"",
        &format!("<link rel=\"canonical\" href=\"{BASE_URL}/\">"),
        "<link rel=\"search\" type=\"application/opensearchdescription+xml\" href=\"/opensearch.xml\"",
        "<link rel=\"stylesheet\" href=\"/static/site.css?v=",
        "<script src=\"/static/app.js?v=",
        "class=\"skip-link\" href=\"#main\"",
        "<header",
        "<nav aria-label=\"Main\"",
        "<main class=\"wrap\" id=\"main\"",
        "<footer",
        "<label for=\"q\">",
        "<input id=\"q\" type=\"search\" name=\"q\"",
        "id=\"facet-offer\"",
        "id=\"facet-type\"",
        "id=\"facet-year\"",
        "id=\"facet-region\"",
        "id=\"facet-organisation\"",
        "id=\"facet-language\"",
        "id=\"facet-tag\"",
        "<legend>Offer</legend>",
        "name=\"offer\" value=\"reading\"",
        "aria-live=\"polite\"",
        &format!("Showing 1–20 of {total} resources"),
        "<select id=\"sort\" name=\"sort\">",
        "aria-label=\"Pages of results\"",
    ] {
        assert!(body.contains(needle), "search page lacks {needle}");
    }
    // No inline scripts or handlers, so a strict CSP can be added later.
    assert_eq!(body.matches("<script").count(), 1);
    assert!(!body.contains(" onclick=") && !body.contains(" onchange="));
}

/// Filters in the URL come back as checked boxes and removable chips, and
/// the count and facet counts are those of the JSON API for the same URL.
#[tokio::test]
async fn filtered_search_matches_the_api() {
    let query = "offer=reading&offer=health-and-wellbeing&year_from=2018&year_to=2024";
    let (status, _, body) = get(&format!("/?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let api = get_json(&format!("/api/v1/search?{query}")).await;
    let total = api["total"].as_u64().expect("total");
    assert!(total > 0);
    assert!(
        body.contains(&format!("of {total} resources"))
            || body.contains(&format!("of {total} resource<")),
        "count {total} missing"
    );
    for needle in [
        "name=\"offer\" value=\"reading\" checked",
        "name=\"offer\" value=\"health-and-wellbeing\" checked",
        "value=\"2018\"",
        "Offer: Reading",
        "Years: 2018–2024",
        "Clear all",
        // Removing Reading keeps the other selections.
        "href=\"/?offer=health-and-wellbeing&amp;year_from=2018&amp;year_to=2024\"",
    ] {
        assert!(body.contains(needle), "filtered page lacks {needle}");
    }
    // Every facet count the API reports for the offer facet is on the page.
    for value in api["facets"]["offer"].as_array().expect("offers") {
        let v = value["value"].as_str().expect("value");
        let count = value["count"].as_u64().expect("count");
        let pattern = format!("value=\"{v}\"");
        let at = body.find(&pattern).expect("offer checkbox");
        let after = &body[at..];
        assert!(
            after.contains(&format!("<span class=\"count\">{count}<")),
            "count of {v}"
        );
    }
}

/// Empty form fields (the year boxes left blank) do not make a 400.
#[tokio::test]
async fn empty_form_fields_are_ignored() {
    let (status, _, body) = get("/?q=&offer=reading&year_from=&year_to=&sort=relevance").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("href=\"{BASE_URL}/?offer=reading\"")));
}

/// `per_page=0` (counts only, for the API) still shows a page of results,
/// and a page past the end offers the way back.
#[tokio::test]
async fn odd_paging_still_shows_results() {
    let (status, _, body) = get("/?per_page=0").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Showing 1–20 of"));
    let (status, _, body) = get("/?page=40").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("but none on page 40"));
    assert!(body.contains("Go to the first page of results"));
}

/// Hits show a linked title, offer badges, type, year and organisation, and
/// highlight the query with `<mark>`.
#[tokio::test]
async fn hits_are_highlighted_and_described() {
    let (_, _, body) = get("/?q=dementia").await;
    let api = get_json("/api/v1/search?q=dementia").await;
    let first = &api["hits"][0];
    // Titles link through the click counter to the resource (see the
    // analytics tests for the redirect).
    let id: String =
        form_urlencoded::byte_serialize(first["id"].as_str().expect("id").as_bytes()).collect();
    assert!(body.contains(&format!("/1?id={id}\">")), "{body}");
    assert!(body.contains("<a href=\"/r/"));
    assert!(body.contains("<mark>"));
    assert!(body.contains("class=\"badge\""));
    assert!(body.contains(&first["year"].to_string()));
}

/// Markup typed into the search box is escaped everywhere it is echoed.
#[tokio::test]
async fn query_is_escaped() {
    let (status, _, body) =
        get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&offer=%3Cscript%3Ealert(2)").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("<script>alert"), "raw script in page");
    assert!(body.contains("&lt;script&gt;alert(1)"));
}

/// No results: the page says so, suggests a spelling, and links that drop
/// each filter.
#[tokio::test]
async fn zero_results_offer_ways_out() {
    let (status, _, body) =
        get("/?q=dementa&offer=vision-and-print-impaired&type=video&year_from=2015&year_to=2015")
            .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("No resources match this search"), "{body}");
    assert!(body.contains("Did you mean"));
    assert!(body.contains("Remove Offer: Vision and Print Impaired People"));
    assert!(body.contains("Remove Type: Video"));
    assert!(body.contains("Remove Year: 2015"));
}

/// Invalid parameters get a friendly HTML 400, not JSON.
#[tokio::test]
async fn invalid_parameters_are_a_friendly_400() {
    for uri in ["/?page=0", "/?sort=best", "/?year_from=2020&year_to=2010"] {
        let (status, headers, body) = get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(content_type(&headers).starts_with("text/html"), "{uri}");
        assert!(
            body.contains("There is a problem with this search"),
            "{uri}"
        );
        assert!(!body.contains("\"error\""), "{uri}");
        assert!(
            body.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{uri}"
        );
    }
}

/// Paging: page 2 links back to page 1 and marks itself current.
#[tokio::test]
async fn pagination_links_pages() {
    let (status, _, body) = get("/?page=2&per_page=10").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("rel=\"prev\" href=\"/?per_page=10\""));
    assert!(body.contains("rel=\"next\" href=\"/?per_page=10&amp;page=3\""));
    assert!(body.contains("aria-current=\"page\"><span class=\"vh\">Page </span>2"));
    assert!(body.contains("Showing 11–20 of"));
}

/// Regions nest under their parent: England's regions in England's list.
#[tokio::test]
async fn regions_are_a_tree() {
    let (_, _, body) = get("/").await;
    let england = body.find("value=\"england\"").expect("england");
    let subtree = body[england..]
        .find("aria-label=\"Regions of England\"")
        .expect("England subtree");
    let north_west = body[england..]
        .find("value=\"north-west\"")
        .expect("north west");
    assert!(subtree < north_west);
}

/// The resource page shows the body and links every piece of metadata back
/// to a filtered search, plus related resources.
#[tokio::test]
async fn resource_page_links_metadata() {
    let api = get_json("/api/v1/resources/2019/reading-friends-dementia").await;
    let (status, _, body) = get("/resources/2019/reading-friends-dementia").await;
    assert_eq!(status, StatusCode::OK);
    let title = api["title"].as_str().expect("title");
    assert!(body.contains(&format!(
        "<h1 id=\"resource-title\">{}</h1>",
        html_escape(title)
    )));
    assert!(body.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE_URL}/resources/2019/reading-friends-dementia\">"
    )));
    let organisation = api["organisation"].as_str().expect("organisation");
    let org_url: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("organisation", organisation)
        .finish();
    for needle in [
        format!("href=\"/?{}\"", org_url.replace('&', "&amp;")),
        "href=\"/?offer=reading\"".to_string(),
        format!("href=\"/?type={}\"", api["type"].as_str().expect("type")),
        "href=\"/?year_from=2019&amp;year_to=2019\"".to_string(),
        format!(
            "href=\"/?region={}\"",
            api["region"].as_str().expect("region")
        ),
        format!("href=\"/?tag={}\"", api["tags"][0].as_str().expect("tag")),
        "Related resources".to_string(),
    ] {
        assert!(body.contains(&needle), "resource page lacks {needle}");
    }
    for related in api["related"].as_array().expect("related") {
        let url = related["url"].as_str().expect("url");
        assert!(body.contains(&format!("href=\"{url}\"")), "related {url}");
    }
    // The sanitised body is included as HTML.
    assert!(body.contains("<h2>"));
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Unknown resources get an HTML 404 page.
#[tokio::test]
async fn unknown_resource_is_a_404_page() {
    let (status, headers, body) = get("/resources/2019/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(content_type(&headers).starts_with("text/html"));
    assert!(body.contains("Page not found"));
    assert!(body.contains("There is no resource at /resources/2019/no-such-thing."));
}

/// Browse shows one card per offer with its count, and an SVG chart with a
/// table of the same numbers.
#[tokio::test]
async fn browse_has_offer_cards_and_chart() {
    let (status, _, body) = get("/browse").await;
    assert_eq!(status, StatusCode::OK);
    let facets = get_json("/api/v1/search?per_page=0").await;
    for offer in facets["facets"]["offer"].as_array().expect("offers") {
        let slug = offer["value"].as_str().expect("slug");
        let count = offer["count"].as_u64().expect("count");
        let card = body
            .find(&format!("<h3><a href=\"/?offer={slug}\">"))
            .unwrap_or_else(|| panic!("card for {slug}"));
        assert!(
            body[card..].contains(&format!("{count} resource")),
            "count for {slug}"
        );
    }
    assert!(body.contains("<svg class=\"chart\""));
    assert!(body.contains("role=\"img\""));
    assert!(body.contains("<rect class=\"bar s0\""));
    assert!(body.contains("<table class=\"years-table\""));
}

/// The stylesheet and script are served with their types and cache headers;
/// the versioned URL may be cached for a year.
#[tokio::test]
async fn static_assets_have_types_and_cache_headers() {
    let (_, _, page) = get("/").await;
    let start = page.find("/static/site.css?v=").expect("css link");
    let end = start + page[start..].find('"').expect("end of href");
    let (status, headers, body) = get(&page[start..end]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "text/css; charset=utf-8");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .expect("cache-control")
            .contains("immutable")
    );
    assert!(body.contains("prefers-color-scheme: dark"));
    let (status, headers, body) = get("/static/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type(&headers), "text/javascript; charset=utf-8");
    assert!(headers.contains_key(header::CACHE_CONTROL));
    assert!(body.contains("combobox"));
}
