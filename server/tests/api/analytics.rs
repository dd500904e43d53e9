//! Search analytics through HTTP: what is recorded, what never is, the
//! click redirect and the reports editors and admins read.

use axum::http::{StatusCode, header};
use kb_server::settings::Switch;
use kb_server::store::Role;
use serde_json::Value;

use crate::queue_helpers::TestApp;

/// A fresh application with analytics on, behind a trusted proxy so
/// `X-Forwarded-For` is the client address the server sees.
fn app() -> TestApp {
    TestApp::with_settings(|s| s.trusted_proxy = true)
}

/// The admin JSON report.
async fn report(app: &TestApp) -> Value {
    let (cookie, _) = app.session("ada", Role::Admin, 3600);
    let answer = app
        .get("/api/v1/analytics", &[("cookie", cookie.as_str())])
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.json()
}

fn listed(report: &Value, list: &str, query: &str) -> bool {
    report[list]
        .as_array()
        .expect("list")
        .iter()
        .any(|row| row["query"] == query)
}

/// The rule editors rely on: a query searched 3 times that found nothing is
/// listed as a zero-result query (with a link to commission it), one
/// searched twice is not listed anywhere, and queries are normalised
/// (case and spacing) before counting, across the web pages and the API.
#[tokio::test]
async fn zero_result_queries_need_three_searches() {
    let app = app();
    for path in [
        "/api/v1/search?q=Qqxyzzy+Widgets",
        "/?q=qqxyzzy%20%20widgets",
        "/api/v1/search?q=%20QQXYZZY%20widgets%20",
        "/api/v1/search?q=zzvvqq+gadgets",
        "/?q=zzvvqq+gadgets",
    ] {
        assert_eq!(app.get(path, &[]).await.status, StatusCode::OK, "{path}");
    }
    let report = report(&app).await;
    assert!(
        listed(&report, "zero_result_queries", "qqxyzzy widgets"),
        "{report}"
    );
    assert!(
        listed(&report, "top_queries", "qqxyzzy widgets"),
        "{report}"
    );
    assert!(
        !listed(&report, "zero_result_queries", "zzvvqq gadgets"),
        "{report}"
    );
    assert!(
        !listed(&report, "top_queries", "zzvvqq gadgets"),
        "{report}"
    );
    assert_eq!(report["searches"], 5);

    let (cookie, _) = app.session("edna", Role::Editor, 3600);
    let page = app
        .get("/admin/analytics", &[("cookie", cookie.as_str())])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("/submit?title=qqxyzzy+widgets"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("zzvvqq"));
    let welsh = app
        .get("/admin/analytics?lang=cy", &[("cookie", cookie.as_str())])
        .await;
    assert!(
        welsh.text.contains("Dadansoddeg chwilio"),
        "the dashboard speaks Welsh too"
    );
    let csv = app
        .get("/admin/analytics.csv", &[("cookie", cookie.as_str())])
        .await;
    assert!(csv.header(header::CONTENT_TYPE).starts_with("text/csv"));
    assert!(csv.text.starts_with("day,query,searches,zero_results"));
    assert!(csv.text.contains(",qqxyzzy widgets,3,3"), "{}", csv.text);

    let form = app.get("/submit?title=qqxyzzy+widgets", &[]).await;
    assert!(
        form.text.contains("value=\"qqxyzzy widgets\""),
        "the draft title is filled in"
    );
}

/// Requests that ask not to be tracked (`DNT: 1`, `Sec-GPC: 1`) are not
/// recorded, and `analytics = off` records nothing at all.
#[tokio::test]
async fn opted_out_requests_are_not_recorded() {
    let app = app();
    for _ in 0..3 {
        app.get("/api/v1/search?q=dntquery", &[("dnt", "1")]).await;
        app.get("/?q=gpcquery", &[("sec-gpc", "1")]).await;
    }
    let report = report(&app).await;
    assert_eq!(report["searches"], 0, "{report}");

    let off = TestApp::with_settings(|s| s.analytics = Switch::Off);
    for _ in 0..3 {
        off.get("/api/v1/search?q=reading", &[]).await;
    }
    let page = off.get("/?q=reading", &[]).await;
    assert!(
        !page.text.contains("href=\"/r/"),
        "no tracked links when off"
    );
    let report = self::report(&off).await;
    assert_eq!(report["searches"], 0, "{report}");
}

/// The privacy promise, checked on the bytes the server wrote: after
/// searches and clicks from a distinctive client address and with
/// distinctive cookies, neither appears anywhere in the database files
/// (the main file and its write-ahead log).
#[tokio::test]
async fn no_address_or_cookie_is_stored() {
    let app = app();
    let address = "203.0.113.187";
    let cookie = "kb_session=cafe0ddba11c0ffee; tracker=Zx81SpectrumCookie";
    let headers = [("x-forwarded-for", address), ("cookie", cookie)];
    let mut link = None;
    for _ in 0..3 {
        app.get("/api/v1/search?q=reading", &headers).await;
        let page = app.get("/?q=reading", &headers).await;
        link = page
            .text
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .find(|href| href.starts_with("/r/"))
            .map(|href| href.replace("&amp;", "&"));
    }
    let link = link.expect("a tracked result link");
    let click = app.get(&link, &headers).await;
    assert_eq!(click.status, StatusCode::SEE_OTHER);
    let report = report(&app).await;
    assert_eq!(report["searches"], 6);
    assert_eq!(report["clicks"], 1);

    let data = &app.state.settings.data;
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(data).expect("data dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with(kb_server::store::DB_FILE) {
            bytes.extend(std::fs::read(&path).expect("read database file"));
        }
    }
    assert!(!bytes.is_empty());
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains("reading"), "the query itself is stored");
    assert!(!contains(address), "the client address is stored");
    assert!(
        !contains("cafe0ddba11c0ffee"),
        "the session cookie is stored"
    );
    assert!(!contains("Zx81SpectrumCookie"), "a cookie is stored");
}

/// Result links count clicks by position and send the browser on to the
/// resource with a 303; a link naming anything but a resource of this site
/// is refused rather than followed (no open redirect).
#[tokio::test]
async fn result_links_record_clicks_and_redirect() {
    let app = app();
    let page = app.get("/?q=reading", &[]).await;
    let second = page
        .text
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|href| href.starts_with("/r/") && href.contains("/2?id="))
        .expect("the second result links through /r/")
        .replace("&amp;", "&");
    let answer = app.get(&second, &[]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let location = answer.header(header::LOCATION);
    assert!(location.starts_with("/resources/"), "{location}");
    let followed = app.get(&location, &[]).await;
    assert_eq!(followed.status, StatusCode::OK, "{location}");

    let report = report(&app).await;
    assert_eq!(report["clicks_by_position"][1]["position"], 2);
    assert_eq!(report["clicks_by_position"][1]["clicks"], 1, "{report}");
    assert_eq!(report["mean_click_position"], 2.0);

    let sid = second.split('/').nth(2).expect("search id");
    for target in [
        "//evil.example",
        "https%3A%2F%2Fevil.example",
        "..%2Fadmin",
        "",
    ] {
        let answer = app.get(&format!("/r/{sid}/1?id={target}"), &[]).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{target}");
        assert!(answer.header(header::LOCATION).is_empty(), "{target}");
    }
}

/// The JSON report is for admins: anonymous callers and editors get 403;
/// the OpenAPI document describes it, with every key the report has.
#[tokio::test]
async fn json_report_is_for_admins() {
    let app = app();
    let anonymous = app.get("/api/v1/analytics", &[]).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN);
    assert_eq!(anonymous.json()["error"]["code"], "forbidden");
    let (cookie, _) = app.session("edna", Role::Editor, 3600);
    let editor = app
        .get("/api/v1/analytics", &[("cookie", cookie.as_str())])
        .await;
    assert_eq!(editor.status, StatusCode::FORBIDDEN);
    let dashboard = app.get("/admin/analytics", &[]).await;
    assert_eq!(dashboard.status, StatusCode::SEE_OTHER, "to the login page");

    let spec = app.get("/api/v1/openapi.json", &[]).await.json();
    let op = &spec["paths"]["/api/v1/analytics"]["get"];
    assert!(op["responses"]["403"].is_object(), "{op}");
    let schema = &spec["components"]["schemas"]["AnalyticsReport"]["properties"];
    let report = report(&app).await;
    for key in report.as_object().expect("object").keys() {
        assert!(
            schema[key].is_object(),
            "`{key}` is not in the OpenAPI schema"
        );
    }
}
