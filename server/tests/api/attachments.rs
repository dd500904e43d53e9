//! PDF attachments on `POST /api/v1/submissions` (multipart) and `/submit`:
//! read by poppler-utils in limited child processes, refused with a `422`
//! naming the attachment when hostile, while searches keep answering.

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::pdf;
use crate::queue_helpers::{Answer, TestApp, good};

/// Whether the PDF tools are here; on CI their absence is a failure.
fn tools() -> bool {
    if kb_server::attachments::tools_available() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "pdfinfo/pdftotext/prlimit missing and CI=true: apt-get install -y poppler-utils util-linux"
    );
    eprintln!("skipping: poppler-utils (pdfinfo, pdftotext) or prlimit not installed");
    false
}

const BOUNDARY: &str = "kb-test-boundary-7f3a";

/// A multipart body of text parts and one optional file part.
fn multipart(texts: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in texts {
        out.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, file_name, bytes)) = file {
        out.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n")
                .as_bytes(),
        );
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

async fn post_multipart(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Answer {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let length = body.len().to_string();
    let mut all = vec![
        ("content-type", content_type.as_str()),
        ("content-length", length.as_str()),
    ];
    all.extend_from_slice(headers);
    app.send(Method::POST, path, &all, body).await
}

async fn submit_pdf(app: &TestApp, file: &str, bytes: &[u8]) -> Answer {
    let resource = good().to_string();
    post_multipart(
        app,
        "/api/v1/submissions",
        &[],
        multipart(
            &[("resource", &resource)],
            Some(("attachment", file, bytes)),
        ),
    )
    .await
}

/// A PDF sent with the resource is read: the answer is the usual 201 plus
/// its pages, characters of text and whether it has a text layer; the file
/// and its text are kept with the queued submission. A PDF of drawings only
/// is accepted too, but said to have no text layer.
#[tokio::test]
async fn a_pdf_is_read_and_reported() {
    if !tools() {
        return;
    }
    let app = TestApp::new(100);
    let a = submit_pdf(
        &app,
        "report.pdf",
        &pdf::with_pages(&["Xylophonic outreach", "in libraries"]),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let v = a.json();
    assert_eq!(v["status"], "pending");
    assert_eq!(v["attachment"]["pages"], 2);
    assert_eq!(v["attachment"]["has_text_layer"], true);
    assert_eq!(
        v["attachment"]["text_chars"],
        "Xylophonicoutreachinlibraries".len()
    );
    let pending = app.state.settings.data.join("attachments/pending");
    let texts: Vec<String> = std::fs::read_dir(&pending)
        .expect("pending attachments")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| std::fs::read_to_string(e.path()).expect("text"))
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("Xylophonic outreach")),
        "{texts:?}"
    );
    assert_eq!(app.queued(), 1);

    let a = submit_pdf(&app, "scan.pdf", &pdf::with_pages(&[""])).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(a.json()["attachment"]["has_text_layer"], false);
    assert_eq!(a.json()["attachment"]["text_chars"], 0);

    // Without an attachment, multipart answers as JSON does, with no `attachment`.
    let resource = good().to_string();
    let a = post_multipart(
        &app,
        "/api/v1/submissions",
        &[],
        multipart(&[("resource", &resource)], None),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert!(a.json().get("attachment").is_none());
    assert_eq!(app.queued(), 3);
}

/// Hostile attachments (not a PDF, cut short, encrypted, 5,000 pages, a
/// deflate bomb in a stream) each get a 422 that names the attachment and
/// says why, nothing is queued, and searches keep answering meanwhile: the
/// PDF is read in a limited child process, never in the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_pdfs_are_refused_while_searches_answer() {
    if !tools() {
        return;
    }
    let app = std::sync::Arc::new(TestApp::new(100));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "notes.pdf",
            b"just some text, not a PDF".to_vec(),
            "not a PDF",
        ),
        ("cut.pdf", pdf::truncated(), "damaged"),
        ("locked.pdf", pdf::encrypted(), "encrypted"),
        ("long.pdf", pdf::many_pages(5000), "5000 pages"),
        ("bomb.pdf", pdf::deflate_bomb(4), "too long"),
    ];
    for (file, bytes, why) in cases {
        let searching = {
            let app = app.clone();
            tokio::spawn(async move {
                let mut answered = 0;
                for _ in 0..3 {
                    let s = app.get("/api/v1/search?q=reading", &[]).await;
                    assert_eq!(s.status, StatusCode::OK);
                    answered += 1;
                }
                answered
            })
        };
        let a = submit_pdf(&app, file, &bytes).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{file}: {}",
            a.text
        );
        let v: Value = a.json();
        assert_eq!(v["error"]["code"], "invalid_submission");
        let message = v["error"]["fields"]["attachment"]
            .as_str()
            .expect("attachment named");
        assert!(message.contains(file), "{message}");
        assert!(message.contains(why), "{file}: {message}");
        assert_eq!(
            searching.await.expect("searches"),
            3,
            "searches answered during {file}"
        );
    }
    assert_eq!(app.queued(), 0);
}

/// The web form sends multipart: a PDF chosen there is read and queued with
/// the submission; a bad one is shown in the error summary and beside the
/// file input, with everything typed kept.
#[tokio::test]
async fn the_form_takes_a_pdf() {
    if !tools() {
        return;
    }
    let app = TestApp::new(100);
    let page = app.get("/submit", &[]).await;
    assert!(page.text.contains("enctype=\"multipart/form-data\""));
    assert!(page.text.contains(
        "type=\"file\" id=\"attachment\" name=\"attachment\" accept=\"application/pdf,.pdf\""
    ));
    let set = page.header(axum::http::header::SET_COOKIE);
    let csrf = set
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix("kb_form="))
        .expect("cookie")
        .to_string();
    let cookie = format!("kb_form={csrf}");
    let texts = [
        ("csrf", csrf.as_str()),
        ("title", "Chess in the library"),
        ("summary", "A club."),
        ("offers", "reading"),
        ("type", "case-study"),
        ("published", "2024-02-28"),
        ("region", "wales"),
        ("organisation", "Example Libraries"),
        ("language", "en"),
        ("body", "We met weekly."),
        ("action", "submit"),
    ];
    let bad = post_multipart(
        &app,
        "/submit",
        &[("cookie", &cookie)],
        multipart(
            &texts,
            Some(("attachment", "locked.pdf", &pdf::encrypted())),
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("href=\"#attachment\""),
        "in the error summary"
    );
    assert!(bad.text.contains("id=\"attachment-error\""));
    assert!(bad.text.contains("value=\"Chess in the library\""));
    assert_eq!(app.queued(), 0);
    let good = post_multipart(
        &app,
        "/submit",
        &[("cookie", &cookie)],
        multipart(
            &texts,
            Some(("attachment", "club.pdf", &pdf::with_pages(&["Checkmate"]))),
        ),
    )
    .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.text);
    let row: String = app
        .state
        .store
        .with(|c| Ok(c.query_row("SELECT fields FROM submissions", [], |r| r.get(0))?))
        .expect("row");
    let fields: Value = serde_json::from_str(&row).expect("fields");
    assert_eq!(fields["attachment"]["pages"], 1);
    assert_eq!(fields["attachment"]["name"], "club.pdf");
}

/// The whole life of an attachment: sent with a submission, flagged in the
/// editors' queue when it has no text layer, approved, then found by a word
/// that occurs only inside the PDF (its snippet saying so), linked from the
/// resource page as "PDF, N KB, N pages", served, described in the JSON API
/// and in OAI-PMH, and still found after a full rebuild of the index.
#[tokio::test]
async fn an_approved_pdf_is_searched_linked_and_described() {
    if !tools() {
        return;
    }
    let app = TestApp::new(100);
    let pdf_bytes = pdf::with_pages(&["Zymurgical lending", "for home brewers"]);
    let a = submit_pdf(&app, "brewing.pdf", &pdf_bytes).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let mut scan = good();
    scan["title"] = "A scanned leaflet".into();
    let resource = scan.to_string();
    let b = post_multipart(
        &app,
        "/api/v1/submissions",
        &[],
        multipart(
            &[("resource", &resource)],
            Some(("attachment", "scan.pdf", &pdf::with_pages(&[""]))),
        ),
    )
    .await;
    assert_eq!(b.status, StatusCode::CREATED, "{}", b.text);
    let (cookie, csrf) = app.session("edna", kb_server::store::Role::Editor, 3600);
    let queue = app.get("/moderation", &[("cookie", &cookie)]).await;
    assert_eq!(
        queue.text.matches("PDF has no text layer").count(),
        1,
        "only the scan is flagged"
    );
    assert!(queue.text.contains("(PDF, 2 pages)"));

    let search = |q: &str| {
        let app = &app;
        let q = q.to_string();
        async move { app.get(&format!("/api/v1/search?q={q}"), &[]).await.json() }
    };
    assert_eq!(
        search("zymurgical").await["total"],
        0,
        "not searchable before approval"
    );
    let id = a.json()["id"].as_str().expect("id").to_string();
    let approved = app
        .post_form(
            &format!("/moderation/{id}/approve"),
            &[("cookie", &cookie)],
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text);

    let found = search("zymurgical").await;
    assert_eq!(found["total"], 1, "{found}");
    let hit = &found["hits"][0];
    let resource_id = hit["id"].as_str().expect("hit id").to_string();
    assert!(
        hit["highlights"]["attachment"]
            .as_str()
            .expect("attachment snippet")
            .contains("<mark>Zymurgical</mark>"),
        "{hit}"
    );
    let page = app.get("/?q=zymurgical", &[]).await;
    assert!(
        page.text.contains("From the attached PDF: "),
        "the snippet says where it comes from"
    );

    // The resource page links the file with its type, size and pages.
    let page = app.get(&format!("/resources/{resource_id}"), &[]).await;
    let kb = pdf_bytes.len().div_ceil(1000);
    assert!(
        page.text.contains(&format!("(PDF, {kb} KB, 2 pages)")),
        "{}",
        page.text
    );
    assert!(!page.text.contains("no text layer"));
    let json = app
        .get(&format!("/api/v1/resources/{resource_id}"), &[])
        .await
        .json();
    let url = json["attachment"]["url"]
        .as_str()
        .expect("attachment url")
        .to_string();
    assert_eq!(json["attachment"]["type"], "application/pdf");
    assert_eq!(json["attachment"]["bytes"], pdf_bytes.len());
    assert!(page.text.contains(&format!("href=\"{url}\"")));
    let file = app.get(&url, &[]).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.header(axum::http::header::CONTENT_TYPE),
        "application/pdf"
    );
    assert!(file.text.starts_with("%PDF-"));
    let oai = app
        .get(
            &format!(
                "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:kb.test:{resource_id}"
            ),
            &[],
        )
        .await;
    assert!(
        oai.text
            .contains(&format!("<dc:relation>http://kb.test{url}</dc:relation>")),
        "{}",
        oai.text
    );
    assert!(oai.text.contains(&format!(
        "<dc:format>application/pdf ({} bytes, 2 pages)</dc:format>",
        pdf_bytes.len()
    )));

    // The text lives beside the resource in the corpus: an index built
    // afresh from the corpus finds it too.
    let fresh = tempfile::tempdir().expect("data dir");
    let rebuilt =
        kb_server::search::Engine::open(app.corpus.path(), fresh.path()).expect("rebuild");
    let req = kb_server::search::SearchRequest::from_query_string("q=zymurgical").expect("request");
    assert_eq!(rebuilt.search(&req).expect("search").total, 1);

    // The scan, once approved, carries a warning on its page.
    let id = b.json()["id"].as_str().expect("id").to_string();
    app.post_form(
        &format!("/moderation/{id}/approve"),
        &[("cookie", &cookie)],
        &[("csrf", &csrf)],
    )
    .await;
    let found = search("scanned%20leaflet").await;
    let scan_id = found["hits"][0]["id"]
        .as_str()
        .expect("scan found")
        .to_string();
    let page = app.get(&format!("/resources/{scan_id}"), &[]).await;
    assert!(page.text.contains("it has no text layer"), "{}", page.text);
}
