//! Browse: one card per offer with its count and latest resources, and a
//! year overview as a chart and a table.

use maud::{Markup, html};

use super::chart::{Chart, Series};
use super::layout::{self, Head, Section};
use super::urls;
use crate::search::{Engine, FacetValue, Hit, SearchError, SearchRequest, Sort};

/// Latest resources shown on each offer card.
const LATEST: usize = 3;

/// One offer card.
#[derive(Debug, Clone)]
pub struct OfferCard {
    /// Offer slug.
    pub slug: String,
    /// Offer label.
    pub label: String,
    /// Resources with this offer.
    pub count: u64,
    /// Newest resources with this offer.
    pub latest: Vec<Hit>,
}

/// Everything the browse page shows.
#[derive(Debug, Clone)]
pub struct Browse {
    /// All resources.
    pub total: u64,
    /// One card per offer, in vocabulary order.
    pub offers: Vec<OfferCard>,
    /// (year, resources), oldest first.
    pub years: Vec<(u64, u64)>,
    /// Resources per year per offer.
    pub chart: Chart,
}

fn year_counts(values: &[FacetValue]) -> Vec<(u64, u64)> {
    values
        .iter()
        .filter_map(|v| v.value.as_u64().map(|y| (y, v.count)))
        .collect()
}

/// Gather the page's numbers: one search for all, one per offer.
pub fn gather(engine: &Engine) -> Result<Browse, SearchError> {
    let all = engine.search(&SearchRequest {
        per_page: 0,
        ..SearchRequest::default()
    })?;
    let mut years: Vec<(u64, u64)> = year_counts(&all.facets.year);
    years.sort_unstable();
    let mut offers = Vec::new();
    let mut series = Vec::new();
    for term in engine.vocab().offers.terms() {
        let mut req = SearchRequest {
            sort: Sort::Newest,
            per_page: LATEST,
            ..SearchRequest::default()
        };
        req.filters[0].push(term.slug.clone());
        let results = engine.search(&req)?;
        let per_year = year_counts(&results.facets.year);
        series.push(Series {
            label: term.label.clone(),
            counts: years
                .iter()
                .map(|(y, _)| {
                    per_year
                        .iter()
                        .find(|(py, _)| py == y)
                        .map_or(0, |(_, c)| *c)
                })
                .collect(),
        });
        offers.push(OfferCard {
            slug: term.slug.clone(),
            label: term.label.clone(),
            count: results.total,
            latest: results.hits,
        });
    }
    Ok(Browse {
        total: all.total,
        chart: Chart {
            years: years.iter().map(|(y, _)| *y).collect(),
            series,
        },
        offers,
        years,
    })
}

/// The whole browse page.
pub fn page(base_url: &str, data: &Browse) -> Markup {
    let head = Head {
        title: "Browse by offer and year".to_string(),
        description: format!(
            "{} good-practice resources from UK public libraries, by Universal Library Offer and by year.",
            data.total
        ),
        canonical: "/browse".to_string(),
        noindex: false,
        json_ld: None,
    };
    let main = html! {
        h1 { "Browse by offer and year" }
        p.lead { (data.total) " resources shared by library staff, organised by the Universal Library Offers and the two promises." }
        section aria-labelledby="offers-heading" {
            h2 #offers-heading { "Offers and promises" }
            ul.cards {
                @for card in &data.offers {
                    li.card {
                        h3 { a href=(urls::filter_url("offer", &card.slug)) { (card.label) } }
                        p.card-count { (card.count) " " (if card.count == 1 { "resource" } else { "resources" }) }
                        @if !card.latest.is_empty() {
                            h4.vh { "Latest " (card.label) " resources" }
                            ul.latest {
                                @for hit in &card.latest {
                                    li { a href=(hit.url) { (hit.title) } " " span.meta { (hit.year) } }
                                }
                            }
                        }
                        p.card-more {
                            a href=(urls::search_url(&{
                                let mut r = SearchRequest { sort: Sort::Newest, ..SearchRequest::default() };
                                r.filters[0].push(card.slug.clone());
                                r
                            })) { "All " (card.label) " resources, newest first" }
                        }
                    }
                }
            }
        }
        section aria-labelledby="years-heading" {
            h2 #years-heading { "Resources per year" }
            figure.chart-figure {
                // On a phone the chart keeps a readable size and scrolls sideways.
                div.chart-scroll role="region" aria-label="Chart (scrolls sideways on small screens)" tabindex="0" {
                    (data.chart.svg(
                        "Resources per year, by offer",
                        "Grouped bar chart: for each year, one bar per offer showing how many resources were published. The same numbers are in the table below.",
                    ))
                }
                figcaption { (data.chart.legend()) }
            }
            p #year-table-note.table-note { "Resources per year and offer (a resource can have more than one offer)." }
            div.table-scroll role="region" aria-labelledby="year-table-note" tabindex="0" {
                table.years-table aria-labelledby="year-table-note" {
                    thead {
                        tr {
                            th scope="col" { "Year" }
                            th scope="col" { "All" }
                            @for s in &data.chart.series { th scope="col" { (s.label) } }
                        }
                    }
                    tbody {
                        @for (yi, (year, count)) in data.years.iter().enumerate().rev() {
                            tr {
                                th scope="row" { a href=(urls::year_url(*year)) { (year) } }
                                td { (count) }
                                @for (si, s) in data.chart.series.iter().enumerate() {
                                    @let n = s.counts.get(yi).copied().unwrap_or(0);
                                    td {
                                        @if n > 0 {
                                            a href=(urls::search_url(&{
                                                let mut r = SearchRequest { year_from: Some(*year), year_to: Some(*year), ..SearchRequest::default() };
                                                r.filters[0].push(data.offers.get(si).map(|o| o.slug.clone()).unwrap_or_default());
                                                r
                                            })) aria-label=(format!("{n} {} resources from {year}", s.label)) { (n) }
                                        } @else { "0" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout::page(base_url, &head, Section::Browse, main)
}
