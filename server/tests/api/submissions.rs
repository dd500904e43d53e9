//! `POST /api/v1/submissions`, the status pages and the `/submit` form.

use axum::http::{Method, StatusCode, header};
use kb_server::store::{Role, keys, submissions};
use serde_json::{Value, json};

use crate::queue_helpers::{TestApp, good};

/// A valid submission answers 201 with a Location and the contract's JSON,
/// and the row is in the queue before the answer.
#[tokio::test]
async fn valid_submission_is_queued() {
    let app = TestApp::new(10);
    let a = app.post_json("/api/v1/submissions", &[], &good()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let v = a.json();
    assert_eq!(v["status"], "pending");
    let status_url = v["status_url"].as_str().expect("status_url");
    let token = status_url
        .strip_prefix("/submissions/")
        .expect("status url shape");
    assert_eq!(token.len(), 64, "token is 32 random bytes in hex");
    assert_eq!(
        a.header(header::LOCATION),
        format!("/api/v1/submissions/{token}")
    );
    let row = app
        .state
        .store
        .with(|c| submissions::by_token(c, token))
        .expect("read")
        .expect("row exists");
    assert_eq!(row.id.to_string(), v["id"].as_str().expect("id"));
    assert_eq!(row.fields["title"], good()["title"]);
    assert!(row.body.contains("Quantum knitting"));

    let s = app.get(&a.header(header::LOCATION), &[]).await;
    assert_eq!(s.status, StatusCode::OK);
    assert_eq!(s.json()["status"], "pending");
    let page = app.get(status_url, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("pending"));
}

/// Each kind of bad field answers 422 `invalid_submission` naming that field,
/// and nothing is queued.
#[tokio::test]
async fn each_invalid_field_is_named() {
    let app = TestApp::new(1000);
    let cases: Vec<(&str, Value)> = vec![
        ("title", json!(null)),
        ("title", json!("x".repeat(201))),
        ("summary", json!("")),
        ("offers", json!(["knitting"])),
        ("type", json!("novel")),
        ("published", json!("01/03/2023")),
        ("region", json!("atlantis")),
        ("organisation", json!(null)),
        (
            "tags",
            json!((0..21).map(|i| format!("t{i}")).collect::<Vec<_>>()),
        ),
        ("language", json!("klingon")),
        ("source_url", json!("ftp://example.org/x")),
        ("body", json!("  ")),
        ("body", json!(42)),
        ("attachment", json!("file.pdf")),
    ];
    for (field, value) in cases {
        let mut submission = good();
        if value.is_null() {
            submission.as_object_mut().expect("object").remove(field);
        } else {
            submission[field] = value.clone();
        }
        let a = app.post_json("/api/v1/submissions", &[], &submission).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}: {}",
            a.text
        );
        let v = a.json();
        assert_eq!(v["error"]["code"], "invalid_submission");
        assert!(
            v["error"]["fields"][field]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{field}={value} not named: {v}"
        );
    }
    assert_eq!(app.queued(), 0);
}

/// Every bad field is named in one answer, not just the first.
#[tokio::test]
async fn all_bad_fields_at_once() {
    let app = TestApp::new(10);
    let mut s = good();
    s["title"] = json!("");
    s["region"] = json!("nort-west");
    s["year"] = json!("soon");
    s.as_object_mut().expect("object").remove("published");
    let a = app.post_json("/api/v1/submissions", &[], &s).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = a.json()["error"]["fields"].clone();
    for f in ["title", "region", "year"] {
        assert!(fields[f].is_string(), "{f} missing from {fields}");
    }
    assert!(
        fields["region"]
            .as_str()
            .unwrap_or("")
            .contains("north-west"),
        "{fields}"
    );
}

/// A body over 256 KiB is refused with 413 and a JSON error.
#[tokio::test]
async fn oversize_body_is_413() {
    let app = TestApp::new(10);
    let mut s = good();
    s["body"] = json!("a".repeat(300 * 1024));
    let a = app.post_json("/api/v1/submissions", &[], &s).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.json()["error"]["code"], "payload_too_large");
    assert_eq!(app.queued(), 0);
}

/// Broken JSON, a JSON array and a missing content type are 400 JSON errors, not plain text.
#[tokio::test]
async fn malformed_json_is_400_json() {
    let app = TestApp::new(10);
    let a = app
        .send(
            Method::POST,
            "/api/v1/submissions",
            &[("content-type", "application/json")],
            "{\"title\": ",
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["error"]["code"], "invalid_json");
    let a = app
        .post_json("/api/v1/submissions", &[], &json!([1, 2]))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["error"]["code"], "invalid_json");
    let a = app
        .send(Method::POST, "/api/v1/submissions", &[], good().to_string())
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("Content-Type")
    );
}

/// A live key marks the submission as its own; an unknown or revoked key is 401.
#[tokio::test]
async fn api_keys_mark_and_revoked_keys_fail() {
    let app = TestApp::new(10);
    let (key, secret) = app
        .state
        .store
        .with(|c| keys::create_key(c, "Partner portal", Role::Partner, 100))
        .expect("key");
    let bearer = format!("Bearer {secret}");
    let a = app
        .post_json(
            "/api/v1/submissions",
            &[("authorization", &bearer)],
            &good(),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let token = a.json()["status_url"]
        .as_str()
        .unwrap_or("")
        .trim_start_matches("/submissions/")
        .to_string();
    let row = app
        .state
        .store
        .with(|c| submissions::by_token(c, &token))
        .expect("read")
        .expect("row");
    assert_eq!(row.key_id, Some(key.id));

    let a = app
        .post_json(
            "/api/v1/submissions",
            &[("x-api-key", "kb_not-a-key")],
            &good(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json()["error"]["code"], "invalid_api_key");

    app.state
        .store
        .with(|c| keys::revoke_key(c, key.id))
        .expect("revoke");
    let a = app
        .post_json("/api/v1/submissions", &[("x-api-key", &secret)], &good())
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.queued(), 1);
}

/// Anonymous submissions past the per-address limit get 429 with Retry-After;
/// a key with its own limit is not held back by it.
#[tokio::test]
async fn anonymous_flood_is_rate_limited() {
    let app = TestApp::new(2);
    for _ in 0..2 {
        let a = app.post_json("/api/v1/submissions", &[], &good()).await;
        assert_eq!(a.status, StatusCode::CREATED);
    }
    let a = app.post_json("/api/v1/submissions", &[], &good()).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.json()["error"]["code"], "rate_limited");
    let retry: u64 = a
        .header(header::RETRY_AFTER)
        .parse()
        .expect("Retry-After seconds");
    assert!(retry >= 1);
    let (_, secret) = app
        .state
        .store
        .with(|c| keys::create_key(c, "Trusted", Role::Contributor, 50))
        .expect("key");
    let a = app
        .post_json("/api/v1/submissions", &[("x-api-key", &secret)], &good())
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
}

/// Unknown or malformed tokens are 404; the status page escapes what contributors wrote.
#[tokio::test]
async fn status_pages_escape_and_hide() {
    let app = TestApp::new(10);
    assert_eq!(
        app.get(&format!("/api/v1/submissions/{}", "0".repeat(64)), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/submissions/guess", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let mut s = good();
    s["title"] = json!("<script>alert(1)</script> reading");
    let a = app.post_json("/api/v1/submissions", &[], &s).await;
    assert_eq!(a.status, StatusCode::CREATED);
    let page = app
        .get(a.json()["status_url"].as_str().unwrap_or(""), &[])
        .await;
    assert!(!page.text.contains("<script>alert"), "{}", page.text);
    assert!(page.text.contains("&lt;script&gt;"));
}

fn form_cookie(answer: &crate::queue_helpers::Answer) -> (String, String) {
    let set = answer.header(header::SET_COOKIE);
    let value = set
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix("kb_form="))
        .expect("form cookie")
        .to_string();
    (format!("kb_form={value}"), value)
}

/// The web form: errors next to each field with the input kept, CSRF
/// checked, honeypot submissions dropped, good ones queued and redirected.
#[tokio::test]
async fn web_form_submission() {
    let app = TestApp::new(10);
    let page = app.get("/submit", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("name=\"website\""),
        "honeypot field present"
    );
    let (cookie, csrf) = form_cookie(&page);
    assert!(page.text.contains(&csrf));

    let bad = [
        ("csrf", csrf.as_str()),
        ("title", "Knitting <b>club</b>"),
        ("summary", ""),
        ("offers", "reading"),
        ("type", "case-study"),
        ("year", "2022"),
        ("region", "wales"),
        ("organisation", "Example Libraries"),
        ("body", "Text"),
    ];
    let a = app.post_form("/submit", &[("cookie", &cookie)], &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text.contains("id=\"summary-error\""), "{}", a.text);
    assert!(
        a.text
            .contains("value=\"Knitting &lt;b&gt;club&lt;/b&gt;\""),
        "input kept and escaped"
    );

    let mut good_form = bad.to_vec();
    good_form[2] = ("summary", "A club.");
    let missing_csrf: Vec<_> = good_form
        .iter()
        .filter(|(k, _)| *k != "csrf")
        .copied()
        .collect();
    let a = app
        .post_form("/submit", &[("cookie", &cookie)], &missing_csrf)
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = app.post_form("/submit", &[], &good_form).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "token without its cookie");

    let mut bot = good_form.clone();
    bot.push(("website", "http://spam.example"));
    let a = app.post_form("/submit", &[("cookie", &cookie)], &bot).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(app.queued(), 0, "honeypot submissions are not stored");

    let a = app
        .post_form("/submit", &[("cookie", &cookie)], &good_form)
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a.header(header::LOCATION).starts_with("/submissions/"));
    assert_eq!(app.queued(), 1);
}

/// A keyed submission is counted once, against the key's one quota: the
/// same quota its searches use, shown in `RateLimit-*` headers; when it is
/// spent, the next submission is 429 naming the key's quota.
#[tokio::test]
async fn a_key_has_one_quota() {
    let app = TestApp::new(100);
    let (_, secret) = app
        .state
        .store
        .with(|c| keys::create_key(c, "Portal", Role::Partner, 2))
        .expect("key");
    let a = app
        .post_json("/api/v1/submissions", &[("x-api-key", &secret)], &good())
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(
        a.header(header::HeaderName::from_static("ratelimit-limit")),
        "2"
    );
    assert_eq!(
        a.header(header::HeaderName::from_static("ratelimit-remaining")),
        "1"
    );
    let a = app.get("/api/v1/facets", &[("x-api-key", &secret)]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.header(header::HeaderName::from_static("ratelimit-remaining")),
        "0"
    );
    let a = app
        .post_json("/api/v1/submissions", &[("x-api-key", &secret)], &good())
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("API key")
    );
    assert_eq!(app.queued(), 1);
}

/// The form is built from the vocabularies, inside the site's own layout:
/// offers as labelled checkboxes, type and language as selects, regions
/// grouped by their hierarchy, tags suggested from those in use, published as
/// a date. A contributor need not know a single slug.
#[tokio::test]
async fn the_form_offers_the_vocabularies() {
    let app = TestApp::new(10);
    let page = app.get("/submit", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    let t = &page.text;
    // The site's header, navigation (this page current) and footer.
    assert!(t.contains("class=\"site-header\"") && t.contains("class=\"site-footer\""));
    assert!(t.contains("href=\"/submit\" aria-current=\"page\""), "{t}");
    // Every offer and promise is a checkbox with its label.
    for (slug, label) in [
        ("reading", "Reading"),
        (
            "vision-and-print-impaired",
            "Vision and Print Impaired People",
        ),
    ] {
        assert!(
            t.contains(&format!(
                "type=\"checkbox\" id=\"offers-{slug}\" name=\"offers\" value=\"{slug}\""
            )),
            "{slug}"
        );
        assert!(
            t.contains(&format!("<label for=\"offers-{slug}\">{label}")),
            "{label}"
        );
    }
    assert!(t.contains("<select id=\"type\" name=\"type\""));
    assert!(t.contains("<option value=\"case-study\">Case study</option>"));
    assert!(t.contains("<select id=\"language\" name=\"language\""));
    assert!(
        t.contains("<option value=\"en\" selected>English</option>"),
        "English by default"
    );
    // Regions grouped: England holds itself and its regions; Wales stands alone.
    let england = t
        .find("<optgroup label=\"England\">")
        .expect("England group");
    let north_west = t.find("value=\"north-west\"").expect("North West");
    let group_end = england + t[england..].find("</optgroup>").expect("group closes");
    assert!(england < north_west && north_west < group_end);
    assert!(t[england..group_end].contains("England › North West"));
    let wales = t
        .find("<option value=\"wales\">Wales</option>")
        .expect("Wales");
    assert!(!(england..group_end).contains(&wales));
    // Tags in use from the index, as a datalist on the tags input.
    assert!(t.contains("list=\"tags-in-use\""));
    let datalist = &t[t.find("<datalist id=\"tags-in-use\">").expect("datalist")..];
    assert!(
        datalist.contains("<option value=\"dementia\">"),
        "a corpus tag is suggested"
    );
    assert!(t.contains("type=\"date\" id=\"published\""));
}

/// A bad submission from the form: the GOV.UK error summary lists every bad
/// field as a link to it, the message is again beside each field, and ticked
/// boxes and chosen options are kept. "Preview" round-trips without storing
/// anything and shows the body as the resource page will (sanitised).
#[tokio::test]
async fn the_form_summarises_errors_and_previews() {
    let app = TestApp::new(10);
    let page = app.get("/submit", &[]).await;
    let (cookie, csrf) = form_cookie(&page);
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("title", ""),
        ("summary", "A club."),
        ("offers", "reading"),
        ("offers", "culture-and-creativity"),
        ("type", "case-study"),
        ("published", "2024-02-30"),
        ("region", "north-west"),
        ("organisation", "Example Libraries"),
        ("tags", "chess, teenagers"),
        ("language", "cy"),
        (
            "body",
            "# Chess\n\nWe met **weekly**.<script>alert(1)</script>",
        ),
        ("action", "submit"),
    ];
    let a = app
        .post_form("/submit", &[("cookie", &cookie)], &form)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = &a.text;
    assert!(
        t.contains("<title>Error: Share a resource"),
        "title says there is an error"
    );
    let summary = &t[t.find("class=\"error-summary\"").expect("summary")..];
    let summary = &summary[..summary.find("</div>").expect("summary ends")];
    assert!(summary.contains("There is a problem"));
    assert!(
        summary.contains("href=\"#title\"") && summary.contains("href=\"#published\""),
        "{summary}"
    );
    assert!(t.contains("id=\"title-error\"") && t.contains("id=\"published-error\""));
    assert!(t.contains("aria-describedby=\"published-hint published-error\""));
    // What was typed is kept: boxes, selects, text.
    assert!(
        t.contains("value=\"reading\" checked")
            && t.contains("value=\"culture-and-creativity\" checked")
    );
    assert!(!t.contains("value=\"health-and-wellbeing\" checked"));
    assert!(t.contains("<option value=\"north-west\" selected>"));
    assert!(t.contains("<option value=\"cy\" selected>Welsh</option>"));
    assert!(t.contains("value=\"chess, teenagers\""));
    assert_eq!(app.queued(), 0);

    // Preview: 200, rendered and sanitised, inputs kept, nothing queued.
    form.retain(|(k, _)| *k != "action");
    form.push(("action", "preview"));
    let a = app
        .post_form("/submit", &[("cookie", &cookie)], &form)
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let preview = &a.text[a.text.find("class=\"submit-preview\"").expect("preview")..];
    assert!(preview.contains("<strong>weekly</strong>"), "{preview}");
    assert!(!a.text.contains("<script>alert"), "scripts are removed");
    assert!(
        a.text
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"),
        "typed body kept"
    );
    assert_eq!(app.queued(), 0, "a preview stores nothing");

    // Fixed, it is queued with the ticked offers as a list.
    form.retain(|(k, _)| *k != "action" && *k != "title" && *k != "published");
    form.push(("title", "Chess club"));
    form.push(("published", "2024-02-28"));
    let a = app
        .post_form("/submit", &[("cookie", &cookie)], &form)
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    assert_eq!(app.queued(), 1);
}
