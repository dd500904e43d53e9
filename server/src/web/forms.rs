//! The plain HTML shell of the contributor and editor pages, the resource
//! form they share, and the problems with a submission's fields worded in
//! the page's language. Every value goes through maud, which escapes it.

use kb_indexer::problem::{Problem, VocabularyKind};
use kb_indexer::resource::CONTRIBUTED_FIELDS;
use maud::{DOCTYPE, Markup, html};
use serde_json::{Map, Value};

use crate::attachments::AttachmentError;
use crate::i18n::{self, t, t_args};
use crate::problems::{FieldProblem, FieldProblems};
use crate::store::User;

/// A whole page, with the language switch and the shared footer; `who` is
/// the signed-in editor and their form token, for the editors' navigation.
pub fn page(title: &str, who: Option<(&User, &str)>, content: Markup) -> Markup {
    let lang = i18n::lang();
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (t("site-name")) }
                // The strict CSP forbids inline styles: the rules for these
                // pages live in the site stylesheet under `.form-page`.
                link rel="stylesheet" href=(super::assets::css_url());
            }
            body.form-page {
                header {
                    a href="/" { (t("site-name")) }
                    @if let Some((user, csrf)) = who {
                        " · " a href="/moderation" { (t("nav-moderation")) }
                        @if user.role == crate::store::Role::Admin { " · " a href="/admin/audit" { (t("nav-audit")) } }
                        " · " a href="/account/data" { (t("nav-my-data")) }
                        form.inline method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(csrf);
                            " · " (user.name) " " button type="submit" { (t("log-out")) }
                        }
                    }
                    (super::layout::language_switch())
                }
                main { h1 { (title) } (content) }
                (super::layout::footer())
            }
        }
    }
}

/// A page with one message.
pub fn message_page(title: &str, text: &str) -> Markup {
    page(title, None, html! { p { (text) } })
}

/// A stored field value as form text: lists joined with commas.
pub fn field_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// A field's label in the interface language.
pub fn field_label(field: &str) -> String {
    match field {
        f if CONTRIBUTED_FIELDS.contains(&f) => t(&format!("field-{f}")),
        "body" => t("submit-field-body"),
        "attachment" => t("submit-field-attachment"),
        _ => t("submit-field-resource"),
    }
}

/// A table of `rows` under one header row of `columns`, captioned for
/// screen readers, that scrolls sideways inside the page on a narrow screen
/// (a region reachable by keyboard, named by the caption), never widening it.
pub fn data_table(caption: &str, columns: &[String], rows: Markup) -> Markup {
    html! {
        div.table-scroll role="region" aria-label=(caption) tabindex="0" {
            table {
                caption.visually-hidden { (caption) }
                thead {
                    tr {
                        @for column in columns { th scope="col" { (column) } }
                    }
                }
                tbody { (rows) }
            }
        }
    }
}

/// A moment (Unix seconds) in the interface language, for people.
pub fn when(at: i64) -> Markup {
    html! { time datetime=(i18n::rfc3339(at)) { (i18n::date_time(at)) } }
}

fn vocabulary_key(kind: VocabularyKind) -> &'static str {
    match kind {
        VocabularyKind::Offer => "problem-unknown-offer",
        VocabularyKind::ResourceType => "problem-unknown-type",
        VocabularyKind::Region => "problem-unknown-region",
        VocabularyKind::Language => "problem-unknown-language",
    }
}

fn rule_text(field: &str, problem: &Problem) -> String {
    let label = || ("label", field_label(field).into());
    let n = |v: usize| i18n::number(v as u64).into();
    match problem {
        Problem::Missing | Problem::Empty => t_args("problem-missing", &[label()]),
        Problem::TooLong { chars, max } => t_args(
            "problem-too-long",
            &[label(), ("chars", n(*chars)), ("max", n(*max))],
        ),
        Problem::ControlCharacters => t_args("problem-control", &[label()]),
        Problem::NotText { .. } => t_args("problem-not-text", &[label()]),
        Problem::NotFlag { .. } => t_args("problem-not-flag", &[label()]),
        Problem::ListItemNotWord { .. } | Problem::NotList { .. } => {
            t_args("problem-not-list", &[label()])
        }
        Problem::UnknownValue {
            value,
            vocabulary,
            suggestion,
            ..
        } => {
            let mut text = t_args(vocabulary_key(*vocabulary), &[("value", value.into())]);
            if let Some(best) = suggestion {
                text.push(' ');
                text.push_str(&t_args(
                    "problem-did-you-mean",
                    &[("suggestion", best.into())],
                ));
            }
            text
        }
        Problem::UnknownField { .. } => t_args("problem-unknown-field", &[("name", field.into())]),
        Problem::InvalidId { id } => t_args("problem-invalid-id", &[("id", id.into())]),
        Problem::OffersMissing | Problem::OffersEmpty => t("problem-offers-missing"),
        Problem::TooManyTags { count, max } => t_args(
            "problem-too-many-tags",
            &[("count", n(*count)), ("max", n(*max))],
        ),
        Problem::BadTag { tag, max } => {
            t_args("problem-bad-tag", &[("tag", tag.into()), ("max", n(*max))])
        }
        Problem::NotWebAddress { url } => t_args("problem-not-web-address", &[("url", url.into())]),
        Problem::BodyEmpty => t("problem-body-empty"),
        Problem::YearOutOfRange { year, min, max } => t_args(
            "problem-year-range",
            &[
                ("year", year.to_string().into()),
                ("min", min.to_string().into()),
                ("max", max.to_string().into()),
            ],
        ),
        Problem::YearDisagrees { year, date } => t_args(
            "problem-year-disagrees",
            &[
                ("year", year.to_string().into()),
                ("date", i18n::long_date(date).into()),
            ],
        ),
        Problem::NotDate { value } => t_args("problem-not-date", &[("value", value.into())]),
        Problem::NotYear { value } => t_args("problem-not-year", &[("value", value.into())]),
        Problem::DateMissing => t("problem-date-missing"),
        Problem::Incomplete => t("problem-incomplete"),
    }
}

fn attachment_text(name: &str, error: &AttachmentError) -> String {
    let name = ("name", name.into());
    match error {
        AttachmentError::NotPdf => t_args("problem-attachment-not-pdf", &[name]),
        AttachmentError::TooBig(_) => t_args(
            "problem-attachment-too-big",
            &[name, ("source", field_label("source_url").into())],
        ),
        AttachmentError::Encrypted => t_args("problem-attachment-encrypted", &[name]),
        AttachmentError::TooManyPages(pages) => t_args(
            "problem-attachment-too-many-pages",
            &[name, ("pages", i18n::number(u64::from(*pages)).into())],
        ),
        AttachmentError::Malformed(_) => t_args("problem-attachment-damaged", &[name]),
        AttachmentError::TooSlow => t_args("problem-attachment-slow", &[name]),
        AttachmentError::Unavailable => t("problem-attachment-unavailable"),
    }
}

/// One problem with `field`, worded from the catalogue: what is wrong and
/// how to put it right.
pub fn problem_text(field: &str, problem: &FieldProblem) -> String {
    match problem {
        FieldProblem::Rule(p) => rule_text(field, p),
        FieldProblem::Attachment { name, error } => attachment_text(name, error),
        FieldProblem::AttachmentsOff => t_args(
            "problem-attachments-off",
            &[("source", field_label("source_url").into())],
        ),
        FieldProblem::BodyNotText => t("problem-body-not-text"),
        FieldProblem::AttachmentInline => t("problem-attachment-inline"),
    }
}

/// Every problem with `field`, one after another.
pub fn problems_text(field: &str, problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| problem_text(field, p))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The resource inputs, each with its problems beside it and the user's
/// input kept: one per contributed field, in order, each with a label
/// (`field-<name>`) and a hint (`hint-<name>`) from the catalogues. Lists
/// are comma-separated.
pub fn resource_inputs(fields: &Map<String, Value>, body: &str, errors: &FieldProblems) -> Markup {
    let message = |name: &str| errors.get(name).map(|p| problems_text(name, p));
    html! {
        @if let Some(general) = message("resource") { p.error { (general) } }
        @for name in CONTRIBUTED_FIELDS {
            label for=(name) { (t(&format!("field-{name}"))) }
            @if let Some(e) = message(name) {
                span.error id={(name) "-error"} { (t("field-problem")) " " (e) } br;
            }
            @let described = if errors.contains_key(*name) { format!("{name}-hint {name}-error") } else { format!("{name}-hint") };
            input type="text" id=(name) name=(name) value=(field_text(fields.get(*name)))
                aria-describedby=(described) aria-invalid=[errors.contains_key(*name).then_some("true")];
            span.hint id={(name) "-hint"} { (t(&format!("hint-{name}"))) }
        }
        label for="body" { (t("field-body")) }
        @if let Some(e) = message("body") {
            span.error id="body-error" { (t("field-problem")) " " (e) } br;
        }
        textarea id="body" name="body" rows="14" aria-describedby=[errors.contains_key("body").then_some("body-error")]
            aria-invalid=[errors.contains_key("body").then_some("true")] { (body) }
        @for (name, list) in errors.iter().filter(|(k, _)| *k != "resource" && *k != "body" && !CONTRIBUTED_FIELDS.contains(&k.as_str())) {
            p.error { (field_label(name)) ": " (problems_text(name, list)) }
        }
    }
}
