//! Browse: one card per offer with its count and latest resources, and a
//! year overview as a chart and a table.

use maud::{Markup, html};

use super::chart::{Chart, Series};
use super::layout::{self, Head, Section};
use super::{labels, urls};
use crate::i18n::{self, t, t_args};
use crate::search::{Engine, Facet, FacetValue, Hit, SearchError, SearchRequest, Sort};

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
        req.filters[Facet::Offer].push(term.slug.clone());
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
pub fn page(base_url: &str, data: &Browse, vocab: &kb_indexer::vocabulary::Vocabularies) -> Markup {
    // The chart's series are named in the interface language.
    let mut chart = data.chart.clone();
    for (series, card) in chart.series.iter_mut().zip(&data.offers) {
        series.label = labels::label(&vocab.offers, &card.slug).to_string();
    }
    let vocab = &vocab.offers;
    let head = Head {
        title: t("browse-heading"),
        description: t_args(
            "browse-description",
            &[("count", i18n::number(data.total).into())],
        ),
        canonical: "/browse".to_string(),
        noindex: false,
        json_ld: None,
    };
    let main = html! {
        h1 { (t("browse-heading")) }
        p.lead { (t_args("browse-lead", &[("resources", super::search::resources(data.total).into())])) }
        section aria-labelledby="offers-heading" {
            h2 #offers-heading { (t("browse-offers")) }
            ul.cards {
                @for card in &data.offers {
                    li.card {
                        h3 { a href=(urls::filter_url("offer", &card.slug)) { (labels::label(vocab, &card.slug)) } }
                        p.card-count { (super::search::resources(card.count)) }
                        @if !card.latest.is_empty() {
                            h4.vh { (t_args("browse-latest", &[("offer", labels::label(vocab, &card.slug).into())])) }
                            ul.latest {
                                @for hit in &card.latest {
                                    li { a href=(hit.url) lang=[super::hits::other_language(&hit.language)] { (hit.title) } " " span.meta { (hit.year) } }
                                }
                            }
                        }
                        p.card-more {
                            a href=(urls::search_url(&{
                                let mut r = SearchRequest { sort: Sort::Newest, ..SearchRequest::default() };
                                r.filters[Facet::Offer].push(card.slug.clone());
                                r
                            })) { (t_args("browse-all-offer", &[("offer", labels::label(vocab, &card.slug).into())])) }
                        }
                    }
                }
            }
        }
        section aria-labelledby="years-heading" {
            h2 #years-heading { (t("browse-per-year")) }
            figure.chart-figure {
                // On a phone the chart keeps a readable size and scrolls sideways.
                div.chart-scroll role="region" aria-label=(t("chart-region")) tabindex="0" {
                    (chart.svg(&t("chart-title"), &t("chart-description")))
                }
                figcaption { (chart.legend()) }
            }
            p #year-table-note.table-note { (t("year-table-note")) }
            div.table-scroll role="region" aria-labelledby="year-table-note" tabindex="0" {
                table.years-table aria-labelledby="year-table-note" {
                    thead {
                        tr {
                            th scope="col" { (t("facet-year")) }
                            th scope="col" { (t("all")) }
                            @for s in &chart.series { th scope="col" { (s.label) } }
                        }
                    }
                    tbody {
                        @for (yi, (year, count)) in data.years.iter().enumerate().rev() {
                            tr {
                                th scope="row" { a href=(urls::year_url(*year)) { (year) } }
                                td { (count) }
                                @for (si, s) in chart.series.iter().enumerate() {
                                    @let n = s.counts.get(yi).copied().unwrap_or(0);
                                    td {
                                        @if n > 0 {
                                            a href=(urls::search_url(&{
                                                let mut r = SearchRequest { year_from: Some(*year), year_to: Some(*year), ..SearchRequest::default() };
                                                r.filters[Facet::Offer].push(data.offers.get(si).map(|o| o.slug.clone()).unwrap_or_default());
                                                r
                                            })) aria-label=(t_args("table-cell", &[("n", n.into()), ("offer", s.label.clone().into()), ("year", (*year).into())])) { (n) }
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
