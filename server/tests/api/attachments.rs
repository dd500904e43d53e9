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
