//! Web pages for library staff: search, resource, browse, and the static
//! assets they use. Handlers only fetch; `crate::web` renders.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::analytics::Channel;
use crate::error::AppError;
use crate::i18n;
use crate::search::{DEFAULT_PER_PAGE, SearchRequest};
use crate::state::AppState;
use crate::web::{assets, browse, layout, resource, search, statements};

/// Related resources shown on a resource page.
const RELATED: usize = 5;

/// Routes of the web pages and their assets.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(search_page))
        .route("/resources/{*id}", get(resource_page))
        .route("/browse", get(browse_page))
        .route("/attachments/{file}", get(attachment_file))
        .route("/accessibility", get(accessibility_page))
        .route("/privacy", get(privacy_page))
        .route("/static/site.css", get(site_css))
        .route("/static/app.js", get(app_js))
}

/// Read search parameters as a form submits them: a field left empty (the
/// year boxes, say) means "not set" rather than a mistake.
fn request_from_form(query: Option<&str>) -> Result<SearchRequest, AppError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut req = SearchRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    // `per_page=0` asks the API for counts only; a page always shows results.
    if req.per_page == 0 {
        req.per_page = DEFAULT_PER_PAGE;
    }
    Ok(req)
}

async fn search_page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let base = state.settings.base_url.clone();
    let req = match request_from_form(query.as_deref()) {
        Ok(req) => req,
        Err(e) => return layout::error_page(&base, &uri.to_string(), &e),
    };
    match state.search_on_pool(&req).await {
        Ok(mut results) => {
            let vocab = state.engine.vocab();
            results.facets.relabel(vocab, i18n::lang().code());
            let search_id = state.analytics.begin(&headers, &req);
            if let Some(id) = &search_id {
                state
                    .analytics
                    .search(id.clone(), &req, results.total, Channel::Web);
            }
            search::page(&base, vocab, &req, &results, search_id.as_deref()).into_response()
        }
        Err(e) => layout::error_page(&base, &uri.to_string(), &e),
    }
}

async fn resource_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let base = state.settings.base_url.clone();
    let id = id.trim_matches('/').to_string();
    let lookup = id.clone();
    let path = format!("/resources/{id}");
    let source = match state.db.resource_source(&id).await {
        Ok(source) => source,
        Err(e) => return layout::error_page(&base, &path, &AppError::from(e)),
    };
    match state
        .blocking(move |engine| Ok(engine.resource(&lookup, RELATED, source)?))
        .await
    {
        Ok(Some(view)) => resource::page(&base, state.engine.vocab(), &view).into_response(),
        Ok(None) => layout::error_page(
            &base,
            &path,
            &AppError::NotFound(format!("There is no resource at /resources/{id}.")),
        ),
        Err(e) => layout::error_page(&base, &path, &e),
    }
}

async fn browse_page(State(state): State<AppState>) -> Response {
    let base = state.settings.base_url.clone();
    match state.blocking(|engine| Ok(browse::gather(engine)?)).await {
        Ok(data) => browse::page(&base, &data, state.engine.vocab()).into_response(),
        Err(e) => layout::error_page(&base, "/browse", &e),
    }
}

/// An HTML "page not found", for use as the application's fallback.
pub async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    layout::error_page(
        &state.settings.base_url,
        uri.path(),
        &AppError::NotFound(format!("There is no page at {}.", uri.path())),
    )
}

async fn accessibility_page(State(state): State<AppState>) -> Response {
    statements::accessibility(&state.settings.base_url, &state.settings.admin_email).into_response()
}

async fn privacy_page(State(state): State<AppState>) -> Response {
    statements::privacy(
        &state.settings.base_url,
        &state.settings.admin_email,
        &state.settings,
    )
    .into_response()
}

async fn site_css(RawQuery(query): RawQuery) -> Response {
    assets::serve(
        assets::SITE_CSS,
        "text/css; charset=utf-8",
        query.as_deref(),
    )
}

async fn app_js(RawQuery(query): RawQuery) -> Response {
    assets::serve(
        assets::APP_JS,
        "text/javascript; charset=utf-8",
        query.as_deref(),
    )
}

/// An approved attachment, by the SHA-256 it is named with: the same
/// address always holds the same bytes, so caches may keep it.
async fn attachment_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let not_found = || AppError::NotFound("there is no attachment at this address".into());
    let sha = file.strip_suffix(".pdf").ok_or_else(not_found)?;
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let path = crate::attachments::approved_path(&state.settings.data, sha);
    let bytes = tokio::fs::read(&path).await.map_err(|_| not_found())?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf"),
            (
                axum::http::header::CACHE_CONTROL,
                "public, max-age=31536000, immutable",
            ),
        ],
        bytes,
    )
        .into_response())
}
