//! Contributors' and editors' rights over their data: a copy as JSON and
//! erasure, through the HTTP routes a person would use.

use axum::http::{Method, StatusCode};
use kb_indexer::corpus::parse_resource;
use kb_server::store::{Role, audit, keys};

use crate::queue_helpers::{TestApp, good};

/// A contributor with a key downloads everything held about them; erasure
/// then deletes the key, strips their name and address from the queue,
/// removes the attribution from their published resource (which stays
/// published and searchable), and keeps the audit log under a pseudonym.
#[tokio::test]
async fn contributor_copy_and_erasure() {
    let app = TestApp::new(10);
    let (_, secret) = app
        .state
        .store
        .with(|c| keys::create_key(c, "Ann Jones", Role::Contributor, 20))
        .expect("key");
    let bearer = format!("Bearer {secret}");
    let auth = [("authorization", bearer.as_str())];

    let mut resource = good();
    resource["contributor"] = "Ann Jones".into();
    let sent = app.post_json("/api/v1/submissions", &auth, &resource).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
    let id: i64 = match &sent.json()["id"] {
        serde_json::Value::String(s) => s.parse().expect("numeric id"),
        other => other.as_i64().expect("id"),
    };

    let (cookie, csrf) = app.session("edna", Role::Editor, 3600);
    let approved = app
        .post_form(
            &format!("/moderation/{id}/approve"),
            &[("cookie", &cookie)],
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text);
    let published = "2023/quantum-knitting-circles-in-branch-libraries";
    let file = app.corpus.path().join(format!("{published}.md"));
    assert!(
        std::fs::read_to_string(&file)
            .expect("published")
            .contains("Ann Jones")
    );

    let copy = app.get("/api/v1/me/data", &auth).await;
    assert_eq!(copy.status, StatusCode::OK, "{}", copy.text);
    let copy = copy.json();
    assert_eq!(copy["account"]["key"]["name"], "Ann Jones");
    assert_eq!(copy["submissions"][0]["fields"]["contributor"], "Ann Jones");
    assert_eq!(copy["submissions"][0]["resource_id"], published);

    let anonymous = app.get("/api/v1/me/data", &[]).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN);

    let erased = app
        .send(
            Method::DELETE,
            "/api/v1/me/data",
            &auth,
            axum::body::Body::empty(),
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    let erased = erased.json();
    assert_eq!(erased["attribution_removed"][0], published);
    let pseudonym = erased["pseudonym"].as_str().expect("pseudonym").to_string();

    // The key is gone.
    assert_eq!(
        app.get("/api/v1/me/data", &auth).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The published resource stays, without the name, on disk and in the index.
    let text = std::fs::read_to_string(&file).expect("still published");
    assert!(!text.contains("Ann Jones"), "{text}");
    parse_resource(&text, &format!("{published}.md"), app.state.engine.vocab())
        .expect("still a valid resource");
    let api = app
        .get(&format!("/api/v1/resources/{published}"), &[])
        .await;
    assert_eq!(api.status, StatusCode::OK);
    assert!(api.json()["contributor"].is_null(), "{}", api.text);
    // The queue keeps the content but no personal field.
    let row = app
        .state
        .store
        .with(|c| kb_server::store::submissions::by_id(c, id))
        .expect("row")
        .expect("kept");
    assert!(row.fields.get("contributor").is_none());
    assert!(row.key_id.is_none() && row.client_ip.is_none());
    // The audit log is whole, and names no one.
    let log = app
        .state
        .store
        .with(|c| audit::recent(c, 50))
        .expect("audit");
    assert!(log.iter().any(|e| e.actor == pseudonym));
    assert!(log.iter().all(|e| !e.actor.starts_with("key:")), "{log:?}");
}

/// An editor downloads their data and erases their account from the "My
/// data" page: erasure needs the box ticked, ends the session, and leaves
/// their audit entries under a pseudonym.
#[tokio::test]
async fn editor_copy_and_erasure() {
    let app = TestApp::new(10);
    let (cookie, csrf) = app.session("edna", Role::Editor, 3600);
    app.state
        .store
        .with(|c| audit::record(c, "edna", "approved", Some(1), "2024/x"))
        .expect("audit");
    let page = app.get("/account/data", &[("cookie", &cookie)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("/account/data.json"));
    let copy = app.get("/account/data.json", &[("cookie", &cookie)]).await;
    assert_eq!(copy.status, StatusCode::OK);
    let copy = copy.json();
    assert_eq!(copy["account"]["name"], "edna");
    assert_eq!(copy["audit"][0]["action"], "approved");
    assert!(!copy.to_string().contains("argon2id$"), "no password hash");

    let unticked = app
        .post_form("/account/erase", &[("cookie", &cookie)], &[("csrf", &csrf)])
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let erased = app
        .post_form(
            "/account/erase",
            &[("cookie", &cookie)],
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    // Signed out: the editor pages ask for a login again.
    let after = app.get("/moderation", &[("cookie", &cookie)]).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    let log = app
        .state
        .store
        .with(|c| audit::recent(c, 50))
        .expect("audit");
    assert!(log.iter().all(|e| e.actor != "edna"), "{log:?}");
    assert!(
        log.iter()
            .any(|e| e.action == "approved" && e.actor.starts_with("erased-"))
    );
}

/// Every key of a JSON object is a property of its component schema, and
/// every required property is there; nested objects of `nested` too.
fn documented(value: &serde_json::Value, spec: &serde_json::Value, schema: &str) {
    let component = &spec["components"]["schemas"][schema];
    let properties = component["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{schema} has no properties"));
    let object = value.as_object().expect("an object");
    for key in object.keys() {
        assert!(properties.contains_key(key), "`{key}` is not in {schema}");
    }
    for required in component["required"].as_array().into_iter().flatten() {
        let name = required.as_str().expect("name");
        assert!(object.contains_key(name), "{schema} answer lacks `{name}`");
    }
}

/// `/api/v1/me/data` is in the OpenAPI document, both ways, with schemas
/// derived from the answers' types: a real copy and a real erasure fit
/// them, keys and required fields alike, and the refusals are documented.
#[tokio::test]
async fn personal_data_routes_are_documented() {
    let app = TestApp::new(10);
    let (key, secret) = app
        .state
        .store
        .with(|c| keys::create_key(c, "Portal", Role::Contributor, 20))
        .expect("key");
    let auth = [("x-api-key", secret.as_str())];
    let sent = app.post_json("/api/v1/submissions", &auth, &good()).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
    let actor = kb_server::store::personal::key_actor(key.id);
    app.state
        .store
        .with(|c| audit::record(c, &actor, "submitted", None, ""))
        .expect("audit entry");
    let spec = app.get("/api/v1/openapi.json", &[]).await.json();
    let item = &spec["paths"]["/api/v1/me/data"];
    for (method, answer) in [("get", "Export"), ("delete", "ErasureReport")] {
        let op = &item[method];
        assert_eq!(op["tags"][0], "personal-data", "{op}");
        for status in ["401", "403", "429"] {
            assert!(op["responses"][status].is_object(), "{method} {status}");
        }
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{answer}")
        );
        let schemes: Vec<String> = op["security"]
            .as_array()
            .expect("security")
            .iter()
            .flat_map(|s| s.as_object().expect("requirement").keys().cloned())
            .collect();
        assert_eq!(schemes, ["apiKey", "bearerKey"], "a key is needed");
    }
    let copy = app.get("/api/v1/me/data", &auth).await.json();
    documented(&copy, &spec, "Export");
    documented(&copy["submissions"][0], &spec, "Submission");
    assert!(
        copy["submissions"][0].get("token").is_none(),
        "never the secret token"
    );
    documented(&copy["audit"][0], &spec, "AuditEntry");
    let erased = app
        .send(
            Method::DELETE,
            "/api/v1/me/data",
            &auth,
            axum::body::Body::empty(),
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    let erased: serde_json::Value = erased.json();
    documented(&erased, &spec, "ErasureReport");
    let keys: Vec<&String> = erased.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "attribution_not_removed",
            "attribution_removed",
            "audit_entries_pseudonymised",
            "erased",
            "pseudonym",
            "submissions_anonymised"
        ],
        "the answer keeps its keys and their order"
    );
}
