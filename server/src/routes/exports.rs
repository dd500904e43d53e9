//! Whole-catalogue metadata exports: `/api/v1/export.csv`,
//! `/api/v1/export.json` and the Frictionless `/api/v1/datapackage.json`
//! describing the CSV.
//!
//! Exports are streamed: a blocking task loads stored resources a chunk at a
//! time from one searcher and sends each encoded chunk down a small channel,
//! so memory stays flat however large the catalogue and a client that hangs
//! up stops the work.
//!
//! A row is the resource's `Metadata` (flattened) with its link, licence and
//! page URL; the CSV reads each of [`COLUMNS`] from the row's JSON by name.

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kb_indexer::resource::{Metadata, Resource};
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::error::AppError;
use crate::search::Catalogue;
use crate::state::AppState;

/// Resources encoded per streamed chunk: small, so the first bytes leave at
/// once (the bundled corpus already spans two chunks).
pub const CHUNK: usize = 64;
/// Separator between values of list columns (`offers`, `tags`) in the CSV.
pub const LIST_SEPARATOR: &str = ";";

/// Export routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/export.csv", get(export_csv))
        .route("/api/v1/export.json", get(export_json))
        .route("/api/v1/datapackage.json", get(datapackage))
}

/// One exported resource: the metadata, without the body (nor the
/// contributor's name or the demo's `sample` flag).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportRow {
    /// The resource's descriptive fields (an unknown date is `null`).
    #[serde(flatten)]
    pub meta: Metadata,
    /// Link to the original, if any.
    pub source_url: Option<String>,
    /// Licence, if given.
    pub licence: Option<String>,
    /// Absolute URL of the resource page.
    #[schema(format = "uri")]
    pub url: String,
}

/// CSV columns, in order; also the datapackage's fields. They are the keys
/// of [`ExportRow`]'s JSON form, in its order (a test holds them together).
pub const COLUMNS: [(&str, &str, &str); 14] = [
    (
        "id",
        "string",
        "Stable resource id, the path of its page under /resources/",
    ),
    ("title", "string", "Title"),
    ("summary", "string", "One or two sentences"),
    (
        "offers",
        "string",
        "Universal Library Offer slugs, separated by ';'",
    ),
    ("type", "string", "Resource type slug"),
    ("year", "integer", "Publication year"),
    (
        "published",
        "date",
        "Publication date, when known to the day",
    ),
    ("region", "string", "Region slug"),
    (
        "organisation",
        "string",
        "Library service or body that wrote it",
    ),
    ("language", "string", "ISO 639-1 language code"),
    ("tags", "string", "Tag slugs, separated by ';'"),
    ("source_url", "string", "Link to the original, if any"),
    ("licence", "string", "Licence, if given"),
    ("url", "string", "Absolute URL of the resource page"),
];

impl ExportRow {
    /// The exported metadata of a resource.
    pub fn new(r: Resource, base_url: &str) -> Self {
        Self {
            url: format!("{base_url}/resources/{}", r.id),
            meta: r.meta,
            source_url: r.source_url,
            licence: r.licence,
        }
    }

    /// The CSV row: each of [`COLUMNS`] read by name from the row's JSON
    /// form, so the CSV and the JSON export carry the same fields; lists are
    /// joined with [`LIST_SEPARATOR`], absent values are empty.
    fn csv_record(&self) -> Result<Vec<String>, String> {
        let json = serde_json::to_value(self).map_err(|e| e.to_string())?;
        Ok(COLUMNS
            .iter()
            .map(|(name, _, _)| match json.get(name) {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(LIST_SEPARATOR),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            })
            .collect())
    }
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Json,
}

type Chunk = Result<Bytes, std::io::Error>;

/// Encode rows; `first` is true until a row (or the CSV header) has been sent.
fn encode(format: Format, rows: &[ExportRow], first: bool) -> Result<Vec<u8>, String> {
    match format {
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            if first {
                w.write_record(COLUMNS.iter().map(|c| c.0))
                    .map_err(|e| e.to_string())?;
            }
            for row in rows {
                w.write_record(row.csv_record()?)
                    .map_err(|e| e.to_string())?;
            }
            w.into_inner().map_err(|e| e.to_string())
        }
        Format::Json => {
            let mut out = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                if !(first && i == 0) {
                    out.extend_from_slice(b",\n");
                }
                serde_json::to_writer(&mut out, row).map_err(|e| e.to_string())?;
            }
            Ok(out)
        }
    }
}

/// Encode the catalogue chunk by chunk into the channel; stops early when the
/// client has gone.
fn produce(catalogue: &Catalogue, base_url: &str, format: Format, tx: &mpsc::Sender<Chunk>) {
    let send = |bytes: Vec<u8>| tx.blocking_send(Ok(Bytes::from(bytes))).is_ok();
    let fail = |message: String| {
        tracing::error!(%message, "export failed part way");
        let _ = tx.blocking_send(Err(std::io::Error::other(message)));
    };
    if matches!(format, Format::Json) && !send(b"[\n".to_vec()) {
        return;
    }
    let mut first = true;
    if matches!(format, Format::Csv) {
        match encode(format, &[], true) {
            Ok(bytes) => {
                if !send(bytes) {
                    return;
                }
                first = false;
            }
            Err(e) => return fail(e),
        }
    }
    for chunk in catalogue.items.chunks(CHUNK) {
        let mut rows = Vec::with_capacity(chunk.len());
        for item in chunk {
            match catalogue.resource(item) {
                Ok(Some(r)) => rows.push(ExportRow::new(r, base_url)),
                Ok(None) => {}
                Err(e) => return fail(e.to_string()),
            }
        }
        if rows.is_empty() {
            continue;
        }
        match encode(format, &rows, first) {
            Ok(bytes) => {
                if !send(bytes) {
                    return;
                }
                first = false;
            }
            Err(e) => return fail(e),
        }
    }
    if matches!(format, Format::Json) {
        send(b"\n]\n".to_vec());
    }
}

async fn stream(state: AppState, format: Format) -> Result<Response, AppError> {
    let catalogue = state.blocking(|engine| Ok(engine.catalogue()?)).await?;
    let base = state.settings.base_url.trim_end_matches('/').to_string();
    let (tx, rx) = mpsc::channel::<Chunk>(4);
    tokio::task::spawn_blocking(move || produce(&catalogue, &base, format, &tx));
    // Fused: the compression layer may poll once more after the end, which a
    // bare `unfold` treats as a bug and panics on.
    let body = Body::from_stream(futures_util::StreamExt::fuse(futures_util::stream::unfold(
        rx,
        |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) },
    )));
    let (content_type, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8; header=present", "catalogue.csv"),
        Format::Json => ("application/json", "catalogue.json"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

async fn export_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    stream(state, Format::Csv).await
}

async fn export_json(State(state): State<AppState>) -> Result<Response, AppError> {
    stream(state, Format::Json).await
}

/// The Frictionless Data Package describing `export.csv`.
pub fn datapackage_json(base_url: &str) -> Value {
    let fields: Vec<Value> = COLUMNS
        .iter()
        .map(|(name, kind, description)| {
            let mut field = json!({"name": name, "type": kind, "description": description});
            if *name == "url" || *name == "source_url" {
                field["format"] = json!("uri");
            }
            if matches!(
                *name,
                "id" | "title"
                    | "summary"
                    | "offers"
                    | "type"
                    | "year"
                    | "region"
                    | "organisation"
                    | "language"
                    | "url"
            ) {
                field["constraints"] = json!({"required": true});
            }
            field
        })
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": "library-good-practice-catalogue",
        "title": "Library good-practice knowledge base: catalogue metadata",
        "homepage": format!("{base_url}/"),
        "resources": [{
            "profile": "tabular-data-resource",
            "name": "catalogue",
            "path": format!("{base_url}/api/v1/export.csv"),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "header": true, "doubleQuote": true},
            "schema": {
                "fields": fields,
                "primaryKey": ["id"],
                "missingValues": [""],
            },
        }],
    })
}

async fn datapackage(State(state): State<AppState>) -> Json<Value> {
    Json(datapackage_json(
        state.settings.base_url.trim_end_matches('/'),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource() -> Resource {
        let mut r = kb_indexer::eval::as_resource(
            "2019/reading-friends".into(),
            "Reading Friends".into(),
            "Body".into(),
            "en",
        );
        r.offers = vec!["reading".into(), "health-and-wellbeing".into()];
        r.tags = vec!["dementia".into()];
        r.year = 2019;
        r
    }

    /// The CSV columns are the JSON export's keys, in the same order, so
    /// both exports carry the same fields.
    #[test]
    fn columns_are_the_json_keys() {
        let text =
            serde_json::to_string(&ExportRow::new(resource(), "https://kb.example")).expect("json");
        let json: Value = serde_json::from_str(&text).expect("parses");
        let mut keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut columns: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
        // In the order written (the parsed map sorts its keys).
        let at = |key: &str| text.find(&format!("\"{key}\":")).expect("key written");
        assert!(columns.windows(2).all(|w| at(w[0]) < at(w[1])), "{text}");
        keys.sort_unstable();
        columns.sort_unstable();
        assert_eq!(keys, columns);
    }

    /// A CSV row writes lists joined by `;`, numbers as digits and absent
    /// values as empty cells.
    #[test]
    fn csv_row_values() {
        let row = ExportRow::new(resource(), "https://kb.example")
            .csv_record()
            .expect("row");
        let cell = |name: &str| {
            let at = COLUMNS.iter().position(|c| c.0 == name).expect("column");
            row[at].as_str()
        };
        assert_eq!(row.len(), COLUMNS.len());
        assert_eq!(cell("offers"), "reading;health-and-wellbeing");
        assert_eq!(cell("year"), "2019");
        assert_eq!(cell("published"), "");
        assert_eq!(
            cell("url"),
            "https://kb.example/resources/2019/reading-friends"
        );
    }
}
