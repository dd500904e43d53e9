//! Feeds and discovery for partners: the Atom feed of any search
//! (`/feeds/atom`), the OpenSearch description (`/opensearch.xml`) and the
//! sitemap (`/sitemap.xml`).

use axum::Router;
use axum::extract::{Query, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::error::AppError;
use crate::i18n::{self, Lang, t, t_args};
use crate::search::{Hit, SearchRequest, Sort};
use crate::state::AppState;
use crate::xml::{Xml, utc_seconds};

/// Most URLs in one sitemap file, as the sitemaps protocol allows.
pub const SITEMAP_LIMIT: usize = 50_000;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const OPENSEARCH_NS: &str = "http://a9.com/-/spec/opensearch/1.1/";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Routes for the Atom feed, OpenSearch description and sitemap.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/feeds/atom", get(atom))
        .route("/opensearch.xml", get(opensearch))
        .route("/sitemap.xml", get(sitemap))
}

fn base_url(state: &AppState) -> String {
    state.settings.base_url.trim_end_matches('/').to_string()
}

/// `YYYY-MM-DD` as midnight UTC in RFC 3339.
fn day_start(date: &str) -> Option<String> {
    let valid = date.len() == 10 && date.chars().filter(|c| *c == '-').count() == 2;
    valid.then(|| format!("{date}T00:00:00Z"))
}

/// The search as an Atom feed, newest first, whatever `sort` was asked for.
async fn atom(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut req = SearchRequest::from_query_string(query.as_deref().unwrap_or(""))?;
    req.sort = Sort::Newest;
    let for_search = req.clone();
    let (results, modified) = state
        .blocking(move |engine| {
            let results = engine.search(&for_search)?;
            let mut modified = Vec::with_capacity(results.hits.len());
            for hit in &results.hits {
                modified.push(engine.modified(&hit.id)?);
            }
            Ok((results, modified))
        })
        .await?;
    let vocab = state.engine.vocab();
    let base = base_url(&state);
    let lang = i18n::lang();
    // The feed's own links keep the language it was asked in.
    let in_lang = |url: String| match lang {
        Lang::En => url,
        Lang::Cy => i18n::with_lang(&url, Lang::Cy),
    };
    let qs = req.to_query_string();
    let self_url = in_lang(format!("{base}/feeds/atom?{qs}"));
    let now = OffsetDateTime::now_utc();
    let updated = modified.iter().flatten().max().copied().unwrap_or(now);

    let mut x = Xml::new();
    x.open(
        "feed",
        &[
            ("xmlns", ATOM_NS),
            ("xmlns:opensearch", OPENSEARCH_NS),
            ("xml:lang", lang.code()),
        ],
    );
    x.text("id", &[], &self_url);
    let title = if req.q.trim().is_empty() {
        t("feed-newest")
    } else {
        t_args("feed-search", &[("query", req.q.trim().into())])
    };
    let site = t("site-name");
    x.text("title", &[], &title);
    x.text("updated", &[], &utc_seconds(updated));
    x.open("author", &[])
        .text("name", &[], &site)
        .close("author");
    x.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &self_url),
        ],
    );
    let mut page_req = req.clone();
    page_req.sort = Sort::Relevance;
    page_req.page = 1;
    x.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("type", "text/html"),
            (
                "href",
                &in_lang(format!("{base}/?{}", page_req.to_query_string())),
            ),
        ],
    );
    if (req.page * req.per_page) < usize::try_from(results.total).unwrap_or(usize::MAX) {
        let mut next = req.clone();
        next.page += 1;
        x.empty(
            "link",
            &[
                ("rel", "next"),
                ("type", "application/atom+xml"),
                (
                    "href",
                    &in_lang(format!("{base}/feeds/atom?{}", next.to_query_string())),
                ),
            ],
        );
    }
    x.empty(
        "link",
        &[
            ("rel", "search"),
            ("type", "application/opensearchdescription+xml"),
            ("href", &in_lang(format!("{base}/opensearch.xml"))),
        ],
    );
    x.text("opensearch:totalResults", &[], &results.total.to_string());
    x.text(
        "opensearch:startIndex",
        &[],
        &((req.page - 1) * req.per_page + 1).to_string(),
    );
    x.text("opensearch:itemsPerPage", &[], &req.per_page.to_string());
    for (hit, modified) in results.hits.iter().zip(&modified) {
        entry(&mut x, &base, hit, modified.unwrap_or(now), vocab);
    }
    x.close("feed");
    Ok(x.respond("application/atom+xml; charset=utf-8"))
}

fn entry(
    x: &mut Xml,
    base: &str,
    hit: &Hit,
    modified: OffsetDateTime,
    vocab: &kb_indexer::vocabulary::Vocabularies,
) {
    let url = format!("{base}{}", hit.url);
    x.open("entry", &[]);
    x.text("id", &[], &url);
    x.text("title", &[("type", "text")], &hit.title);
    x.text("updated", &[], &utc_seconds(modified));
    if let Some(published) = hit.published.as_deref().and_then(day_start) {
        x.text("published", &[], &published);
    }
    x.open("author", &[])
        .text("name", &[], &hit.organisation)
        .close("author");
    x.text("summary", &[("type", "text")], &hit.summary);
    x.empty(
        "link",
        &[("rel", "alternate"), ("type", "text/html"), ("href", &url)],
    );
    let scheme = format!("{base}/api/v1/search?offer=");
    for offer in &hit.offers {
        x.empty(
            "category",
            &[
                ("term", offer),
                ("scheme", &scheme),
                ("label", vocab.offers.label_in(offer, i18n::lang().code())),
            ],
        );
    }
    x.close("entry");
}

/// The OpenSearch 1.1 description, so browsers and portals can add the search.
async fn opensearch(State(state): State<AppState>) -> Response {
    let base = base_url(&state);
    let lang = i18n::lang();
    // Searches from the browser's box open pages in the description's language.
    let lang_param = match lang {
        Lang::En => "",
        Lang::Cy => "&lang=cy",
    };
    let mut x = Xml::new();
    x.open("OpenSearchDescription", &[("xmlns", OPENSEARCH_NS)]);
    x.text("ShortName", &[], &t("opensearch-short-name"));
    x.text("Description", &[], &t("opensearch-description"));
    x.text("Tags", &[], &t("opensearch-tags"));
    x.text("Language", &[], &lang.tag().to_ascii_lowercase());
    x.text("InputEncoding", &[], "UTF-8");
    x.text("OutputEncoding", &[], "UTF-8");
    for (kind, template) in [
        (
            "text/html",
            format!("{base}/?q={{searchTerms}}{lang_param}"),
        ),
        (
            "application/atom+xml",
            format!("{base}/feeds/atom?q={{searchTerms}}&page={{startPage?}}{lang_param}"),
        ),
        (
            "application/json",
            format!("{base}/api/v1/search?q={{searchTerms}}&page={{startPage?}}"),
        ),
    ] {
        x.empty("Url", &[("type", kind), ("template", &template)]);
    }
    x.empty(
        "Url",
        &[
            ("type", "application/opensearchdescription+xml"),
            ("rel", "self"),
            (
                "template",
                &format!("{base}/opensearch.xml{}", lang_param.replacen('&', "?", 1)),
            ),
        ],
    );
    x.empty("Query", &[("role", "example"), ("searchTerms", "reading")]);
    x.close("OpenSearchDescription");
    x.respond("application/opensearchdescription+xml; charset=utf-8")
}

#[derive(Deserialize)]
struct SitemapParams {
    page: Option<usize>,
}

/// Every resource page with its `lastmod`; past [`SITEMAP_LIMIT`] URLs, a
/// sitemap index of `/sitemap.xml?page=N` files.
async fn sitemap(
    State(state): State<AppState>,
    Query(params): Query<SitemapParams>,
) -> Result<Response, AppError> {
    let base = base_url(&state);
    let x = state
        .blocking(move |engine| {
            let catalogue = engine.catalogue()?;
            let entries: Vec<(&str, OffsetDateTime)> = catalogue
                .items
                .iter()
                .map(|i| (i.id.as_str(), i.modified))
                .collect();
            sitemap_document(&base, &entries, params.page, SITEMAP_LIMIT)
        })
        .await?;
    Ok(x.respond("application/xml; charset=utf-8"))
}

/// The sitemap (or sitemap index, or one page of it) for `(id, lastmod)`
/// entries sorted by id, at most `limit` URLs per file.
pub fn sitemap_document(
    base: &str,
    entries: &[(&str, OffsetDateTime)],
    page: Option<usize>,
    limit: usize,
) -> Result<Xml, AppError> {
    // The home page is one more URL, in the first file.
    let pages = (entries.len() + 1).div_ceil(limit.max(2));
    let mut x = Xml::new();
    if page.is_none() && pages > 1 {
        x.open("sitemapindex", &[("xmlns", SITEMAP_NS)]);
        for page in 1..=pages {
            x.open("sitemap", &[]);
            x.text("loc", &[], &format!("{base}/sitemap.xml?page={page}"));
            x.close("sitemap");
        }
        x.close("sitemapindex");
        return Ok(x);
    }
    let page = page.unwrap_or(1);
    if page == 0 || page > pages {
        return Err(AppError::NotFound(format!(
            "the sitemap has pages 1 to {pages}"
        )));
    }
    x.open("urlset", &[("xmlns", SITEMAP_NS)]);
    if page == 1 {
        x.open("url", &[]).text("loc", &[], &format!("{base}/"));
        if let Some(latest) = entries.iter().map(|e| e.1).max() {
            x.text("lastmod", &[], &utc_seconds(latest));
        }
        x.close("url");
    }
    let start = ((page - 1) * limit).saturating_sub(usize::from(page > 1));
    let take = limit - usize::from(page == 1);
    for (id, modified) in entries.iter().skip(start).take(take) {
        x.open("url", &[]);
        x.text("loc", &[], &format!("{base}/resources/{id}"));
        x.text("lastmod", &[], &utc_seconds(*modified));
        x.close("url");
    }
    x.close("urlset");
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the limit the sitemap becomes an index whose pages together list
    /// the home page and every resource exactly once, none over the limit.
    #[test]
    fn sitemap_index_pages_cover_everything_once() {
        let ids: Vec<String> = (0..7).map(|i| format!("r{i}")).collect();
        let entries: Vec<(&str, OffsetDateTime)> = ids
            .iter()
            .map(|i| (i.as_str(), OffsetDateTime::UNIX_EPOCH))
            .collect();
        let text = |x: Xml| String::from_utf8(x.finish()).expect("utf-8");
        let index = text(sitemap_document("https://x.org", &entries, None, 3).expect("index"));
        assert!(index.contains("<sitemapindex"));
        assert_eq!(index.matches("<sitemap>").count(), 3);
        let mut seen = Vec::new();
        for page in 1..=3 {
            let body =
                text(sitemap_document("https://x.org", &entries, Some(page), 3).expect("page"));
            let locs: Vec<&str> = body
                .split("<loc>")
                .skip(1)
                .filter_map(|s| s.split("</loc>").next())
                .collect();
            assert!(locs.len() <= 3, "page {page} has {}", locs.len());
            seen.extend(locs.into_iter().map(String::from));
        }
        let mut expected: Vec<String> = ids
            .iter()
            .map(|i| format!("https://x.org/resources/{i}"))
            .collect();
        expected.insert(0, "https://x.org/".into());
        assert_eq!(seen, expected);
        assert!(sitemap_document("https://x.org", &entries, Some(4), 3).is_err());
        let small = text(sitemap_document("https://x.org", &entries, None, 100).expect("small"));
        assert!(small.contains("<urlset") && small.matches("<url>").count() == 8);
    }
}
