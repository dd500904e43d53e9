//! The facet sidebar: one fieldset per facet, checkboxes whose names and
//! values are exactly the API parameters, so the engine does the OR within
//! a facet and the AND across facets.

use maud::{Markup, html};

use super::labels;
use super::urls;
use crate::i18n::{self, t, t_args};
use crate::search::{FacetValue, Facets, SearchRequest};

/// Values shown before the rest fold into "Show more".
const VISIBLE_VALUES: usize = 8;

/// The whole sidebar (inside the search form).
pub fn sidebar(req: &SearchRequest, facets: &Facets) -> Markup {
    let active =
        req.filters.count() + usize::from(req.year_from.is_some() || req.year_to.is_some());
    html! {
        details.filters open {
            summary {
                h2 { (t("filters-heading")) }
                @if active > 0 { span.filter-count { " (" (t_args("filters-active", &[("n", active.into())])) ")" } }
            }
            div.filters-body {
                // Shown by the script, which makes ticking a box search at once (WCAG 3.2.2).
                p.auto-note hidden { (t("filters-auto")) }
                (keyword("offer", &facets.offer, false))
                (keyword("type", &facets.resource_type, false))
                (years(req, &facets.year))
                (regions(&facets.region))
                (keyword("organisation", &facets.organisation, true))
                (keyword("language", &facets.language, false))
                (keyword("tag", &facets.tag, false))
                div.apply.js-hidden {
                    button.button type="submit" { (t("filters-apply")) }
                }
            }
        }
    }
}

fn value_text(value: &FacetValue) -> String {
    match &value.value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn checkbox(facet: &str, index: usize, value: &FacetValue, label: &str) -> Markup {
    let id = format!("f-{facet}-{index}");
    html! {
        input type="checkbox" id=(id) name=(facet) value=(value_text(value)) checked[value.selected];
        label for=(id) {
            span.label-text { (label) }
            " "
            span.count { (i18n::number(value.count)) span.vh { " " (t("resources-word")) } }
        }
    }
}

/// A flat facet; long lists fold into a `<details>`, and `filterable` adds a
/// box (shown by the script) that narrows the list as you type.
fn keyword(facet: &str, values: &[FacetValue], filterable: bool) -> Markup {
    if values.is_empty() {
        return html! {};
    }
    let name = labels::facet_name(facet);
    let list_id = format!("facet-{facet}-list");
    // Selected values stay visible even when they fall below the fold.
    let (shown, folded): (Vec<_>, Vec<_>) = values
        .iter()
        .enumerate()
        .partition(|(i, v)| *i < VISIBLE_VALUES || v.selected);
    let label = |v: &FacetValue| {
        if facet == "tag" {
            labels::tag(&value_text(v))
        } else {
            v.label.clone()
        }
    };
    html! {
        fieldset.facet #(format!("facet-{facet}")) {
            legend { (name) }
            @if filterable && values.len() > VISIBLE_VALUES {
                div.facet-filter hidden data-filter-list=(list_id) {
                    label for=(format!("filter-{facet}")) { (t("find")) " " (name.to_lowercase()) }
                    input type="search" id=(format!("filter-{facet}")) autocomplete="off";
                }
            }
            div id=(list_id) {
                ul.facet-values {
                    @for (i, v) in &shown { li { (checkbox(facet, *i, v, &label(v))) } }
                }
                @if !folded.is_empty() {
                    details.more {
                        summary { (t_args("show-more", &[("n", folded.len().into())])) span.vh { " " (t_args("facet-values", &[("facet", name.to_lowercase().into())])) } }
                        ul.facet-values {
                            @for (i, v) in &folded { li { (checkbox(facet, *i, v, &label(v))) } }
                        }
                    }
                }
            }
        }
    }
}

/// Regions as a tree: nations and areas, with English regions under England.
fn regions(values: &[FacetValue]) -> Markup {
    if values.is_empty() {
        return html! {};
    }
    let slug = |v: &FacetValue| value_text(v);
    let present = |p: &str| values.iter().any(|v| slug(v) == p);
    let is_root = |v: &FacetValue| v.parent.as_deref().is_none_or(|p| !present(p));
    let children = |parent: &str| {
        values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.parent.as_deref() == Some(parent))
            .collect::<Vec<_>>()
    };
    html! {
        fieldset.facet #facet-region {
            legend { (t("facet-region")) }
            ul.facet-values.tree {
                @for (i, v) in values.iter().enumerate().filter(|(_, v)| is_root(v)) {
                    li {
                        (checkbox("region", i, v, &v.label))
                        @let kids = children(&slug(v));
                        @if !kids.is_empty() {
                            ul.facet-values.subtree aria-label=(t_args("regions-of", &[("region", v.label.clone().into())])) {
                                @for (j, kid) in kids { li { (checkbox("region", j, kid, &kid.label)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Years: each year links to that year alone; from–to inputs set a range.
fn years(req: &SearchRequest, values: &[FacetValue]) -> Markup {
    let mut known: Vec<u64> = values.iter().filter_map(|v| v.value.as_u64()).collect();
    known.sort_unstable();
    let (min, max) = (known.first().copied(), known.last().copied());
    html! {
        fieldset.facet #facet-year {
            legend { (t("facet-year")) }
            @if !values.is_empty() {
                ul.facet-values.years {
                    @for v in values {
                        @if let Some(year) = v.value.as_u64() {
                            @let single = req.year_from == Some(year) && req.year_to == Some(year);
                            li {
                                a href=(urls::changed(req, |r| { r.year_from = Some(year); r.year_to = Some(year); }))
                                    aria-current=[single.then_some("true")]
                                    class=[v.selected.then_some("selected")] {
                                    span.label-text { (v.label) }
                                    " "
                                    span.count { (i18n::number(v.count)) span.vh { " " (t("resources-word")) } }
                                }
                            }
                        }
                    }
                }
            }
            @if let (Some(min), Some(max)) = (min, max) {
                p #year-span.hint { (t_args("year-span", &[("min", min.into()), ("max", max.into())])) }
            }
            div.year-range {
                div {
                    label for="year_from" { (t("year-from")) }
                    input #year_from type="number" name="year_from" inputmode="numeric"
                        aria-describedby=[min.and(max).map(|_| "year-span")] value=[req.year_from];
                }
                div {
                    label for="year_to" { (t("year-to")) }
                    input #year_to type="number" name="year_to" inputmode="numeric"
                        aria-describedby=[min.and(max).map(|_| "year-span")] value=[req.year_to];
                }
                button.button.secondary type="submit" { (t("apply")) span.vh { " " (t("year-range")) } }
            }
        }
    }
}
