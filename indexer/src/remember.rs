//! Analysis that remembers: a chain's word filters (lowercasing, accent
//! folding, stop words, stemming) run once per distinct word an analyzer
//! meets rather than once per occurrence. Words repeat (a few thousand make
//! up most of any English text): a build spent a third of its CPU passing
//! each occurrence through the English filters, the stemmer alone a fifth.
//!
//! [`Remember`] wraps a one-word analyzer (a [`RawTokenizer`] followed by
//! the filters), so the tokens it gives are the chain's own by
//! construction; it only decides when to ask.
//!
//! [`RawTokenizer`]: tantivy::tokenizer::RawTokenizer

use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

/// Distinct words an analyzer remembers; later words are analysed each
/// time they come, so memory stays bounded (about 7 MB when full) on any
/// vocabulary. The words met first are the common ones: on the benchmark's
/// real English text (184,000 distinct words in 34 million), the first
/// 65,536 leave 5 % of occurrences to analyse, where the stemmer's memory
/// before, starting afresh each 16,384 words, left 16 %. Full builds of
/// that text with 16,384 to 131,072 took the same time within the
/// machine's noise: the larger table costs in cache misses what it saves
/// in analyses.
const REMEMBERED: usize = 1 << 16;

/// A token filter giving each word what `per_word` makes of it alone:
/// one token, or none when the filters drop it (a stop word).
#[derive(Clone)]
pub struct Remember {
    per_word: TextAnalyzer,
}

impl Remember {
    /// `per_word` must take its whole input as one token (start with a
    /// `RawTokenizer`) and keep or drop it whole.
    pub fn new(per_word: TextAnalyzer) -> Self {
        Self { per_word }
    }
}

impl TokenFilter for Remember {
    type Tokenizer<T: Tokenizer> = RememberFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberFilter<T> {
        RememberFilter {
            inner: tokenizer,
            per_word: self.per_word,
            words: HashMap::default(),
        }
    }
}

/// [`Remember`] over a tokenizer, with the words met so far.
pub struct RememberFilter<T> {
    inner: T,
    per_word: TextAnalyzer,
    /// Each word as the tokenizer gave it, and what the filters made of it,
    /// both held in the table itself up to 24 bytes: a lookup reads one
    /// place in memory rather than following a pointer to each word.
    words: HashMap<CompactString, Option<CompactString>>,
}

// A copy starts with no memory: analyzers are cloned per indexing thread
// and per query, and copying a full memory would cost more than it saves.
impl<T: Clone> Clone for RememberFilter<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            per_word: self.per_word.clone(),
            words: HashMap::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for RememberFilter<T> {
    type TokenStream<'a> = RememberStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberStream {
            tail: self.inner.token_stream(text),
            per_word: &mut self.per_word,
            words: &mut self.words,
        }
    }
}

/// The tokens of one text, each word's from memory when it was met before.
pub struct RememberStream<'a, T> {
    tail: T,
    per_word: &'a mut TextAnalyzer,
    words: &'a mut HashMap<CompactString, Option<CompactString>>,
}

/// What `per_word` makes of `word` alone.
fn analyse_word(per_word: &mut TextAnalyzer, word: &str) -> Option<CompactString> {
    let mut stream = per_word.token_stream(word);
    let kept = stream
        .advance()
        .then(|| stream.token().text.as_str().into());
    debug_assert!(!stream.advance(), "a one-word analyzer gave two tokens");
    kept
}

impl<T: TokenStream> TokenStream for RememberStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            match self.words.get(token.text.as_str()) {
                Some(Some(made)) => {
                    token.text.clear();
                    token.text.push_str(made);
                    return true;
                }
                // Dropped words leave their position empty, as the filters do.
                Some(None) => continue,
                None => {}
            }
            let made = analyse_word(self.per_word, &token.text);
            if self.words.len() < REMEMBERED {
                self.words.insert(token.text.as_str().into(), made.clone());
            }
            if let Some(made) = made {
                token.text = made.into_string();
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        StopWordFilter,
    };

    use crate::schema::{Analysis, ENGLISH_STOP_WORDS, KbSchema};

    use super::*;

    /// Every token of a text: its position, its byte offsets and its text.
    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, usize, usize, String)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.position, t.offset_from, t.offset_to, t.text.clone()));
        }
        out
    }

    /// The bundled corpus's resource files, one after the other.
    fn corpus_text() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let mut text = String::new();
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.expect("corpus entry");
            if entry.path().extension().is_some_and(|e| e == "md") {
                text.push_str(&std::fs::read_to_string(entry.path()).expect("read"));
                text.push('\n');
            }
        }
        text
    }

    /// The English analysis gives the tokens of tantivy's own filters run on
    /// every occurrence (stems, dropped stop words with their positions left
    /// empty, offsets), the first time, from memory, from a copy, and after
    /// its memory is full.
    #[test]
    fn remembered_english_is_the_filters_own() {
        let mut text = corpus_text();
        text.push_str(" The THE tHe Café CAFÉS naïve über-long");
        let mut filters = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(StopWordFilter::remove(
                ENGLISH_STOP_WORDS.iter().map(|w| (*w).to_string()),
            ))
            .filter(Stemmer::new(Language::English))
            .build();
        let mut ours = KbSchema::new().analyzer(Analysis::English);
        let expected = tokens(&mut filters, &text);
        assert!(expected.len() > 10_000, "{} tokens", expected.len());
        assert!(expected.iter().any(|t| t.3 == "cafe"));
        assert_eq!(tokens(&mut ours, &text), expected);
        assert_eq!(tokens(&mut ours, &text), expected);
        assert_eq!(tokens(&mut ours.clone(), &text), expected);
        // More distinct words than it remembers: the later ones are analysed
        // each time.
        let many: String = (0..REMEMBERED + 10).map(|i| format!("W{i}s ")).collect();
        let mut fresh = ours.clone();
        assert_eq!(tokens(&mut fresh, &many), tokens(&mut filters, &many));
        assert_eq!(tokens(&mut fresh, &many), tokens(&mut filters, &many));
        assert_eq!(tokens(&mut fresh, &text), expected);
    }
}
