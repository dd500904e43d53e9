//! The OpenAPI 3.1 description of the JSON API at `/api/v1/openapi.json`,
//! built with utoipa's builders, and a self-hosted reference page rendered
//! from it at `/api/docs` (plain HTML, no scripts, nothing from a CDN).
//!
//! The schemas are written here rather than derived on the response types,
//! so the search module stays free of documentation dependencies; the HTTP
//! tests check that real answers carry every property the schemas require.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use serde_json::Value;
use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ArrayItems, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, HttpMethod, InfoBuilder, OpenApi, OpenApiBuilder, PathItem,
    PathsBuilder, Ref, RefOr, Required, ResponseBuilder, ServerBuilder, Tag,
};

use crate::search::{DEFAULT_PER_PAGE, KEYWORD_FACETS, MAX_PER_PAGE};
use crate::startup::AppState;

/// `/api/v1/openapi.json` and `/api/docs`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(spec))
        .route("/api/docs", get(docs))
}

fn string(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .into()
}

fn typed(kind: Type, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(kind)
        .description(Some(description))
        .into()
}

fn nullable_string(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .description(Some(description))
        .into()
}

fn strings(description: &str) -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .into()
}

fn reference(name: &str) -> RefOr<Schema> {
    Ref::from_schema_name(name).into()
}

fn array_of(name: &str, description: &str) -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(reference(name))
        .description(Some(description))
        .into()
}

fn string_map(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(
            ObjectBuilder::new().schema_type(Type::String).into(),
        )))
        .description(Some(description))
        .into()
}

/// An object schema from (name, schema, required) triples.
fn object(description: &str, properties: Vec<(&str, RefOr<Schema>, bool)>) -> Schema {
    let mut b = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(description));
    for (name, schema, required) in properties {
        b = b.property(name, schema);
        if required {
            b = b.required(name);
        }
    }
    b.into()
}

fn hit_properties() -> Vec<(&'static str, RefOr<Schema>, bool)> {
    vec![
        (
            "id",
            string("Stable resource id, e.g. `2019/reading-friends`"),
            true,
        ),
        ("title", string("Title"), true),
        ("summary", string("One or two sentences"), true),
        ("offers", strings("Universal Library Offer slugs"), true),
        ("type", string("Resource type slug"), true),
        ("year", typed(Type::Integer, "Publication year"), true),
        (
            "published",
            nullable_string("Publication date YYYY-MM-DD, when known to the day"),
            false,
        ),
        ("region", string("Region slug"), true),
        (
            "organisation",
            string("Library service or body that wrote it"),
            true,
        ),
        ("language", string("ISO 639-1 language code"), true),
        ("tags", strings("Tag slugs"), true),
    ]
}

fn schemas() -> Vec<(&'static str, Schema)> {
    let mut hit = hit_properties();
    hit.extend([
        (
            "url",
            string("Page path, e.g. `/resources/2019/reading-friends`"),
            true,
        ),
        (
            "score",
            typed(Type::Number, "Relevance score (0 when sorted otherwise)"),
            true,
        ),
        (
            "highlights",
            string_map("HTML fragments with <mark> around matches, by field; all else escaped"),
            true,
        ),
    ]);
    let mut resource = hit_properties();
    resource.extend([
        ("source_url", nullable_string("Link to the original"), false),
        ("contributor", nullable_string("Person who sent it"), false),
        ("licence", nullable_string("Licence, e.g. CC-BY-4.0"), false),
        ("body", string("The Markdown body"), true),
        ("url", string("Page path"), true),
        ("body_html", string("Sanitised HTML of the body"), true),
        (
            "labels",
            string_map("Labels of the offer, type, region and language slugs"),
            true,
        ),
        ("related", array_of("Hit", "Similar resources"), true),
    ]);
    let mut export = hit_properties();
    export.extend([
        ("source_url", nullable_string("Link to the original"), true),
        ("licence", nullable_string("Licence"), true),
        ("url", string("Absolute URL of the resource page"), true),
    ]);
    let facets = KEYWORD_FACETS
        .iter()
        .copied()
        .chain(["year"])
        .map(|f| (f, array_of("FacetValue", "Values with counts"), true))
        .collect();
    vec![
        (
            "Error",
            object(
                "Every error answer",
                vec![(
                    "error",
                    object(
                        "What went wrong",
                        vec![
                            (
                                "code",
                                ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .enum_values(Some([
                                        "invalid_parameter",
                                        "invalid_query",
                                        "not_found",
                                        "invalid_submission",
                                        "invalid_api_key",
                                        "rate_limited",
                                        "internal_error",
                                    ]))
                                    .description(Some("Stable machine-readable code"))
                                    .into(),
                                true,
                            ),
                            ("message", string("What is wrong and how to fix it"), true),
                            (
                                "param",
                                string("The parameter at fault, for invalid_parameter"),
                                false,
                            ),
                            (
                                "fields",
                                string_map("Per-field problems, for invalid_submission"),
                                false,
                            ),
                        ],
                    )
                    .into(),
                    true,
                )],
            ),
        ),
        ("Hit", object("One search result", hit)),
        (
            "FacetValue",
            object(
                "One facet value with its count",
                vec![
                    (
                        "value",
                        ObjectBuilder::new()
                            .schema_type(SchemaType::Array(vec![Type::String, Type::Integer]))
                            .description(Some(
                                "Value to pass back as a filter (a number for years)",
                            ))
                            .into(),
                        true,
                    ),
                    ("label", string("Human-readable label"), true),
                    (
                        "count",
                        typed(Type::Integer, "Matches if this value were (also) selected"),
                        true,
                    ),
                    (
                        "selected",
                        typed(Type::Boolean, "Whether the request selects it"),
                        true,
                    ),
                    ("parent", string("Parent value, for regions"), false),
                ],
            ),
        ),
        ("Facets", object("Disjunctive facet counts", facets)),
        (
            "SearchResults",
            object(
                "A page of search results",
                vec![
                    (
                        "total",
                        typed(Type::Integer, "Resources matching query and filters"),
                        true,
                    ),
                    ("page", typed(Type::Integer, "1-based page"), true),
                    ("per_page", typed(Type::Integer, "Hits per page"), true),
                    (
                        "took_ms",
                        typed(Type::Number, "Search time in milliseconds"),
                        true,
                    ),
                    (
                        "did_you_mean",
                        string("The query with misspellings corrected"),
                        false,
                    ),
                    ("hits", array_of("Hit", "This page of hits"), true),
                    ("facets", reference("Facets"), true),
                ],
            ),
        ),
        ("Resource", object("A full resource", resource)),
        (
            "FacetsOnly",
            object(
                "Facet counts without hits",
                vec![
                    ("total", typed(Type::Integer, "Matching resources"), true),
                    ("facets", reference("Facets"), true),
                ],
            ),
        ),
        (
            "Suggestions",
            object(
                "Completions for the search box",
                vec![
                    ("query", string("The text completed"), true),
                    (
                        "suggestions",
                        ArrayBuilder::new()
                            .items(ArrayItems::RefOrSchema(Box::new(RefOr::T(object(
                                "One completion",
                                vec![
                                    ("text", string("Text to show and search for"), true),
                                    (
                                        "kind",
                                        string("`title` (a resource) or `term` (a word)"),
                                        true,
                                    ),
                                    ("url", string("The resource page, for titles"), false),
                                ],
                            )))))
                            .into(),
                        true,
                    ),
                ],
            ),
        ),
        (
            "ExportRow",
            object("One resource's metadata in the JSON export", export),
        ),
    ]
}

fn query_param(name: &str, schema: RefOr<Schema>, description: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(schema))
        .description(Some(description))
}

fn search_params(paging: bool) -> Vec<ParameterBuilder> {
    let mut params = vec![query_param(
        "q",
        string("Query"),
        "Query text; empty = everything. Words, \"phrases\", AND/OR/NOT/-word, field:value, prefix*",
    )];
    for facet in KEYWORD_FACETS {
        params.push(
            query_param(
                facet,
                strings("Values"),
                &format!("Filter on {facet}; repeat for OR within the facet (AND across facets)"),
            )
            .explode(Some(true)),
        );
    }
    params.push(query_param(
        "year_from",
        typed(Type::Integer, "Year"),
        "Inclusive start year",
    ));
    params.push(query_param(
        "year_to",
        typed(Type::Integer, "Year"),
        "Inclusive end year",
    ));
    if paging {
        params.push(query_param(
            "sort",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["relevance", "newest", "oldest", "title"]))
                .default(Some("relevance".into()))
                .into(),
            "Hit order",
        ));
        params.push(query_param(
            "page",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .default(Some(1.into()))
                .into(),
            "1-based page",
        ));
        params.push(query_param(
            "per_page",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(MAX_PER_PAGE as u64))
                .default(Some(DEFAULT_PER_PAGE.into()))
                .into(),
            "Hits per page",
        ));
    }
    params
}

fn json(description: &str, schema: RefOr<Schema>) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new().schema(Some(schema)).build(),
    )
}

fn error(description: &str) -> ResponseBuilder {
    json(description, reference("Error"))
}

/// An `/api/` operation: keys are optional there, so every one can answer 401 and 429.
fn get_op(id: &str, tag: &str, summary: &str) -> OperationBuilder {
    OperationBuilder::new()
        .operation_id(Some(id))
        .tag(tag)
        .summary(Some(summary))
        .response("401", error("The API key sent is unknown or revoked"))
        .response(
            "429",
            error("The API key's quota is spent; see the Retry-After header"),
        )
}

/// The OpenAPI document for a server at `base_url`.
pub fn openapi(base_url: &str) -> OpenApi {
    let search = get_op(
        "search",
        "search",
        "Search resources with filters and facets",
    )
    .parameters(Some(search_params(true)))
    .response("200", json("Results", reference("SearchResults")))
    .response("400", error("A parameter or the query is invalid"));
    let resource = get_op(
        "getResource",
        "resources",
        "One resource with its body and related resources",
    )
    .parameter(
        ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(string("Resource id; may contain `/`")))
            .description(Some("Resource id, e.g. 2019/reading-friends")),
    )
    .response("200", json("The resource", reference("Resource")))
    .response("404", error("No resource has this id"));
    let facets = get_op(
        "facets",
        "search",
        "Facet counts for a search, without hits",
    )
    .parameters(Some(search_params(false)))
    .response("200", json("Counts", reference("FacetsOnly")))
    .response("400", error("A parameter is invalid"));
    let suggest = get_op("suggest", "search", "Completions for a partial query")
        .parameter(query_param("q", string("Text"), "The text typed so far"))
        .response("200", json("Completions", reference("Suggestions")))
        .response("400", error("The text is too long"));
    let export_csv = get_op(
        "exportCsv",
        "exports",
        "The whole catalogue's metadata as CSV",
    )
    .description(Some(
        "Streamed. Columns as in /api/v1/datapackage.json; list columns are separated by `;`.",
    ))
    .response(
        "200",
        ResponseBuilder::new()
            .description("CSV with a header row")
            .content(
                "text/csv",
                ContentBuilder::new().schema(Some(string("CSV"))).build(),
            ),
    );
    let export_json = get_op(
        "exportJson",
        "exports",
        "The whole catalogue's metadata as JSON",
    )
    .response(
        "200",
        json("Every resource", array_of("ExportRow", "Resources by id")),
    );
    let datapackage = get_op(
        "datapackage",
        "exports",
        "Frictionless Data Package describing export.csv",
    )
    .response(
        "200",
        json("Data package", typed(Type::Object, "datapackage.json")),
    );
    let openapi_doc = get_op("openapi", "meta", "This document").response(
        "200",
        json("OpenAPI 3.1", typed(Type::Object, "OpenAPI document")),
    );
    let paths = PathsBuilder::new()
        .path("/api/v1/search", PathItem::new(HttpMethod::Get, search))
        .path(
            "/api/v1/resources/{id}",
            PathItem::new(HttpMethod::Get, resource),
        )
        .path("/api/v1/facets", PathItem::new(HttpMethod::Get, facets))
        .path("/api/v1/suggest", PathItem::new(HttpMethod::Get, suggest))
        .path(
            "/api/v1/export.csv",
            PathItem::new(HttpMethod::Get, export_csv),
        )
        .path(
            "/api/v1/export.json",
            PathItem::new(HttpMethod::Get, export_json),
        )
        .path(
            "/api/v1/datapackage.json",
            PathItem::new(HttpMethod::Get, datapackage),
        )
        .path(
            "/api/v1/openapi.json",
            PathItem::new(HttpMethod::Get, openapi_doc),
        );
    let mut components = ComponentsBuilder::new()
        .security_scheme(
            "apiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "Partner key from kb-keys; optional, gives the partner its own quota",
            ))),
        )
        .security_scheme(
            "bearerKey",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The same partner key as `Authorization: Bearer <key>`",
                    ))
                    .build(),
            ),
        );
    for (name, schema) in schemas() {
        components = components.schema(name, schema);
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Library good-practice knowledge base API")
                .version("1")
                .description(Some(
                    "Search and read good-practice resources from UK public libraries. \
                     Errors are JSON with a stable `code`; 4xx for the caller's mistakes. \
                     Harvesting: OAI-PMH 2.0 at /oai, Atom at /feeds/atom, /sitemap.xml, /opensearch.xml.",
                )),
        )
        .servers(Some([ServerBuilder::new().url(base_url.trim_end_matches('/')).build()]))
        .tags(Some(
            ["search", "resources", "exports", "meta"].map(Tag::new),
        ))
        // Anonymous access, or either way of sending a key.
        .security(Some([
            SecurityRequirement::default(),
            SecurityRequirement::new("apiKey", Vec::<String>::new()),
            SecurityRequirement::new("bearerKey", Vec::<String>::new()),
        ]))
        .paths(paths)
        .components(Some(components.build()))
        .build()
}

async fn spec(State(state): State<AppState>) -> Json<OpenApi> {
    Json(openapi(&state.settings.base_url))
}

fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn esc_attr(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

fn schema_name(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{}\">{}</a>", esc_attr(name), esc(name));
    }
    match schema.get("type") {
        Some(Value::String(t)) if t == "array" => {
            format!("array of {}", schema_name(&schema["items"]))
        }
        Some(Value::String(t)) => esc(t),
        Some(Value::Array(ts)) => esc(&ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or ")),
        _ => "any".into(),
    }
}

/// The reference page: every operation with its parameters and responses,
/// then every schema, rendered from the OpenAPI document itself.
pub fn docs_html(spec: &Value) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    );
    let title = spec["info"]["title"].as_str().unwrap_or("API");
    out.push_str(&format!(
        "<title>{}</title><style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.5}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}}\
         code{{background:#eee;padding:0 .2rem}}h3 code{{font-size:1.1em}}</style></head><body><main>",
        esc(title)
    ));
    out.push_str(&format!(
        "<h1>{}</h1><p>{}</p><p>Machine-readable: <a href=\"/api/v1/openapi.json\">OpenAPI 3.1 document</a>.</p><h2>Operations</h2>",
        esc(title),
        esc(spec["info"]["description"].as_str().unwrap_or_default())
    ));
    if let Some(paths) = spec["paths"].as_object() {
        for (path, item) in paths {
            let Some(ops) = item.as_object() else {
                continue;
            };
            for (method, op) in ops {
                out.push_str(&format!(
                    "<section><h3><code>{} {}</code></h3><p>{}</p>",
                    esc(&method.to_uppercase()),
                    esc(path),
                    esc(op["summary"].as_str().unwrap_or_default())
                ));
                if let Some(d) = op["description"].as_str() {
                    out.push_str(&format!("<p>{}</p>", esc(d)));
                }
                if let Some(params) = op["parameters"].as_array() {
                    out.push_str("<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th><th>meaning</th></tr>");
                    for p in params {
                        out.push_str(&format!(
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            esc(p["name"].as_str().unwrap_or_default()),
                            esc(p["in"].as_str().unwrap_or_default()),
                            schema_name(&p["schema"]),
                            if p["required"].as_bool().unwrap_or(false) { "yes" } else { "no" },
                            esc(p["description"].as_str().unwrap_or_default()),
                        ));
                    }
                    out.push_str("</table>");
                }
                if let Some(responses) = op["responses"].as_object() {
                    out.push_str("<table><tr><th>status</th><th>meaning</th><th>body</th></tr>");
                    for (status, r) in responses {
                        let body = r["content"]
                            .as_object()
                            .map(|c| {
                                c.iter()
                                    .map(|(kind, content)| {
                                        format!("{} {}", esc(kind), schema_name(&content["schema"]))
                                    })
                                    .collect::<Vec<_>>()
                                    .join("<br>")
                            })
                            .unwrap_or_default();
                        out.push_str(&format!(
                            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                            esc(status),
                            esc(r["description"].as_str().unwrap_or_default()),
                            body
                        ));
                    }
                    out.push_str("</table>");
                }
                out.push_str("</section>");
            }
        }
    }
    out.push_str("<h2>Schemas</h2>");
    if let Some(schemas) = spec["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            out.push_str(&format!(
                "<section id=\"schema-{}\"><h3>{}</h3><p>{}</p>",
                esc_attr(name),
                esc(name),
                esc(schema["description"].as_str().unwrap_or_default())
            ));
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(props) = schema["properties"].as_object() {
                out.push_str("<table><tr><th>property</th><th>type</th><th>always present</th><th>meaning</th></tr>");
                for (prop, s) in props {
                    out.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(prop),
                        schema_name(s),
                        if required.contains(&prop.as_str()) {
                            "yes"
                        } else {
                            "no"
                        },
                        esc(s["description"].as_str().unwrap_or_default()),
                    ));
                }
                out.push_str("</table>");
            }
            out.push_str("</section>");
        }
    }
    out.push_str("</main></body></html>\n");
    out
}

async fn docs(State(state): State<AppState>) -> Html<String> {
    let spec = serde_json::to_value(openapi(&state.settings.base_url)).unwrap_or_default();
    Html(docs_html(&spec))
}
