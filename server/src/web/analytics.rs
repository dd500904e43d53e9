//! The editors' search analytics dashboard: what people search for, what
//! finds nothing (each with a link to commission it through the submit
//! form), which result positions they open, and how searching changes week
//! by week. Every number is also in a table; the chart is inline SVG.

use maud::{Markup, html};

use super::chart::{Chart, Series};
use super::layout::{self, Head, Section};
use crate::analytics::report::{AnalyticsReport, MIN_COUNT, QueryCount};

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// `/submit` with the query as the title's draft.
fn submit_url(query: &str) -> String {
    let title: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("/submit?title={title}")
}

fn query_table(id: &str, caption: &str, rows: &[QueryCount], commission: bool) -> Markup {
    html! {
        @if rows.is_empty() {
            p #(id) { "No query has been searched " (MIN_COUNT) " times or more yet." }
        } @else {
            table #(id) {
                caption.vh { (caption) }
                thead { tr {
                    th scope="col" { "Query" }
                    th scope="col" { "Searches" }
                    th scope="col" { "Found nothing" }
                    @if commission { th scope="col" { "Commission" } }
                } }
                tbody {
                    @for row in rows {
                        tr {
                            th scope="row" { (row.query) }
                            td { (row.searches) }
                            td { (row.zero_results) }
                            @if commission {
                                td { a href=(submit_url(&row.query)) { "Share a resource on “" (row.query) "”" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The dashboard page; `enabled` is whether recording is on.
pub fn page(base_url: &str, report: &AnalyticsReport, enabled: bool) -> Markup {
    let head = Head {
        title: "Search analytics".to_string(),
        description:
            "What library staff search for, what finds nothing and which results they open."
                .to_string(),
        canonical: "/admin/analytics".to_string(),
        noindex: true,
        json_ld: None,
    };
    let chart = Chart {
        years: report
            .clicks_by_position
            .iter()
            .map(|p| u64::from(p.position))
            .collect(),
        series: vec![Series {
            label: "Clicks per 100 searches".into(),
            counts: report
                .clicks_by_position
                .iter()
                .map(|p| (p.rate * 100.0).round() as u64)
                .collect(),
        }],
    };
    let main = html! {
        h1 { "Search analytics" }
        p.lead {
            "The last " (report.days) " days. Searches are recorded without any address, cookie or account; "
            "a query searched fewer than " (MIN_COUNT) " times is never listed."
        }
        @if !enabled {
            p.notice { "Recording is off on this server (setting " code { "analytics" } "), so nothing new is added." }
        }
        dl.summary #analytics-summary {
            dt { "Searches" } dd { (report.searches) }
            dt { "Results opened" } dd { (report.clicks) }
            dt { "Click-through" } dd { (percent(report.click_through_rate)) }
            dt { "Mean position opened" }
            dd { @match report.mean_click_position { Some(p) => (format!("{p:.1}")), None => "–" } }
        }
        p { a href="/admin/analytics.csv" download { "Download daily counts per query (CSV)" } }
        section aria-labelledby="top-heading" {
            h2 #top-heading { "Top queries" }
            (query_table("top-queries", "Top queries", &report.top_queries, false))
        }
        section aria-labelledby="zero-heading" {
            h2 #zero-heading { "Searches that found nothing" }
            p { "Topics people look for and do not find: candidates to commission." }
            (query_table("zero-queries", "Searches that found nothing", &report.zero_result_queries, true))
        }
        section aria-labelledby="position-heading" {
            h2 #position-heading { "Click-through by position" }
            figure.chart-figure {
                (chart.svg("Clicks per 100 searches by result position", "Bar chart: for each result position from 1 to 10, how many of every 100 searches opened the result there."))
                figcaption { "Result position (1 is the first result) against clicks per 100 searches." }
            }
            table #positions {
                caption.vh { "Clicks by result position" }
                thead { tr { th scope="col" { "Position" } th scope="col" { "Clicks" } th scope="col" { "Per search" } } }
                tbody {
                    @for p in &report.clicks_by_position {
                        tr { th scope="row" { (p.position) } td { (p.clicks) } td { (percent(p.rate)) } }
                    }
                }
            }
        }
        section aria-labelledby="weeks-heading" {
            h2 #weeks-heading { "Weekly trends" }
            table #weekly {
                caption.vh { "Searches per week" }
                thead { tr { th scope="col" { "Week of" } th scope="col" { "Searches" } th scope="col" { "Found nothing" } } }
                tbody {
                    @for w in &report.weekly {
                        tr { th scope="row" { (w.week) } td { (w.searches) } td { (w.zero_results) } }
                    }
                }
            }
        }
        section aria-labelledby="filters-heading" {
            h2 #filters-heading { "Top filters" }
            @if report.top_filters.is_empty() {
                p { "No filter has been used " (MIN_COUNT) " times or more yet." }
            } @else {
                table #filters {
                    caption.vh { "Top filters" }
                    thead { tr { th scope="col" { "Filter" } th scope="col" { "Searches" } } }
                    tbody {
                        @for f in &report.top_filters {
                            tr { th scope="row" { code { (f.filter) } } td { (f.searches) } }
                        }
                    }
                }
            }
        }
    };
    layout::page(base_url, &head, Section::None, main)
}
