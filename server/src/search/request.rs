//! Search parameters, read from a URL query string and checked.
//!
//! Shared by the JSON API, the web pages and the feeds, so every entry point
//! accepts exactly the same parameters with the same errors.

use super::collector::{Filters, Sort};
use super::facet::{Facet, Selected};

/// Results per page when `per_page` is not given.
pub const DEFAULT_PER_PAGE: usize = 20;
/// Largest `per_page`.
pub const MAX_PER_PAGE: usize = 100;
/// Deepest result reachable by paging (page × per_page).
pub const MAX_DEPTH: usize = 10_000;
/// Most times one facet parameter may be given (each a value to select).
pub const MAX_VALUES_PER_FACET: usize = 50;
/// Latest year a `year_from` or `year_to` may name.
pub const MAX_YEAR: u64 = 9999;

/// A checked search request.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// Query text; empty matches everything.
    pub q: String,
    /// Selected values per keyword facet.
    pub filters: Selected,
    /// Inclusive year range start.
    pub year_from: Option<u64>,
    /// Inclusive year range end.
    pub year_to: Option<u64>,
    /// Hit order.
    pub sort: Sort,
    /// 1-based page.
    pub page: usize,
    /// Hits per page (0 = facets and total only).
    pub per_page: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        Self {
            q: String::new(),
            filters: Default::default(),
            year_from: None,
            year_to: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// A parameter the caller got wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParamError {
    /// The parameter name.
    pub param: String,
    /// What is wrong and what is accepted.
    pub message: String,
}

fn error(param: &str, message: impl Into<String>) -> ParamError {
    ParamError {
        param: param.to_string(),
        message: message.into(),
    }
}

fn number<T: std::str::FromStr>(param: &str, value: &str, what: &str) -> Result<T, ParamError> {
    value
        .trim()
        .parse()
        .map_err(|_| error(param, format!("`{param}` must be {what}, got `{value}`")))
}

fn year(param: &str, value: &str, example: &str) -> Result<u64, ParamError> {
    let what = format!("a year from 0 to {MAX_YEAR}, such as {example}");
    let year: u64 = number(param, value, &what)?;
    if year > MAX_YEAR {
        return Err(error(
            param,
            format!("`{param}` must be {what}, got `{value}`"),
        ));
    }
    Ok(year)
}

impl Sort {
    /// Parse a `sort` value: one of the four names, nothing else (a web
    /// form's empty fields are dropped before they get here).
    pub fn parse(value: &str) -> Option<Sort> {
        Some(match value {
            "relevance" => Sort::Relevance,
            "newest" => Sort::Newest,
            "oldest" => Sort::Oldest,
            "title" => Sort::Title,
            _ => return None,
        })
    }

    /// The `sort` value naming this order.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Title => "title",
        }
    }
}

impl SearchRequest {
    /// Read parameters from decoded `key=value` pairs; unknown keys are ignored
    /// so partners can add their own tracking parameters.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ParamError> {
        let mut req = SearchRequest::default();
        // Repeats of each facet parameter, duplicates and empty ones included,
        // so the bound is the one the OpenAPI document states (`maxItems`).
        let mut given = [0usize; Facet::KEYWORD.len()];
        for (key, value) in pairs {
            match key {
                "q" => req.q = value.to_string(),
                "sort" => req.sort = Sort::parse(value).ok_or_else(|| {
                    error(
                        "sort",
                        format!(
                            "`sort` must be one of relevance, newest, oldest, title; got `{value}`"
                        ),
                    )
                })?,
                "page" => {
                    req.page = number("page", value, "a whole number from 1")?;
                    if req.page == 0 {
                        return Err(error("page", "`page` starts at 1"));
                    }
                }
                "per_page" => {
                    req.per_page = number("per_page", value, "a whole number from 0 to 100")?;
                    if req.per_page > MAX_PER_PAGE {
                        return Err(error(
                            "per_page",
                            format!("`per_page` is at most {MAX_PER_PAGE}, got {}", req.per_page),
                        ));
                    }
                }
                "year_from" => req.year_from = Some(year("year_from", value, "2018")?),
                "year_to" => req.year_to = Some(year("year_to", value, "2024")?),
                _ => {
                    if let Some(facet) = Facet::keyword(key) {
                        given[facet.index()] += 1;
                        if given[facet.index()] > MAX_VALUES_PER_FACET {
                            return Err(error(
                                key,
                                format!(
                                    "at most {MAX_VALUES_PER_FACET} `{key}` values may be selected"
                                ),
                            ));
                        }
                        let value = value.trim();
                        if !value.is_empty() && !req.filters[facet].iter().any(|v| v == value) {
                            req.filters[facet].push(value.to_string());
                        }
                    }
                }
            }
        }
        if let (Some(from), Some(to)) = (req.year_from, req.year_to)
            && from > to
        {
            return Err(error(
                "year_from",
                format!("`year_from` ({from}) is after `year_to` ({to}); swap them"),
            ));
        }
        if req.page.saturating_mul(req.per_page.max(1)) > MAX_DEPTH {
            return Err(error(
                "page",
                format!(
                    "results beyond the first {MAX_DEPTH} cannot be paged to; narrow the search with filters instead"
                ),
            ));
        }
        Ok(req)
    }

    /// Parse a raw (percent-encoded) query string.
    pub fn from_query_string(query: &str) -> Result<Self, ParamError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The collector filters for this request.
    pub fn filters(&self) -> Filters {
        Filters {
            keyword: self.filters.clone(),
            year_from: self.year_from,
            year_to: self.year_to,
        }
    }

    /// Query-string pairs that reproduce this request (page omitted when 1).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q".to_string(), self.q.clone()));
        }
        for (facet, values) in self.filters.iter() {
            for v in values {
                pairs.push((facet.name().to_string(), v.clone()));
            }
        }
        if let Some(y) = self.year_from {
            pairs.push(("year_from".into(), y.to_string()));
        }
        if let Some(y) = self.year_to {
            pairs.push(("year_to".into(), y.to_string()));
        }
        if self.sort != Sort::Relevance {
            pairs.push(("sort".into(), self.sort.as_str().into()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            pairs.push(("per_page".into(), self.per_page.to_string()));
        }
        if self.page != 1 {
            pairs.push(("page".into(), self.page.to_string()));
        }
        pairs
    }

    /// This request as a query string.
    pub fn to_query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.to_pairs())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Repeated facet parameters accumulate; ranges and paging are read.
    #[test]
    fn reads_repeated_filters() {
        let r = SearchRequest::from_query_string("q=dementia&offer=reading&offer=culture-and-creativity&year_from=2018&page=2&per_page=5&sort=newest")
            .expect("valid");
        assert_eq!(
            r.filters[Facet::Offer],
            vec!["reading", "culture-and-creativity"]
        );
        assert_eq!(
            (r.year_from, r.page, r.per_page, r.sort),
            (Some(2018), 2, 5, Sort::Newest)
        );
        assert_eq!(
            SearchRequest::from_query_string(&r.to_query_string()).expect("round trip"),
            r
        );
    }

    /// Each caller mistake names its parameter.
    #[test]
    fn mistakes_name_the_parameter() {
        for (query, param) in [
            ("page=0", "page"),
            ("page=x", "page"),
            ("per_page=101", "per_page"),
            ("sort=best", "sort"),
            ("year_from=2020&year_to=2019", "year_from"),
            ("year_to=soon", "year_to"),
            ("page=1000&per_page=100", "page"),
        ] {
            assert_eq!(
                SearchRequest::from_query_string(query)
                    .expect_err(query)
                    .param,
                param,
                "{query}"
            );
        }
    }

    /// The bounds the OpenAPI document states are the ones enforced: years
    /// from 0 to 9999 (not any integer), a named sort order (not an empty
    /// one), and at most 50 repeats of a facet, duplicates included.
    #[test]
    fn documented_bounds_are_enforced() {
        let offers = |n: usize| vec!["offer=reading"; n].join("&");
        assert!(SearchRequest::from_query_string("year_from=0&year_to=9999").is_ok());
        assert!(SearchRequest::from_query_string(&offers(MAX_VALUES_PER_FACET)).is_ok());
        for (query, param) in [
            ("year_from=-454047".to_string(), "year_from"),
            ("year_to=10000".to_string(), "year_to"),
            (
                "year_from=123456789012345678901234567890".to_string(),
                "year_from",
            ),
            ("sort=".to_string(), "sort"),
            (offers(MAX_VALUES_PER_FACET + 1), "offer"),
        ] {
            assert_eq!(
                SearchRequest::from_query_string(&query)
                    .expect_err(&query)
                    .param,
                param,
                "{query}"
            );
        }
    }
}
