//! The page shell every page shares, and the HTML error pages.

use axum::http::StatusCode;
use axum::response::Response;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::assets;
use crate::error::AppError;
use crate::i18n::{self, Lang, t};

/// Name of the site, in titles and the header, in the current language.
pub fn site_name() -> String {
    t("site-name")
}

/// Which main navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The search page and resource pages.
    Search,
    /// Browse by offer and year.
    Browse,
    /// The contributor's form.
    Submit,
    /// Pages outside the main navigation (resources, errors).
    None,
}

/// What goes in a page's `<head>`.
#[derive(Debug, Clone)]
pub struct Head {
    /// Page title, before the site name.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Path and query of the canonical URL, e.g. `/?offer=reading`.
    pub canonical: String,
    /// Ask search engines not to index the page (error pages).
    pub noindex: bool,
    /// schema.org JSON-LD describing the page, already escaped for a `<script>` block.
    pub json_ld: Option<String>,
}

/// The link to the same page in the other language, keeping its query.
pub fn language_switch() -> Markup {
    let other = i18n::lang().other();
    let href = i18n::with_lang(&i18n::path_and_query(), other);
    html! {
        nav.lang-switch aria-label=(t("lang-switch-label")) {
            a href=(href) hreflang=(other.code()) lang=(other.code()) { (other.own_name()) }
        }
    }
}

/// `<link rel="alternate" hreflang>` for each language and `x-default`.
fn alternates(base: &str, path_and_query: &str) -> Markup {
    html! {
        @for lang in Lang::ALL {
            link rel="alternate" hreflang=(lang.code()) href={(base) (i18n::with_lang(path_and_query, lang))};
        }
        link rel="alternate" hreflang="x-default" href={(base) (path_and_query)};
    }
}

/// The footer every page shares: what the site is, the API, the
/// accessibility statement and the privacy notice.
pub fn footer() -> Markup {
    html! {
        footer.site-footer {
            div.wrap {
                p {
                    (t("footer-about")) " "
                    (t("footer-api-intro")) " "
                    a href="/api/v1/openapi.json" { (t("footer-api-link")) }
                    "."
                }
                ul.footer-links {
                    li { a href="/accessibility" { (t("footer-accessibility")) } }
                    li { a href="/privacy" { (t("footer-privacy")) } }
                }
            }
        }
    }
}

/// A whole page: head, skip link, header with navigation, `main`, footer.
pub fn page(base_url: &str, head: &Head, section: Section, main: Markup) -> Markup {
    let lang = i18n::lang();
    let base = base_url.trim_end_matches('/');
    let canonical_path = match lang {
        Lang::En => head.canonical.clone(),
        Lang::Cy => i18n::with_lang(&head.canonical, Lang::Cy),
    };
    let canonical = format!("{base}{canonical_path}");
    let site = site_name();
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (head.title) " – " (site) }
                meta name="description" content=(head.description);
                link rel="canonical" href=(canonical);
                (alternates(base, &head.canonical))
                @if head.noindex { meta name="robots" content="noindex"; }
                meta name="color-scheme" content="light dark";
                link rel="stylesheet" href=(assets::css_url());
                link rel="search" type="application/opensearchdescription+xml"
                    href=(match lang { Lang::En => "/opensearch.xml", Lang::Cy => "/opensearch.xml?lang=cy" }) title=(site);
                script src=(assets::js_url()) defer {}
                @if let Some(json) = &head.json_ld {
                    script type="application/ld+json" { (PreEscaped(json)) }
                }
            }
            body {
                a.skip-link href="#main" { (t("skip-link")) }
                header.site-header {
                    div.wrap.header-inner {
                        a.brand href="/" {
                            span.brand-mark aria-hidden="true" { "❦" }
                            span { (site) }
                        }
                        nav aria-label=(t("nav-main")) {
                            ul.nav {
                                li { a href="/" aria-current=[(section == Section::Search).then_some("page")] { (t("nav-search")) } }
                                li { a href="/browse" aria-current=[(section == Section::Browse).then_some("page")] { (t("nav-browse")) } }
                                li { a href="/submit" aria-current=[(section == Section::Submit).then_some("page")] { (t("footer-submit")) } }
                            }
                        }
                        (language_switch())
                    }
                }
                main #main.wrap tabindex="-1" { (main) }
                (footer())
            }
        }
    }
}

/// A message with `backticked` names shown as code, as the engine writes them.
fn with_code(message: &str) -> Markup {
    html! {
        @for (i, part) in message.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

/// An HTML page for a failed request, with the status the error calls for.
/// Internal details are logged, never shown.
pub fn error_page(base_url: &str, path: &str, error: &AppError) -> Response {
    if let AppError::Internal(detail) = error {
        tracing::error!(%detail, "page failed");
    }
    render_error_page(base_url, path, error)
}

/// [`error_page`] for an error already logged (one that went through
/// `AppError::into_response`).
pub fn render_error_page(base_url: &str, path: &str, error: &AppError) -> Response {
    let (status, _) = error.status_and_code();
    // The lead is the interface's own words; a caller's mistake also shows
    // the detail the error carries, worded in English (marked so).
    let detail = Some(error.public_message());
    let (title, lead, detail) = match error {
        AppError::InvalidParameter(_) | AppError::InvalidQuery(_) => {
            (t("error-search-title"), t("error-search-lead"), detail)
        }
        AppError::NotFound(_) => (
            t("error-not-found-title"),
            // The address is shown as code: it is the visitor's, not our words.
            i18n::t_args(
                "error-not-found-lead",
                &[("path", format!("`{path}`").into())],
            ),
            None,
        ),
        AppError::MethodNotAllowed(_) => (t("error-method-title"), t("error-method-lead"), detail),
        AppError::InvalidSubmission { .. }
        | AppError::InvalidJson(_)
        | AppError::InvalidForm(_)
        | AppError::PayloadTooLarge(_) => (t("error-sent-title"), t("error-sent-lead"), detail),
        AppError::InvalidApiKey => (t("error-forbidden-title"), t("error-forbidden-lead"), None),
        AppError::Forbidden(_) => (
            t("error-forbidden-title"),
            t("error-forbidden-lead"),
            detail,
        ),
        AppError::CsrfFailed => (t("form-expired-title"), t("form-expired"), None),
        AppError::Conflict(_) => (t("error-conflict-title"), t("error-conflict-lead"), detail),
        AppError::RateLimited { retry_after, .. } => (
            t("error-rate-title"),
            i18n::t_args("error-rate-lead", &[("seconds", (*retry_after).into())]),
            None,
        ),
        AppError::Overloaded | AppError::Timeout | AppError::NotReady => {
            (t("error-busy-title"), t("error-busy-lead"), None)
        }
        AppError::Unavailable => (t("error-busy-title"), t("error-busy-lead"), None),
        AppError::Internal(_) => (t("error-internal-title"), t("error-internal-lead"), None),
    };
    // In English the error's own words say it best (they name the thing
    // asked for); a Welsh page keeps its Welsh lead and shows them as a
    // detail marked English, except for a missing page, whose lead names it.
    let (lead, detail) = match (i18n::lang(), error) {
        (Lang::En, AppError::NotFound(_)) => (error.public_message(), None),
        (Lang::En, _) => match detail {
            Some(words) => (words, None),
            None => (lead, None),
        },
        (Lang::Cy, _) => (lead, detail),
    };
    let main = html! {
        div.error-page {
            h1 { (title) }
            p.lead { (with_code(&lead)) }
            @if let Some(detail) = &detail {
                p.detail lang="en" { (with_code(detail)) }
            }
            @if status == StatusCode::BAD_REQUEST {
                p { (t("error-check-address")) }
            } @else if status == StatusCode::NOT_FOUND {
                p { (t("error-moved")) }
            }
            form.inline-search role="search" method="get" action="/" {
                label for="error-q" { (t("search-label")) }
                div.search-row {
                    input #error-q type="search" name="q";
                    button.button type="submit" { (t("search-button")) }
                }
            }
            p { a href="/" { (t("error-new-search")) } " " (t("or")) " " a href="/browse" { (t("browse-by-offer")) } "." }
        }
    };
    let message = lead.replace('`', "");
    let head = Head {
        title: title.to_string(),
        description: message.clone(),
        canonical: path.to_string(),
        noindex: true,
        json_ld: None,
    };
    error.respond_with(page(base_url, &head, Section::None, main))
}
