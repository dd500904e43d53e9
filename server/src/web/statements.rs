//! The accessibility statement (after the GOV.UK model statement) and the
//! privacy notice, in the interface language. Their words are in the
//! catalogues like every other interface text.

use maud::{Markup, html};

use super::layout::{self, Head, Section};
use crate::i18n::{t, t_args};
use crate::settings::Settings;

/// Catalogue keys of a list's items: `prefix-1`, `prefix-2`, ... up to `n`.
fn items(prefix: &str, n: usize) -> Markup {
    html! {
        ul {
            @for i in 1..=n { li { (t(&format!("{prefix}-{i}"))) } }
        }
    }
}

fn mail(address: &str) -> Markup {
    html! { a href={"mailto:" (address)} { (address) } }
}

/// `/accessibility`: how accessible the site is, what is not yet, how to
/// report a problem, and the enforcement procedure.
pub fn accessibility(base_url: &str, contact: &str) -> Markup {
    let head = Head {
        title: t("acc-title"),
        description: t("acc-intro"),
        canonical: "/accessibility".to_string(),
        noindex: false,
        json_ld: None,
    };
    let main = html! {
        article.statement {
            h1 { (t("acc-title")) }
            p.lead { (t("acc-intro")) }
            p { (t("acc-want")) }
            (items("acc-can", 5))
            p { (t("acc-abilitynet")) " " a href="https://mcmw.abilitynet.org.uk/" { "AbilityNet" } "." }

            h2 { (t("acc-how-title")) }
            p { (t("acc-how-intro")) }
            (items("acc-not-yet", 4))

            h2 { (t("acc-feedback-title")) }
            p { (t("acc-feedback")) " " (mail(contact)) }
            p { (t("acc-feedback-reply")) }

            h2 { (t("acc-report-title")) }
            p { (t("acc-report")) " " (mail(contact)) "." }

            h2 { (t("acc-enforce-title")) }
            p { (t("acc-enforce-ehrc")) " " a href="https://www.equalityadvisoryservice.com/" { (t("acc-eass")) } "." }
            p { (t("acc-enforce-ecni")) " " a href="https://www.equalityni.org/Home" { (t("acc-ecni")) } "." }

            h2 { (t("acc-tech-title")) }
            p { (t("acc-tech")) }
            h3 { (t("acc-status-title")) }
            p { (t("acc-status")) }

            h2 { (t("acc-nonaccessible-title")) }
            h3 { (t("acc-noncompliance-title")) }
            (items("acc-noncompliance", 2))
            h3 { (t("acc-burden-title")) }
            p { (t("acc-burden")) }
            h3 { (t("acc-scope-title")) }
            p { (t("acc-scope")) }

            h2 { (t("acc-improve-title")) }
            p { (t("acc-improve")) }

            h2 { (t("acc-prep-title")) }
            p { (t("acc-prep")) }
            p { (t("acc-tested")) }
        }
    };
    layout::page(base_url, &head, Section::None, main)
}

/// `/privacy`: what personal data the service holds, why, for how long,
/// and how to get a copy or have it erased.
pub fn privacy(base_url: &str, contact: &str, settings: &Settings) -> Markup {
    let head = Head {
        title: t("priv-title"),
        description: t("priv-intro"),
        canonical: "/privacy".to_string(),
        noindex: false,
        json_ld: None,
    };
    let main = html! {
        article.statement {
            h1 { (t("priv-title")) }
            p.lead { (t("priv-intro")) }
            h2 { (t("priv-who-title")) }
            p { (t("priv-who")) " " (mail(contact)) "." }

            h2 { (t("priv-what-title")) }
            (items("priv-what", 5))
            p { (t("priv-not")) }

            h2 { (t("priv-why-title")) }
            p { (t("priv-why")) }

            h2 { (t("priv-cookies-title")) }
            (items("priv-cookie", 2))

            h2 { (t("priv-keep-title")) }
            p { (t_args("priv-keep", &[("days", settings.retention_days.into())])) }

            h2 { (t("priv-rights-title")) }
            p { (t("priv-rights")) }
            (items("priv-right", 3))
            p { (t("priv-ask")) " " (mail(contact)) "." }

            h2 { (t("priv-complain-title")) }
            p { (t("priv-complain")) " " a href="https://ico.org.uk/make-a-complaint/" { (t("priv-ico")) } "." }
        }
    };
    layout::page(base_url, &head, Section::None, main)
}
