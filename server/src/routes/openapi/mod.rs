//! The OpenAPI 3.1 description of the JSON API at `/api/v1/openapi.json`,
//! built with utoipa's builders, and a self-hosted reference page rendered
//! from it at `/api/docs` (plain HTML, no scripts, nothing from a CDN).
//!
//! The schemas (in `schemas`) are written by hand rather than derived on the response types,
//! so the search module stays free of documentation dependencies; the HTTP
//! tests check that real answers carry every property the schemas require.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, HttpMethod, InfoBuilder, OpenApi, OpenApiBuilder, PathItem,
    PathsBuilder, RefOr, Required, ResponseBuilder, ServerBuilder, Tag,
};

use crate::search::{DEFAULT_PER_PAGE, KEYWORD_FACETS, MAX_PER_PAGE};
use crate::startup::AppState;

mod docs;
mod schemas;
pub use docs::docs_html;
use schemas::{array_of, reference, schemas, string, strings, typed};

/// `/api/v1/openapi.json` and `/api/docs`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(spec))
        .route("/api/docs", get(docs))
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
                "Key from `kb-server key create`; optional, gives the partner its own quota",
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

async fn docs(State(state): State<AppState>) -> Html<String> {
    let spec = serde_json::to_value(openapi(&state.settings.base_url)).unwrap_or_default();
    Html(docs_html(&spec))
}
