//! The editors' search analytics dashboard: what people search for, what
//! finds nothing (each with a link to commission it through the submit
//! form), which result positions they open, and how searching changes week
//! by week. Every number is also in a table; the chart is inline SVG.

use maud::{Markup, html};

use super::chart::{Chart, Series};
use super::layout::{self, Head, Section};
use crate::analytics::report::{AnalyticsReport, MIN_COUNT, QueryCount};
use crate::i18n::{t, t_args};

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
            p #(id) { (t_args("analytics-none", &[("min", MIN_COUNT.into())])) }
        } @else {
            table #(id) {
                caption.vh { (caption) }
                thead { tr {
                    th scope="col" { (t("analytics-query")) }
                    th scope="col" { (t("analytics-searches")) }
                    th scope="col" { (t("analytics-found-nothing")) }
                    @if commission { th scope="col" { (t("analytics-commission")) } }
                } }
                tbody {
                    @for row in rows {
                        tr {
                            th scope="row" { (row.query) }
                            td { (row.searches) }
                            td { (row.zero_results) }
                            @if commission {
                                td { a href=(submit_url(&row.query)) { (t_args("analytics-share", &[("query", row.query.as_str().into())])) } }
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
        title: t("analytics-title"),
        description: t("analytics-description"),
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
            label: t("analytics-chart-series"),
            counts: report
                .clicks_by_position
                .iter()
                .map(|p| (p.rate * 100.0).round() as u64)
                .collect(),
        }],
    };
    let main = html! {
        h1 { (t("analytics-title")) }
        p.lead { (t_args("analytics-lead", &[("days", report.days.into()), ("min", MIN_COUNT.into())])) }
        @if !enabled {
            p.notice { (t("analytics-off")) }
        }
        dl.summary #analytics-summary {
            dt { (t("analytics-searches")) } dd { (report.searches) }
            dt { (t("analytics-clicks")) } dd { (report.clicks) }
            dt { (t("analytics-ctr")) } dd { (percent(report.click_through_rate)) }
            dt { (t("analytics-mean-position")) }
            dd { @match report.mean_click_position { Some(p) => (format!("{p:.1}")), None => "–" } }
        }
        p { a href="/admin/analytics.csv" download { (t("analytics-csv")) } }
        section aria-labelledby="top-heading" {
            h2 #top-heading { (t("analytics-top")) }
            (query_table("top-queries", &t("analytics-top"), &report.top_queries, false))
        }
        section aria-labelledby="zero-heading" {
            h2 #zero-heading { (t("analytics-zero")) }
            p { (t("analytics-zero-lead")) }
            (query_table("zero-queries", &t("analytics-zero"), &report.zero_result_queries, true))
        }
        section aria-labelledby="position-heading" {
            h2 #position-heading { (t("analytics-positions")) }
            figure.chart-figure {
                (chart.svg(&t("analytics-chart-title"), &t("analytics-chart-desc")))
                figcaption { (t("analytics-chart-caption")) }
            }
            table #positions {
                caption.vh { (t("analytics-positions")) }
                thead { tr {
                    th scope="col" { (t("analytics-position")) }
                    th scope="col" { (t("analytics-clicks-col")) }
                    th scope="col" { (t("analytics-per-search")) }
                } }
                tbody {
                    @for p in &report.clicks_by_position {
                        tr { th scope="row" { (p.position) } td { (p.clicks) } td { (percent(p.rate)) } }
                    }
                }
            }
        }
        section aria-labelledby="weeks-heading" {
            h2 #weeks-heading { (t("analytics-weekly")) }
            table #weekly {
                caption.vh { (t("analytics-weekly-caption")) }
                thead { tr {
                    th scope="col" { (t("analytics-week-of")) }
                    th scope="col" { (t("analytics-searches")) }
                    th scope="col" { (t("analytics-found-nothing")) }
                } }
                tbody {
                    @for w in &report.weekly {
                        tr { th scope="row" { (w.week) } td { (w.searches) } td { (w.zero_results) } }
                    }
                }
            }
        }
        section aria-labelledby="filters-heading" {
            h2 #filters-heading { (t("analytics-filters")) }
            @if report.top_filters.is_empty() {
                p { (t_args("analytics-filters-none", &[("min", MIN_COUNT.into())])) }
            } @else {
                table #filters {
                    caption.vh { (t("analytics-filters")) }
                    thead { tr { th scope="col" { (t("analytics-filter")) } th scope="col" { (t("analytics-searches")) } } }
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
