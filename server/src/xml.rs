//! A small XML writer over quick-xml for the feeds, the sitemap and OAI-PMH.
//!
//! Every text and attribute value is escaped by quick-xml; characters that
//! XML 1.0 forbids outright (most C0 controls) are dropped first, because no
//! escaping can make them legal and one stray byte in a corpus file must not
//! break a partner's harvest.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// An XML document being written into memory.
pub struct Xml {
    writer: Writer<Vec<u8>>,
}

/// Drop characters XML 1.0 cannot carry.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let legal = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    if text.chars().all(legal) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|c| legal(*c)).collect())
    }
}

/// `2024-05-01T09:30:00Z`: RFC 3339 in UTC to the second, as OAI-PMH, Atom and
/// sitemaps all accept.
pub fn utc_seconds(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}

// Writing into a `Vec<u8>` cannot fail, so the `io::Result`s quick-xml returns
// are discarded below rather than threaded through every caller.
impl Xml {
    /// A new document with the `<?xml version="1.0" encoding="UTF-8"?>` declaration.
    pub fn new() -> Self {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 1);
        let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        Self { writer }
    }

    /// A fragment without the declaration, to be spliced in with [`Xml::raw`].
    pub fn fragment() -> Self {
        Self {
            writer: Writer::new_with_indent(Vec::new(), b' ', 1),
        }
    }

    /// Append a finished fragment.
    pub fn raw(&mut self, fragment: Xml) {
        let bytes = fragment.writer.into_inner();
        if !bytes.is_empty() {
            let out = self.writer.get_mut();
            out.push(b'\n');
            out.extend_from_slice(&bytes);
        }
    }

    /// Open an element with attributes.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, clean(v).as_ref()));
        }
        let _ = self.writer.write_event(Event::Start(start));
        self
    }

    /// Close an element.
    pub fn close(&mut self, name: &str) -> &mut Self {
        let _ = self.writer.write_event(Event::End(BytesEnd::new(name)));
        self
    }

    /// An element holding only text.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.open(name, attrs);
        let _ = self
            .writer
            .write_event(Event::Text(BytesText::new(clean(text).as_ref())));
        self.close(name)
    }

    /// An empty element.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, clean(v).as_ref()));
        }
        let _ = self.writer.write_event(Event::Empty(start));
        self
    }

    /// The finished document.
    pub fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        bytes
    }

    /// The finished document as a response with this content type.
    pub fn respond(self, content_type: &'static str) -> Response {
        ([(header::CONTENT_TYPE, content_type)], self.finish()).into_response()
    }
}

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markup in text and attributes is escaped and illegal control characters
    /// are dropped, so the output always parses.
    #[test]
    fn escapes_and_cleans() {
        let mut x = Xml::new();
        x.text("t", &[("a", "\"<&>")], "a < b & c \u{1} d");
        let out = String::from_utf8(x.finish()).expect("utf-8");
        assert!(out.contains("a=\"&quot;&lt;&amp;&gt;\""), "{out}");
        assert!(out.contains("a &lt; b &amp; c  d"), "{out}");
    }
}
