//! Search URLs. Every state of the search page is a plain GET URL built from
//! the same [`SearchRequest`] the engine reads, so pages and API agree.

use crate::search::{Facet, SearchRequest};

/// The search page URL for a request (`/` when it has no parameters).
pub fn search_url(req: &SearchRequest) -> String {
    let query = req.to_query_string();
    if query.is_empty() {
        "/".to_string()
    } else {
        format!("/?{query}")
    }
}

/// The URL of `req` changed by `change`, back on page 1 (a new selection
/// makes the old page number meaningless).
pub fn changed(req: &SearchRequest, change: impl FnOnce(&mut SearchRequest)) -> String {
    let mut next = req.clone();
    next.page = 1;
    change(&mut next);
    search_url(&next)
}

/// The URL of `req` on another page.
pub fn page_url(req: &SearchRequest, page: usize) -> String {
    let mut next = req.clone();
    next.page = page;
    search_url(&next)
}

/// A fresh search filtered on one facet value, e.g. `/?offer=reading`.
pub fn filter_url(facet: &str, value: &str) -> String {
    let mut req = SearchRequest::default();
    if let Some(facet) = Facet::keyword(facet) {
        req.filters[facet].push(value.to_string());
    }
    search_url(&req)
}

/// A fresh search for one year.
pub fn year_url(year: impl Into<u64>) -> String {
    let year = year.into();
    search_url(&SearchRequest {
        year_from: Some(year),
        year_to: Some(year),
        ..SearchRequest::default()
    })
}

/// `req` without one selected value of a facet.
pub fn without_value(req: &SearchRequest, facet: Facet, value: &str) -> String {
    changed(req, |r| r.filters[facet].retain(|v| v != value))
}

/// `req` without its year range.
pub fn without_years(req: &SearchRequest) -> String {
    changed(req, |r| {
        r.year_from = None;
        r.year_to = None;
    })
}

/// Whether `req` selects anything besides the query text.
pub fn has_filters(req: &SearchRequest) -> bool {
    req.filters.count() > 0 || req.year_from.is_some() || req.year_to.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Removing a value keeps the rest of the request and resets the page.
    #[test]
    fn removing_a_value_keeps_the_rest() {
        let req = SearchRequest::from_query_string(
            "q=dementia&offer=reading&offer=health-and-wellbeing&page=3",
        )
        .expect("valid");
        assert_eq!(
            without_value(&req, Facet::Offer, "reading"),
            "/?q=dementia&offer=health-and-wellbeing"
        );
        assert_eq!(search_url(&SearchRequest::default()), "/");
        assert_eq!(year_url(2019u64), "/?year_from=2019&year_to=2019");
    }
}
