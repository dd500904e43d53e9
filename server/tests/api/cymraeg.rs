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

/// English catalogue messages (no placeables, at least 12 characters, the
/// Welsh differing) found in the text of a page, outside its tags.
fn english_left(html: &str) -> Vec<String> {
    fn messages(source: &str) -> std::collections::BTreeMap<String, String> {
        source
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect()
    }
    let en = messages(include_str!("../../locales/en/main.ftl"));
    let cy = messages(include_str!("../../locales/cy/main.ftl"));
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push('\n');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&#39;", "'").replace("&amp;", "&");
    en.into_iter()
        .filter(|(k, v)| !v.contains('{') && v.chars().count() >= 12 && cy.get(k) != Some(v))
        .filter(|(_, v)| text.contains(v.as_str()))
        .map(|(k, _)| k)
        .collect()
}

/// A Welsh submission, sent through the API; its queue number.
async fn welsh_submission(app: &TestApp) -> i64 {
    let mut resource = crate::queue_helpers::good();
    resource["title"] = "Clwb gwau yn y llyfrgell".into();
    resource["summary"] = "Grŵp gwau wythnosol i bobl hŷn sy'n unig.".into();
    resource["language"] = "cy".into();
    resource["body"] = "## Beth wnaethon ni\n\nRoedd y clwb gwau yn cwrdd bob dydd Mawrth.".into();
    let sent = app.post_json("/api/v1/submissions", &[], &resource).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
    sent.json()["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("numeric id")
}

/// The editors' pages speak Welsh: the login page, the queue, a decision
/// page (dates written out in Welsh), a decision refused for want of a
/// reason, an edit with a bad field, and the audit log. No English
/// interface text is left on any of them.
#[tokio::test]
async fn editor_pages_speak_welsh() {
    use kb_server::store::Role;
    let app = TestApp::new(10);
    let login = app.get("/login?lang=cy", &[]).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.text.contains(r#"<html lang="cy-GB">"#));
    assert!(
        login.text.contains("Mewngofnodi golygyddion"),
        "{}",
        login.text
    );
    assert!(!login.text.contains("Editor login"));
    assert_eq!(english_left(&login.text), Vec::<String>::new());

    let id = welsh_submission(&app).await;
    let (cookie, csrf) = app.session("ada", Role::Admin, 3600);
    let cookies = format!("{cookie}; kb_lang=cy");
    let welsh = [("cookie", cookies.as_str())];
    let queue = app.get("/moderation", &welsh).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.text.contains(r#"<html lang="cy-GB">"#));
    assert!(queue.text.contains("Ciw cymedroli"), "{}", queue.text);
    assert!(!queue.text.contains("Moderation queue"));
    assert!(
        queue.text.contains("Ffurflen we neu'n ddienw")
            || queue.text.contains("Ffurflen we neu&#39;n ddienw")
    );
    assert_eq!(english_left(&queue.text), Vec::<String>::new());

    let review = app.get(&format!("/moderation/{id}"), &welsh).await;
    assert_eq!(review.status, StatusCode::OK);
    for welsh_words in [
        "Adolygu: Clwb gwau",
        "Cymeradwyo a chyhoeddi",
        "Gofyn am newidiadau",
        "Cadw",
    ] {
        assert!(review.text.contains(welsh_words), "{welsh_words}");
    }
    let month = time::OffsetDateTime::now_utc().month() as u8;
    let welsh_months = [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ];
    let received = format!(" {} ", welsh_months[usize::from(month) - 1]);
    assert!(
        review.text.contains(&received),
        "date in Welsh: {}",
        review.text
    );
    assert!(!review.text.contains("Approve and publish"));
    assert_eq!(english_left(&review.text), Vec::<String>::new());

    // A rejection without a reason: the page again, the problem in Welsh.
    let refused = app
        .post_form(
            &format!("/moderation/{id}/reject"),
            &welsh,
            &[("csrf", &csrf), ("reason", " ")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("Ysgrifennwch reswm"),
        "{}",
        refused.text
    );
    assert!(refused.text.contains(r#"id="reject-reason-error""#));
    assert_eq!(english_left(&refused.text), Vec::<String>::new());

    // An edit with a bad date: not saved, the problem beside it in Welsh.
    let edit = app
        .post_form(
            &format!("/moderation/{id}"),
            &welsh,
            &[
                ("csrf", &csrf),
                ("title", "Clwb gwau yn y llyfrgell"),
                ("summary", "Grŵp gwau wythnosol."),
                ("offers", "health-and-wellbeing"),
                ("type", "case-study"),
                ("published", "2023-02-30"),
                ("region", "wales"),
                ("organisation", "Llyfrgelloedd Enghraifft"),
                ("language", "cy"),
                ("body", "Roedd y clwb yn cwrdd bob wythnos."),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        edit.text.contains("Nid yw “2023-02-30” yn ddyddiad"),
        "{}",
        edit.text
    );
    assert!(edit.text.contains("Heb ei gadw"));
    assert!(!edit.text.contains("is not a date"));
    assert_eq!(english_left(&edit.text), Vec::<String>::new());

    let approved = app
        .post_form(
            &format!("/moderation/{id}/approve"),
            &welsh,
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text);
    let audit = app.get("/admin/audit", &welsh).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.text.contains("Cofnod archwilio"));
    assert!(audit.text.contains("cymeradwywyd"), "{}", audit.text);
    assert!(audit.text.contains("Cyhoeddwyd fel"));
    assert_eq!(english_left(&audit.text), Vec::<String>::new());
    // The same log in English keeps its English words.
    let english = app
        .get("/admin/audit?lang=en", &[("cookie", cookie.as_str())])
        .await;
    assert!(english.text.contains("approved") && english.text.contains("Published as"));
}

/// A Welsh `/submit` with bad fields shows each problem in Welsh, in the
/// error summary and beside the field; the JSON API words the same
/// problems in English.
#[tokio::test]
async fn welsh_form_errors_are_welsh() {
    let app = TestApp::new(10);
    let page = app.get("/submit?lang=cy", &[]).await;
    let set = page.header(axum::http::header::SET_COOKIE);
    let token = set
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix("kb_form="))
        .expect("form cookie")
        .to_string();
    let cookies = format!("kb_form={token}; kb_lang=cy");
    let answer = app
        .post_form(
            "/submit",
            &[("cookie", cookies.as_str())],
            &[
                ("csrf", &token),
                ("title", "Clwb gwyddbwyll"),
                ("summary", ""),
                ("offers", "reading"),
                ("type", "case-study"),
                ("published", "2024-02-30"),
                ("region", "wales"),
                ("organisation", "Llyfrgelloedd Enghraifft"),
                ("source_url", "www.example.org"),
                ("language", "cy"),
                ("body", "Roedd y clwb yn cwrdd bob wythnos."),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = &answer.text;
    assert!(t.contains(r#"<html lang="cy-GB">"#));
    let summary = &t[t.find("class=\"error-summary\"").expect("summary")..];
    let summary = &summary[..summary.find("</div>").expect("summary ends")];
    assert!(summary.contains("Llenwch “Crynodeb”."), "{summary}");
    let beside = &t[t.find("id=\"published-error\"").expect("beside the field")..];
    assert!(
        beside.contains("Nid yw “2024-02-30” yn ddyddiad"),
        "{beside}"
    );
    assert!(t.contains("Nid yw “www.example.org” yn gyfeiriad gwe"));
    for english in [
        "fill in",
        "Fill in",
        "is not a date",
        "is not a web address",
    ] {
        assert!(!t.contains(english), "{english} on a Welsh page");
    }
    assert_eq!(english_left(t), Vec::<String>::new());

    // The API keeps its English words for the same problems.
    let mut resource = crate::queue_helpers::good();
    resource["summary"] = "".into();
    let api = app
        .post_json("/api/v1/submissions?lang=cy", &[], &resource)
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &api.json()["error"]["fields"];
    assert_eq!(
        fields["summary"], "`summary` is empty: fill in `summary`",
        "{fields}"
    );
}
