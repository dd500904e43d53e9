//! The contributor's form at `/submit`, built from the vocabularies: offers
//! as labelled checkboxes, type and language as selects, region grouped by
//! its hierarchy, tags with the tags in use as suggestions. Errors follow the
//! GOV.UK error-summary pattern (a list at the top linking to each field,
//! the message again beside the field) and everything typed is kept. A
//! "Preview" button shows the body as it will be published, without
//! JavaScript.

use kb_indexer::vocabulary::{Term, Vocabularies};
use maud::{Markup, PreEscaped, html};

use super::forms::{field_label as label_of, problems_text};
use super::labels;
use super::layout::{self, Head, Section};
use crate::i18n::{self, t, t_args};
use crate::problems::FieldProblems;

/// What the contributor typed, as form pairs (a ticked box is one pair).
pub type Typed = [(String, String)];

/// Everything the page shows besides the vocabularies.
pub struct SubmitPage<'a> {
    /// The form's anti-forgery token.
    pub csrf: &'a str,
    /// What was typed, kept on every round trip.
    pub typed: &'a Typed,
    /// Field name to what is wrong with it.
    pub errors: &'a FieldProblems,
    /// The body rendered as it will be published, after "Preview".
    pub preview: Option<String>,
    /// Tags already in use, offered as suggestions.
    pub tags: &'a [String],
}

/// Where the error summary sends the reader for each field: the field's
/// input, or the first checkbox of a group.
fn anchor(field: &str, vocab: &Vocabularies) -> String {
    match field {
        "offers" => vocab
            .offers
            .terms()
            .first()
            .map_or_else(|| "offers".into(), |t| format!("offers-{}", t.slug)),
        "resource" => "title".into(),
        other => other.into(),
    }
}

fn value<'t>(typed: &'t Typed, name: &str) -> &'t str {
    typed
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn ticked(typed: &Typed, name: &str, slug: &str) -> bool {
    typed.iter().any(|(k, v)| k == name && v == slug)
}

/// The message beside a field, when it has one.
fn field_error(errors: &FieldProblems, name: &str) -> Markup {
    html! {
        @if let Some(e) = errors.get(name) {
            p.field-error id={(name) "-error"} { span.visually-hidden { (t("submit-error-prefix")) " " } (problems_text(name, e)) }
        }
    }
}

/// `aria-describedby` for a field: its hint and its error.
fn described(name: &str, errors: &FieldProblems) -> String {
    let mut ids = format!("{name}-hint");
    if errors.contains_key(name) {
        ids.push_str(&format!(" {name}-error"));
    }
    ids
}

/// A one-line text input with label, hint and error.
fn text_input(
    p: &SubmitPage<'_>,
    name: &str,
    kind: &str,
    hint: &str,
    extra: Option<(&str, &str)>,
) -> Markup {
    let bad = p.errors.contains_key(name);
    html! {
        div.field.field-bad[bad] {
            label for=(name) { (label_of(name)) }
            p.hint id={(name) "-hint"} { (hint) }
            (field_error(p.errors, name))
            @if let Some(("list", list)) = extra {
                input type=(kind) id=(name) name=(name) value=(value(p.typed, name))
                    list=(list) aria-describedby=(described(name, p.errors)) aria-invalid=[bad.then_some("true")];
            } @else {
                input type=(kind) id=(name) name=(name) value=(value(p.typed, name))
                    aria-describedby=(described(name, p.errors)) aria-invalid=[bad.then_some("true")];
            }
        }
    }
}

/// A select over a flat vocabulary, with an empty first choice when `prompt` is given.
fn select(p: &SubmitPage<'_>, name: &str, hint: &str, terms: &[Term], prompt: &str) -> Markup {
    let chosen = value(p.typed, name);
    let bad = p.errors.contains_key(name);
    html! {
        div.field.field-bad[bad] {
            label for=(name) { (label_of(name)) }
            p.hint id={(name) "-hint"} { (hint) }
            (field_error(p.errors, name))
            select id=(name) name=(name) aria-describedby=(described(name, p.errors)) aria-invalid=[bad.then_some("true")] {
                @if !prompt.is_empty() { option value="" selected[chosen.is_empty()] { (prompt) } }
                @for t in terms {
                    option value=(t.slug) selected[chosen == t.slug] { (t.label_for(i18n::lang().code())) }
                }
            }
        }
    }
}

/// The region select: a region with sub-regions is an `optgroup` holding
/// itself ("All of England") and its children; the others are plain options.
fn region_select(p: &SubmitPage<'_>, vocab: &Vocabularies) -> Markup {
    let chosen = value(p.typed, "region");
    let bad = p.errors.contains_key("region");
    let roots = vocab.regions.terms().iter().filter(|t| t.parent.is_none());
    html! {
        div.field.field-bad[bad] {
            label for="region" { (label_of("region")) }
            p.hint id="region-hint" { (t("submit-hint-region")) }
            (field_error(p.errors, "region"))
            select id="region" name="region" aria-describedby=(described("region", p.errors)) aria-invalid=[bad.then_some("true")] {
                option value="" selected[chosen.is_empty()] { (t("submit-choose-region")) }
                @for root in roots {
                    @let children = vocab.regions.children(&root.slug);
                    @if children.is_empty() {
                        option value=(root.slug) selected[chosen == root.slug] { (labels::label(&vocab.regions, &root.slug)) }
                    } @else {
                        optgroup label=(labels::label(&vocab.regions, &root.slug)) {
                            option value=(root.slug) selected[chosen == root.slug] { (t_args("submit-all-of", &[("region", labels::label(&vocab.regions, &root.slug).into())])) }
                            @for c in children {
                                option value=(c.slug) selected[chosen == c.slug] { (labels::label(&vocab.regions, &root.slug)) " › " (labels::label(&vocab.regions, &c.slug)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The offers and promises as labelled checkboxes in a fieldset.
fn offer_boxes(p: &SubmitPage<'_>, vocab: &Vocabularies) -> Markup {
    let bad = p.errors.contains_key("offers");
    html! {
        div.field.field-bad[bad] {
            fieldset aria-describedby=(described("offers", p.errors)) {
                legend { (label_of("offers")) }
                p.hint id="offers-hint" { (t("submit-hint-offers")) }
                (field_error(p.errors, "offers"))
                ul.checkboxes {
                    @for t in vocab.offers.terms() {
                        li {
                            input type="checkbox" id={"offers-" (t.slug)} name="offers" value=(t.slug)
                                checked[ticked(p.typed, "offers", &t.slug)];
                            label for={"offers-" (t.slug)} { (labels::label(&vocab.offers, &t.slug)) }
                        }
                    }
                }
            }
        }
    }
}

/// The whole `/submit` page.
pub fn page(base_url: &str, vocab: &Vocabularies, p: SubmitPage<'_>) -> Markup {
    let title = if p.errors.is_empty() {
        t("submit-title")
    } else {
        format!("{} {}", t("submit-error-prefix"), t("submit-title"))
    };
    let head = Head {
        title,
        description: t("submit-description"),
        canonical: "/submit".into(),
        noindex: true,
        json_ld: None,
    };
    let language = if value(p.typed, "language").is_empty() {
        vec![("language".to_string(), "en".to_string())]
    } else {
        Vec::new()
    };
    let typed: Vec<(String, String)> = p.typed.iter().cloned().chain(language).collect();
    let p = &SubmitPage { typed: &typed, ..p };
    let main = html! {
        div.submit-page {
            @if !p.errors.is_empty() {
                div.error-summary #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                    h2 #error-summary-title { (t("submit-problem")) }
                    ul {
                        @for (field, problems) in p.errors {
                            li { a href={"#" (anchor(field, vocab))} { (label_of(field)) ": " (problems_text(field, problems)) } }
                        }
                    }
                }
            }
            h1 { (t("submit-title")) }
            p.lead { (t("submit-intro")) }
            @if let Some(html) = &p.preview {
                section.submit-preview aria-labelledby="preview-title" {
                    h2 #preview-title { (t("submit-preview")) }
                    p.hint { (t("submit-preview-hint")) }
                    div.prose { (PreEscaped(html)) }
                }
            }
            form.submit-form method="post" action="/submit" enctype="multipart/form-data" novalidate {
                input type="hidden" name="csrf" value=(p.csrf);
                // Honeypot: hidden from people, filled in by form-filling bots.
                div.hp aria-hidden="true" {
                    label for="website" { (t("honeypot")) }
                    input type="text" id="website" name="website" tabindex="-1" autocomplete="off";
                }
                (text_input(p, "title", "text", &t("hint-title"), None))
                (text_input(p, "summary", "text", &t("hint-summary"), None))
                (offer_boxes(p, vocab))
                (select(p, "type", &t("submit-hint-type"), vocab.types.terms(), &t("submit-choose-type")))
                (text_input(p, "published", "date", &t("submit-hint-published"), None))
                (text_input(p, "year", "text", &t("hint-year"), None))
                (region_select(p, vocab))
                (text_input(p, "organisation", "text", &t("hint-organisation"), None))
                (text_input(p, "tags", "text", &t("submit-hint-tags"), Some(("list", "tags-in-use"))))
                datalist #tags-in-use {
                    @for t in p.tags { option value=(t) {} }
                }
                (select(p, "language", &t("submit-hint-language"), vocab.languages.terms(), ""))
                (text_input(p, "source_url", "url", &t("hint-source_url"), None))
                (text_input(p, "contributor", "text", &t("hint-contributor"), None))
                (text_input(p, "licence", "text", &t("hint-licence"), None))
                @let bad = p.errors.contains_key("body");
                div.field.field-bad[bad] {
                    label for="body" { (label_of("body")) }
                    p.hint id="body-hint" { (t("submit-hint-body")) }
                    (field_error(p.errors, "body"))
                    textarea id="body" name="body" rows="14" aria-describedby=(described("body", p.errors)) aria-invalid=[bad.then_some("true")] { (value(p.typed, "body")) }
                }
                @let bad = p.errors.contains_key("attachment");
                div.field.field-bad[bad] {
                    label for="attachment" { (t("submit-label-attachment")) }
                    p.hint id="attachment-hint" { (t("submit-hint-attachment")) }
                    (field_error(p.errors, "attachment"))
                    input type="file" id="attachment" name="attachment" accept="application/pdf,.pdf" aria-describedby=(described("attachment", p.errors)) aria-invalid=[bad.then_some("true")];
                }
                div.form-actions {
                    button.button type="submit" name="action" value="submit" { (t("submit-button")) }
                    " "
                    button.button.secondary type="submit" name="action" value="preview" { (t("submit-preview")) }
                }
            }
        }
    };
    layout::page(base_url, &head, Section::Submit, main)
}
