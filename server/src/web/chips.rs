//! Active filters as removable chips: each is a link to the same search
//! without that one selection.

use kb_indexer::vocabulary::Vocabularies;
use maud::{Markup, html};

use super::{labels, urls};
use crate::i18n::{t, t_args};
use crate::search::SearchRequest;

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
    for (facet, values) in req.filters.iter() {
        for value in values {
            out.push(Active {
                text: format!(
                    "{}: {}",
                    labels::facet_name(facet.name()),
                    labels::value(vocab, facet.name(), value)
                ),
                remove_url: urls::without_value(req, facet, value),
            });
        }
    }
    let years = match (req.year_from, req.year_to) {
        (Some(f), Some(to)) if f == to => Some(t_args("chip-year", &[("year", f.into())])),
        (Some(f), Some(to)) => Some(t_args(
            "chip-years",
            &[("from", f.into()), ("to", to.into())],
        )),
        (Some(f), None) => Some(t_args("chip-years-from", &[("from", f.into())])),
        (None, Some(to)) => Some(t_args("chip-years-to", &[("to", to.into())])),
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
            h2.vh #active-filters { (t("active-filters")) }
            ul aria-labelledby="active-filters" {
                @for a in &active {
                    li {
                        a.chip href=(a.remove_url) {
                            span.vh { (t("remove-filter")) " " }
                            (a.text)
                            span.chip-x aria-hidden="true" { "×" }
                        }
                    }
                }
                li { a.clear-all href=(clear) { (t("clear-all")) span.vh { " " (t("clear-all-filters")) } } }
            }
        }
    }
}
