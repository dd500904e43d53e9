//! The OpenAPI 3.1 description of the JSON API at `/api/v1/openapi.json`,
//! and a self-hosted reference page rendered from it at `/api/docs` (plain
//! HTML, no scripts, nothing from a CDN).
//!
//! Answer schemas are derived from the Rust types the handlers serialise
//! (`utoipa::ToSchema` on `SearchResults`, `Hit`, `ResourceView`,
//! `ExportRow`, `ErrorBody`, ...), so the document cannot drift from the
//! code. A hit, a resource and an export row share the indexer's
//! `resource::Metadata` (`ResourceMetadata`), flattened: their schemas are
//! `allOf` that schema and their own fields. Parameter bounds come from the
//! same constants the request parser enforces. Only the submission body,
//! which accepts looser values than the resource it becomes, is built by
//! hand in `schemas`. CI runs schemathesis with every check
//! against this document (`tests/partners/run.sh`).

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use utoipa::ToSchema;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, HttpMethod, InfoBuilder, OpenApi, OpenApiBuilder, PathItem,
    PathsBuilder, RefOr, Required, ResponseBuilder, ServerBuilder, Tag,
};

use crate::analytics::report::AnalyticsReport;
use crate::error::{ErrorBody, ErrorCode, ErrorDetail};
use crate::routes::api::{FacetCounts, Suggestions};
use crate::routes::exports::ExportRow;
use crate::routes::personal::ErasureReport;
use crate::routes::submissions::{SubmissionCreated, SubmissionStatus};
use crate::search::{
    DEFAULT_PER_PAGE, Facet, FacetValue, Facets, Hit, MAX_DEPTH, MAX_PER_PAGE, MAX_SUGGEST_CHARS,
    MAX_VALUES_PER_FACET, MAX_YEAR, ResourceView, SearchResults, Suggestion,
};
use crate::state::AppState;
use crate::store::personal::Export;
use crate::store::{AuditEntry, Status, Submission};

mod docs;
mod schemas;
pub use docs::docs_html;
use schemas::{array_of, reference, string, typed};

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

fn year_param(name: &str, description: &str) -> ParameterBuilder {
    query_param(
        name,
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(MAX_YEAR))
            .description(Some("Year"))
            .into(),
        description,
    )
}

fn search_params(paging: bool) -> Vec<ParameterBuilder> {
    let mut params = vec![query_param(
        "q",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(kb_indexer::query::MAX_QUERY_BYTES))
            .description(Some("Query"))
            .into(),
        &format!(
            "Query text; empty = everything. Words, \"phrases\", AND/OR/NOT/-word, field:value, prefix*. \
             At most {} bytes, {} words and operators, and {} levels of nesting; a query the \
             language cannot read is a 400 `invalid_query`.",
            kb_indexer::query::MAX_QUERY_BYTES,
            kb_indexer::query::MAX_CLAUSES,
            kb_indexer::query::MAX_DEPTH,
        ),
    )];
    for facet in Facet::KEYWORD.map(Facet::name) {
        params.push(
            query_param(
                facet,
                ArrayBuilder::new()
                    .items(ObjectBuilder::new().schema_type(Type::String))
                    .max_items(Some(MAX_VALUES_PER_FACET))
                    .description(Some("Values"))
                    .into(),
                &format!(
                    "Filter on {facet}; repeat (at most {MAX_VALUES_PER_FACET} times) for OR \
                     within the facet (AND across facets)"
                ),
            )
            .explode(Some(true)),
        );
    }
    params.push(year_param(
        "year_from",
        "Inclusive start year; not after `year_to` (else 400)",
    ));
    params.push(year_param("year_to", "Inclusive end year"));
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
                .maximum(Some(MAX_DEPTH as u64))
                .default(Some(1.into()))
                .into(),
            &format!(
                "1-based page; `page` × `per_page` may not pass {MAX_DEPTH} (else 400: narrow the search instead)"
            ),
        ));
        params.push(query_param(
            "per_page",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(MAX_PER_PAGE as u64))
                .default(Some(DEFAULT_PER_PAGE.into()))
                .into(),
            "Hits per page; 0 for the total and facets only",
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
    json(description, reference("ErrorBody"))
}

/// A `429` or `503`, with the `Retry-After` header it always carries.
fn retry_error(description: &str) -> ResponseBuilder {
    error(description).header(
        "Retry-After",
        HeaderBuilder::new()
            .schema(Some(typed(Type::Integer, "Seconds")))
            .description(Some("Seconds to wait before trying again"))
            .build(),
    )
}

/// An `/api/` operation: keys are optional there, so every one can answer
/// 401 and 429, and any request may meet a busy server (503).
fn get_op(id: &str, tag: &str, summary: &str) -> OperationBuilder {
    OperationBuilder::new()
        .operation_id(Some(id))
        .tag(tag)
        .summary(Some(summary))
        .response("401", error("The API key sent is unknown or revoked"))
        .response(
            "429",
            retry_error("Too many requests (the API key's quota, or anonymous submissions)"),
        )
        .response(
            "503",
            retry_error("The server is at its limit of requests in flight, or took too long"),
        )
}

/// Add the schema derived on `T`, and those it refers to.
fn derived<T: ToSchema>(components: ComponentsBuilder) -> ComponentsBuilder {
    let mut more = Vec::new();
    T::schemas(&mut more);
    components.schema_from::<T>().schemas_from_iter(more)
}

/// The OpenAPI document for a server at `base_url`.
/// `lang`: the language of labels; codes stay English.
fn lang_param() -> ParameterBuilder {
    query_param(
        "lang",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(["en", "cy"]))
            .into(),
        "Language of the labels (`en` or `cy`): codes stay English; with `cy`, facet labels \
         and each hit's or resource's `labels` are in Welsh",
    )
}

pub fn openapi(base_url: &str) -> OpenApi {
    let search = get_op(
        "search",
        "search",
        "Search resources with filters and facets",
    )
    .parameters(Some(search_params(true)))
    .parameter(lang_param())
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
            .description(Some("Resource id, e.g. 2019/reading-friends-dementia"))
            .example(Some("2019/reading-friends-dementia".into())),
    )
    .parameter(lang_param())
    .response("200", json("The resource", reference("Resource")))
    .response("400", error("`lang` is not `en` or `cy`"))
    .response("404", error("No resource has this id"));
    let facets = get_op(
        "facets",
        "search",
        "Facet counts for a search, without hits",
    )
    .parameters(Some(search_params(false)))
    .parameter(lang_param())
    .response("200", json("Counts", reference("FacetCounts")))
    .response("400", error("A parameter is invalid"));
    let suggest = get_op("suggest", "search", "Completions for a partial query")
        .parameter(query_param(
            "q",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(MAX_SUGGEST_CHARS))
                .description(Some("Text"))
                .into(),
            &format!("The text typed so far, at most {MAX_SUGGEST_CHARS} characters"),
        ))
        .response("200", json("Completions", reference("Suggestions")))
        .response("400", error("The text is too long"));
    let submit = get_op(
        "createSubmission",
        "submissions",
        "Send a resource for editors to review",
    )
    .description(Some(
        "Checked by the same rules as the corpus files. The 201 is sent once the submission \
         is stored durably. Anonymous submissions are limited per client address; a key's \
         submissions count against its own quota.",
    ))
    .request_body(Some(
        RequestBodyBuilder::new()
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(reference("SubmissionRequest")))
                    .build(),
            )
            .required(Some(Required::True))
            .build(),
    ))
    .response(
        "201",
        json("Queued for review", reference("SubmissionCreated")).header(
            "Location",
            HeaderBuilder::new()
                .schema(Some(string("Path")))
                .description(Some("The submission's JSON status address"))
                .build(),
        ),
    )
    .response("400", error("The body is not a JSON object"))
    .response("413", error("The body is over 256 KiB"))
    .response("415", error("The body is not sent as application/json"))
    .response(
        "422",
        error("A field breaks the resource rules; `fields` names each problem"),
    );
    let submission_status = get_op(
        "getSubmission",
        "submissions",
        "Where a submission is in moderation",
    )
    .parameter(
        ParameterBuilder::new()
            .name("token")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^[0-9a-f]{64}$"))
                    .description(Some("Token"))
                    .build(),
            ))
            .description(Some(
                "The secret token from the submission's `status_url` (64 hex characters)",
            )),
    )
    .response("200", json("Its status", reference("SubmissionStatus")))
    .response("404", error("No submission has this token"));
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
    let analytics = get_op("analytics", "analytics", "Search analytics report (admins)")
        .description(Some(
            "For an admin's session (the `kb_session` cookie from /login); API keys cannot read \
         it. Anonymous: no address, cookie or account is recorded, and a query seen fewer than \
         3 times in the period is in no list.",
        ))
        .response("200", json("The report", reference("AnalyticsReport")))
        .response("403", error("Not logged in as an admin"));
    // A holder's own data: only with a key (either way of sending it).
    let key_only = || {
        [
            SecurityRequirement::new("apiKey", Vec::<String>::new()),
            SecurityRequirement::new("bearerKey", Vec::<String>::new()),
        ]
    };
    let no_key = "No API key was sent (the data is the key holder's), or the site runs in \
                  cluster mode, where copies and erasure are done by hand on request";
    let my_data = get_op(
        "getMyData",
        "personal-data",
        "Everything held about the key's holder",
    )
    .description(Some(
        "A copy of the personal data held about the holder of the API key sent (UK GDPR): \
         the key's record, every submission sent with it (fields, text and client address) \
         and the audit entries naming it.",
    ))
    .securities(Some(key_only()))
    .response("200", json("The copy", reference("Export")))
    .response("403", error(no_key));
    let erase_my_data = get_op("eraseMyData", "personal-data", "Erase the key's holder")
        .description(Some(
            "Deletes the API key (it stops working at once), removes the contributor's name, \
         client address and key from their submissions, removes their name from published \
         resources (which stay published), and keeps the audit log under a pseudonym.",
        ))
        .securities(Some(key_only()))
        .response("200", json("What was erased", reference("ErasureReport")))
        .response("403", error(no_key));
    let mut me_data = PathItem::new(HttpMethod::Get, my_data);
    me_data.merge_operations(PathItem::new(HttpMethod::Delete, erase_my_data));
    let paths = PathsBuilder::new()
        .path("/api/v1/search", PathItem::new(HttpMethod::Get, search))
        .path(
            "/api/v1/resources/{id}",
            PathItem::new(HttpMethod::Get, resource),
        )
        .path("/api/v1/facets", PathItem::new(HttpMethod::Get, facets))
        .path("/api/v1/suggest", PathItem::new(HttpMethod::Get, suggest))
        .path(
            "/api/v1/submissions",
            PathItem::new(HttpMethod::Post, submit),
        )
        .path(
            "/api/v1/submissions/{token}",
            PathItem::new(HttpMethod::Get, submission_status),
        )
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
            "/api/v1/analytics",
            PathItem::new(HttpMethod::Get, analytics),
        )
        .path("/api/v1/me/data", me_data)
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
    components = derived::<ErrorBody>(components);
    components = derived::<ErrorDetail>(components);
    components = derived::<ErrorCode>(components);
    components = derived::<SearchResults>(components);
    components = derived::<Hit>(components);
    components = derived::<Facets>(components);
    components = derived::<FacetValue>(components);
    components = derived::<FacetCounts>(components);
    components = derived::<Suggestions>(components);
    components = derived::<Suggestion>(components);
    components = derived::<ExportRow>(components);
    components = derived::<SubmissionCreated>(components);
    components = derived::<SubmissionStatus>(components);
    components = derived::<Status>(components);
    components = derived::<AnalyticsReport>(components);
    components = derived::<Export>(components);
    components = derived::<Submission>(components);
    components = derived::<AuditEntry>(components);
    components = derived::<ErasureReport>(components);
    components = derived::<ResourceView>(components);
    components = components.schema("SubmissionRequest", schemas::submission());
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
            [
                "search",
                "resources",
                "submissions",
                "exports",
                "analytics",
                "personal-data",
                "meta",
            ]
            .map(Tag::new),
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
