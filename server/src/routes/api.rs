//! JSON API v1: search, resources, facets, suggestions.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Serialize;

use crate::analytics::Channel;
use crate::error::AppError;
use crate::i18n;
use crate::json;
use crate::search::{
    Facets, MAX_SUGGEST_CHARS, SearchRequest, SearchResults, Suggestion, labels_in,
};
use crate::state::AppState;
use crate::store::ApiKey;

/// Routes under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search))
        .route("/api/v1/resources/{*id}", get(resource))
        .route("/api/v1/facets", get(facets))
        .route("/api/v1/suggest", get(suggest))
}

/// Search with the parameters of a query string.
pub async fn run_search(
    state: &AppState,
    query: Option<String>,
) -> Result<(SearchRequest, SearchResults), AppError> {
    let req = SearchRequest::from_query_string(query.as_deref().unwrap_or(""))?;
    let results = state.search_on_pool(&req).await?;
    Ok((req, results))
}

async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    key: Option<Extension<ApiKey>>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let lang = api_lang(query.as_deref())?;
    let (req, mut results) = run_search(&state, query).await?;
    if let Some(id) = state.analytics.begin(&headers, &req) {
        let channel = match key {
            Some(Extension(key)) => Channel::Key(key.id),
            None => Channel::AnonymousApi,
        };
        state.analytics.search(id, &req, results.total, channel);
    }
    let Some(lang) = lang else {
        return answer_in_key_order(&results);
    };
    // `?lang=`: codes stay English; labels come in the language asked for.
    let vocab = state.engine.vocab();
    results.facets.relabel(vocab, lang.code());
    for hit in &mut results.hits {
        hit.labels = Some(labels_in(
            &hit.offers,
            &hit.resource_type,
            &hit.region,
            &hit.language,
            vocab,
            lang.code(),
        ));
    }
    results.lang = Some(lang.code());
    answer_in_key_order(&results)
}

/// The `lang` an API call asks its labels in: `en`, `cy`, or none; any
/// other value is a 400 naming the accepted ones.
fn api_lang(query: Option<&str>) -> Result<Option<i18n::Lang>, AppError> {
    let given = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned());
    match given {
        None => Ok(None),
        Some(code) => match i18n::Lang::parse(&code) {
            Some(lang) if code.len() == 2 => Ok(Some(lang)),
            _ => Err(AppError::InvalidParameter(crate::search::ParamError {
                param: "lang".into(),
                message: format!("`lang` must be `en` or `cy`; got `{code}`"),
            })),
        },
    }
}

/// A JSON answer with its objects' keys in alphabetical order, as the
/// search and resource answers have always been written.
fn answer(value: &impl Serialize) -> Result<Response, AppError> {
    json_response(json::to_vec(value))
}

/// [`answer`] for a search answer, whose types write their keys in order.
fn answer_in_key_order(results: &SearchResults) -> Result<Response, AppError> {
    json_response(json::to_vec_in_key_order(results))
}

/// Written JSON as a response; a failure to write it is ours (500).
fn json_response(written: serde_json::Result<Vec<u8>>) -> Result<Response, AppError> {
    let body = written.map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

async fn resource(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let lang = api_lang(query.as_deref())?;
    let not_found = |id: &str| AppError::NotFound(format!("no resource has the id `{id}`"));
    // An id that is not even UTF-8 names no resource.
    let Ok(Path(id)) = id else {
        return Err(not_found("(not UTF-8)"));
    };
    let id = id.trim_matches('/').to_string();
    let lookup = id.clone();
    let source = state.db.resource_source(&id).await?;
    let view = state
        .blocking(move |engine| Ok(engine.resource(&lookup, 5, source)?))
        .await?;
    match view {
        Some(mut view) => {
            if let Some(lang) = lang {
                let r = &view.resource;
                view.labels = labels_in(
                    &r.offers,
                    &r.resource_type,
                    &r.region,
                    &r.language,
                    state.engine.vocab(),
                    lang.code(),
                );
            }
            answer(&view)
        }
        None => Err(not_found(&id)),
    }
}

/// The answer of `/api/v1/facets`: counts without hits.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FacetCounts {
    /// Resources matching query and filters.
    pub total: u64,
    /// Disjunctive facet counts.
    pub facets: Facets,
}

async fn facets(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<FacetCounts>, AppError> {
    let lang = api_lang(query.as_deref())?;
    let mut req = SearchRequest::from_query_string(query.as_deref().unwrap_or(""))?;
    req.per_page = 0;
    req.page = 1;
    let mut results = state
        .blocking(move |engine| Ok(engine.search(&req)?))
        .await?;
    if let Some(lang) = lang {
        results.facets.relabel(state.engine.vocab(), lang.code());
    }
    Ok(Json(FacetCounts {
        total: results.total,
        facets: results.facets,
    }))
}

/// The answer of `/api/v1/suggest`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestions {
    /// The text completed.
    pub query: String,
    /// Completions, titles first.
    pub suggestions: Vec<Suggestion>,
}

async fn suggest(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Suggestions>, AppError> {
    // The last `q` wins, as for the other parameters of the API.
    let q = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "q")
        .last()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let chars = q.chars().count();
    if chars > MAX_SUGGEST_CHARS {
        return Err(AppError::InvalidQuery(format!(
            "the text is {chars} characters long; suggestions take at most {MAX_SUGGEST_CHARS}"
        )));
    }
    let text = q.clone();
    let suggestions = state
        .blocking(move |engine| Ok(engine.suggest(&text, 6)?))
        .await?;
    Ok(Json(Suggestions {
        query: q,
        suggestions,
    }))
}
