//! English stemming that remembers: the Snowball English stemmer tantivy's
//! own `Stemmer` filter runs (the `frostem` crate), asked once per distinct
//! word an analyzer meets rather than once per occurrence. Words repeat
//! (a few thousand make up most of any English text), and stemming was a
//! fifth of a full build's CPU.

use rustc_hash::FxHashMap as HashMap;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Distinct words an analyzer remembers before it starts afresh, so that
/// memory stays bounded on any vocabulary.
const REMEMBERED: usize = 1 << 14;

/// The English stemming filter (the same stems as tantivy's
/// `Stemmer::new(Language::English)`).
#[derive(Clone, Copy, Debug, Default)]
pub struct EnglishStemmer;

impl TokenFilter for EnglishStemmer {
    type Tokenizer<T: Tokenizer> = EnglishStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> EnglishStemmerFilter<T> {
        EnglishStemmerFilter {
            inner: tokenizer,
            stems: HashMap::default(),
        }
    }
}

/// [`EnglishStemmer`] over a tokenizer, with the stems met so far.
pub struct EnglishStemmerFilter<T> {
    inner: T,
    stems: HashMap<String, String>,
}

// A copy starts with no memory: analyzers are cloned per indexing thread
// and per query, and copying a full memory would cost more than it saves.
impl<T: Clone> Clone for EnglishStemmerFilter<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            stems: HashMap::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for EnglishStemmerFilter<T> {
    type TokenStream<'a> = EnglishStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() >= REMEMBERED {
            self.stems.clear();
        }
        EnglishStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

/// The tokens of one text, stemmed.
pub struct EnglishStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut HashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for EnglishStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.stems.get(token.text.as_str()) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.stems.insert(word, stem);
            }
        }
        true
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
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;

    /// Every word of the bundled corpus, read twice over by one analyzer
    /// (the second time from its memory), and again by a copy of it, gets
    /// the stem tantivy's own English stemmer gives.
    #[test]
    fn stems_are_tantivys_the_first_time_and_after() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let mut text = String::new();
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.expect("corpus entry");
            if entry.path().extension().is_some_and(|e| e == "md") {
                text.push_str(&std::fs::read_to_string(entry.path()).expect("read"));
                text.push('\n');
            }
        }
        let analyse = |analyzer: &mut TextAnalyzer| crate::schema::analyse(analyzer, &text);
        let mut tantivys = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut ours = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(EnglishStemmer)
            .build();
        let expected = analyse(&mut tantivys);
        assert!(expected.len() > 10_000, "{} words", expected.len());
        assert_eq!(analyse(&mut ours), expected);
        assert_eq!(analyse(&mut ours), expected);
        assert_eq!(analyse(&mut ours.clone()), expected);
    }
}
