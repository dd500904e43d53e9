//! Active filters as removable chips: each is a link to the same search
//! without that one selection.

use kb_indexer::vocabulary::Vocabularies;
use maud::{Markup, html};

use super::{labels, urls};
use crate::search::{KEYWORD_FACETS, SearchRequest};

/// One active selection and the URL that drops it.
#[derive(Debug, Clone)]
pub struct Active {
    /// "Offer: Reading".
    pub text: String,
    /// The search without it.
    pub remove_url: String,
}

/// Every active selection of a request, in facet order, years last.
pub fn active(req: &SearchRequest, vocab: &Vocabularies) -> Vec<Active> {
    let mut out = Vec::new();
    for (i, facet) in KEYWORD_FACETS.iter().enumerate() {
        for value in &req.filters[i] {
            out.push(Active {
                text: format!(
                    "{}: {}",
                    labels::facet_name(facet),
                    labels::value(vocab, facet, value)
                ),
                remove_url: urls::without_value(req, i, value),
            });
        }
    }
    let years = match (req.year_from, req.year_to) {
        (Some(f), Some(t)) if f == t => Some(format!("Year: {f}")),
        (Some(f), Some(t)) => Some(format!("Years: {f}–{t}")),
        (Some(f), None) => Some(format!("Years: from {f}")),
        (None, Some(t)) => Some(format!("Years: up to {t}")),
        (None, None) => None,
    };
    if let Some(text) = years {
        out.push(Active {
            text,
            remove_url: urls::without_years(req),
        });
    }
    out
}

/// The chip list with "Clear all" (which keeps the query text).
pub fn chips(req: &SearchRequest, vocab: &Vocabularies) -> Markup {
    let active = active(req, vocab);
    if active.is_empty() {
        return html! {};
    }
    let clear = urls::changed(req, |r| {
        r.filters = Default::default();
        r.year_from = None;
        r.year_to = None;
    });
    html! {
        div.chips {
            h2.vh #active-filters { "Active filters" }
            ul aria-labelledby="active-filters" {
                @for a in &active {
                    li {
                        a.chip href=(a.remove_url) {
                            span.vh { "Remove filter " }
                            (a.text)
                            span.chip-x aria-hidden="true" { "×" }
                        }
                    }
                }
                li { a.clear-all href=(clear) { "Clear all" span.vh { " filters" } } }
            }
        }
    }
}
