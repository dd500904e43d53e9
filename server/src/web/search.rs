//! The search page: search box, facet sidebar, active filters, results,
//! sort, pagination; one GET form, so it works without JavaScript.

use kb_indexer::vocabulary::Vocabularies;
use maud::{Markup, html};

use super::layout::{self, Head, Section};
use super::{chips, facets, hits, pagination, urls};
use crate::search::{DEFAULT_PER_PAGE, SearchRequest, SearchResults, Sort};

const SORTS: [(Sort, &str); 4] = [
    (Sort::Relevance, "Relevance"),
    (Sort::Newest, "Newest first"),
    (Sort::Oldest, "Oldest first"),
    (Sort::Title, "Title A–Z"),
];

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "Showing 1–20 of 45 resources", or why nothing is shown.
fn count_text(req: &SearchRequest, results: &SearchResults) -> String {
    let total = results.total;
    if total == 0 {
        return "No resources found".to_string();
    }
    let first = (req.page - 1) * req.per_page + 1;
    if results.hits.is_empty() {
        return format!(
            "{} found, but none on page {}",
            plural(total, "resource", "resources"),
            req.page
        );
    }
    let last = first + results.hits.len() - 1;
    format!(
        "Showing {first}–{last} of {}",
        plural(total, "resource", "resources")
    )
}

fn title(req: &SearchRequest, results: &SearchResults) -> String {
    let mut title = if req.q.is_empty() {
        if urls::has_filters(req) {
            "Filtered resources".to_string()
        } else {
            "Search good practice".to_string()
        }
    } else {
        format!("“{}”", req.q)
    };
    if !req.q.is_empty() || urls::has_filters(req) {
        title.push_str(&format!(
            " ({})",
            plural(results.total, "result", "results")
        ));
    }
    if req.page > 1 {
        title.push_str(&format!(", page {}", req.page));
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
        description: "Search case studies, toolkits, reports and evaluations shared by UK public library staff, by offer, type, year, region and library service.".to_string(),
        canonical: urls::search_url(req),
        noindex: false,
        json_ld: None,
    };
    let main = html! {
        form #search-form.search method="get" action="/" {
            h1 { "Search good practice" }
            div.searchbox role="search" aria-label="Resources" {
                label for="q" { "Search resources" }
                p.hint #q-hint { "Words, “phrases”, OR, -word, or prefix* all work." }
                div.search-row.combobox {
                    input #q type="search" name="q" value=(req.q) aria-describedby="q-hint" autocomplete="off" spellcheck="true";
                    ul #q-suggestions.suggestions role="listbox" aria-label="Suggestions" hidden {}
                    button.button type="submit" { "Search" }
                }
                div #q-status.vh role="status" aria-live="polite" {}
            }
            @if req.per_page != DEFAULT_PER_PAGE {
                input type="hidden" name="per_page" value=(req.per_page);
            }
            div.layout {
                aside.sidebar aria-label="Filters" { (facets::sidebar(req, &results.facets)) }
                section.results aria-labelledby="results-heading" {
                    div.results-head {
                        h2 #results-heading.vh { "Results" }
                        p #result-count.result-count role="status" aria-live="polite" { (count_text(req, results)) }
                        div.sort {
                            label for="sort" { "Sort by" }
                            select #sort name="sort" {
                                @for (sort, label) in SORTS {
                                    option value=(sort.as_str()) selected[req.sort == sort] { (label) }
                                }
                            }
                            button.button.secondary.js-hidden type="submit" { "Sort" }
                        }
                    }
                    (chips::chips(req, vocab))
                    @if let Some(better) = &results.did_you_mean {
                        p.did-you-mean {
                            "Did you mean "
                            a href=(urls::changed(req, |r| r.q = better.clone())) { strong { (better) } }
                            "?"
                        }
                    }
                    @if results.total == 0 {
                        (no_results(req, vocab))
                    } @else if results.hits.is_empty() {
                        p { a href=(urls::page_url(req, 1)) { "Go to the first page of results" } }
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
            h3 { "No resources match this search" }
            @if !active.is_empty() {
                p { "Try removing a filter:" }
                ul.ways-out {
                    @for a in &active { li { a href=(a.remove_url) { "Remove " (a.text) } } }
                    @if !req.q.is_empty() {
                        li { a href=(urls::changed(req, |r| { r.filters = Default::default(); r.year_from = None; r.year_to = None; })) { "Search all resources for “" (req.q) "”" } }
                    }
                }
            } @else {
                ul.ways-out {
                    li { "Check the spelling, or use fewer or more general words." }
                    li { a href="/" { "Show all resources" } " or " a href="/browse" { "browse by offer" } "." }
                }
            }
        }
    }
}
