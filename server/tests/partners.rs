//! HTTP tests of the partner-facing routes: OAI-PMH, Atom, OpenSearch,
//! sitemap and exports, through `app(state).oneshot(request)`.
//!
//! Each test builds its own engine over a temporary copy of the bundled
//! corpus whose files have known modification times: resources under
//! `2015/` are stamped [`OLD`], all others [`NEW`], so selective harvesting
//! by date has a known answer.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use clap::Parser;
use http_body_util::BodyExt;
use kb_server::search::Engine;
use kb_server::settings::Settings;
use kb_server::startup::app;
use kb_server::state::AppState;
use tower::ServiceExt;

const BASE: &str = "https://kb.example.org";
const HOST: &str = "kb.example.org";
/// 2020-06-15T08:30:00Z
const OLD: u64 = 1_592_209_800;
/// 2024-03-01T12:00:00Z
const NEW: u64 = 1_709_294_400;
const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

struct TestApp {
    router: Router,
    /// Resource ids of the corpus copy, from its file names.
    ids: BTreeSet<String>,
    _corpus: tempfile::TempDir,
    _data: tempfile::TempDir,
}

fn source_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

fn copy_corpus(from: &Path, to: &Path, rel: &str, ids: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(from).expect("read corpus") {
        let entry = entry.expect("entry");
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        let target = to.join(&name);
        let rel_name = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_corpus(&path, &target, &rel_name, ids);
        } else {
            std::fs::copy(&path, &target).expect("copy");
            if let Some(id) = rel_name.strip_suffix(".md") {
                let stamp = if id.starts_with("2015/") { OLD } else { NEW };
                let file = std::fs::File::options()
                    .write(true)
                    .open(&target)
                    .expect("open");
                file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(stamp))
                    .expect("set mtime");
                ids.insert(id.to_string());
            }
        }
    }
}

fn spawn() -> TestApp {
    spawn_with(|_| {})
}

/// Like [`spawn`], with a chance to put files in the data folder first.
fn spawn_with(prepare: impl FnOnce(&Path)) -> TestApp {
    let corpus = tempfile::tempdir().expect("corpus dir");
    let data = tempfile::tempdir().expect("data dir");
    prepare(data.path());
    let mut ids = BTreeSet::new();
    copy_corpus(&source_corpus(), corpus.path(), "", &mut ids);
    let engine = Engine::open(corpus.path(), data.path()).expect("engine");
    let settings = Settings::try_parse_from([
        "kb-server",
        "--corpus",
        &corpus.path().to_string_lossy(),
        "--data",
        &data.path().to_string_lossy(),
        "--base-url",
        BASE,
    ])
    .expect("settings");
    let state = AppState::new(
        Arc::new(engine),
        Arc::new(settings),
        Arc::new(kb_server::store::Store::open_in(data.path()).expect("store opens")),
    );
    TestApp {
        router: app(state),
        ids,
        _corpus: corpus,
        _data: data,
    }
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: String,
}

impl TestApp {
    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Answer {
            status,
            content_type,
            body: String::from_utf8(bytes.to_vec()).expect("utf-8"),
        }
    }

    async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    /// An OAI-PMH GET answer, checked to be well-formed protocol XML.
    async fn oai(&self, query: &str) -> Answer {
        let answer = self.get(&format!("/oai?{query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{query}");
        assert!(answer.content_type.starts_with("text/xml"), "{query}");
        let doc = roxmltree::Document::parse(&answer.body).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some(OAI_NS));
        assert_eq!(root.tag_name().name(), "OAI-PMH");
        answer
    }
}

fn parse(body: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(body).expect("well-formed XML")
}

fn texts(body: &str, ns: &str, name: &str) -> Vec<String> {
    parse(body)
        .descendants()
        .filter(|n| n.has_tag_name((ns, name)))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

fn error_code(body: &str) -> Option<String> {
    parse(body)
        .descendants()
        .find(|n| n.has_tag_name((OAI_NS, "error")))
        .and_then(|n| n.attribute("code").map(String::from))
}

fn token(body: &str) -> Option<String> {
    parse(body)
        .descendants()
        .find(|n| n.has_tag_name((OAI_NS, "resumptionToken")))
        .and_then(|n| n.text().map(String::from))
}

fn local(identifier: &str) -> String {
    identifier
        .strip_prefix(&format!("oai:{HOST}:"))
        .unwrap_or_else(|| panic!("identifier {identifier} lacks the oai:{HOST}: prefix"))
        .to_string()
}

/// Harvest a whole list by following resumption tokens; returns local ids.
async fn harvest(app: &TestApp, verb: &str, args: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut query = format!("verb={verb}&{args}");
    for _ in 0..100 {
        let answer = app.oai(&query).await;
        assert_eq!(error_code(&answer.body), None, "{}", answer.body);
        ids.extend(
            texts(&answer.body, OAI_NS, "identifier")
                .iter()
                .map(|i| local(i)),
        );
        match token(&answer.body) {
            Some(t) if !t.is_empty() => {
                query = format!("verb={verb}&resumptionToken={t}");
            }
            _ => return ids,
        }
    }
    panic!("harvest did not end");
}

/// Identify names the repository, its base URL, protocol 2.0, the earliest
/// datestamp (the oldest corpus file) and second granularity.
#[tokio::test]
async fn oai_identify() {
    let app = spawn();
    let answer = app.oai("verb=Identify").await;
    let one = |name| texts(&answer.body, OAI_NS, name).join("");
    assert_eq!(one("baseURL"), format!("{BASE}/oai"));
    assert_eq!(one("protocolVersion"), "2.0");
    assert_eq!(one("earliestDatestamp"), "2020-06-15T08:30:00Z");
    assert_eq!(one("deletedRecord"), "no");
    assert_eq!(one("granularity"), "YYYY-MM-DDThh:mm:ssZ");
    assert!(one("adminEmail").contains('@'));
    assert!(!one("repositoryName").is_empty());
    let doc = parse(&answer.body);
    let request = doc
        .descendants()
        .find(|n| n.has_tag_name((OAI_NS, "request")))
        .expect("request");
    assert_eq!(request.attribute("verb"), Some("Identify"));
}

/// ListMetadataFormats offers oai_dc, for the repository and for one item,
/// and refuses an unknown identifier with idDoesNotExist.
#[tokio::test]
async fn oai_list_metadata_formats() {
    let app = spawn();
    let answer = app.oai("verb=ListMetadataFormats").await;
    assert_eq!(
        texts(&answer.body, OAI_NS, "metadataPrefix"),
        vec!["oai_dc"]
    );
    let id = app.ids.iter().next().expect("an id");
    let answer = app
        .oai(&format!(
            "verb=ListMetadataFormats&identifier=oai:{HOST}:{id}"
        ))
        .await;
    assert_eq!(
        texts(&answer.body, OAI_NS, "metadataPrefix"),
        vec!["oai_dc"]
    );
    let answer = app
        .oai(&format!(
            "verb=ListMetadataFormats&identifier=oai:{HOST}:nope"
        ))
        .await;
    assert_eq!(error_code(&answer.body).as_deref(), Some("idDoesNotExist"));
}

/// ListSets has one set per offer and per type under `offer` and `type`,
/// and refuses any resumption token since the list is never split.
#[tokio::test]
async fn oai_list_sets() {
    let app = spawn();
    let answer = app.oai("verb=ListSets").await;
    let specs = texts(&answer.body, OAI_NS, "setSpec");
    for spec in [
        "offer",
        "offer:reading",
        "offer:childrens-promise",
        "type",
        "type:case-study",
    ] {
        assert!(specs.iter().any(|s| s == spec), "{spec} missing: {specs:?}");
    }
    let answer = app.oai("verb=ListSets&resumptionToken=abc").await;
    assert_eq!(
        error_code(&answer.body).as_deref(),
        Some("badResumptionToken")
    );
}

/// Following resumption tokens through ListIdentifiers yields every resource
/// of the corpus exactly once, with correct completeListSize and cursor.
#[tokio::test]
async fn oai_list_identifiers_full_harvest() {
    let app = spawn();
    let first = app.oai("verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    let doc = parse(&first.body);
    let token = doc
        .descendants()
        .find(|n| n.has_tag_name((OAI_NS, "resumptionToken")))
        .expect("the corpus needs more than one page");
    assert_eq!(
        token.attribute("completeListSize"),
        Some(app.ids.len().to_string().as_str())
    );
    assert_eq!(token.attribute("cursor"), Some("0"));
    let ids = harvest(&app, "ListIdentifiers", "metadataPrefix=oai_dc").await;
    assert_eq!(ids.len(), app.ids.len(), "no duplicates, none missing");
    assert_eq!(ids.into_iter().collect::<BTreeSet<_>>(), app.ids);
    // Datestamps use the repository's granularity.
    for stamp in texts(&first.body, OAI_NS, "datestamp") {
        assert!(
            stamp == "2020-06-15T08:30:00Z" || stamp == "2024-03-01T12:00:00Z",
            "{stamp}"
        );
    }
}

/// ListRecords harvests every record with Dublin Core metadata in oai_dc.
#[tokio::test]
async fn oai_list_records_full_harvest() {
    let app = spawn();
    let ids = harvest(&app, "ListRecords", "metadataPrefix=oai_dc").await;
    assert_eq!(ids.into_iter().collect::<BTreeSet<_>>(), app.ids);
    let page = app.oai("verb=ListRecords&metadataPrefix=oai_dc").await;
    let records = parse(&page.body)
        .descendants()
        .filter(|n| n.has_tag_name((OAI_NS, "record")))
        .count();
    assert_eq!(records, kb_server::routes::oai::PAGE_SIZE);
    assert_eq!(
        texts(&page.body, DC_NS, "title").len(),
        kb_server::routes::oai::PAGE_SIZE
    );
}

/// GetRecord returns one record whose Dublin Core carries the resource's
/// title, summary, offer labels, organisation, date, region, licence and URL.
#[tokio::test]
async fn oai_get_record() {
    let app = spawn();
    let id = "2019/reading-friends-dementia";
    assert!(app.ids.contains(id));
    let answer = app
        .oai(&format!(
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:{HOST}:{id}"
        ))
        .await;
    let dc = |name| texts(&answer.body, DC_NS, name);
    assert_eq!(
        dc("title"),
        vec!["Reading Friends groups for people living with dementia"]
    );
    assert!(dc("description")[0].starts_with("Weekly reading groups"));
    assert!(dc("subject").contains(&"Reading".to_string()));
    assert!(dc("subject").contains(&"Health and Wellbeing".to_string()));
    assert!(dc("subject").contains(&"dementia".to_string()));
    assert_eq!(
        dc("creator"),
        vec!["A county library service in the North West"]
    );
    assert_eq!(dc("publisher"), dc("creator"));
    assert_eq!(dc("date"), vec!["2019-06-14"]);
    assert_eq!(dc("coverage"), vec!["North West"]);
    assert_eq!(dc("language"), vec!["en"]);
    assert_eq!(dc("rights"), vec!["CC-BY-4.0"]);
    assert!(dc("type").contains(&"Case study".to_string()));
    assert_eq!(dc("identifier"), vec![format!("{BASE}/resources/{id}")]);
    assert_eq!(
        texts(&answer.body, OAI_NS, "setSpec"),
        vec![
            "offer:reading",
            "offer:health-and-wellbeing",
            "type:case-study"
        ]
    );
}

/// A set harvest returns exactly the resources the search API finds for
/// that offer (or type).
#[tokio::test]
async fn oai_selective_by_set() {
    let app = spawn();
    for (set, filter) in [
        ("offer:reading", "offer=reading"),
        ("type:case-study", "type=case-study"),
    ] {
        let ids = harvest(
            &app,
            "ListIdentifiers",
            &format!("metadataPrefix=oai_dc&set={set}"),
        )
        .await;
        let search = app
            .get(&format!("/api/v1/search?{filter}&per_page=100"))
            .await;
        let json: serde_json::Value = serde_json::from_str(&search.body).expect("json");
        let expected: BTreeSet<String> = json["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["id"].as_str().expect("id").to_string())
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(ids.into_iter().collect::<BTreeSet<_>>(), expected, "{set}");
    }
    let all = harvest(&app, "ListIdentifiers", "metadataPrefix=oai_dc&set=type").await;
    assert_eq!(all.len(), app.ids.len());
}

/// from/until select by datestamp at both granularities, inclusively.
#[tokio::test]
async fn oai_selective_by_date() {
    let app = spawn();
    let old: BTreeSet<String> = app
        .ids
        .iter()
        .filter(|id| id.starts_with("2015/"))
        .cloned()
        .collect();
    let new: BTreeSet<String> = app.ids.difference(&old).cloned().collect();
    assert!(!old.is_empty() && !new.is_empty());
    let set = |v: Vec<String>| v.into_iter().collect::<BTreeSet<_>>();
    for (args, expected) in [
        ("until=2020-06-15", &old),
        ("until=2020-06-15T08:30:00Z", &old),
        ("from=2020-06-15T08:30:01Z", &new),
        ("from=2021-01-01&until=2024-03-01", &new),
        ("from=2020-06-15&until=2024-03-01", &app.ids),
    ] {
        let ids = harvest(
            &app,
            "ListIdentifiers",
            &format!("metadataPrefix=oai_dc&{args}"),
        )
        .await;
        assert_eq!(&set(ids), expected, "{args}");
    }
    let answer = app
        .oai("verb=ListIdentifiers&metadataPrefix=oai_dc&until=2020-06-15T08:29:59Z")
        .await;
    assert_eq!(error_code(&answer.body).as_deref(), Some("noRecordsMatch"));
}

/// Every OAI-PMH error code the repository can give is given for the
/// mistake the protocol assigns it to, and badVerb/badArgument answers
/// echo the request without attributes.
#[tokio::test]
async fn oai_error_codes() {
    let app = spawn();
    let id = app.ids.iter().next().expect("an id").clone();
    for (query, code) in [
        ("", "badVerb"),
        ("verb=Explode", "badVerb"),
        ("verb=Identify&verb=ListSets", "badVerb"),
        ("verb=Identify&extra=1", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set=a&set=b",
            "badArgument",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2020-13-01",
            "badArgument",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from=yesterday",
            "badArgument",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2020-01-01&until=2024-01-01T00:00:00Z",
            "badArgument",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-01-01&until=2020-01-01",
            "badArgument",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&resumptionToken=00",
            "badArgument",
        ),
        ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=mods",
            "cannotDisseminateFormat",
        ),
        (
            &format!("verb=GetRecord&metadataPrefix=mods&identifier=oai:{HOST}:{id}"),
            "cannotDisseminateFormat",
        ),
        (
            &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:{HOST}:no/such"),
            "idDoesNotExist",
        ),
        (
            &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:other.org:{id}"),
            "idDoesNotExist",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&set=offer:no-such-offer",
            "noRecordsMatch",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2030-01-01",
            "noRecordsMatch",
        ),
        (
            "verb=ListRecords&resumptionToken=not-a-token",
            "badResumptionToken",
        ),
        (
            "verb=ListIdentifiers&resumptionToken=6f3d3939393926",
            "badResumptionToken",
        ),
    ] {
        let answer = app.oai(query).await;
        assert_eq!(
            error_code(&answer.body).as_deref(),
            Some(code),
            "{query}: {}",
            answer.body
        );
        if code == "badVerb" || code == "badArgument" {
            let doc = parse(&answer.body);
            let request = doc
                .descendants()
                .find(|n| n.has_tag_name((OAI_NS, "request")))
                .expect("request");
            assert_eq!(request.attributes().len(), 0, "{query}");
        }
    }
}

/// A resumption token from past the end of the list is refused.
#[tokio::test]
async fn oai_token_past_the_end() {
    let app = spawn();
    // Offset 9999 with the original arguments, encoded as the server does.
    let text = "o=9999&m=oai_dc";
    let token: String = text.bytes().map(|b| format!("{b:02x}")).collect();
    let answer = app
        .oai(&format!("verb=ListIdentifiers&resumptionToken={token}"))
        .await;
    assert_eq!(
        error_code(&answer.body).as_deref(),
        Some("badResumptionToken")
    );
}

/// A form POST is answered exactly like the same GET.
#[tokio::test]
async fn oai_post_form() {
    let app = spawn();
    let query = "verb=ListIdentifiers&metadataPrefix=oai_dc&set=offer:reading";
    let post = app
        .send(
            Request::post("/oai")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(query))
                .expect("request"),
        )
        .await;
    assert_eq!(post.status, StatusCode::OK);
    let get = app.oai(query).await;
    assert_eq!(
        texts(&post.body, OAI_NS, "identifier"),
        texts(&get.body, OAI_NS, "identifier")
    );
    assert!(!texts(&get.body, OAI_NS, "identifier").is_empty());
}

/// The Atom feed of a search lists the same resources in the same order as
/// the search API sorted newest first, with feed and entry metadata.
#[tokio::test]
async fn atom_matches_search_order() {
    let app = spawn();
    let params = "q=reading&offer=reading&per_page=10";
    let feed = app.get(&format!("/feeds/atom?{params}&sort=title")).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.content_type.starts_with("application/atom+xml"));
    let search = app
        .get(&format!("/api/v1/search?{params}&sort=newest"))
        .await;
    let json: serde_json::Value = serde_json::from_str(&search.body).expect("json");
    let expected: Vec<String> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| format!("{BASE}/resources/{}", h["id"].as_str().expect("id")))
        .collect();
    assert!(expected.len() > 1);
    let doc = parse(&feed.body);
    let feed_el = doc.root_element();
    assert!(feed_el.has_tag_name((ATOM_NS, "feed")));
    let child = |name| {
        feed_el
            .children()
            .find(|n| n.has_tag_name((ATOM_NS, name)))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    assert!(child("id").starts_with(&format!("{BASE}/feeds/atom?")));
    assert_eq!(child("updated"), "2024-03-01T12:00:00Z");
    assert!(
        feed_el
            .children()
            .any(|n| n.has_tag_name((ATOM_NS, "link")) && n.attribute("rel") == Some("self"))
    );
    let entries: Vec<roxmltree::Node> = feed_el
        .children()
        .filter(|n| n.has_tag_name((ATOM_NS, "entry")))
        .collect();
    let ids: Vec<String> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|n| n.has_tag_name((ATOM_NS, "id")))
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(ids, expected);
    for entry in &entries {
        for name in ["title", "updated", "summary", "link", "category", "author"] {
            assert!(
                entry.children().any(|n| n.has_tag_name((ATOM_NS, name))),
                "entry lacks {name}"
            );
        }
        assert!(entry.children().any(
            |n| n.has_tag_name((ATOM_NS, "category")) && n.attribute("term") == Some("reading")
        ));
    }
}

/// A bad search parameter in the feed is a JSON 400 naming it, as in the API.
#[tokio::test]
async fn atom_bad_parameter() {
    let app = spawn();
    let answer = app.get("/feeds/atom?page=0").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let json: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
    assert_eq!(json["error"]["param"], "page");
}

/// The OpenSearch description gives HTML, Atom and JSON templates.
#[tokio::test]
async fn opensearch_description() {
    let app = spawn();
    let answer = app.get("/opensearch.xml").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer
            .content_type
            .starts_with("application/opensearchdescription+xml")
    );
    let doc = parse(&answer.body);
    let ns = "http://a9.com/-/spec/opensearch/1.1/";
    let templates: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "Url")))
        .map(|n| {
            (
                n.attribute("type").unwrap_or_default().to_string(),
                n.attribute("template").unwrap_or_default().to_string(),
            )
        })
        .collect();
    let find = |kind: &str| {
        templates
            .iter()
            .find(|(t, _)| t == kind)
            .map(|(_, u)| u.clone())
            .unwrap_or_default()
    };
    assert_eq!(find("text/html"), format!("{BASE}/?q={{searchTerms}}"));
    assert!(
        find("application/atom+xml").starts_with(&format!("{BASE}/feeds/atom?q={{searchTerms}}"))
    );
    assert!(
        find("application/json").starts_with(&format!("{BASE}/api/v1/search?q={{searchTerms}}"))
    );
    assert!(find("application/json").contains("page={startPage?}"));
    let short = texts(&answer.body, ns, "ShortName").join("");
    assert!(!short.is_empty() && short.chars().count() <= 16);
}

/// The sitemap lists the home page and every resource, each with a lastmod.
#[tokio::test]
async fn sitemap_lists_every_resource() {
    let app = spawn();
    let answer = app.get("/sitemap.xml").await;
    assert_eq!(answer.status, StatusCode::OK);
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let locs = texts(&answer.body, ns, "loc");
    let expected: BTreeSet<String> = app
        .ids
        .iter()
        .map(|id| format!("{BASE}/resources/{id}"))
        .chain([format!("{BASE}/")])
        .collect();
    assert_eq!(locs.len(), expected.len());
    assert_eq!(locs.into_iter().collect::<BTreeSet<_>>(), expected);
    assert_eq!(texts(&answer.body, ns, "lastmod").len(), expected.len());
}

/// The CSV export has a header plus one row per resource, in the documented
/// columns, and the datapackage describes exactly those columns.
#[tokio::test]
async fn csv_export_and_datapackage() {
    let app = spawn();
    let answer = app.get("/api/v1/export.csv").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/csv"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(answer.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), app.ids.len() + 1);
    let header: Vec<&str> = rows[0].iter().collect();
    assert_eq!(
        header,
        vec![
            "id",
            "title",
            "summary",
            "offers",
            "type",
            "year",
            "published",
            "region",
            "organisation",
            "language",
            "tags",
            "source_url",
            "licence",
            "url"
        ]
    );
    let ids: BTreeSet<String> = rows[1..].iter().map(|r| r[0].to_string()).collect();
    assert_eq!(ids, app.ids);
    let friends = rows
        .iter()
        .find(|r| &r[0] == "2019/reading-friends-dementia")
        .expect("row");
    assert_eq!(&friends[3], "reading;health-and-wellbeing");
    assert_eq!(
        &friends[13],
        format!("{BASE}/resources/2019/reading-friends-dementia")
    );

    let package = app.get("/api/v1/datapackage.json").await;
    let json: serde_json::Value = serde_json::from_str(&package.body).expect("json");
    let fields: Vec<&str> = json["resources"][0]["schema"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(fields, header);
    assert_eq!(
        json["resources"][0]["path"],
        format!("{BASE}/api/v1/export.csv")
    );
}

/// The JSON export is one array with every resource's metadata and lists as arrays.
#[tokio::test]
async fn json_export() {
    let app = spawn();
    let answer = app.get("/api/v1/export.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
    let items = json.as_array().expect("array");
    let ids: BTreeSet<String> = items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(ids, app.ids);
    assert!(
        items
            .iter()
            .all(|i| i["offers"].is_array() && i["body"].is_null())
    );
}

/// Check a JSON value against an OpenAPI 3.1 schema: `$ref`, `allOf` (the
/// value meets every part: a hit is the resource metadata's schema and its
/// own), `type` (one or several), `required`, `properties`,
/// `additionalProperties` and `items`.
fn conforms(
    value: &serde_json::Value,
    schema: &serde_json::Value,
    spec: &serde_json::Value,
    at: &str,
) {
    use serde_json::Value;
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().expect("ref name");
        let named = &spec["components"]["schemas"][name];
        assert!(named.is_object(), "{at}: no schema named `{name}`");
        return conforms(value, named, spec, at);
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        conforms(value, part, spec, at);
    }
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    assert!(
        allowed.is_empty()
            || allowed.contains(&kind)
            || (kind == "integer" && allowed.contains(&"number")),
        "{at}: {kind} is not {allowed:?}"
    );
    if let Value::Object(map) = value {
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().expect("name");
            assert!(map.contains_key(name), "{at} lacks required `{name}`");
        }
        for (key, v) in map {
            if let Some(s) = schema["properties"].get(key) {
                conforms(v, s, spec, &format!("{at}.{key}"));
            } else if let Some(s) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                conforms(v, s, spec, &format!("{at}.{key}"));
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            conforms(item, s, spec, &format!("{at}[{i}]"));
        }
    }
}

/// The OpenAPI document is 3.1, lists the API's routes, and real answers of
/// every documented JSON operation (errors included) fit its schemas.
#[tokio::test]
async fn openapi_describes_real_answers() {
    let app = spawn();
    let answer = app.get("/api/v1/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let spec: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
    assert!(
        spec["openapi"]
            .as_str()
            .expect("version")
            .starts_with("3.1")
    );
    assert_eq!(spec["servers"][0]["url"], BASE);
    for path in [
        "/api/v1/search",
        "/api/v1/resources/{id}",
        "/api/v1/facets",
        "/api/v1/suggest",
        "/api/v1/export.csv",
        "/api/v1/export.json",
        "/api/v1/datapackage.json",
        "/api/v1/submissions/{token}",
    ] {
        assert!(
            spec["paths"][path]["get"].is_object(),
            "{path} undocumented"
        );
    }
    assert!(
        spec["paths"]["/api/v1/submissions"]["post"].is_object(),
        "POST /api/v1/submissions undocumented"
    );
    for (uri, path, status) in [
        (
            "/api/v1/search?q=reading&offer=reading",
            "/api/v1/search",
            "200",
        ),
        ("/api/v1/search?page=0", "/api/v1/search", "400"),
        (
            "/api/v1/resources/2019/reading-friends-dementia",
            "/api/v1/resources/{id}",
            "200",
        ),
        ("/api/v1/resources/no/such", "/api/v1/resources/{id}", "404"),
        ("/api/v1/facets?region=england", "/api/v1/facets", "200"),
        ("/api/v1/suggest?q=read", "/api/v1/suggest", "200"),
        ("/api/v1/export.json", "/api/v1/export.json", "200"),
        (
            "/api/v1/submissions/0000000000000000000000000000000000000000000000000000000000000000",
            "/api/v1/submissions/{token}",
            "404",
        ),
        ("/api/v1/search?year_from=-454047", "/api/v1/search", "400"),
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status.as_str(), status, "{uri}");
        let value: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
        let schema = &spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]
            ["schema"];
        assert!(schema.is_object(), "{path} {status} has no schema");
        conforms(&value, schema, &spec, uri);
    }

    // The check reads the shared metadata through `allOf`: a hit without
    // its title, or with a number for a title, does not fit.
    let search = app.get("/api/v1/search?q=reading").await;
    let value: serde_json::Value = serde_json::from_str(&search.body).expect("json");
    let schema = &spec["paths"]["/api/v1/search"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let mut without_title = value.clone();
    without_title["hits"][0]
        .as_object_mut()
        .expect("hit")
        .remove("title");
    let mut number_title = value;
    number_title["hits"][0]["title"] = serde_json::json!(7);
    for broken in [without_title, number_title] {
        let refused =
            std::panic::catch_unwind(|| conforms(&broken, schema, &spec, "broken hit")).is_err();
        assert!(refused, "a broken hit passed the check");
    }
}

/// The API reference page is self-contained HTML listing every operation and
/// schema; a schema made of others (a hit: the resource metadata and its own
/// fields) links the ones it includes and lists its own properties, and an
/// optional named schema reads as that schema or null, with its meaning.
#[tokio::test]
async fn api_docs_page() {
    let app = spawn();
    let answer = app.get("/api/docs").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/html"));
    for text in [
        "GET /api/v1/search",
        "GET /api/v1/resources/{id}",
        "id=\"schema-SearchResults\"",
        "per_page",
    ] {
        assert!(answer.body.contains(text), "{text} missing");
    }
    assert!(!answer.body.contains("<script") && !answer.body.contains("https://cdn"));
    let hit = answer
        .body
        .split("id=\"schema-Hit\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the Hit schema's section");
    assert!(
        hit.contains("Every property of <a href=\"#schema-ResourceMetadata\">ResourceMetadata</a>"),
        "{hit}"
    );
    assert!(hit.contains("<code>score</code>"), "{hit}");
    assert!(answer.body.contains("id=\"schema-ResourceMetadata\""));
    let resource = answer
        .body
        .split("id=\"schema-Resource\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the Resource schema's section");
    assert!(
        resource.contains(
            "<td><a href=\"#schema-AttachmentView\">AttachmentView</a> or null</td>\
             <td>no</td><td>The attached PDF, when there is one.</td>"
        ),
        "{resource}"
    );
}

/// Keys are optional on the API; a good key is counted against its quota
/// with RateLimit headers, a spent quota is 429 with Retry-After, a wrong
/// key is 401, and routes outside /api/ ignore keys.
#[tokio::test]
async fn api_keys_and_quotas() {
    use kb_server::store::Role;
    use kb_server::store::Store;
    use kb_server::store::keys::create_key;
    let made = std::sync::Mutex::new(String::new());
    let app = spawn_with(|data| {
        let store = Store::open_in(data).expect("store");
        let (_, secret) = store
            .with(|c| create_key(c, "portal", Role::Partner, 2))
            .expect("key");
        *made.lock().expect("lock") = secret;
    });
    let key = made.lock().expect("lock").clone();
    let key = key.as_str();
    let with = |name: &'static str, value: String| {
        Request::get("/api/v1/facets")
            .header(name, value)
            .body(Body::empty())
            .expect("request")
    };
    let anonymous = app
        .send(
            Request::get("/api/v1/facets")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::OK);

    let router = app.router.clone();
    let first = router
        .clone()
        .oneshot(with("authorization", format!("Bearer {key}")))
        .await
        .expect("response");
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["ratelimit-limit"], "2");
    assert_eq!(first.headers()["ratelimit-remaining"], "1");
    let second = app.send(with("x-api-key", key.to_string())).await;
    assert_eq!(second.status, StatusCode::OK);
    let third = router
        .clone()
        .oneshot(with("x-api-key", key.to_string()))
        .await
        .expect("response");
    // The quota refills evenly (one request every 30 s here), never all at
    // once at a minute boundary, so the third request is refused.
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = third.headers()["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("Retry-After seconds");
    assert!((1..=30).contains(&retry), "{retry}");
    let body = third.into_body().collect().await.expect("body").to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(json["error"]["code"], "rate_limited");

    let wrong = app.send(with("x-api-key", "kb_wrong".to_string())).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let json: serde_json::Value = serde_json::from_str(&wrong.body).expect("json");
    assert_eq!(json["error"]["code"], "invalid_api_key");

    let oai = app
        .send(
            Request::get("/oai?verb=Identify")
                .header("x-api-key", "kb_wrong")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(oai.status, StatusCode::OK);
}

/// The keys of one JSON object, in the order they were written.
struct WrittenKeys(Vec<String>);

impl<'de> serde::Deserialize<'de> for WrittenKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = WrittenKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<WrittenKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(WrittenKeys(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

/// The distinct key lists of a list of objects, in the order written.
fn distinct(objects: Vec<WrittenKeys>) -> BTreeSet<Vec<String>> {
    objects.into_iter().map(|k| k.0).collect()
}

fn listed(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

/// What partners read stays as it was: a search hit's keys (alphabetical,
/// `published` only when the date is known to the day), a resource
/// answer's keys, the CSV export's columns and the JSON export's keys, in
/// the order written, against lists taken from the answers before the
/// resource model was shared by hits, resources and exports.
#[tokio::test]
async fn answer_keys_are_unchanged() {
    #[derive(serde::Deserialize)]
    struct Hits {
        hits: Vec<WrittenKeys>,
    }
    let app = spawn();
    let hit = [
        "highlights",
        "id",
        "language",
        "offers",
        "organisation",
        "published",
        "region",
        "sample",
        "score",
        "summary",
        "tags",
        "title",
        "type",
        "url",
        "year",
    ];
    let undated_hit: Vec<&str> = hit.iter().copied().filter(|k| *k != "published").collect();
    let mut every_hit = Vec::new();
    for page in [1, 2] {
        let search = app
            .get(&format!("/api/v1/search?per_page=100&page={page}"))
            .await;
        assert_eq!(search.status, StatusCode::OK);
        let hits: Hits = serde_json::from_str(&search.body).expect("search json");
        every_hit.extend(hits.hits);
    }
    assert_eq!(every_hit.len(), app.ids.len());
    assert_eq!(
        distinct(every_hit),
        BTreeSet::from([listed(&hit), listed(&undated_hit)])
    );

    let resource = [
        "body",
        "body_html",
        "contributor",
        "id",
        "labels",
        "language",
        "licence",
        "offers",
        "organisation",
        "published",
        "region",
        "related",
        "sample",
        "source_url",
        "summary",
        "tags",
        "title",
        "type",
        "url",
        "year",
    ];
    for id in ["2019/reading-friends-dementia", "2020/check-and-chat-calls"] {
        let answer = app.get(&format!("/api/v1/resources/{id}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{id}");
        let keys: WrittenKeys = serde_json::from_str(&answer.body).expect("resource json");
        assert_eq!(keys.0, listed(&resource), "{id}");
        let related: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
        assert!(related["related"].as_array().is_some_and(|r| !r.is_empty()));
    }

    let columns = [
        "id",
        "title",
        "summary",
        "offers",
        "type",
        "year",
        "published",
        "region",
        "organisation",
        "language",
        "tags",
        "source_url",
        "licence",
        "url",
    ];
    let csv = app.get("/api/v1/export.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.body.lines().next(), Some(columns.join(",").as_str()));
    let json = app.get("/api/v1/export.json").await;
    assert_eq!(json.status, StatusCode::OK);
    let rows: Vec<WrittenKeys> = serde_json::from_str(&json.body).expect("export json");
    assert_eq!(rows.len(), app.ids.len());
    assert_eq!(distinct(rows), BTreeSet::from([listed(&columns)]));
    // Undated rows write `published` as null; hits leave it out.
    let values: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    let undated = values
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["id"] == "2020/check-and-chat-calls"))
        .expect("undated row");
    assert!(undated["published"].is_null());
}
