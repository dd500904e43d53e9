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
use std::sync::LazyLock;
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
    #[schema(format = "uri")]
    pub source_url: Option<String>,
    /// Licence, if given.
    pub licence: Option<String>,
    /// Absolute URL of the resource page.
    #[schema(format = "uri")]
    pub url: String,
}

/// One CSV column, which is also a field of the data package.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The CSV header, and the row's JSON key it is read from.
    pub name: String,
    /// Frictionless field type: `string` (lists too), `integer` or `date`.
    pub kind: &'static str,
    /// What it holds: the field's documentation.
    pub description: String,
    /// Whether it is an absolute address (`format: uri`).
    pub uri: bool,
    /// Whether every row has a value (a list: at least one item).
    pub required: bool,
}

/// CSV columns, in order; also the data package's fields. They are read from
/// [`ExportRow`]'s schema: the resource metadata's fields, then the row's
/// own, in the order they are declared, which is the order the JSON export
/// writes its keys (a test holds them together); each column's type,
/// description and whether it is required come from the same declaration.
pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(columns);

fn columns() -> Vec<Column> {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    use utoipa::{PartialSchema, ToSchema};
    // The row's schema is `allOf` the metadata (by reference) and its own fields.
    let parts = match ExportRow::schema() {
        RefOr::T(Schema::AllOf(all)) => all.items,
        own => vec![own],
    };
    let mut out = Vec::new();
    for part in parts {
        let part = match part {
            RefOr::Ref(r) if r.ref_location.ends_with(&format!("/{}", Metadata::name())) => {
                Metadata::schema()
            }
            other => other,
        };
        if let RefOr::T(Schema::Object(object)) = part {
            for (name, property) in &object.properties {
                out.push(column(name, property, object.required.contains(name)));
            }
        }
    }
    out
}

/// The column of one property of the row's schema.
fn column(
    name: &str,
    property: &utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    required: bool,
) -> Column {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{KnownFormat, Schema, SchemaFormat, SchemaType, Type};
    let (kind, list, description, uri, required) = match property {
        RefOr::T(Schema::Array(array)) => (
            "string",
            true,
            array.description.clone(),
            false,
            required && array.min_items.is_some_and(|n| n > 0),
        ),
        RefOr::T(Schema::Object(object)) => {
            let kind = match (&object.format, &object.schema_type) {
                (Some(SchemaFormat::KnownFormat(KnownFormat::Date)), _) => "date",
                (_, SchemaType::Type(Type::Integer)) => "integer",
                _ => "string",
            };
            let uri = matches!(&object.format, Some(SchemaFormat::Custom(f)) if f == "uri");
            (kind, false, object.description.clone(), uri, required)
        }
        _ => ("string", false, None, false, required),
    };
    let mut description = description
        .unwrap_or_default()
        .trim_end_matches('.')
        .replace('\n', " ");
    if list {
        description.push_str(&format!(", separated by '{LIST_SEPARATOR}'"));
    }
    Column {
        name: name.to_string(),
        kind,
        description,
        uri,
        required,
    }
}

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
            .map(|column| match json.get(&column.name) {
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
                w.write_record(COLUMNS.iter().map(|c| c.name.as_str()))
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
        .map(|column| {
            let mut field = json!({
                "name": column.name,
                "type": column.kind,
                "description": column.description,
            });
            if column.uri {
                field["format"] = json!("uri");
            }
            if column.required {
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
        let mut columns: Vec<&str> = COLUMNS.iter().map(|c| c.name.as_str()).collect();
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
            let at = COLUMNS.iter().position(|c| c.name == name).expect("column");
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

    /// The data package describes the columns as it always has: names,
    /// types, descriptions, formats and required values, now read from the
    /// row's declaration, against the fields it listed before.
    #[test]
    fn datapackage_fields_are_unchanged() {
        let package = datapackage_json("https://kb.example");
        let expected = json!([
            {"constraints": {"required": true}, "description": "Stable resource id, the path of its page under /resources/", "name": "id", "type": "string"},
            {"constraints": {"required": true}, "description": "Title", "name": "title", "type": "string"},
            {"constraints": {"required": true}, "description": "One or two sentences", "name": "summary", "type": "string"},
            {"constraints": {"required": true}, "description": "Universal Library Offer slugs, separated by ';'", "name": "offers", "type": "string"},
            {"constraints": {"required": true}, "description": "Resource type slug", "name": "type", "type": "string"},
            {"constraints": {"required": true}, "description": "Publication year", "name": "year", "type": "integer"},
            {"description": "Publication date, when known to the day", "name": "published", "type": "date"},
            {"constraints": {"required": true}, "description": "Region slug", "name": "region", "type": "string"},
            {"constraints": {"required": true}, "description": "Library service or body that wrote it", "name": "organisation", "type": "string"},
            {"constraints": {"required": true}, "description": "ISO 639-1 language code", "name": "language", "type": "string"},
            {"description": "Tag slugs, separated by ';'", "name": "tags", "type": "string"},
            {"description": "Link to the original, if any", "format": "uri", "name": "source_url", "type": "string"},
            {"description": "Licence, if given", "name": "licence", "type": "string"},
            {"constraints": {"required": true}, "description": "Absolute URL of the resource page", "format": "uri", "name": "url", "type": "string"},
        ]);
        assert_eq!(package["resources"][0]["schema"]["fields"], expected);
    }
}
