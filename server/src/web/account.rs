//! Editors' account pages: the login form, the admins' audit log, and an
//! editor's own data (a copy to download, and erasure).

use maud::{Markup, html};

use super::forms::{self, field_label, when};
use crate::i18n::{t, t_args};
use crate::store::User;
use crate::store::audit::AuditEntry;

/// `/login`, with the name kept and `error` above the form after a failure.
pub fn login_page(csrf: &str, next: &str, name: &str, error: Option<&str>) -> Markup {
    forms::page(
        &t("login-title"),
        None,
        html! {
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                label for="name" { (t("login-name")) }
                input type="text" id="name" name="name" value=(name) autocomplete="username";
                label for="password" { (t("login-password")) }
                input type="password" id="password" name="password" autocomplete="current-password";
                p { button type="submit" { (t("log-in")) } }
            }
        },
    )
}

/// An audit action in the interface language (an action this version does
/// not know is shown as recorded).
fn action(action: &str) -> String {
    match action {
        "approved" | "rejected" | "edited" | "changes-requested" | "login" | "submitted"
        | "erased" => t(&format!("audit-action-{action}")),
        other => other.to_string(),
    }
}

/// An audit entry's detail. The server's own notes (the fields an edit
/// changed, where an approval was published, an erasure) are worded in the
/// interface language; an editor's reason is shown as they wrote it.
fn detail(entry: &AuditEntry) -> Markup {
    let text = entry.detail.as_str();
    html! {
        @if let (Some(list), "edited") = (text.strip_prefix("changed: "), entry.action.as_str()) {
            @let labels: Vec<String> = list.split(", ").filter(|f| !f.is_empty()).map(field_label).collect();
            (t_args("audit-changed", &[("fields", labels.join(", ").into())]))
        } @else if let (Some(rest), "approved") = (text.strip_prefix("published as "), entry.action.as_str()) {
            @let id = rest.split(' ').next().unwrap_or(rest);
            (t("audit-published-as")) " " a href={"/resources/" (id)} { (id) }
        } @else if entry.action == "erased" && text.starts_with("editor account") {
            (t("audit-erased-editor"))
        } @else if entry.action == "erased" {
            (t("audit-erased-key"))
        } @else {
            (text)
        }
    }
}

/// `/admin/audit`: the latest entries of the audit log, newest first.
pub fn audit_page(admin: &User, csrf: &str, rows: &[AuditEntry]) -> Markup {
    forms::page(
        &t("nav-audit"),
        Some((admin, csrf)),
        forms::data_table(
            &t("audit-caption"),
            &[
                t("audit-when"),
                t("audit-who"),
                t("audit-did"),
                t("audit-submission"),
                t("audit-detail"),
            ],
            html! {
                @for row in rows {
                    tr {
                        td { (when(row.at)) }
                        td { (row.actor) }
                        td { (action(&row.action)) }
                        td { @if let Some(id) = row.submission_id { a href={"/moderation/" (id)} { (id) } } }
                        td { (detail(row)) }
                    }
                }
            },
        ),
    )
}

/// `/account/data`: what is held, a download link, and erasure.
pub fn my_data_page(user: &User, csrf: &str) -> Markup {
    forms::page(
        &t("my-data-title"),
        Some((user, csrf)),
        html! {
            p { (t("my-data-intro")) }
            p { a href="/account/data.json" download="my-data.json" { (t("my-data-download")) } }
            h2 { (t("my-data-erase-title")) }
            p { (t("my-data-erase-intro")) }
            form method="post" action="/account/erase" {
                input type="hidden" name="csrf" value=(csrf);
                p {
                    input type="checkbox" id="confirm" name="confirm" value="yes";
                    " "
                    label for="confirm" { (t_args("my-data-erase-confirm", &[("name", user.name.clone().into())])) }
                }
                p { button type="submit" { (t("my-data-erase-button")) } }
            }
        },
    )
}
