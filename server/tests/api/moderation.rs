//! Editors: login, sessions, CSRF, the queue, approve/reject, the audit log.

use axum::http::{StatusCode, header};
use kb_indexer::corpus::parse_resource;
use kb_server::search::SearchRequest;
use kb_server::store::{Role, Status, accounts, keys, submissions};

use crate::queue_helpers::{TestApp, good};

async fn submit(app: &TestApp) -> (i64, String) {
    let a = app.post_json("/api/v1/submissions", &[], &good()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let v = a.json();
    let id = v["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("numeric id");
    (
        id,
        v["status_url"]
            .as_str()
            .unwrap_or("")
            .replace("/submissions/", "/api/v1/submissions/"),
    )
}

fn search_ids(app: &TestApp, q: &str) -> Vec<String> {
    let req = SearchRequest::from_query_string(&format!("q={q}")).expect("request");
    app.state
        .engine
        .search(&req)
        .expect("search")
        .hits
        .iter()
        .map(|h| h.id.clone())
        .collect()
}

/// Editor pages send anonymous visitors to /login, and refuse API keys with 403.
#[tokio::test]
async fn editor_pages_need_a_login() {
    let app = TestApp::new(10);
    for path in ["/moderation", "/moderation/1", "/admin/audit"] {
        let a = app.get(path, &[]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            a.header(header::LOCATION).starts_with("/login?next="),
            "{path}"
        );
    }
    let (_, secret) = app
        .state
        .store
        .with(|c| keys::create_key(c, "Partner portal", Role::Partner, 60))
        .expect("key");
    let bearer = format!("Bearer {secret}");
    let a = app.get("/moderation", &[("authorization", &bearer)]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = app
        .post_form(
            "/moderation/1/approve",
            &[("x-api-key", &secret)],
            &[("csrf", "x")],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

/// The login form: a wrong password is refused without a session; the right
/// one sets an HttpOnly, SameSite=Lax, Path=/ session cookie that opens the queue.
#[tokio::test]
async fn login_with_password() {
    let app = TestApp::new(10);
    app.state
        .store
        .with(|c| accounts::add_user(c, "edna", Role::Editor, "correct horse battery"))
        .expect("user");
    let page = app.get("/login", &[]).await;
    let set = page.header(header::SET_COOKIE);
    let token = set
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix("kb_form="))
        .expect("form cookie")
        .to_string();
    let cookie = format!("kb_form={token}");

    let a = app
        .post_form(
            "/login",
            &[("cookie", &cookie)],
            &[
                ("csrf", &token),
                ("name", "edna"),
                ("password", "wrong horse"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(!a.header(header::SET_COOKIE).contains("kb_session="));
    assert!(a.text.contains("Wrong name or password"));

    let a = app
        .post_form(
            "/login",
            &[],
            &[
                ("csrf", &token),
                ("name", "edna"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::FORBIDDEN,
        "login form without its CSRF cookie"
    );

    let a = app
        .post_form(
            "/login",
            &[("cookie", &cookie)],
            &[
                ("csrf", &token),
                ("name", "edna"),
                ("password", "correct horse battery"),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.header(header::LOCATION),
        "/moderation",
        "no open redirect"
    );
    let set = a.header(header::SET_COOKIE);
    for attribute in ["kb_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(attribute), "{attribute} missing from {set}");
    }
    assert!(
        !set.contains("Secure"),
        "not Secure unless the setting says so"
    );
    let session = set.split(';').next().unwrap_or("").to_string();
    let queue = app.get("/moderation", &[("cookie", &session)]).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.text.contains("Moderation queue"));
    assert_eq!(queue.header(header::CACHE_CONTROL), "no-store");
    assert_eq!(queue.header(header::X_FRAME_OPTIONS), "DENY");
}

/// After login, `next` values that browsers would follow to another host
/// (tab, CR or LF inside `//`, backslashes) send the editor to the queue,
/// while a local path is kept: no open redirect through the login form.
#[tokio::test]
async fn login_redirect_stays_on_this_site() {
    let app = TestApp::new(10);
    app.state
        .store
        .with(|c| accounts::add_user(c, "edna", Role::Editor, "correct horse battery"))
        .expect("user");
    let token = "cd".repeat(32);
    let cookie = format!("kb_form={token}");
    for (next, expected) in [
        ("/\t/evil.example", "/moderation"),
        ("/\r\n/evil.example", "/moderation"),
        ("/\\evil.example", "/moderation"),
        ("\\\\evil.example/x", "/moderation"),
        ("/admin/audit", "/admin/audit"),
    ] {
        let a = app
            .post_form(
                "/login",
                &[("cookie", &cookie)],
                &[
                    ("csrf", &token),
                    ("name", "edna"),
                    ("password", "correct horse battery"),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(a.header(header::LOCATION), expected, "{next:?}");
    }
}

/// An expired session is treated as no session.
#[tokio::test]
async fn expired_session_goes_to_login() {
    let app = TestApp::new(10);
    let (cookie, _) = app.session("old", Role::Editor, -1);
    let a = app.get("/moderation", &[("cookie", &cookie)]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a.header(header::LOCATION).starts_with("/login"));
}

/// Every moderation POST with a missing or wrong CSRF token is 403 and changes nothing.
#[tokio::test]
async fn csrf_is_checked_on_every_form() {
    let app = TestApp::new(10);
    let (id, _) = submit(&app).await;
    let (cookie, csrf) = app.session("edna", Role::Editor, 3600);
    for action in ["approve", "reject", "changes"] {
        let path = format!("/moderation/{id}/{action}");
        let a = app
            .post_form(&path, &[("cookie", &cookie)], &[("reason", "x")])
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{action} without token");
        let a = app
            .post_form(
                &path,
                &[("cookie", &cookie)],
                &[("csrf", "0000"), ("reason", "x")],
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "{action} with a wrong token"
        );
    }
    let a = app
        .post_form(
            &format!("/moderation/{id}"),
            &[("cookie", &cookie)],
            &[("title", "Hijacked")],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let (other_cookie, other_csrf) = app.session("eddie", Role::Editor, 3600);
    assert_ne!(other_csrf, csrf);
    let a = app
        .post_form(
            &format!("/moderation/{id}/approve"),
            &[("cookie", &other_cookie)],
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "another session's token");
    let a = app.post_form("/logout", &[("cookie", &cookie)], &[]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let s = app
        .state
        .store
        .with(|c| submissions::by_id(c, id))
        .expect("read")
        .expect("row");
    assert_eq!(s.status, Status::Pending);
    assert_eq!(s.title, good()["title"].as_str().unwrap_or(""));
}

/// Approving writes a corpus file that the corpus reader accepts, and the
/// resource is searchable at once, without a restart; the audit log says who.
#[tokio::test]
async fn approve_publishes_and_indexes_at_once() {
    let app = TestApp::new(10);
    let (id, status_api) = submit(&app).await;
    assert!(search_ids(&app, "quantum").is_empty());
    let (cookie, csrf) = app.session("edna", Role::Editor, 3600);

    let missing = app.get("/moderation/999999", &[("cookie", &cookie)]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text.contains("<html"), "an HTML page, not JSON");
    let review = app
        .get(&format!("/moderation/{id}"), &[("cookie", &cookie)])
        .await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(
        review.text.contains("<h2>What we did</h2>"),
        "preview rendered from Markdown"
    );

    // An editor's edit goes through the same rules.
    let mut form: Vec<(&str, String)> = vec![("csrf", csrf.clone())];
    let g = good();
    for (k, v) in g.as_object().expect("object") {
        let text = match v {
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            other => other.as_str().unwrap_or("").to_string(),
        };
        form.push((k.as_str(), text));
    }
    for pair in form.iter_mut() {
        if pair.0 == "title" {
            pair.1 = "Quantum knitting circles: an evaluation".into();
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = app
        .post_form(&format!("/moderation/{id}"), &[("cookie", &cookie)], &pairs)
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);

    let a = app
        .post_form(
            &format!("/moderation/{id}/approve"),
            &[("cookie", &cookie)],
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);

    let ids = search_ids(&app, "quantum");
    assert_eq!(
        ids,
        vec!["2023/quantum-knitting-circles-an-evaluation".to_string()]
    );
    let path = app
        .corpus
        .path()
        .join("2023/quantum-knitting-circles-an-evaluation.md");
    let text = std::fs::read_to_string(&path).expect("corpus file written");
    let parsed = parse_resource(
        &text,
        "2023/quantum-knitting-circles-an-evaluation.md",
        app.state.engine.vocab(),
    )
    .expect("the published file passes the corpus rules");
    assert_eq!(parsed.title, "Quantum knitting circles: an evaluation");
    let view = app.state.engine.resource(&ids[0], 0, None).expect("lookup");
    assert!(view.is_some(), "resource endpoint finds it");
    // The live index now agrees with the corpus: an incremental build finds
    // nothing to do (same content hash) and no full rebuild (payload kept).
    let report = app.state.engine.refresh().expect("refresh");
    assert!(!report.full, "{report:?}");
    assert_eq!(
        report.added + report.updated + report.deleted,
        0,
        "{report:?}"
    );
    assert_eq!(search_ids(&app, "quantum"), ids);

    let status = app.get(&status_api, &[]).await.json();
    assert_eq!(status["status"], "approved");
    assert_eq!(status["resource_id"], ids[0]);

    // A second submission with the same title gets `-2`, never overwriting.
    let (id2, _) = submit(&app).await;
    let mut pairs2 = pairs.clone();
    pairs2.retain(|(k, _)| *k != "csrf");
    pairs2.push(("csrf", &csrf));
    let a = app
        .post_form(
            &format!("/moderation/{id2}"),
            &[("cookie", &cookie)],
            &pairs2,
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = app
        .post_form(
            &format!("/moderation/{id2}/approve"),
            &[("cookie", &cookie)],
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(
        app.corpus
            .path()
            .join("2023/quantum-knitting-circles-an-evaluation-2.md")
            .exists()
    );
    assert_eq!(search_ids(&app, "quantum").len(), 2);

    // Admins see who did it; editors may not.
    let a = app.get("/admin/audit", &[("cookie", &cookie)]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let (admin_cookie, _) = app.session("ada", Role::Admin, 3600);
    let a = app.get("/admin/audit", &[("cookie", &admin_cookie)]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.text.contains("approved") && a.text.contains("edited") && a.text.contains("edna"),
        "{}",
        a.text
    );
}

/// Rejecting keeps the resource out of the corpus and the index, and tells
/// the contributor why; requesting changes does the same with its note.
#[tokio::test]
async fn reject_publishes_nothing() {
    let app = TestApp::new(10);
    let (id, status_api) = submit(&app).await;
    let (cookie, csrf) = app.session("edna", Role::Editor, 3600);
    let a = app
        .post_form(
            &format!("/moderation/{id}/reject"),
            &[("cookie", &cookie)],
            &[("csrf", &csrf), ("reason", "")],
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let a = app
        .post_form(
            &format!("/moderation/{id}/reject"),
            &[("cookie", &cookie)],
            &[
                ("csrf", &csrf),
                ("reason", "Duplicate of <an existing> case study"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(search_ids(&app, "quantum").is_empty());
    assert!(
        !app.corpus
            .path()
            .join("2023/quantum-knitting-circles-in-branch-libraries.md")
            .exists()
    );
    let status = app.get(&status_api, &[]).await.json();
    assert_eq!(status["status"], "rejected");
    assert_eq!(status["reason"], "Duplicate of <an existing> case study");
    let page = app.get(&status_api.replace("/api/v1", ""), &[]).await;
    assert!(page.text.contains("&lt;an existing&gt;"));
    // A decided submission cannot be approved afterwards.
    let a = app
        .post_form(
            &format!("/moderation/{id}/approve"),
            &[("cookie", &cookie)],
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(search_ids(&app, "quantum").is_empty());

    let (id, status_api) = submit(&app).await;
    let a = app
        .post_form(
            &format!("/moderation/{id}/changes"),
            &[("cookie", &cookie)],
            &[("csrf", &csrf), ("reason", "Add the evaluation figures")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&status_api, &[]).await.json()["status"],
        "changes-requested"
    );
}

/// Password guessing is slowed down: past the per-address allowance, login
/// answers 429 with Retry-After, even with the right password.
#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let app = TestApp::new(10);
    app.state
        .store
        .with(|c| accounts::add_user(c, "edna", Role::Editor, "correct horse battery"))
        .expect("user");
    let token = "ab".repeat(32);
    let cookie = format!("kb_form={token}");
    for _ in 0..kb_server::routes::account::LOGINS_PER_MINUTE {
        let a = app
            .post_form(
                "/login",
                &[("cookie", &cookie)],
                &[("csrf", &token), ("name", "edna"), ("password", "guess")],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = app
        .post_form(
            "/login",
            &[("cookie", &cookie)],
            &[
                ("csrf", &token),
                ("name", "edna"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!a.header(header::RETRY_AFTER).is_empty());
}

/// Decisions cannot overwrite each other: several editors deciding one
/// submission at the same moment (approvals, rejections and change
/// requests) get exactly one success; every other answer is 409, and the
/// audit log holds one decision. A rejection racing an approval used to
/// overwrite it after the resource was published.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_decisions_have_one_winner() {
    let app = std::sync::Arc::new(TestApp::new(10));
    let (id, status_api) = submit(&app).await;
    let (cookie, csrf) = app.session("edna", Role::Editor, 3600);
    let mut tasks = Vec::new();
    for n in 0..9 {
        let (app, cookie, csrf) = (app.clone(), cookie.clone(), csrf.clone());
        let action = ["approve", "reject", "changes"][n % 3];
        tasks.push(tokio::spawn(async move {
            app.post_form(
                &format!("/moderation/{id}/{action}"),
                &[("cookie", &cookie)],
                &[("csrf", &csrf), ("reason", "Decided by a racing editor")],
            )
            .await
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        let answer = task.await.expect("task");
        if answer.status == StatusCode::CONFLICT {
            assert!(
                answer.text.contains("already been decided"),
                "{}",
                answer.text
            );
        }
        statuses.push(answer.status);
    }
    let won = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(won, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let decisions = app
        .state
        .store
        .with(|c| kb_server::store::audit::recent(c, 50))
        .expect("audit")
        .into_iter()
        .filter(|e| e.submission_id == Some(id))
        .count();
    assert_eq!(decisions, 1, "one decision in the audit log");
    let status = app.get(&status_api, &[]).await.json()["status"].clone();
    assert_ne!(status, "pending");
}
