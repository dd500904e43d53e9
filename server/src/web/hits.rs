//! The result list: title, meta line, offer badges, summary and snippet.

use kb_indexer::vocabulary::Vocabularies;
use maud::{Markup, PreEscaped, html};

use super::labels;
use crate::i18n::t;
use crate::search::Hit;

/// A resource's language code when it differs from the interface's, for
/// `lang` on the elements holding its text (WCAG 3.1.2).
pub fn other_language(language: &str) -> Option<&str> {
    (language != crate::i18n::lang().code()).then_some(language)
}

/// Offer badges linking to a search on each offer.
pub fn offer_badges(vocab: &Vocabularies, offers: &[String]) -> Markup {
    html! {
        ul.badges aria-label=(t("facet-offers")) {
            @for offer in offers {
                li { a.badge href=(super::urls::filter_url("offer", offer)) { (labels::label(&vocab.offers, offer)) } }
            }
        }
    }
}

/// A highlighted field, completed to the whole text. The engine's fragments
/// run from the first to the last word, so punctuation around them (the `?`
/// closing a title, an opening quote) is lost; it is put back, escaped. When
/// the fragment is not a piece of the text, the plain text is shown instead.
pub fn whole_highlight(text: &str, highlight: Option<&String>) -> Markup {
    let Some(highlight) = highlight else {
        return html! { (text) };
    };
    let plain = highlight.replace("<mark>", "").replace("</mark>", "");
    let plain = html_escape::decode_html_entities(&plain);
    match text.find(plain.as_ref()) {
        Some(start) if !plain.trim().is_empty() => {
            let end = start + plain.len();
            html! { (&text[..start]) (PreEscaped(highlight)) (&text[end..]) }
        }
        _ => html! { (text) },
    }
}

/// A result's link: through `/r/{search id}/{position}` when the search is
/// recorded, so opening it counts as a click at that position; straight to
/// the resource otherwise.
pub fn link(hit: &Hit, search_id: Option<&str>, position: usize) -> String {
    match search_id {
        Some(sid) => {
            let id: String = form_urlencoded::byte_serialize(hit.id.as_bytes()).collect();
            format!("/r/{sid}/{position}?id={id}")
        }
        None => hit.url.clone(),
    }
}

/// One result, linked to `href`. Highlights come from the engine as escaped text with `<mark>`
/// around matches, so they are inserted as they are.
pub fn hit(vocab: &Vocabularies, hit: &Hit, href: &str) -> Markup {
    let highlight = |field: &str| hit.highlights.get(field).filter(|h| !h.trim().is_empty());
    // Text in another language than the page's is marked as such (WCAG 3.1.2).
    let lang = other_language(&hit.language);
    html! {
        li.hit {
            article aria-labelledby=(format!("hit-{}", hit.id.replace('/', "-"))) {
                h3 #(format!("hit-{}", hit.id.replace('/', "-"))) lang=[lang] {
                    a href=(href) {
                        (whole_highlight(&hit.title, highlight("title")))
                    }
                }
                p.meta {
                    span.type { (labels::label(&vocab.types, &hit.resource_type)) }
                    span.sep aria-hidden="true" { " · " }
                    span.year { (hit.year) }
                    span.sep aria-hidden="true" { " · " }
                    span.org { (hit.organisation) }
                    span.sep aria-hidden="true" { " · " }
                    span.region { (labels::region_path(vocab, &hit.region)) }
                    @if hit.sample {
                        span.sep aria-hidden="true" { " · " }
                        span.sample { (t("sample-notice-title")) }
                    }
                }
                (offer_badges(vocab, &hit.offers))
                p.summary lang=[lang] {
                    (whole_highlight(&hit.summary, highlight("summary")))
                }
                @if let Some(body) = highlight("body") {
                    // The snippet carries its own ellipses, only where text was cut.
                    p.snippet lang=[lang] { (PreEscaped(body)) }
                }
                @if let Some(text) = highlight("attachment") {
                    p.snippet.from-attachment {
                        span.snippet-source { (t("attachment-snippet-source")) " " }
                        span lang=[lang] { (PreEscaped(text)) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Welsh resource's text is marked `lang="cy"`; an English one adds nothing.
    #[test]
    fn other_languages_are_marked() {
        let mut h = Hit {
            meta: std::sync::Arc::new(kb_indexer::resource::Metadata {
                id: "2020/llyfrgell".into(),
                title: "Llyfrgell".into(),
                summary: "Crynodeb".into(),
                offers: vec!["reading".into()],
                resource_type: "article".into(),
                year: 2020,
                published: None,
                region: "wales".into(),
                organisation: "Org".into(),
                language: "cy".into(),
                tags: vec![],
            }),
            url: "/resources/2020/llyfrgell".into(),
            sample: false,
            labels: None,
            score: 0.0,
            highlights: Default::default(),
        };
        let vocab = Vocabularies::default();
        assert_eq!(
            hit(&vocab, &h, &h.url)
                .into_string()
                .matches("lang=\"cy\"")
                .count(),
            2
        );
        h.language = "en".into();
        assert!(!hit(&vocab, &h, &h.url).into_string().contains("lang="));
    }

    /// Punctuation the fragment dropped comes back; a stranger fragment is ignored.
    #[test]
    fn highlights_are_completed() {
        let h = "What makes a <mark>dementia</mark>-friendly library".to_string();
        assert_eq!(
            whole_highlight("Video: What makes a dementia-friendly library?", Some(&h))
                .into_string(),
            "Video: What makes a <mark>dementia</mark>-friendly library?"
        );
        let h = "Fish &amp; <mark>chips</mark>".to_string();
        assert_eq!(
            whole_highlight("“Fish & chips”", Some(&h)).into_string(),
            "“Fish &amp; <mark>chips</mark>”"
        );
        let other = "<mark>else</mark>".to_string();
        assert_eq!(
            whole_highlight("A <b> title", Some(&other)).into_string(),
            "A &lt;b&gt; title"
        );
    }
}
