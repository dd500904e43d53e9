//! The result list: title, meta line, offer badges, summary and snippet.

use kb_indexer::vocabulary::Vocabularies;
use maud::{Markup, PreEscaped, html};

use super::labels;
use crate::search::Hit;

/// Offer badges linking to a search on each offer.
pub fn offer_badges(vocab: &Vocabularies, offers: &[String]) -> Markup {
    html! {
        ul.badges aria-label="Offers" {
            @for offer in offers {
                li { a.badge href=(super::urls::filter_url("offer", offer)) { (vocab.offers.label(offer)) } }
            }
        }
    }
}

/// One result. Highlights come from the engine as escaped text with `<mark>`
/// around matches, so they are inserted as they are.
pub fn hit(vocab: &Vocabularies, hit: &Hit) -> Markup {
    let highlight = |field: &str| hit.highlights.get(field).filter(|h| !h.trim().is_empty());
    html! {
        li.hit {
            article aria-labelledby=(format!("hit-{}", hit.id.replace('/', "-"))) {
                h3 #(format!("hit-{}", hit.id.replace('/', "-"))) {
                    a href=(hit.url) {
                        @match highlight("title") {
                            Some(h) => (PreEscaped(h)),
                            None => (hit.title),
                        }
                    }
                }
                p.meta {
                    span.type { (vocab.types.label(&hit.resource_type)) }
                    span.sep aria-hidden="true" { " · " }
                    span.year { (hit.year) }
                    span.sep aria-hidden="true" { " · " }
                    span.org { (hit.organisation) }
                    span.sep aria-hidden="true" { " · " }
                    span.region { (labels::region_path(vocab, &hit.region)) }
                }
                (offer_badges(vocab, &hit.offers))
                p.summary {
                    @match highlight("summary") {
                        Some(h) => (PreEscaped(h)),
                        None => (hit.summary),
                    }
                }
                @if let Some(body) = highlight("body") {
                    p.snippet { "… " (PreEscaped(body)) " …" }
                }
            }
        }
    }
}
