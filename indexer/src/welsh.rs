//! Welsh initial mutations, folded so that one word is found in all its forms.
//!
//! Welsh changes the first sound of a word after certain words: *Caerdydd*
//! becomes *Gaerdydd* (soft), *Nghaerdydd* (nasal) or *Chaerdydd*
//! (aspirate); a word opening with a vowel takes an *h* after *ei* "her",
//! *ein*, *eu* (*ei henw*). A search for one form must find the others.
//!
//! [`fold`] turns a lowercased, accent-folded word into a key that every
//! form of it shares. The key is the word with its opening rewritten into
//! the voiceless member of its mutation family:
//!
//! | opening          | key  | covers |
//! |------------------|------|--------|
//! | `ngh`, `ch`, `ng`, `g` | `c` | c → g, ngh, ch; g → ng |
//! | `mh`, `ph`, `b`, `f`   | `p` | p → b, mh, ph; b → f |
//! | `nh`, `th`, `dd`, `d`  | `t` | t → d, nh, th; d → dd |
//! | `l`              | `ll` | ll → l |
//! | `r`              | `rh` | rh → r |
//! | `h` + vowel      | (dropped) | h- before vowels |
//! | `ff`, `ll`, `rh` | kept | radicals that never come from a mutation |
//!
//! Index and query share the fold, so a query in any form finds a text in
//! any form. Choices, each trading a little precision for recall:
//!
//! - `f` is the soft form of both `b` and `m`; one key must be picked, and
//!   `b` words (*bod*, *blwyddyn*, *benthyg*, *babanod*) are the more
//!   common in library writing, so `f` → `p`. Soft `m` (*mawr* → *fawr*) is
//!   not folded: folding `m` into the `p` family would merge *mae* with *bae*.
//! - Nasal `d` → `n` and nasal `b` → `m` are not folded: `n` and `m` open
//!   far more radical words (*nid*, *newydd*, *mae*, *mwy*) than mutated ones.
//! - `ng` is read as the nasal form of `g`: native words do not open with it.
//! - Soft `g` deletes the letter (*gardd* → *ardd*): a vowel-initial word
//!   cannot be told from a radical one without a dictionary, so it is left.
//! - Radical `ch`, `th`, `ph` words (*chwarae*, *theatr*) get the same key in
//!   every text and query, so they are still found; only a word that differs
//!   from another in nothing but that opening is merged with it.
//! - Keys shorter than three letters are not made (*hi*, *di*, *ni*, *chi*
//!   stay apart from *i*, *ti*, *ci*), and [`PROTECTED`] words, frequent and
//!   radical, keep their own spelling because their key is another common
//!   word (*dim* and *tîm*, *gan* and *cân*).

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Frequent radical words whose key would be another word: never folded.
pub const PROTECTED: &[&str] = &[
    "dim", "dan", "deg", "dal", "dwr", "gan", "gall", "gof", "gyd", "gwr", "bara", "fel", "fan",
    "lan", "hwyl", "hwyr",
];

/// The shortest key a fold may produce.
const MIN_KEY: usize = 3;

/// Rewrites of a word's opening, longest first (`ngh` before `ng` before `g`).
const OPENINGS: &[(&str, &str)] = &[
    ("ngh", "c"),
    ("ng", "c"),
    ("ch", "c"),
    ("mh", "p"),
    ("ph", "p"),
    ("nh", "t"),
    ("th", "t"),
    ("dd", "t"),
    // Radicals that are no mutation: kept as they are.
    ("ff", "ff"),
    ("ll", "ll"),
    ("rh", "rh"),
    ("g", "c"),
    ("b", "p"),
    ("f", "p"),
    ("d", "t"),
    ("l", "ll"),
    ("r", "rh"),
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'w' | 'y')
}

/// The key of a lowercased, accent-folded word, or `None` when it is its own key.
pub fn fold(word: &str) -> Option<String> {
    if PROTECTED.contains(&word) {
        return None;
    }
    for (from, to) in OPENINGS {
        if let Some(rest) = word.strip_prefix(from) {
            if from == to {
                return None;
            }
            let key = format!("{to}{rest}");
            return (key.len() >= MIN_KEY).then_some(key);
        }
    }
    let rest = word.strip_prefix('h')?;
    (rest.starts_with(is_vowel) && rest.len() >= MIN_KEY).then(|| rest.to_string())
}

/// The key opening of a word's first letters, for `prefix*` queries: the
/// opening is rewritten as [`fold`] does, whatever the length.
pub fn fold_prefix(prefix: &str) -> String {
    for (from, to) in OPENINGS {
        if let Some(rest) = prefix.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    match prefix.strip_prefix('h') {
        Some(rest) if rest.starts_with(is_vowel) => rest.to_string(),
        _ => prefix.to_string(),
    }
}

/// A Tantivy token filter applying [`fold`] to every token.
#[derive(Clone, Copy, Debug, Default)]
pub struct MutationFolder;

impl TokenFilter for MutationFolder {
    type Tokenizer<T: Tokenizer> = MutationFolderFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        MutationFolderFilter { tokenizer }
    }
}

/// The tokenizer [`MutationFolder`] wraps around another.
#[derive(Clone)]
pub struct MutationFolderFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for MutationFolderFilter<T> {
    type TokenStream<'a> = MutationFolderStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MutationFolderStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

/// Tokens of the wrapped stream with their keys in place of their text.
pub struct MutationFolderStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for MutationFolderStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(mut key) = fold(&token.text) {
            mem::swap(&mut token.text, &mut key);
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
    use super::*;

    fn key(word: &str) -> String {
        fold(word).unwrap_or_else(|| word.to_string())
    }

    /// Every mutated form of a word shares the radical's key, family by family.
    #[test]
    fn mutated_forms_share_the_radical_key() {
        let families: &[&[&str]] = &[
            &["caerdydd", "gaerdydd", "nghaerdydd", "chaerdydd"],
            &["cymru", "gymru", "nghymru", "chymru"],
            &["cyfrifiadur", "gyfrifiadur", "nghyfrifiadur"],
            &["pobl", "bobl", "mhobl", "phobl"],
            &["teulu", "deulu", "nheulu", "theulu"],
            &["gwynedd", "ngwynedd"],
            &["benthyg", "fenthyg"],
            &["digidol", "ddigidol"],
            &["llyfrgell", "lyfrgell"],
            &["rhaglen", "raglen"],
            &["awdur", "hawdur"],
            &["iaith", "hiaith"],
        ];
        for family in families {
            let radical = key(family[0]);
            for form in family.iter() {
                assert_eq!(key(form), radical, "{form} vs {}", family[0]);
            }
        }
    }

    /// English words quoted in Welsh text (names of schemes, loans) are
    /// folded too; measure how many distinct English words of the bundled
    /// English resources would then share a key with another English word
    /// (*down* with *town*, *gold* with *cold*). Few do, so an English term
    /// inside a Welsh resource is still found without many strangers.
    #[test]
    fn english_words_rarely_merge() {
        use std::collections::{BTreeMap, BTreeSet};
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let loaded = crate::corpus::Corpus::load(&corpus).expect("bundled corpus");
        let mut plain = crate::schema::KbSchema::new().analyzer(crate::schema::Analysis::Plain);
        let mut words = BTreeSet::new();
        for entry in loaded
            .entries
            .iter()
            .filter(|e| e.resource.language == "en")
        {
            let r = &entry.resource;
            let text = format!(
                "{} {} {}",
                r.title,
                r.summary,
                crate::markdown::to_text(&r.body)
            );
            for word in crate::schema::analyse(&mut plain, &text) {
                if word.chars().all(|c| c.is_ascii_alphabetic()) {
                    words.insert(word);
                }
            }
        }
        let mut by_key: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for w in &words {
            by_key.entry(key(w)).or_default().push(w);
        }
        let merged: Vec<&Vec<&String>> = by_key.values().filter(|g| g.len() > 1).collect();
        let merged_words: usize = merged.iter().map(|g| g.len()).sum();
        let rate = merged_words as f64 / words.len() as f64;
        println!(
            "English word types: {}; sharing a key with another: {merged_words} ({:.2}%); e.g. {:?}",
            words.len(),
            rate * 100.0,
            merged.iter().take(12).collect::<Vec<_>>()
        );
        assert!(words.len() > 1000, "{}", words.len());
        assert!(rate < 0.03, "{rate}");
    }

    /// Frequent radical words keep a key of their own, and short words are left.
    #[test]
    fn protected_and_short_words_stay_apart() {
        assert_ne!(key("dim"), key("tim"));
        assert_ne!(key("gan"), key("can"));
        assert_ne!(key("fel"), key("pel"));
        assert_eq!(key("hi"), "hi");
        assert_eq!(key("chi"), "chi");
        assert_eq!(key("hyn"), "hyn");
        assert_eq!(key("ffôn"), "ffôn");
        assert_eq!(key("mawr"), "mawr");
    }
}
