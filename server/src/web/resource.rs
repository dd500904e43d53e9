//! A resource page: the body (sanitised by the indexer), every piece of
//! metadata as a link back to a filtered search, and related resources.

use kb_indexer::vocabulary::Vocabularies;
use maud::{Markup, PreEscaped, html};

use super::layout::{self, Head, Section};
use super::{hits, labels, urls};
use crate::i18n::{self, t, t_args};
use crate::search::ResourceView;

/// A file size for people: "2.3 MB", "840 KB".
pub fn file_size(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1_000_000.0 {
        format!("{:.1} MB", b / 1_000_000.0)
    } else {
        format!("{} KB", (b / 1000.0).ceil().max(1.0))
    }
}

/// The attachment's link, "PDF, 2.3 MB, 14 pages", and a warning when it
/// has no text layer.
fn attachment_link(view: &ResourceView) -> Markup {
    html! {
        @if let Some(a) = &view.attachment {
            div.attachment {
                p {
                    a href=(view.attachment_url().unwrap_or_default()) type="application/pdf" {
                        (t("attachment-download"))
                    }
                    " "
                    (t_args("attachment-summary", &[
                        ("size", file_size(a.bytes).into()),
                        ("pages", a.pages.into()),
                    ]))
                }
                @if !a.has_text_layer {
                    p.warning role="note" {
                        strong { (t("attachment-warning-title")) } " "
                        (t("attachment-warning"))
                    }
                }
            }
        }
    }
}

/// Region with each level linked: England › North West.
fn region_links(vocab: &Vocabularies, slug: &str) -> Markup {
    let path = vocab.regions.path(slug);
    html! {
        @for (i, s) in path.iter().enumerate() {
            @if i > 0 { span aria-hidden="true" { " › " } }
            a href=(urls::filter_url("region", s)) { (labels::label(&vocab.regions, s)) }
        }
    }
}

/// The whole resource page.
pub fn page(base_url: &str, vocab: &Vocabularies, view: &ResourceView) -> Markup {
    let r = &view.resource;
    let head = Head {
        title: r.title.clone(),
        description: r.summary.clone(),
        canonical: view.url.clone(),
        noindex: false,
        json_ld: Some(crate::jsonld::json_ld_script(view, base_url)),
    };
    // The resource may be in Welsh, Gaelic, Japanese...: its own text says so
    // for screen readers and hyphenation (WCAG 3.1.2); the page chrome stays English.
    let lang = hits::other_language(&r.language);
    let main = html! {
        article.resource aria-labelledby="resource-title" {
            p.kicker {
                a href=(urls::filter_url("type", &r.resource_type)) { (labels::label(&vocab.types, &r.resource_type)) }
                " · "
                a href=(urls::year_url(u64::try_from(r.year).unwrap_or_default())) { (r.year) }
            }
            h1 #resource-title lang=[lang] { (r.title) }
            @if r.sample {
                aside.sample-notice aria-labelledby="sample-notice-title" {
                    h2 #sample-notice-title { (t("sample-notice-title")) }
                    p { (t("sample-notice")) }
                }
            }
            p.lead lang=[lang] { (r.summary) }
            (hits::offer_badges(vocab, &r.offers))
            div.resource-layout {
                div.prose lang=[lang] {
                    (attachment_link(view))
                    (PreEscaped(&view.body_html))
                }
                aside.metadata aria-labelledby="about-heading" {
                    h2 #about-heading { (t("about-resource")) }
                    dl {
                        dt { (t("facet-organisation")) }
                        dd { a href=(urls::filter_url("organisation", &r.organisation)) { (r.organisation) } }
                        dt { (t("facet-offers")) }
                        dd {
                            ul.plain {
                                @for o in &r.offers {
                                    li { a href=(urls::filter_url("offer", o)) { (labels::label(&vocab.offers, o)) } }
                                }
                            }
                        }
                        dt { (t("facet-type")) }
                        dd { a href=(urls::filter_url("type", &r.resource_type)) { (labels::label(&vocab.types, &r.resource_type)) } }
                        dt { (t("published")) }
                        dd {
                            @if let Some(date) = &r.published {
                                time datetime=(date) { (i18n::long_date(date)) }
                                " ("
                                a href=(urls::year_url(u64::try_from(r.year).unwrap_or_default())) { (t("more-from")) " " (r.year) }
                                ")"
                            } @else {
                                a href=(urls::year_url(u64::try_from(r.year).unwrap_or_default())) { (r.year) }
                            }
                        }
                        dt { (t("facet-region")) }
                        dd { (region_links(vocab, &r.region)) }
                        dt { (t("facet-language")) }
                        dd { a href=(urls::filter_url("language", &r.language)) { (labels::label(&vocab.languages, &r.language)) } }
                        @if !r.tags.is_empty() {
                            dt { (t("tags")) }
                            dd {
                                ul.tags {
                                    @for t in &r.tags {
                                        li { a.tag href=(urls::filter_url("tag", t)) { (labels::tag(t)) } }
                                    }
                                }
                            }
                        }
                        @if let Some(url) = &r.source_url {
                            dt { (t("source")) }
                            dd {
                                // Only web links become links; anything else is shown as text.
                                @if url.starts_with("https://") || url.starts_with("http://") {
                                    a href=(url) rel="noopener noreferrer nofollow" { (url) }
                                } @else {
                                    (url)
                                }
                            }
                        }
                        @if let Some(licence) = &r.licence {
                            dt { (t("licence")) }
                            dd { (licence) }
                        }
                        @if let Some(contributor) = &r.contributor {
                            dt { (t("contributor")) }
                            dd { (contributor) }
                        }
                    }
                }
            }
        }
        @if !view.related.is_empty() {
            section.related aria-labelledby="related-heading" {
                h2 #related-heading { (t("related")) }
                ul.related-list {
                    @for hit in &view.related {
                        li {
                            a href=(hit.url) lang=[hits::other_language(&hit.language)] { (hit.title) }
                            span.meta { " " (labels::label(&vocab.types, &hit.resource_type)) ", " (hit.year) }
                        }
                    }
                }
            }
        }
    };
    // A resource is not the search page, so no navigation entry is current.
    layout::page(base_url, &head, Section::None, main)
}
