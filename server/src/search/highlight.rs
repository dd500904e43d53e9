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
}

impl<'a> Highlighter<'a> {
    /// A highlighter for `query`.
    pub fn new(searcher: &'a Searcher, schema: &'a KbSchema, query: &'a dyn Query) -> Self {
        Self {
            searcher,
            schema,
            query,
            generators: HashMap::new(),
        }
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
        // Snippets come from the opening of long bodies: tokenising whole
        // multi-kilobyte texts for every hit would dominate search time.
        let mut body = markdown::to_text(&r.body).replace('\n', " ");
        if body.len() > BODY_SCAN_BYTES {
            let cut = (0..=BODY_SCAN_BYTES)
                .rev()
                .find(|&i| body.is_char_boundary(i))
                .unwrap_or(0);
            body.truncate(cut);
        }
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
