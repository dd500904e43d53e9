//! The editors' queue and a submission's review page: preview as
//! published, the decisions, and the edit form with each field's problems.

use kb_indexer::markdown;
use maud::{Markup, PreEscaped, html};

use super::forms::{self, field_text, when};
use crate::i18n::{t, t_args};
use crate::problems::FieldProblems;
use crate::store::{Status, Submission, User};

/// The editor looking at a page, and their form token.
pub type Who<'a> = (&'a User, &'a str);

fn status_name(status: Status) -> String {
    t(&format!("status-name-{}", status.as_str()))
}

/// The language a submission says it is written in (`en` when it does not
/// say, as the resource rules read it), for `lang` on its own text.
fn lang_of(s: &Submission) -> Option<&str> {
    let lang = s
        .fields
        .get("language")
        .and_then(|v| v.as_str())
        .unwrap_or("en");
    ((2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase())).then_some(lang)
}

/// The queue's note on a submission's PDF: its pages, and a warning when it
/// has no text layer (a scan that screen readers cannot read).
fn attachment_flag(s: &Submission) -> Markup {
    html! {
        @if let Some(a) = crate::attachments::of_fields(&s.fields) {
            " " span.attachment-note { (t_args("mod-attachment-pages", &[("pages", a.pages.into())])) }
            @if !a.has_text_layer {
                " " strong.flag.no-text-layer { (t("mod-no-text-layer")) }
            }
        }
    }
}

/// `/moderation`: open submissions, oldest first, and the latest decided.
pub fn queue_page(who: Who<'_>, open: &[Submission], decided: &[Submission]) -> Markup {
    forms::page(
        &t("mod-queue-title"),
        Some(who),
        html! {
            @if open.is_empty() { p { (t("mod-nothing")) } }
            @else {
                (forms::data_table(
                    &t("mod-open-caption"),
                    &[t("mod-col-number"), t("field-title"), t("mod-col-status"), t("mod-col-received"), t("mod-col-from")],
                    html! {
                        @for s in open {
                            tr {
                                td { (s.id) }
                                td {
                                    a href={"/moderation/" (s.id)} lang=[lang_of(s)] { (s.title) }
                                    (attachment_flag(s))
                                }
                                td { (status_name(s.status)) }
                                td { (when(s.created_at)) }
                                td {
                                    @if let Some(k) = s.key_id { (t_args("mod-from-key", &[("id", k.to_string().into())])) }
                                    @else { (t("mod-from-web")) }
                                }
                            }
                        }
                    },
                ))
            }
            @if !decided.is_empty() {
                h2 { (t("mod-recent")) }
                (forms::data_table(
                    &t("mod-recent"),
                    &[t("mod-col-number"), t("field-title"), t("mod-col-status"), t("mod-col-decided"), t("mod-published-as")],
                    html! {
                        @for s in decided {
                            tr {
                                td { (s.id) }
                                td { a href={"/moderation/" (s.id)} lang=[lang_of(s)] { (s.title) } }
                                td { (status_name(s.status)) }
                                td { (when(s.updated_at)) }
                                td { @if let Some(id) = &s.resource_id { a href={"/resources/" (id)} { (id) } } }
                            }
                        }
                    },
                ))
            }
        },
    )
}

/// What went wrong with the last action on a review page.
#[derive(Debug, Default)]
pub struct Problems<'a> {
    /// Problems with the fields (an edit not saved, or an approval refused).
    pub fields: Option<&'a FieldProblems>,
    /// The approval was refused because of `fields` (rather than an edit).
    pub approval: bool,
    /// A decision sent without a reason: `reject` or `changes`.
    pub reason_missing: Option<&'a str>,
}

/// A reason box for a decision, with its problem when it was left empty.
fn reason_box(id: &str, label: &str, missing: bool) -> Markup {
    let error_id = format!("{id}-error");
    html! {
        label for=(id) { (label) }
        @if missing {
            span.error id=(error_id) { (t("field-problem")) " " (t("mod-reason-missing")) } br;
        }
        textarea id=(id) name="reason" rows="3"
            aria-describedby=[missing.then_some(error_id.as_str())]
            aria-invalid=[missing.then_some("true")] {}
    }
}

/// `/moderation/{id}`: the submission as it will be published, the
/// decisions while it is open, and the edit form.
pub fn review_page(who: Who<'_>, s: &Submission, problems: &Problems<'_>) -> Markup {
    let csrf = who.1;
    let no_errors = FieldProblems::new();
    let errors = problems.fields.unwrap_or(&no_errors);
    let title = t_args("mod-review-title", &[("title", s.title.clone().into())]);
    let content = html! {
        p {
            (t_args("mod-submission", &[("id", s.id.to_string().into())])) " — "
            strong { (status_name(s.status)) } ", "
            (t("mod-received")) " " (when(s.created_at)) "."
        }
        @if let Some(reason) = &s.reason { p { (t("mod-note")) " " (reason) } }
        @if let Some(id) = &s.resource_id { p { (t("mod-published-as")) " " a href={"/resources/" (id)} { (id) } } }
        @if let Some(a) = crate::attachments::of_fields(&s.fields) {
            p {
                (t_args("mod-attached", &[
                    ("name", a.name.clone().into()),
                    ("size", super::resource::file_size(a.bytes).into()),
                    ("pages", a.pages.into()),
                ]))
                (attachment_flag(s))
            }
            @if !a.has_text_layer {
                p.error { (t("mod-no-text-layer-warning")) }
            }
        }
        @if problems.approval {
            p.error role="alert" { (t("mod-cannot-publish")) }
        }
        @if problems.reason_missing.is_some() {
            p.error role="alert" { (t("mod-reason-needed")) }
        }
        h2 { (t("submit-preview")) }
        div.preview {
            // The contributor's own text, in the language they gave.
            div lang=[lang_of(s)] {
                h1 { (field_text(s.fields.get("title"))) }
                p { em { (field_text(s.fields.get("summary"))) } }
                // Rendered and sanitised exactly as the published page renders it.
                (PreEscaped(markdown::to_html(&s.body)))
            }
        }
        @if s.status.is_open() {
            h2 { (t("mod-decide")) }
            form method="post" action={"/moderation/" (s.id) "/approve"} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="seen" value=(s.status.as_str());
                button type="submit" { (t("mod-approve")) }
            }
            form method="post" action={"/moderation/" (s.id) "/changes"} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="seen" value=(s.status.as_str());
                (reason_box("changes-reason", &t("mod-changes-reason"), problems.reason_missing == Some("changes")))
                button type="submit" { (t("mod-request-changes")) }
            }
            form method="post" action={"/moderation/" (s.id) "/reject"} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="seen" value=(s.status.as_str());
                (reason_box("reject-reason", &t("mod-reject-reason"), problems.reason_missing == Some("reject")))
                button type="submit" { (t("mod-reject")) }
            }
            h2 { (t("mod-edit")) }
            @if !errors.is_empty() && !problems.approval { p.error role="alert" { (t("mod-not-saved")) } }
            form method="post" action={"/moderation/" (s.id)} {
                input type="hidden" name="csrf" value=(csrf);
                (forms::resource_inputs(&s.fields, &s.body, errors))
                p { button type="submit" { (t("mod-save")) } }
            }
        }
    };
    forms::page(&title, Some(who), content)
}
