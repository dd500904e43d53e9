//! Highlighted snippets: matched words wrapped in `<mark>`, all else escaped.

use std::collections::HashMap;

use kb_indexer::markdown;
use kb_indexer::resource::Resource;
use kb_indexer::schema::{Analysis, KbSchema, Part};
use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

/// Longest body snippet, in characters.
pub const BODY_SNIPPET_CHARS: usize = 220;
/// How much of a body is searched for the snippet.
pub const BODY_SCAN_BYTES: usize = 6000;

/// Makes snippets for the hits of one query, reusing a generator per field.
pub struct Highlighter<'a> {
    searcher: &'a Searcher,
    schema: &'a KbSchema,
    query: &'a dyn Query,
    generators: HashMap<Field, Option<SnippetGenerator>>,
    probes: HashMap<Field, Vec<String>>,
}

/// Bytes kept before and after the first probe match.
const WINDOW_BEFORE: usize = 240;
const WINDOW_AFTER: usize = 720;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The part of `text` around the earliest word starting with a probe, or
/// the opening when no probe is found.
///
/// ```text
/// window("... a long text about reading groups ...", ["read"]) → "…about reading groups …"
/// ```
fn window<'t>(text: &'t str, probes: &[String]) -> &'t str {
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; then scan the original.
    let haystack = if lower.len() == text.len() {
        lower.as_str()
    } else {
        text
    };
    let first = probes
        .iter()
        .filter_map(|p| {
            // Words without spaces (Japanese, Chinese) start anywhere.
            let anywhere = p.chars().next().is_some_and(kb_indexer::cjk::is_cjk);
            haystack
                .match_indices(p.as_str())
                .map(|(i, _)| i)
                .find(|&i| {
                    anywhere
                        || i == 0
                        || !haystack[..i]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric)
                })
        })
        .min();
    let (start, end) = match first {
        Some(i) => (i.saturating_sub(WINDOW_BEFORE), i + WINDOW_AFTER),
        None => (0, BODY_SCAN_BYTES),
    };
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, end);
    // Start on a word boundary so the snippet does not open mid-word.
    let start = if start == 0 {
        0
    } else {
        text[start..end].find(' ').map_or(start, |s| start + s + 1)
    };
    &text[start.min(end)..end]
}

impl<'a> Highlighter<'a> {
    /// A highlighter for `query`.
    pub fn new(searcher: &'a Searcher, schema: &'a KbSchema, query: &'a dyn Query) -> Self {
        Self {
            searcher,
            schema,
            query,
            generators: HashMap::new(),
            probes: HashMap::new(),
        }
    }

    /// Leading characters of the query's terms in a field: a word that
    /// stems to a term starts with them (`librari` ← "library" starts "libr").
    fn probes(&mut self, field: Field) -> Vec<String> {
        let query = self.query;
        self.probes
            .entry(field)
            .or_insert_with(|| {
                let mut out = Vec::new();
                query.query_terms(&mut |term, _| {
                    if term.field() == field
                        && let Some(text) = term.value().as_str()
                    {
                        let probe: String = text.chars().take(4).collect();
                        if !probe.is_empty() && !out.contains(&probe) {
                            out.push(probe);
                        }
                    }
                });
                out
            })
            .clone()
    }

    fn snippet(
        &mut self,
        part: Part,
        analysis: Analysis,
        text: &str,
        max_chars: usize,
    ) -> Option<String> {
        let field = self.schema.text_field(part, analysis);
        let generator = self.generators.entry(field).or_insert_with(|| {
            let mut g = SnippetGenerator::create(self.searcher, self.query, field).ok()?;
            g.set_max_num_chars(max_chars);
            Some(g)
        });
        let mut snippet = generator.as_ref()?.snippet(text);
        if snippet.highlighted().is_empty() {
            return None;
        }
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        Some(snippet.to_html())
    }

    /// Highlights for a hit: `title` and `summary` when they match, `body` always
    /// (the opening words when nothing in the body matches).
    pub fn highlight(&mut self, r: &Resource) -> HashMap<&'static str, String> {
        let analysis = Analysis::for_language(&r.language);
        let mut out = HashMap::new();
        if let Some(t) = self.snippet(Part::Title, analysis, &r.title, 1000) {
            out.insert("title", t);
        }
        if let Some(s) = self.snippet(Part::Summary, analysis, &r.summary, 1000) {
            out.insert("summary", s);
        }
        // Tokenising (and stemming) a whole multi-kilobyte body for every hit
        // dominated search time, so the snippet is cut from a window around
        // the first place a query term could start, found by a plain text scan.
        let full = markdown::to_text(&r.body).replace('\n', " ");
        let field = self.schema.text_field(Part::Body, analysis);
        let probes = self.probes(field);
        let body = window(&full, &probes).to_string();
        let body_snippet = self
            .snippet(Part::Body, analysis, &body, BODY_SNIPPET_CHARS)
            .unwrap_or_else(|| {
                let cut: String = body.chars().take(BODY_SNIPPET_CHARS).collect();
                let cut = if cut.len() < body.len() {
                    match cut.rfind(' ') {
                        Some(i) => format!("{}…", &cut[..i]),
                        None => cut,
                    }
                } else {
                    cut
                };
                html_escape::encode_text(&cut).to_string()
            });
        out.insert("body", body_snippet);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window opens shortly before the first word a probe starts, on a
    /// word boundary, and falls back to the opening when nothing matches.
    #[test]
    fn window_finds_the_first_match() {
        let text = format!(
            "{} reading groups met weekly.",
            "filler words here ".repeat(40)
        );
        let w = window(&text, &["read".to_string()]);
        assert!(w.contains("reading groups"));
        assert!(w.len() < text.len());
        assert!(!w.starts_with(char::is_whitespace));
        assert!(window("unrelated", &["zzz".to_string()]).starts_with("unrelated"));
        // Not inside another word: "bread" does not match the probe "read".
        let text = format!("bread {} reading", "x ".repeat(400));
        let w = window(&text, &["read".to_string()]);
        assert!(w.contains("reading") && !w.contains("bread"));
        // Japanese matches anywhere in a run of characters.
        assert!(window("今日は図書館で本を読みました", &["図書館".to_string()]).contains("図書館"));
    }
}
