//! Page links: previous, a window of numbers around the current page, next.

use maud::{Markup, html};

use super::urls;
use crate::i18n::t;
use crate::search::SearchRequest;

/// Deepest result the engine lets a caller page to (page × per_page).
const MAX_DEPTH: u64 = 10_000;

/// The last reachable page for a total.
pub fn last_page(total: u64, per_page: usize) -> usize {
    if per_page == 0 {
        return 1;
    }
    let per_page = per_page as u64;
    let pages = total.div_ceil(per_page).min(MAX_DEPTH / per_page).max(1);
    usize::try_from(pages).unwrap_or(usize::MAX)
}

/// Pages to show: first, last, and two either side of the current one;
/// `None` marks a gap.
fn window(current: usize, last: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for page in 1..=last {
        if page == 1 || page == last || page.abs_diff(current) <= 2 {
            out.push(Some(page));
        } else if out.last().is_some_and(Option::is_some) {
            out.push(None);
        }
    }
    out
}

/// The pagination `nav`, or nothing when everything fits on one page.
pub fn pagination(req: &SearchRequest, total: u64) -> Markup {
    let last = last_page(total, req.per_page);
    if last <= 1 && req.page == 1 {
        return html! {};
    }
    html! {
        nav.pagination aria-label=(t("pages-label")) {
            ul {
                @if req.page > 1 {
                    li { a rel="prev" href=(urls::page_url(req, (req.page - 1).min(last))) { "‹ " (t("previous")) span.vh { " " (t("page-word")) } } }
                }
                @for slot in window(req.page, last) {
                    @match slot {
                        Some(p) if p == req.page => {
                            li { a href=(urls::page_url(req, p)) aria-current="page" { span.vh { (t("page-cap")) " " } (p) } }
                        }
                        Some(p) => {
                            li { a href=(urls::page_url(req, p)) { span.vh { (t("page-cap")) " " } (p) } }
                        }
                        None => { li.gap aria-hidden="true" { "…" } }
                    }
                }
                @if req.page < last {
                    li { a rel="next" href=(urls::page_url(req, req.page + 1)) { (t("next")) span.vh { " " (t("page-word")) } " ›" } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window keeps first, last and neighbours, with gaps between.
    #[test]
    fn window_has_gaps() {
        assert_eq!(
            window(6, 12),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
        assert_eq!(last_page(45, 20), 3);
        assert_eq!(last_page(0, 20), 1);
        assert_eq!(last_page(1_000_000, 100), 100);
    }
}
