//! Analysis for Chinese, Japanese and Korean text.
//!
//! Japanese is segmented into morphemes by lindera with the IPADIC
//! dictionary, built offline from Debian's `mecab-ipadic` source
//! (`/usr/share/mecab/dic/ipadic`, EUC-JP) into a cache folder on first use.
//! Chinese and Korean, and Japanese when the dictionary source is missing,
//! are cut into overlapping character bigrams, the approach of Lucene's
//! CJKAnalyzer. Both normalise each character with NFKC (full-width Latin and
//! digits become ASCII, half-width katakana become full-width) and lowercase
//! Latin, while keeping offsets into the original text so highlights land on
//! the right characters.
//!
//! The dictionary belongs to a [`Japanese`] value (its cache folder and the
//! segmenter, loaded on first use); tokenizers hold one, and so does a
//! `KbSchema`, whose analyzers use it: the server and `kb-index build` make
//! one caching under `<data>/dictionaries`, so two indexes in one process
//! can be analysed differently. `KbSchema::new()` (tests, `kb-index eval`)
//! takes the process default, which caches under the temporary folder.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, OnceLock};

use lindera::dictionary::{DictionaryBuilder, Metadata, load_dictionary};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Where Debian's `mecab-ipadic` package puts the IPADIC source.
pub const IPADIC_SOURCE: &str = "/usr/share/mecab/dic/ipadic";
/// Name of the built dictionary folder inside the cache folder.
const BUILT_NAME: &str = "ipadic-lindera-6";

/// The IPADIC segmenter, once a [`Japanese`] of this process has loaded it.
/// The dictionary is the same data whichever folder caches it, so other
/// values share it rather than build it again (seconds) into their own
/// folder: a process with several engines, tests above all, builds it once.
static LOADED: OnceLock<Arc<Segmenter>> = OnceLock::new();

/// The process's default [`Japanese`], caching its dictionary under the
/// temporary folder.
static DEFAULT: LazyLock<Arc<Japanese>> =
    LazyLock::new(|| Japanese::new(&std::env::temp_dir().join("kb-dictionaries")));

/// Text normalised per character, with the original byte offset of each normalised byte.
struct Normalised {
    text: String,
    origin: Vec<usize>,
    original_len: usize,
}

fn normalise(text: &str) -> Normalised {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (offset, c) in text.char_indices() {
        for n in std::iter::once(c).nfkc().flat_map(char::to_lowercase) {
            let before = out.len();
            out.push(n);
            origin.extend(std::iter::repeat_n(offset, out.len() - before));
        }
    }
    origin.push(text.len());
    Normalised {
        text: out,
        origin,
        original_len: text.len(),
    }
}

impl Normalised {
    fn map(&self, byte: usize) -> usize {
        self.origin.get(byte).copied().unwrap_or(self.original_len)
    }

    /// The original offset just past the character that ends at normalised `byte`.
    fn map_end(&self, byte: usize) -> usize {
        if byte >= self.text.len() {
            return self.original_len;
        }
        let start = self.map(byte);
        // Several normalised bytes may come from one original character.
        if byte > 0 && self.map(byte - 1) == start {
            self.next_original(start)
        } else {
            start
        }
    }

    fn next_original(&self, start: usize) -> usize {
        self.origin
            .iter()
            .copied()
            .find(|&o| o > start)
            .unwrap_or(self.original_len)
    }
}

/// Whether a character belongs to a CJK script (Han, kana, Hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x1100..=0x11FF    // Hangul jamo
        | 0x3130..=0x318F    // Hangul compatibility jamo
        | 0x31F0..=0x31FF    // Katakana extensions
        | 0x20000..=0x2FFFF) // CJK extensions B+
}

/// Whether the tokens of `text` under this module's analyses could include
/// one of `terms` (token texts of those analyses): `false` only when no
/// term's first character occurs in the text as normalised for tokenising.
/// Every token is a stretch of the normalised text, except that verbs and
/// adjectives carry their dictionary form, which keeps the first character
/// of the written form unless that is a kana (する from し, くる from こ):
/// a term opening with a kana therefore always may occur. Lets snippets skip
/// segmenting a text no query term can be in.
pub fn may_contain(text: &str, terms: &[String]) -> bool {
    let Some(firsts) = term_openings(terms) else {
        return true;
    };
    text.chars().any(|c| folds_into(c, |n| firsts.contains(&n)))
}

/// The first characters of `terms`; `None` when one opens with a kana,
/// whose terms may occur anywhere (see [`may_contain`]).
fn term_openings(terms: &[String]) -> Option<Vec<char>> {
    let firsts: Vec<char> = terms.iter().filter_map(|t| t.chars().next()).collect();
    (!firsts.iter().any(|&c| matches!(c as u32, 0x3040..=0x30FF))).then_some(firsts)
}

/// Whether `c`, normalised and lowercased as tokens are, gives a character
/// `wanted` accepts. ASCII, the unified ideographs and the kana letters are
/// their own normal form; so is any character NFKC's quick check passes,
/// which leaves only its case to fold. Only the others go through NFKC,
/// which is slow one at a time.
fn folds_into(c: char, mut wanted: impl FnMut(char) -> bool) -> bool {
    match c as u32 {
        0..=0x7F => wanted(c.to_ascii_lowercase()),
        0x4E00..=0x9FFF | 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC => wanted(c),
        _ if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes => c.to_lowercase().any(wanted),
        _ => std::iter::once(c)
            .nfkc()
            .flat_map(char::to_lowercase)
            .any(wanted),
    }
}

/// Every character `text` gives once normalised and lowercased, sorted: a
/// text's [`may_contain`] answer for any terms, found once
/// ([`may_open`]).
pub fn openings(text: &str) -> Box<[char]> {
    let mut seen: Vec<char> = Vec::new();
    for c in text.chars() {
        folds_into(c, |n| {
            seen.push(n);
            false
        });
    }
    seen.sort_unstable();
    seen.dedup();
    seen.into_boxed_slice()
}

/// [`may_contain`] for the text whose [`openings`] these are.
pub fn may_open(openings: &[char], terms: &[String]) -> bool {
    term_openings(terms)
        .is_none_or(|firsts| firsts.iter().any(|c| openings.binary_search(c).is_ok()))
}

fn emit(tokens: &mut Vec<Token>, n: &Normalised, start: usize, end: usize) {
    let position = tokens.len();
    tokens.push(Token {
        offset_from: n.map(start),
        offset_to: n.map_end(end),
        position,
        text: n.text[start..end].to_string(),
        position_length: 1,
    });
}

/// Bigrams over runs of CJK characters, whole words elsewhere.
pub fn bigrams(text: &str) -> Vec<Token> {
    let n = normalise(text);
    let chars: Vec<(usize, char)> = n.text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i].1) {
                i += 1;
            }
            let end_byte = |k: usize| chars.get(k).map_or(n.text.len(), |(b, _)| *b);
            if i - start == 1 {
                emit(&mut tokens, &n, chars[start].0, end_byte(start + 1));
            } else {
                for (k, (byte, _)) in chars.iter().enumerate().take(i - 1).skip(start) {
                    emit(&mut tokens, &n, *byte, end_byte(k + 2));
                }
            }
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].1.is_alphanumeric() && !is_cjk(chars[i].1) {
                i += 1;
            }
            let end = chars.get(i).map_or(n.text.len(), |(b, _)| *b);
            if end - chars[start].0 <= 40 {
                emit(&mut tokens, &n, chars[start].0, end);
            }
        } else {
            i += 1;
        }
    }
    tokens
}

/// One morpheme: byte range in the normalised text, part of speech, base form.
struct Morpheme {
    start: usize,
    end: usize,
    surface: String,
    pos: String,
    base: String,
}

fn segment(segmenter: &Segmenter, text: &str) -> Option<Vec<Morpheme>> {
    let found = segmenter.segment(std::borrow::Cow::Borrowed(text)).ok()?;
    Some(
        found
            .into_iter()
            .map(|mut t| Morpheme {
                start: t.byte_start,
                end: t.byte_end,
                surface: t.surface.to_string(),
                pos: t.get_detail(0).unwrap_or("").to_string(),
                base: t.get_detail(6).unwrap_or("*").to_string(),
            })
            .collect(),
    )
}

/// Parts of speech left out of the index, as Lucene's Japanese analyzer does:
/// particles, auxiliary verbs and symbols carry grammar, not topic.
const SKIPPED_POS: &[&str] = &["助詞", "助動詞", "記号", "フィラー"];

/// Morphemes from lindera, without particles, auxiliaries, punctuation and
/// spaces; verbs and adjectives in their dictionary form (読み → 読む).
fn morphemes(segmenter: &Segmenter, text: &str) -> Vec<Token> {
    let n = normalise(text);
    let Some(found) = segment(segmenter, &n.text) else {
        return bigrams(text);
    };
    let mut tokens = Vec::new();
    for m in found {
        if SKIPPED_POS.contains(&m.pos.as_str()) || !m.surface.chars().any(char::is_alphanumeric) {
            continue;
        }
        emit(&mut tokens, &n, m.start, m.end);
        if matches!(m.pos.as_str(), "動詞" | "形容詞")
            && m.base != "*"
            && !m.base.is_empty()
            && let Some(last) = tokens.last_mut()
        {
            last.text = m.base;
        }
    }
    tokens
}

/// Build the IPADIC dictionary from `source` into `cache/ipadic-lindera-6`.
pub fn build_dictionary(source: &Path, cache: &Path) -> Result<PathBuf, String> {
    let target = cache.join(BUILT_NAME);
    if target.join("metadata.json").exists() {
        return Ok(target);
    }
    std::fs::create_dir_all(cache)
        .map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    let staging = cache.join(format!("{BUILT_NAME}.tmp-{}", std::process::id()));
    let metadata = Metadata {
        name: "ipadic".into(),
        encoding: "EUC-JP".into(),
        ..Default::default()
    };
    DictionaryBuilder::new(metadata)
        .build_dictionary(source, &staging)
        .map_err(|e| {
            format!(
                "building the IPADIC dictionary from {} failed: {e}",
                source.display()
            )
        })?;
    // Another process may have finished first; either copy is complete.
    if std::fs::rename(&staging, &target).is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    Ok(target)
}

fn open(cache: &Path) -> Result<Segmenter, String> {
    let source = Path::new(IPADIC_SOURCE);
    let built = cache.join(BUILT_NAME);
    let path = if built.join("metadata.json").exists() {
        built
    } else if source.join("matrix.def").exists() {
        build_dictionary(source, cache)?
    } else {
        return Err(format!(
            "the Japanese dictionary source {IPADIC_SOURCE} is missing; install it with `apt-get install mecab-ipadic` \
             (Japanese text is indexed with character bigrams until then)"
        ));
    };
    let dictionary = load_dictionary(&path.to_string_lossy())
        .map_err(|e| format!("cannot load {}: {e}", path.display()))?;
    // Search mode splits long compounds (図書館員 → 図書 館員), as Lucene's Japanese
    // analyzer does for search: a query for a part finds the compound.
    Ok(Segmenter::new(
        Mode::Decompose(lindera::mode::Penalty::default()),
        dictionary,
        None,
    ))
}

/// Japanese segmentation: where its dictionary is cached (built there on
/// first use) and the segmenter, loaded when Japanese text is first
/// analysed, so English-only catalogues never pay for the dictionary.
pub struct Japanese {
    /// The cache folder; `None`: bigrams only, never a dictionary.
    cache: Option<PathBuf>,
    segmenter: OnceLock<Option<Arc<Segmenter>>>,
}

impl Japanese {
    /// Segmentation with the dictionary cached under `cache`; bigrams only
    /// when `KB_JAPANESE=bigram` is set.
    pub fn new(cache: &Path) -> Arc<Self> {
        if std::env::var("KB_JAPANESE").is_ok_and(|v| v == "bigram") {
            tracing::warn!("KB_JAPANESE=bigram: Japanese text is indexed with character bigrams");
            return Self::bigrams_only();
        }
        Arc::new(Self {
            cache: Some(cache.to_path_buf()),
            segmenter: OnceLock::new(),
        })
    }

    /// Japanese cut into character bigrams, as Chinese and Korean are.
    pub fn bigrams_only() -> Arc<Self> {
        Arc::new(Self {
            cache: None,
            segmenter: OnceLock::new(),
        })
    }

    /// The segmenter, loading (or building) the dictionary on first use
    /// unless another value of this process already has; `None` when there
    /// is none (bigrams only, or the source is missing, logged once).
    pub fn segmenter(&self) -> Option<Arc<Segmenter>> {
        self.segmenter
            .get_or_init(|| {
                let cache = self.cache.as_ref()?;
                if let Some(loaded) = LOADED.get() {
                    return Some(loaded.clone());
                }
                match open(cache) {
                    Ok(s) => Some(LOADED.get_or_init(|| Arc::new(s)).clone()),
                    Err(message) => {
                        tracing::warn!("{message}");
                        None
                    }
                }
            })
            .clone()
    }

    /// `lindera` when Japanese is segmented by the dictionary, `bigram`
    /// otherwise, decided without loading the dictionary.
    pub fn mode(&self) -> &'static str {
        let available = match self.segmenter.get() {
            Some(loaded) => loaded.is_some(),
            None => self.cache.as_ref().is_some_and(|cache| {
                LOADED.get().is_some()
                    || Path::new(IPADIC_SOURCE).join("matrix.def").exists()
                    || cache.join(BUILT_NAME).join("metadata.json").exists()
            }),
        };
        if available { "lindera" } else { "bigram" }
    }
}

impl std::fmt::Debug for Japanese {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Japanese")
            .field("cache", &self.cache)
            .field("loaded", &self.segmenter.get().is_some())
            .finish()
    }
}

/// The process's default segmentation, caching under the temporary folder.
pub fn default_japanese() -> Arc<Japanese> {
    DEFAULT.clone()
}

/// The default segmenter (see [`Japanese::segmenter`]).
pub fn segmenter() -> Option<Arc<Segmenter>> {
    DEFAULT.segmenter()
}

/// The default segmentation's mode (see [`Japanese::mode`]).
pub fn japanese_mode() -> &'static str {
    DEFAULT.mode()
}

/// A Tantivy tokenizer: lindera morphemes for Japanese, or bigrams.
#[derive(Clone)]
pub struct CjkTokenizer {
    /// Japanese segmentation; `None` for Chinese and Korean.
    japanese: Option<Arc<Japanese>>,
}

impl CjkTokenizer {
    /// Japanese morphemes with the default dictionary (bigrams when it is missing).
    pub fn japanese() -> Self {
        Self::japanese_with(DEFAULT.clone())
    }

    /// Japanese morphemes with `japanese`'s dictionary.
    pub fn japanese_with(japanese: Arc<Japanese>) -> Self {
        Self {
            japanese: Some(japanese),
        }
    }

    /// Bigrams, for Chinese and Korean.
    pub fn bigrams() -> Self {
        Self { japanese: None }
    }
}

/// Tokens produced in one go (texts are short enough that streaming buys nothing).
pub struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let segmenter = self.japanese.as_ref().and_then(|j| j.segmenter());
        let tokens = match segmenter {
            Some(s) => morphemes(&s, text),
            None => bigrams(text),
        };
        VecTokenStream { tokens, index: 0 }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    /// The IPADIC segmenter, or `None` with a printed reason when
    /// `mecab-ipadic` is missing on a developer's machine (CI must have it).
    pub(crate) fn segmenter_or_skip() -> Option<Arc<Segmenter>> {
        let found = segmenter();
        if found.is_none() {
            assert!(
                std::env::var("CI").is_err(),
                "mecab-ipadic must be installed in CI"
            );
            eprintln!("skipped: {IPADIC_SOURCE} missing; apt-get install mecab-ipadic");
        }
        found
    }

    /// A text may hold a term when the term's first character occurs in it
    /// once normalised (full-width Latin included), and always when the term
    /// opens with a kana, whose conjugated forms change it; otherwise not.
    /// A text's kept openings give the same answer.
    #[test]
    fn may_contain_checks_first_characters() {
        let terms = |ts: &[&str]| ts.iter().map(|t| (*t).to_string()).collect::<Vec<_>>();
        let may_contain = |text: &str, terms: &[String]| {
            let scanned = may_contain(text, terms);
            assert_eq!(
                may_open(&openings(text), terms),
                scanned,
                "{text} {terms:?}"
            );
            scanned
        };
        assert!(may_contain("図書館で本を読みました", &terms(&["読む"])));
        assert!(may_contain("ＤＥＭＥＮＴＩＡ ケア", &terms(&["dementia"])));
        assert!(!may_contain(
            "図書館で本を読みました",
            &terms(&["認知症", "dementia"])
        ));
        assert!(may_contain("図書館", &terms(&["する"])));
        // Kana and accented capitals are their own normal form; a capital
        // still folds to the term's case, and a compatibility character to
        // its normal form.
        assert!(!may_contain("カードをつくる", &terms(&["本"])));
        assert!(may_contain("カード ÉCOLE", &terms(&["école"])));
        assert!(may_contain("第①回", &terms(&["1"])));
        assert!(!may_contain("", &terms(&["本"])));
        assert!(!may_contain("本", &[]));
    }

    /// IPADIC splits a plain sentence into its morphemes (needs `mecab-ipadic`).
    #[test]
    fn lindera_segments_japanese() {
        let Some(s) = segmenter_or_skip() else {
            return;
        };
        let raw: Vec<String> = segment(&s, "図書館で本を読みました")
            .expect("segments")
            .into_iter()
            .map(|m| m.surface)
            .collect();
        assert_eq!(raw, vec!["図書館", "で", "本", "を", "読み", "まし", "た"]);
        // Indexed: particles and auxiliaries dropped, the verb in its dictionary form.
        let tokens = morphemes(&s, "図書館で本を読みました");
        assert_eq!(texts(&tokens), vec!["図書館", "本", "読む"]);
        assert_eq!(
            &"図書館で本を読みました"[tokens[2].offset_from..tokens[2].offset_to],
            "読み"
        );
    }

    /// Full-width and half-width forms give the same tokens, with offsets in the original.
    #[test]
    fn full_and_half_width_are_equal() {
        let full = bigrams("ＰＣ教室２０２３");
        let half = bigrams("PC教室2023");
        assert_eq!(texts(&full), texts(&half));
        assert_eq!(texts(&half), vec!["pc", "教室", "2023"]);
        assert_eq!(
            &"ＰＣ教室２０２３"[full[1].offset_from..full[1].offset_to],
            "教室"
        );
        assert_eq!(
            &"ＰＣ教室２０２３"[full[0].offset_from..full[0].offset_to],
            "ＰＣ"
        );
        if let Some(s) = segmenter() {
            assert_eq!(
                texts(&morphemes(&s, "ＰＣ教室")),
                texts(&morphemes(&s, "PC教室"))
            );
        }
    }

    /// Two segmentations live side by side: one held to bigrams cuts
    /// Japanese into bigrams while the default one, when its dictionary is
    /// installed, cuts the same text into morphemes.
    #[test]
    fn segmentations_are_independent() {
        let text = "図書館で本を読みました";
        let tokens = |tokenizer: &mut CjkTokenizer| {
            let mut stream = tokenizer.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                got.push(stream.token().text.clone());
            }
            got
        };
        let held = tokens(&mut CjkTokenizer::japanese_with(Japanese::bigrams_only()));
        assert_eq!(held, texts(&bigrams(text)));
        assert_eq!(Japanese::bigrams_only().mode(), "bigram");
        let Some(s) = segmenter_or_skip() else {
            return;
        };
        let segmented = tokens(&mut CjkTokenizer::japanese());
        assert_eq!(segmented, texts(&morphemes(&s, text)));
        assert_ne!(segmented, held);
    }

    /// Without a dictionary, CJK runs become overlapping bigrams.
    #[test]
    fn bigram_fallback() {
        assert_eq!(texts(&bigrams("图书馆")), vec!["图书", "书馆"]);
        assert_eq!(
            texts(&bigrams("작은도서관 운동")),
            vec!["작은", "은도", "도서", "서관", "운동"]
        );
        assert_eq!(texts(&bigrams("本")), vec!["本"]);
    }
}
