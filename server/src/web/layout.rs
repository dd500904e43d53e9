//! The page shell every page shares, and the HTML error pages.

use axum::http::StatusCode;
use axum::response::Response;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::assets;
use crate::error::AppError;

/// Name of the site, in titles and the header.
pub const SITE_NAME: &str = "Library Good Practice";

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

/// A whole page: head, skip link, header with navigation, `main`, footer.
pub fn page(base_url: &str, head: &Head, section: Section, main: Markup) -> Markup {
    let canonical = format!("{}{}", base_url.trim_end_matches('/'), head.canonical);
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (head.title) " – " (SITE_NAME) }
                meta name="description" content=(head.description);
                link rel="canonical" href=(canonical);
                @if head.noindex { meta name="robots" content="noindex"; }
                meta name="color-scheme" content="light dark";
                link rel="stylesheet" href=(assets::css_url());
                link rel="search" type="application/opensearchdescription+xml"
                    href="/opensearch.xml" title=(SITE_NAME);
                script src=(assets::js_url()) defer {}
                @if let Some(json) = &head.json_ld {
                    script type="application/ld+json" { (PreEscaped(json)) }
                }
            }
            body {
                a.skip-link href="#main" { "Skip to main content" }
                header.site-header {
                    div.wrap.header-inner {
                        a.brand href="/" {
                            span.brand-mark aria-hidden="true" { "❦" }
                            span { (SITE_NAME) }
                        }
                        nav aria-label="Main" {
                            ul.nav {
                                li { a href="/" aria-current=[(section == Section::Search).then_some("page")] { "Search" } }
                                li { a href="/browse" aria-current=[(section == Section::Browse).then_some("page")] { "Browse" } }
                                li { a href="/submit" aria-current=[(section == Section::Submit).then_some("page")] { "Share a resource" } }
                            }
                        }
                    }
                }
                main #main.wrap tabindex="-1" { (main) }
                footer.site-footer {
                    div.wrap {
                        p {
                            "Good practice shared by UK public library staff, organised by the Universal Library Offers. "
                            "Also available as a "
                            a href="/api/v1/openapi.json" { "JSON API" }
                            "."
                        }
                    }
                }
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
    let message = error.public_message();
    let title = match error {
        AppError::InvalidParameter(_) | AppError::InvalidQuery(_) => {
            "There is a problem with this search"
        }
        AppError::NotFound(_) => "Page not found",
        AppError::MethodNotAllowed(_) => "This page cannot do that",
        AppError::InvalidSubmission { .. }
        | AppError::InvalidJson(_)
        | AppError::InvalidForm(_)
        | AppError::PayloadTooLarge(_) => "There is a problem with what was sent",
        AppError::InvalidApiKey | AppError::Forbidden(_) => "You cannot see this page",
        AppError::CsrfFailed => "Form expired",
        AppError::Conflict(_) => "Already decided",
        AppError::RateLimited { .. } => "Too many requests",
        AppError::Overloaded | AppError::Timeout | AppError::NotReady => "The site is busy",
        AppError::Unavailable => "Please try again in a moment",
        AppError::Internal(_) => "Sorry, something went wrong",
    };
    let main = html! {
        div.error-page {
            h1 { (title) }
            p.lead { (with_code(&message)) }
            @if status == StatusCode::BAD_REQUEST {
                p { "Check the address, or change the search below." }
            } @else if status == StatusCode::NOT_FOUND {
                p { "The resource may have moved or been withdrawn. Try searching for it." }
            }
            form.inline-search role="search" method="get" action="/" {
                label for="error-q" { "Search resources" }
                div.search-row {
                    input #error-q type="search" name="q";
                    button.button type="submit" { "Search" }
                }
            }
            p { a href="/" { "Start a new search" } " or " a href="/browse" { "browse by offer" } "." }
        }
    };
    let head = Head {
        title: title.to_string(),
        description: message.clone(),
        canonical: path.to_string(),
        noindex: true,
        json_ld: None,
    };
    error.respond_with(page(base_url, &head, Section::None, main))
}
