//! The search page: search box, facet sidebar, active filters, results,
//! sort, pagination; one GET form, so it works without JavaScript.

use kb_indexer::vocabulary::Vocabularies;
use maud::{Markup, html};

use super::layout::{self, Head, Section};
use super::{chips, facets, hits, pagination, urls};
use crate::i18n::{self, t, t_args};
use crate::search::{DEFAULT_PER_PAGE, SearchRequest, SearchResults, Sort};

/// Sort orders and the catalogue keys of their names.
const SORTS: [(Sort, &str); 4] = [
    (Sort::Relevance, "sort-relevance"),
    (Sort::Newest, "sort-newest"),
    (Sort::Oldest, "sort-oldest"),
    (Sort::Title, "sort-title"),
];

/// "45 resources" / "45 adnodd", by the language's plural rules.
pub fn resources(n: u64) -> String {
    t_args(
        "count-resources",
        &[("n", n.into()), ("count", i18n::number(n).into())],
    )
}

/// "Showing 1–20 of 45 resources", or why nothing is shown.
fn count_text(req: &SearchRequest, results: &SearchResults) -> String {
    let total = results.total;
    if total == 0 {
        return t("count-none");
    }
    let first = (req.page - 1) * req.per_page + 1;
    if results.hits.is_empty() {
        return t_args(
            "count-beyond",
            &[
                ("resources", resources(total).into()),
                ("page", req.page.into()),
            ],
        );
    }
    let last = first + results.hits.len() - 1;
    t_args(
        "count-showing",
        &[
            ("first", i18n::number(first as u64).into()),
            ("last", i18n::number(last as u64).into()),
            ("resources", resources(total).into()),
        ],
    )
}

fn title(req: &SearchRequest, results: &SearchResults) -> String {
    let mut title = if req.q.is_empty() {
        if urls::has_filters(req) {
            t("title-filtered")
        } else {
            t("search-heading")
        }
    } else {
        format!("“{}”", req.q)
    };
    if !req.q.is_empty() || urls::has_filters(req) {
        let n = results.total;
        let count = t_args(
            "count-results",
            &[("n", n.into()), ("count", i18n::number(n).into())],
        );
        title.push_str(&format!(" ({count})"));
    }
    if req.page > 1 {
        title.push_str(&t_args("title-page", &[("page", req.page.into())]));
    }
    title
}

/// The whole search page.
pub fn page(
    base_url: &str,
    vocab: &Vocabularies,
    req: &SearchRequest,
    results: &SearchResults,
    search_id: Option<&str>,
) -> Markup {
    let first = (req.page.max(1) - 1) * req.per_page;
    let head = Head {
        title: title(req, results),
        description: t("search-description"),
        canonical: urls::search_url(req),
        noindex: false,
        json_ld: None,
    };
    let main = html! {
        form #search-form.search method="get" action="/" {
            h1 { (t("search-heading")) }
            div.searchbox role="search" aria-label=(t("search-region")) {
                label for="q" { (t("search-label")) }
                p.hint #q-hint { (t("search-hint")) }
                div.search-row.combobox {
                    input #q type="search" name="q" value=(req.q) aria-describedby="q-hint" autocomplete="off" spellcheck="true";
                    ul #q-suggestions.suggestions role="listbox" aria-label=(t("search-suggestions")) hidden
                        data-kind-resource=(t("suggest-kind-resource")) data-one=(t("suggest-one"))
                        data-many=(t("suggest-many")) data-help=(t("suggest-help")) {}
                    button.button type="submit" { (t("search-button")) }
                }
                div #q-status.vh role="status" aria-live="polite" {}
            }
            @if req.per_page != DEFAULT_PER_PAGE {
                input type="hidden" name="per_page" value=(req.per_page);
            }
            div.layout {
                aside.sidebar aria-label=(t("filters-region")) { (facets::sidebar(req, &results.facets)) }
                section.results aria-labelledby="results-heading" {
                    div.results-head {
                        h2 #results-heading.vh { (t("results-heading")) }
                        p #result-count.result-count role="status" aria-live="polite" { (count_text(req, results)) }
                        div.sort {
                            label for="sort" { (t("sort-label")) }
                            select #sort name="sort" {
                                @for (sort, label) in SORTS {
                                    option value=(sort.as_str()) selected[req.sort == sort] { (t(label)) }
                                }
                            }
                            button.button.secondary.js-hidden type="submit" { (t("sort-button")) }
                        }
                    }
                    (chips::chips(req, vocab))
                    @if let Some(better) = &results.did_you_mean {
                        p.did-you-mean {
                            (t("did-you-mean")) " "
                            a href=(urls::changed(req, |r| r.q = better.clone())) { strong { (better) } }
                            "?"
                        }
                    }
                    @if results.total == 0 {
                        (no_results(req, vocab))
                    } @else if results.hits.is_empty() {
                        p { a href=(urls::page_url(req, 1)) { (t("first-page-link")) } }
                    } @else {
                        ol.hits start=((req.page - 1) * req.per_page + 1) {
                            @for (i, hit) in results.hits.iter().enumerate() {
                                (hits::hit(vocab, hit, &hits::link(hit, search_id, first + i + 1)))
                            }
                        }
                    }
                    (pagination::pagination(req, results.total))
                }
            }
        }
    };
    layout::page(base_url, &head, Section::Search, main)
}

/// Zero results: say so, and offer ways out (drop a filter, drop the query).
fn no_results(req: &SearchRequest, vocab: &Vocabularies) -> Markup {
    let active = chips::active(req, vocab);
    html! {
        div.no-results {
            h3 { (t("no-results-heading")) }
            @if !active.is_empty() {
                p { (t("no-results-remove")) }
                ul.ways-out {
                    @for a in &active { li { a href=(a.remove_url) { (t("remove")) " " (a.text) } } }
                    @if !req.q.is_empty() {
                        li { a href=(urls::changed(req, |r| { r.filters = Default::default(); r.year_from = None; r.year_to = None; })) { (t("no-results-all")) " “" (req.q) "”" } }
                    }
                }
            } @else {
                ul.ways-out {
                    li { (t("no-results-spelling")) }
                    li { a href="/" { (t("show-all")) } " " (t("or")) " " a href="/browse" { (t("browse-by-offer")) } "." }
                }
            }
        }
    }
}
