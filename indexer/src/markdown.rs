//! Markdown to plain text (for indexing and snippets) and to safe HTML (for display).
//!
//! Plain text keeps headings, paragraphs, list items and link text, and drops
//! URLs, images and raw HTML. HTML output goes through ammonia, so scripts,
//! event handlers, `javascript:` URLs and stray tags never reach a browser.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The words of a Markdown document, blocks separated by newlines.
pub fn to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_image = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(text) | Event::Code(text) if in_image == 0 => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) if !out.ends_with('\n') => {
                out.push('\n');
            }
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// Markdown rendered to HTML and sanitised for display.
pub fn to_html(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    sanitise(&raw)
}

/// Clean untrusted HTML: keeps structure and links, drops scripts, styles,
/// event handlers and any URL scheme other than http, https and mailto.
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Headings and link text are searchable; URLs and images are not.
    #[test]
    fn text_keeps_words_and_drops_urls() {
        let text = to_text(
            "# Context\n\nSee [the report](https://example.org/r.pdf) and ![chart](c.png).\n\n- one\n- two",
        );
        assert!(text.contains("Context"));
        assert!(text.contains("the report"));
        assert!(!text.contains("example.org"));
        assert!(!text.contains("chart"));
        assert!(text.contains("one\ntwo"));
    }

    /// Raw HTML in Markdown never reaches the plain text.
    #[test]
    fn text_drops_raw_html() {
        let text = to_text("Hello <script>alert(1)</script> world");
        assert!(!text.contains("<script"), "{text}");
    }

    /// Known XSS payloads come out inert.
    #[test]
    fn html_is_sanitised() {
        let payloads = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<object data=\"x\"></object><embed src=x>",
            "<body onload=alert(1)>",
            "<form action=\"https://evil.example\"><input></form>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        ];
        for payload in payloads {
            let html = to_html(payload).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onload",
                "javascript:",
                "<iframe",
                "style=",
                "<object",
                "<embed",
                "<form",
                "data:text",
            ] {
                assert!(!html.contains(bad), "{payload:?} produced {html:?}");
            }
        }
    }

    /// Ordinary Markdown keeps its structure.
    #[test]
    fn html_keeps_structure() {
        let html = to_html("## Outcomes\n\n* **120** visits\n\n[Report](https://example.org)");
        assert!(html.contains("<h2>Outcomes</h2>"));
        assert!(html.contains("<strong>120</strong>"));
        assert!(html.contains("href=\"https://example.org\""));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    }
}
