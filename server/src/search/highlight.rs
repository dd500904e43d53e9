//! Highlighted snippets: matched words wrapped in `<mark>`, all else escaped.

use std::collections::BTreeMap;
use std::sync::Arc;

use kb_indexer::resource::Metadata;
use kb_indexer::schema::{Analysis, KbSchema, Part};
use rustc_hash::FxHashMap;
use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;

/// Longest body snippet, in characters.
pub const BODY_SNIPPET_CHARS: usize = 220;
/// How much of a body is searched for the snippet.
pub const BODY_SCAN_BYTES: usize = 6000;

/// Makes snippets for the hits of one query, reusing a generator per field.
pub struct Highlighter<'a> {
    searcher: &'a Searcher,
    schema: &'a KbSchema,
    query: &'a dyn Query,
    /// Japanese and Chinese snippets, one generator per field.
    generators: FxHashMap<Field, Option<SnippetGenerator>>,
    terms: FxHashMap<Field, FieldTerms>,
    /// The query's term texts by field, from one walk of the query, until
    /// [`Highlighter::gather_terms`] takes a field's.
    texts: Option<FxHashMap<Field, Vec<String>>>,
    analyzers: FxHashMap<Analysis, TextAnalyzer>,
    /// Words already analysed for this query, and the term each yields.
    seen: FxHashMap<Field, FxHashMap<String, Option<usize>>>,
    /// Words' tokens remembered across queries.
    tokens: &'a WordTokens,
}

/// The tokens each word yields under each spaced-language analysis,
/// remembered across queries: the words of the texts shown repeat from one
/// answer to the next, and analysing them (stemming above all) was most of
/// matching a snippet's words. An analysis has no state a word could change,
/// so what is remembered never goes stale.
pub struct WordTokens {
    by_analysis: Vec<(Analysis, WordCache)>,
}

/// One analysis' words and their tokens.
type WordCache = quick_cache::sync::Cache<String, Arc<[String]>>;

/// Words [`WordTokens`] keeps per analysis (a word and its tokens take
/// about a hundred bytes).
const REMEMBERED_WORDS: usize = 16_384;

impl Default for WordTokens {
    fn default() -> Self {
        Self {
            by_analysis: Analysis::ALL
                .into_iter()
                .filter(|a| !a.is_cjk())
                .map(|a| (a, quick_cache::sync::Cache::new(REMEMBERED_WORDS)))
                .collect(),
        }
    }
}

impl WordTokens {
    fn of(&self, analysis: Analysis) -> Option<&WordCache> {
        self.by_analysis
            .iter()
            .find(|(a, _)| *a == analysis)
            .map(|(_, cache)| cache)
    }
}

/// Bytes kept before and after the first probe match.
const WINDOW_BEFORE: usize = 240;
const WINDOW_AFTER: usize = 720;

/// A one-byte space or line break, where a snippet may start or end.
fn is_break(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\t' | '\r')
}

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
/// window("... a long text about reading groups ...", ["read"]) → "about reading groups "
/// ```
#[cfg(test)]
fn window<'t>(text: &'t str, probes: &[String]) -> &'t str {
    let (start, end) = window_range(text, probes);
    &text[start..end]
}

/// Leading characters of the query's terms: a word that stems to a term
/// starts with them (`librari` ← "library" starts "libr").
fn probes(terms: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in terms {
        let probe: String = text.chars().take(4).collect();
        if !probe.is_empty() && !out.contains(&probe) {
            out.push(probe);
        }
    }
    out
}

/// The byte range [`window`] keeps.
fn window_range(text: &str, probes: &[String]) -> (usize, usize) {
    // ASCII probes only meet ASCII letters, whose case folds byte for byte.
    let lower = if probes.iter().all(|p| p.is_ascii()) {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    };
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
                .find(|&i| anywhere || i == 0 || !letter_before(haystack, i))
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
        text[start..end]
            .find(is_break)
            .map_or(start, |s| start + s + 1)
    };
    (start.min(end), end)
}

/// `text` with its line breaks turned into spaces (body text keeps them
/// until it is shown), copied only when it has any.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'\n', text.as_bytes()).is_some() {
        std::borrow::Cow::Owned(text.replace('\n', " "))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `text` escaped for HTML (`&`, `<`, `>`) onto the end of `html`. Snippet
/// text seldom holds any of the three: one vectorised search finds that,
/// where the escaper looks at each byte in turn.
fn push_escaped(html: &mut String, text: &str) {
    if memchr::memchr3(b'&', b'<', b'>', text.as_bytes()).is_some() {
        html_escape::encode_text_to_string(text, html);
    } else {
        html.push_str(text);
    }
}

/// `html` with one ellipsis on each side where text was cut, none where it
/// was not: the only place snippets get their ellipses.
fn with_ellipses(html: &str, cut_before: bool, cut_after: bool) -> String {
    let inner = html.trim();
    let mut out = String::with_capacity(inner.len() + 8);
    if cut_before {
        out.push('…');
    }
    out.push_str(inner);
    if cut_after {
        out.push('…');
    }
    out
}

/// The query's terms in one field, for highlighting without a full analysis.
struct FieldTerms {
    terms: Vec<String>,
    /// The opening of each term ([`head`]). An English or plain analysis
    /// only rewrites word endings (stemming) or folds case and accents, so a
    /// word whose opening differs from every term's cannot yield a query term
    /// and is never analysed.
    heads: Vec<u16>,
    /// Searches for the openings, when every opening is two letters and
    /// no term opens outside ASCII: made the first time a text is walked
    /// (kept words need none).
    finders: std::cell::OnceCell<Option<Vec<memchr::memmem::Finder<'static>>>>,
    /// Some term opens with a character outside ASCII, or the analysis
    /// rewrites openings (Welsh mutations): no word is skipped.
    any: bool,
}

/// The first two bytes of a word, lowercased, when they are ASCII.
#[inline]
fn head(word: &str) -> Option<u16> {
    let bytes = word.as_bytes();
    let first = *bytes.first()?;
    let second = bytes.get(1).copied().unwrap_or(0);
    (first.is_ascii() && second.is_ascii()).then(|| {
        u16::from(first.to_ascii_lowercase()) | (u16::from(second.to_ascii_lowercase()) << 8)
    })
}

/// A place in a text where a query term matched: byte range and term.
type Match = (usize, usize, usize);

/// Words of `text` as the simple tokenizer cuts them: runs of letters and digits.
/// ASCII is checked byte by byte; other characters are decoded.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let at = |i: usize| letter_at(text, i);
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (word, len) = at(i);
            if word {
                break;
            }
            i += len;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (word, len) = at(i);
            if !word {
                break;
            }
            i += len;
        }
        Some((start, i))
    })
}

/// Whether the character at byte `i` is a letter or digit, and its length.
#[inline]
fn letter_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        (b.is_ascii_alphanumeric(), 1)
    } else {
        text[i..]
            .chars()
            .next()
            .map_or((false, 1), |c| (is_word_char(c), c.len_utf8()))
    }
}

/// `char::is_alphanumeric` (what the simple tokenizer cuts words by),
/// answered without its table search for the characters snippets meet
/// most: ASCII, the accented Latin letters, and the general punctuation
/// (curly quotes, dashes) and CJK punctuation, which are never letters.
#[inline]
fn is_word_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xC0..=0x24F => c != '\u{D7}' && c != '\u{F7}',
        0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 => false,
        _ => c.is_alphanumeric(),
    }
}

/// Whether the text before byte `at` ends with a letter or digit.
#[inline]
fn letter_before(text: &str, at: usize) -> bool {
    match text.as_bytes()[..at].last() {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => text[..at].chars().next_back().is_some_and(is_word_char),
    }
}

/// A text's words by the tokens they yield under its analysis, found once:
/// a query's terms are then looked up in it, a few searches per text,
/// instead of its words being matched one by one, answer after answer. The
/// engine keeps a hit's ([`HitWords`]) per document of a small index
/// (`Engine::hit_words`), as Lucene's highlighters read term vectors
/// instead of re-analysing text.
pub struct TextWords {
    /// Each token the words yield, sorted, and where its words start in
    /// `places` (they end where the next token's start).
    tokens: Vec<(Box<str>, u32)>,
    /// The words yielding each token: byte range, and the token's place
    /// among its word's tokens.
    places: Vec<(u32, u32, u32)>,
}

impl TextWords {
    /// The words of `text` (at most 4 GB) and their tokens, as `analyse`
    /// gives them for one word.
    pub fn of(text: &str, mut analyse: impl FnMut(&str) -> Arc<[String]>) -> Self {
        let mut found: Vec<(Arc<[String]>, u32, u32, u32)> = Vec::new();
        for (start, end) in words(text) {
            let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(end)) else {
                break;
            };
            let tokens = analyse(&text[start..end]);
            for rank in 0..tokens.len() {
                found.push((tokens.clone(), rank as u32, s, e));
            }
        }
        fn token(entry: &(Arc<[String]>, u32, u32, u32)) -> &str {
            &entry.0[entry.1 as usize]
        }
        found.sort_unstable_by(|a, b| token(a).cmp(token(b)).then(a.2.cmp(&b.2)));
        let mut tokens: Vec<(Box<str>, u32)> = Vec::new();
        let mut places = Vec::with_capacity(found.len());
        for entry in &found {
            if tokens
                .last()
                .is_none_or(|(last, _)| **last != *token(entry))
            {
                tokens.push((token(entry).into(), places.len() as u32));
            }
            places.push((entry.2, entry.3, entry.1));
        }
        Self { tokens, places }
    }

    /// Bytes held, for the engine's bound on what it keeps.
    pub fn bytes(&self) -> usize {
        let text: usize = self.tokens.iter().map(|(t, _)| t.len()).sum();
        text + self.tokens.len() * 24 + self.places.len() * 12 + 64
    }

    /// The words yielding `token`, in text order: byte range and the
    /// token's place among the word's tokens.
    fn places_of(&self, token: &str) -> &[(u32, u32, u32)] {
        let Ok(i) = self.tokens.binary_search_by(|(t, _)| (**t).cmp(token)) else {
            return &[];
        };
        let from = self.tokens[i].1 as usize;
        let to = self
            .tokens
            .get(i + 1)
            .map_or(self.places.len(), |next| next.1 as usize);
        &self.places[from..to]
    }

    /// Where `terms` occur, in text order: each word once, with the first
    /// of `terms` its first matching token equals (as a walk analysing each
    /// word finds them).
    fn matches(&self, terms: &[String]) -> Vec<Match> {
        let mut found: Vec<(u32, u32, u32, usize)> = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            found.extend(
                self.places_of(term)
                    .iter()
                    .map(|&(s, e, rank)| (s, e, rank, i)),
            );
        }
        found.sort_unstable();
        found.dedup_by_key(|m| m.0);
        found
            .into_iter()
            .map(|(s, e, _, i)| (s as usize, e as usize, i))
            .collect()
    }
}

/// What is kept of one of a hit's texts.
enum Kept {
    /// A spaced language's words by token.
    Words(TextWords),
    /// The characters a Japanese or Chinese text's tokens can open with
    /// (`kb_indexer::cjk::openings`): whether a query's terms may be in it,
    /// without a scan of the text per query.
    Openings(Box<[char]>),
}

impl Kept {
    fn bytes(&self) -> usize {
        match self {
            Kept::Words(words) => words.bytes(),
            Kept::Openings(chars) => chars.len() * 4 + 16,
        }
    }

    fn words(&self) -> Option<&TextWords> {
        match self {
            Kept::Words(words) => Some(words),
            Kept::Openings(_) => None,
        }
    }

    /// Whether `terms` may occur in the text; a text kept as words is not
    /// asked this.
    fn may_hold(&self, terms: &[String]) -> bool {
        match self {
            Kept::Words(_) => true,
            Kept::Openings(chars) => kb_indexer::cjk::may_open(chars, terms),
        }
    }
}

/// What is kept of a hit's title, summary and body ([`Kept`]).
pub struct HitWords {
    title: Kept,
    summary: Kept,
    body: Kept,
}

impl HitWords {
    /// Bytes held, for the engine's bound on what it keeps.
    pub fn bytes(&self) -> usize {
        self.title.bytes() + self.summary.bytes() + self.body.bytes()
    }
}

/// The tokens `word` yields under `analysis`, from `remembered` when it was
/// analysed before (and remembered from now on); the analyzer is made the
/// first time a word is not remembered (making one builds its stop words).
fn tokens_of(
    remembered: Option<&WordCache>,
    (analyzers, schema, analysis): (&mut FxHashMap<Analysis, TextAnalyzer>, &KbSchema, Analysis),
    word: &str,
) -> Arc<[String]> {
    if let Some(tokens) = remembered.and_then(|cache| cache.get(word)) {
        return tokens;
    }
    let analyzer = analyzers
        .entry(analysis)
        .or_insert_with(|| schema.analyzer(analysis));
    let tokens: Arc<[String]> = kb_indexer::schema::analyse(analyzer, word).into();
    if let Some(cache) = remembered {
        cache.insert(word.to_string(), tokens.clone());
    }
    tokens
}

/// Texts shorter than this (titles, summaries) are walked word by word:
/// below it a walk is quicker than the searches for openings (measured on
/// the bundled corpus: 90 against 204 ns at 60 bytes, even at 250).
const WALK_BELOW_BYTES: usize = 200;

/// Vectorised searches (`memchr::memmem`) for the openings `heads` (two
/// ASCII bytes each) in any case, built once per field and query. `None`
/// when a head is a single letter, which only a full walk finds.
fn head_finders(heads: &[u16]) -> Option<Vec<memchr::memmem::Finder<'static>>> {
    let mut finders = Vec::new();
    for &h in heads {
        let (a, b) = ((h & 0xff) as u8, (h >> 8) as u8);
        if b == 0 {
            return None;
        }
        let (upper_a, upper_b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
        let mut variants = vec![[a, b], [upper_a, b], [upper_a, upper_b], [a, upper_b]];
        variants.sort_unstable();
        variants.dedup();
        finders.extend(
            variants
                .iter()
                .map(|pair| memchr::memmem::Finder::new(pair).into_owned()),
        );
    }
    Some(finders)
}

/// The words of `text` opening with one of the heads behind `finders`
/// ([`head_finders`]), in any case: each opening is found with a vectorised
/// substring search instead of walking every word.
fn words_opening_with(text: &str, finders: &[memchr::memmem::Finder<'_>]) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    for finder in finders {
        starts.extend(finder.find_iter(bytes));
    }
    // Words opening outside ASCII ("Élan", "réading") have no head and are
    // always candidates, as in a full walk: find them from their first
    // non-ASCII byte.
    let mut i = 0;
    while let Some(p) = next_non_ascii(bytes, i) {
        let (letter, len) = letter_at(text, p);
        i = p + len;
        if !letter {
            continue;
        }
        let before = text[..p].chars().next_back();
        if !before.is_some_and(is_word_char) {
            starts.push(p);
        } else if before.is_some_and(|c| c.is_ascii_alphanumeric()) && !letter_before(text, p - 1) {
            starts.push(p - 1);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut out = Vec::with_capacity(starts.len());
    for start in starts {
        // ASCII bytes only occur as whole characters, so `start` is a boundary.
        if letter_before(text, start) {
            continue;
        }
        let mut end = start;
        while end < bytes.len() {
            let (letter, len) = letter_at(text, end);
            if !letter {
                break;
            }
            end += len;
        }
        out.push((start, end));
    }
    out
}

/// The first byte from `from` on that is not ASCII: whole chunks are
/// checked at once (`<[u8]>::is_ascii` reads a word at a time), as most of
/// a spaced-language text is ASCII.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    const CHUNK: usize = 32;
    let mut at = from.min(bytes.len());
    while bytes.len() - at >= CHUNK && bytes[at..at + CHUNK].is_ascii() {
        at += CHUNK;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|offset| at + offset)
}

/// Where `chars` characters from byte `start` end (the text's end when
/// fewer remain); ASCII runs are counted without decoding.
fn char_end(text: &str, start: usize, chars: usize) -> usize {
    let rest = &text.as_bytes()[start..];
    if rest.len() <= chars {
        text.len()
    } else if rest[..chars].is_ascii() {
        start + chars
    } else {
        // Each character opens with one byte that is not a continuation
        // byte (`10xxxxxx`): the end is the opening byte of character
        // `chars`, counted without decoding, whole chunks at a time while
        // the end cannot be in them.
        const CHUNK: usize = 32;
        let opens = |b: &u8| b & 0xC0 != 0x80;
        let mut seen = 0;
        let mut at = 0;
        while at + CHUNK <= rest.len() {
            let here = rest[at..at + CHUNK].iter().filter(|b| opens(b)).count();
            if seen + here > chars {
                break;
            }
            seen += here;
            at += CHUNK;
        }
        for (i, b) in rest.iter().enumerate().skip(at) {
            if opens(b) {
                if seen == chars {
                    return start + i;
                }
                seen += 1;
            }
        }
        text.len()
    }
}

/// Whether `text` has at most `max_chars` characters; a character takes at
/// most four bytes, so only texts between one and four times as long are
/// counted.
fn fits(text: &str, max_chars: usize) -> bool {
    text.len() <= max_chars || (text.len() <= 4 * max_chars && text.chars().count() <= max_chars)
}

/// The match whose stretch of `max_chars` characters holds the most
/// distinct terms, then the most matches, then comes first.
fn densest(text: &str, matches: &[Match], max_chars: usize) -> usize {
    let mut best = (0usize, 0usize, usize::MAX);
    let mut best_at = 0;
    // Matches come in text order and do not overlap, so the window of each
    // ends at or after the previous one's: `past` only moves forward.
    let mut past = 0;
    let mut many_terms: Vec<usize> = Vec::new();
    // The first byte outside ASCII at or after a match: a window ending
    // before it is `max_chars` bytes long, without counting.
    let mut wide: Option<usize> = None;
    for (i, m) in matches.iter().enumerate() {
        let next_wide = match wide {
            Some(at) if at >= m.0 => at,
            _ => next_non_ascii(text.as_bytes(), m.0).unwrap_or(text.len()),
        };
        wide = Some(next_wide);
        let end = if text.len() - m.0 > max_chars && m.0 + max_chars <= next_wide {
            m.0 + max_chars
        } else {
            char_end(text, m.0, max_chars)
        };
        past = past.max(i);
        while past < matches.len() && matches[past].1 <= end {
            past += 1;
        }
        let inside = &matches[i..past];
        let mut terms = 0u64;
        many_terms.clear();
        for x in inside {
            match u32::try_from(x.2).ok().filter(|&t| t < 64) {
                Some(t) => terms |= 1 << t,
                None => many_terms.push(x.2),
            }
        }
        many_terms.sort_unstable();
        many_terms.dedup();
        let distinct = terms.count_ones() as usize + many_terms.len();
        let score = (distinct, inside.len(), usize::MAX - i);
        if score > best {
            best = score;
            best_at = i;
        }
    }
    best_at
}

/// The stretch of at most `max_chars` characters holding the most distinct
/// matched terms (then the most matches, then the earliest), opening a
/// little before its first match and ending on a word boundary.
fn best_fragment(text: &str, matches: &[Match], max_chars: usize) -> (usize, usize) {
    if fits(text, max_chars) {
        return (0, text.len());
    }
    let best_at = densest(text, matches, max_chars);
    let first = matches.get(best_at).map_or(0, |m| m.0);
    // Up to a fifth of the room goes to words before the first match.
    let lead = max_chars / 5;
    let back: usize = text[..first]
        .char_indices()
        .rev()
        .nth(lead.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let start = if back == 0 {
        0
    } else {
        text[back..first]
            .find(is_break)
            .map_or(first, |s| back + s + 1)
    };
    let end = char_end(text, start, max_chars);
    let end = if end < text.len() {
        match text[start..end].rfind(is_break) {
            Some(s) if start + s > first => start + s,
            _ => end,
        }
    } else {
        end
    };
    (start, end)
}

impl<'a> Highlighter<'a> {
    /// A highlighter for `query`.
    pub fn new(
        searcher: &'a Searcher,
        schema: &'a KbSchema,
        query: &'a dyn Query,
        tokens: &'a WordTokens,
    ) -> Self {
        Self {
            searcher,
            schema,
            query,
            generators: FxHashMap::default(),
            terms: FxHashMap::default(),
            texts: None,
            analyzers: FxHashMap::default(),
            seen: FxHashMap::default(),
            tokens,
        }
    }

    /// The query's term texts in a field, in the query's order, each once.
    /// The query is walked once for all its fields.
    fn term_texts(&mut self, field: Field) -> Vec<String> {
        let query = self.query;
        let texts = self.texts.get_or_insert_with(|| {
            let mut by_field: FxHashMap<Field, Vec<String>> = FxHashMap::default();
            query.query_terms(&mut |term, _| {
                if let Some(text) = term.value().as_str() {
                    let out = by_field.entry(term.field()).or_default();
                    if !out.iter().any(|t| t == text) {
                        out.push(text.to_string());
                    }
                }
            });
            by_field
        });
        texts.remove(&field).unwrap_or_default()
    }

    /// Gather the query's terms in a field into [`Highlighter::terms`], once.
    fn gather_terms(&mut self, analysis: Analysis, field: Field) {
        if self.terms.contains_key(&field) {
            return;
        }
        let terms = self.term_texts(field);
        let any = analysis == Analysis::Welsh || terms.iter().any(|t| head(t).is_none());
        let mut heads: Vec<u16> = terms.iter().filter_map(|t| head(t)).collect();
        heads.sort_unstable();
        heads.dedup();
        self.terms.insert(
            field,
            FieldTerms {
                terms,
                heads,
                finders: std::cell::OnceCell::new(),
                any,
            },
        );
    }

    /// Where the query's terms occur in a text of a spaced language (English, plain).
    fn word_matches(
        &mut self,
        analysis: Analysis,
        field: Field,
        text: &str,
        known: Option<&TextWords>,
    ) -> Vec<Match> {
        self.gather_terms(analysis, field);
        let found = &self.terms[&field];
        if found.terms.is_empty() {
            return Vec::new();
        }
        if let Some(known) = known {
            return known.matches(&found.terms);
        }
        let mut out = Vec::new();
        let finders = if found.any || text.len() < WALK_BELOW_BYTES {
            None
        } else {
            found
                .finders
                .get_or_init(|| head_finders(&found.heads))
                .as_ref()
        };
        let spans: Vec<(usize, usize)> = match finders {
            Some(finders) => words_opening_with(text, finders),
            None => words(text).collect(),
        };
        let remembered = self.tokens.of(analysis);
        // Words repeat across the hits of a query: each is matched once.
        let seen = self
            .seen
            .entry(field)
            .or_insert_with(|| FxHashMap::with_capacity_and_hasher(256, Default::default()));
        for (start, end) in spans {
            let word = &text[start..end];
            if !found.any
                && let Some(opening) = head(word)
                && !found.heads.contains(&opening)
            {
                continue;
            }
            let term = match seen.get(word) {
                Some(known) => *known,
                None => {
                    let analysis = (&mut self.analyzers, self.schema, analysis);
                    let term = tokens_of(remembered, analysis, word)
                        .iter()
                        .find_map(|token| found.terms.iter().position(|t| t == token));
                    seen.insert(word.to_string(), term);
                    term
                }
            };
            if let Some(term) = term {
                out.push((start, end, term));
            }
        }
        out
    }

    /// What to keep of a hit's title, summary and body (`body`)
    /// ([`HitWords`]): the words and their tokens, or for Japanese and
    /// Chinese, whose bodies are segmented in a window per query, the
    /// characters their tokens can open with.
    pub fn hit_words(&mut self, r: &Metadata, body: &str) -> HitWords {
        let analysis = Analysis::for_language(&r.language);
        if analysis.is_cjk() {
            let openings = |text: &str| Kept::Openings(kb_indexer::cjk::openings(text));
            return HitWords {
                title: openings(&r.title),
                summary: openings(&r.summary),
                body: openings(body),
            };
        }
        let remembered = self.tokens.of(analysis);
        let (analyzers, schema) = (&mut self.analyzers, self.schema);
        let mut words = |text: &str| {
            Kept::Words(TextWords::of(text, |word| {
                tokens_of(remembered, (&mut *analyzers, schema, analysis), word)
            }))
        };
        HitWords {
            title: words(&r.title),
            summary: words(&r.summary),
            body: words(body),
        }
    }

    /// A highlighted fragment of `text`, or `None` when nothing matches.
    /// `text` may itself be a cut of a longer text: `cut` says whether text
    /// was left out before and after it, so the ellipses come out right.
    /// `known` is what was kept of `text` when it was kept ([`Kept`]).
    fn snippet(
        &mut self,
        part: Part,
        analysis: Analysis,
        (text, known): (&str, Option<&Kept>),
        max_chars: usize,
        cut: (bool, bool),
    ) -> Option<String> {
        let field = self.schema.text_field(part, analysis);
        if !analysis.is_cjk() {
            let matches = self.word_matches(analysis, field, text, known.and_then(Kept::words));
            if matches.is_empty() {
                return None;
            }
            let (start, end) = best_fragment(text, &matches, max_chars);
            let mut html = String::with_capacity(end - start + 64);
            let mut at = start;
            for &(s, e, _) in matches.iter().filter(|m| m.0 >= start && m.1 <= end) {
                push_escaped(&mut html, &text[at..s]);
                html.push_str("<mark>");
                push_escaped(&mut html, &text[s..e]);
                html.push_str("</mark>");
                at = e;
            }
            push_escaped(&mut html, &text[at..end]);
            // Body text keeps its line breaks until here.
            let html = one_line(&html);
            return Some(with_ellipses(
                &html,
                cut.0 || start > 0,
                cut.1 || end < text.len(),
            ));
        }
        // Segmenting Japanese is the costly part: a text none of the
        // query's terms can be in is not segmented at all.
        self.gather_terms(analysis, field);
        let terms = &self.terms[&field].terms;
        let possible = match known {
            Some(kept) => kept.may_hold(terms),
            None => kb_indexer::cjk::may_contain(text, terms),
        };
        if !possible {
            return None;
        }
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
        // The fragment is a slice of `text`: where it sits says what was
        // cut. The generator ends on its last token, so a short remainder
        // (a verb ending, a full stop) is put back rather than cut.
        let fragment = snippet.fragment();
        let mut html = snippet.to_html();
        let (before, after) = match text.find(fragment) {
            Some(at) => {
                let rest = &text[at + fragment.len()..];
                let room = max_chars.saturating_sub(fragment.chars().count());
                if !rest.is_empty() && rest.chars().count() <= room {
                    push_escaped(&mut html, rest);
                    (at > 0, false)
                } else {
                    (at > 0, !rest.is_empty())
                }
            }
            None => (true, true),
        };
        Some(with_ellipses(
            &one_line(&html),
            cut.0 || before,
            cut.1 || after,
        ))
    }

    /// Highlights for a hit: `title` and `summary` when they match, `body` always
    /// (the opening words when nothing in the body matches).
    /// `body` is the resource's body as plain text; `words` the hit's words
    /// when the engine keeps them ([`HitWords`]).
    pub fn highlight(
        &mut self,
        r: &Metadata,
        body: &str,
        words: Option<&HitWords>,
    ) -> BTreeMap<&'static str, String> {
        let analysis = Analysis::for_language(&r.language);
        let mut out = BTreeMap::new();
        for (part, name, text, known) in [
            (Part::Title, "title", &r.title, words.map(|w| &w.title)),
            (
                Part::Summary,
                "summary",
                &r.summary,
                words.map(|w| &w.summary),
            ),
        ] {
            if let Some(snippet) = self.snippet(part, analysis, (text, known), 1000, (false, false))
            {
                out.insert(name, snippet);
            }
        }
        // Spaced languages are scanned whole, analysing only the words that
        // could match. Tokenising Japanese or Chinese means segmenting every
        // character, so those are cut to a window around the first place a
        // query term could start, found by a plain text scan.
        let full = body;
        let (start, end) = if analysis.is_cjk() {
            let field = self.schema.text_field(Part::Body, analysis);
            self.gather_terms(analysis, field);
            let terms = &self.terms[&field].terms;
            // Kept openings are the whole body's: none of the terms can be
            // in any window of it.
            if words.is_some_and(|w| !w.body.may_hold(terms)) {
                out.insert("body", opening(full));
                return out;
            }
            window_range(full, &probes(terms))
        } else {
            (0, full.len())
        };
        let body = &full[start..end];
        // Known words are the whole body's: a window of it is searched as text.
        let words = words
            .map(|w| &w.body)
            .filter(|_| (start, end) == (0, full.len()));
        let body_snippet = self
            .snippet(
                Part::Body,
                analysis,
                (body, words),
                BODY_SNIPPET_CHARS,
                (start > 0, end < full.len()),
            )
            .unwrap_or_else(|| opening(full));
        out.insert("body", body_snippet);
        out
    }
}

/// How much of an attachment's text is searched for its snippet.
const ATTACHMENT_SCAN_BYTES: usize = 1 << 20;

impl Highlighter<'_> {
    /// A snippet of a hit's attachment text, when the query matches in it.
    pub fn attachment(&mut self, r: &Metadata, text: &str) -> Option<String> {
        let analysis = Analysis::for_language(&r.language);
        let end = floor_boundary(text, ATTACHMENT_SCAN_BYTES);
        self.snippet(
            Part::Attachment,
            analysis,
            (&text[..end], None),
            BODY_SNIPPET_CHARS,
            (false, end < text.len()),
        )
    }
}

/// The opening words of a body, as HTML, for a hit whose body has no match:
/// an ellipsis only when the body goes on.
fn opening(body: &str) -> String {
    let cut = one_line(&body[..char_end(body, 0, BODY_SNIPPET_CHARS)]);
    let (text, more): (&str, bool) = if cut.len() < body.len() {
        match cut.rfind(' ') {
            Some(i) => (&cut[..i], true),
            None => (&cut, true),
        }
    } else {
        (&cut, false)
    };
    let mut html = String::with_capacity(text.len() + 16);
    push_escaped(&mut html, text);
    with_ellipses(&html, false, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick word-character test answers as `char::is_alphanumeric`
    /// (the simple tokenizer's) for every character.
    #[test]
    fn word_characters_are_the_tokenizers() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    /// A snippet's end is counted in characters, whatever their bytes.
    #[test]
    fn char_ends_count_characters() {
        let text = "ab’cd é fg 図書館 h";
        for start in text.char_indices().map(|(i, _)| i) {
            for n in 0..25 {
                let expected = text[start..]
                    .char_indices()
                    .nth(n)
                    .map_or(text.len(), |(i, _)| start + i);
                assert_eq!(char_end(text, start, n), expected, "{start} {n}");
            }
        }
        assert!(fits("図書館", 3) && !fits("図書館", 2) && fits("", 0));
        // Long enough for whole chunks to be counted at once.
        let long = "ab’cd é fg 図書館 h ".repeat(20);
        for start in long.char_indices().map(|(i, _)| i).step_by(7) {
            for n in [0, 1, 31, 32, 33, 100, 220, 400] {
                let expected = long[start..]
                    .char_indices()
                    .nth(n)
                    .map_or(long.len(), |(i, _)| start + i);
                assert_eq!(char_end(&long, start, n), expected, "{start} {n}");
            }
        }
    }

    /// Words are cut where the simple tokenizer cuts them, ASCII or not.
    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let text = "Café au-lait, 2019! 図書館\u{a0}naïve";
        let found: Vec<&str> = words(text).map(|(a, b)| &text[a..b]).collect();
        assert_eq!(found, ["Café", "au", "lait", "2019", "図書館", "naïve"]);
    }

    /// The vectorised search finds exactly the words a full walk finds with
    /// the same openings, whatever their case, and only at word starts.
    #[test]
    fn openings_found_like_a_walk() {
        let text =
            "Reading READERS read; bread, reread. The reader’s café: réading, re2 REx Élan ’s";
        let heads: Vec<u16> = ["re", "ca"].iter().filter_map(|w| head(w)).collect();
        // A walk analyses the words with a matching head, and every word
        // whose opening is not ASCII.
        let walked: Vec<(usize, usize)> = words(text)
            .filter(|(a, b)| head(&text[*a..*b]).is_none_or(|h| heads.contains(&h)))
            .collect();
        let found = words_opening_with(text, &head_finders(&heads).expect("two-letter heads"));
        assert_eq!(found, walked);
        let texts: Vec<&str> = found.iter().map(|(a, b)| &text[*a..*b]).collect();
        assert!(texts.contains(&"READERS") && texts.contains(&"café") && !texts.contains(&"bread"));
        assert!(texts.contains(&"réading") && texts.contains(&"Élan"));
        assert!(head_finders(&[u16::from(b'r')]).is_none());
    }

    /// The fragment holds the densest run of matches, opens a little before
    /// it on a word boundary, and never splits a character.
    #[test]
    fn fragment_around_the_densest_matches() {
        let filler = "lorem\u{a0}ipsum dolor ".repeat(30);
        let text = format!("heat once. {filler}heat transfer by heat. {filler}");
        let matches: Vec<Match> = words(&text)
            .filter(|(a, b)| matches!(&text[*a..*b], "heat" | "transfer"))
            .map(|(a, b)| (a, b, usize::from(&text[a..b] == "transfer")))
            .collect();
        let (start, end) = best_fragment(&text, &matches, 120);
        let fragment = &text[start..end];
        assert!(fragment.contains("heat transfer by heat"), "{fragment}");
        assert!(fragment.chars().count() <= 120);
        assert!(start > 0 && text[..start].ends_with(is_break));
        // Short texts are kept whole.
        assert_eq!(best_fragment("heat", &[(0, 4, 0)], 120), (0, 4));
    }

    /// The fragment chosen is the one a plain count per match chooses
    /// (collect the matches inside, count distinct terms), on texts mixing
    /// ASCII and other characters and with term numbers past 64.
    #[test]
    fn fragment_choice_matches_a_plain_count() {
        fn plain(text: &str, matches: &[Match], max_chars: usize) -> usize {
            let mut best = (0usize, 0usize, usize::MAX);
            let mut best_at = 0;
            for (i, m) in matches.iter().enumerate() {
                let end = text[m.0..]
                    .char_indices()
                    .nth(max_chars)
                    .map_or(text.len(), |(j, _)| m.0 + j);
                let inside: Vec<&Match> = matches[i..].iter().take_while(|x| x.1 <= end).collect();
                let mut distinct: Vec<usize> = inside.iter().map(|x| x.2).collect();
                distinct.sort_unstable();
                distinct.dedup();
                let score = (distinct.len(), inside.len(), usize::MAX - i);
                if score > best {
                    best = score;
                    best_at = i;
                }
            }
            matches[best_at].0
        }
        let words = [
            "heat",
            "café",
            "llyfr",
            "図書館",
            "x",
            "transfer",
            "naïve",
            "by",
        ];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for round in 0..300 {
            let text: Vec<&str> = (0..20 + next(120))
                .map(|_| words[next(words.len())])
                .collect();
            let text = text.join(" ");
            let spans: Vec<(usize, usize)> = super::words(&text).collect();
            let terms = if round % 3 == 0 { 200 } else { 5 };
            let mut matches: Vec<Match> = Vec::new();
            for &(a, b) in &spans {
                if next(3) == 0 {
                    matches.push((a, b, next(terms)));
                }
            }
            if matches.is_empty() {
                continue;
            }
            for max_chars in [20, 60, 220] {
                if text.chars().count() <= max_chars {
                    continue;
                }
                assert_eq!(
                    matches[densest(&text, &matches, max_chars)].0,
                    plain(&text, &matches, max_chars),
                    "round {round}, {max_chars} chars: {text}"
                );
            }
        }
    }

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

#[cfg(test)]
mod ellipses {
    use super::*;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{TantivyDocument, Term};

    fn resource(language: &str) -> kb_indexer::resource::Resource {
        kb_indexer::resource::Resource {
            meta: kb_indexer::resource::Metadata {
                id: "2024/sessions".into(),
                title: "Sessions".into(),
                summary: "Weekly sessions.".into(),
                offers: vec![],
                resource_type: "case-study".into(),
                published: None,
                year: 2024,
                region: "england".into(),
                organisation: "Library".into(),
                tags: vec![],
                language: language.into(),
            },
            source_url: None,
            contributor: None,
            licence: None,
            sample: false,
            body: String::new(),
        }
    }

    /// The body snippet of `body` for a one-term query on the body field of
    /// `language`, with `body` indexed so term statistics exist.
    fn body_snippet(language: &str, term: &str, body: &str) -> String {
        let schema = KbSchema::new();
        let analysis = Analysis::for_language(language);
        let field = schema.text_field(Part::Body, analysis);
        let index = schema.create_in_ram();
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let mut doc = TantivyDocument::default();
        doc.add_text(field, body);
        writer.add_document(doc).expect("add");
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let query = TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqsAndPositions,
        );
        let tokens = WordTokens::default();
        let mut h = Highlighter::new(&searcher, &schema, &query, &tokens);
        let found = h
            .highlight(&resource(language), body, None)
            .remove("body")
            .expect("a body snippet");
        // What was kept of the body before (its words, or the characters
        // Japanese and Chinese tokens open with) gives the same snippet.
        let mut h = Highlighter::new(&searcher, &schema, &query, &tokens);
        let words = h.hit_words(&resource(language).meta, body);
        assert_eq!(matches!(words.body, Kept::Openings(_)), analysis.is_cjk());
        let kept = h
            .highlight(&resource(language), body, Some(&words))
            .remove("body");
        assert_eq!(kept.as_deref(), Some(found.as_str()), "{body}");
        found
    }

    /// Kept words give the matches a walk analysing every word finds: each
    /// word once, under the first query term its first matching token is,
    /// in text order, whatever the case, accents or Welsh mutations.
    #[test]
    fn kept_words_match_as_a_walk_does() {
        let texts = [
            "Reading groups read; REading, rEad and re-read. Élan réading über Ärger, a b c",
            "naïve café: Read\u{2019}s groups, 2024 reports; grOUPS GR gr g",
            "",
            "Ünï ŝtart and end ÿ",
            "Grŵp darllen yng Nghaerdydd, grwpiau yng Nghymru a Chaerdydd: ei henw, darllen.",
        ];
        let schema = KbSchema::new();
        let mut matched = 0;
        for analysis in [Analysis::English, Analysis::Welsh, Analysis::Plain] {
            let mut analyzer = schema.analyzer(analysis);
            let mut analyse = |word: &str| -> Arc<[String]> {
                kb_indexer::schema::analyse(&mut analyzer, word).into()
            };
            let term_sets: Vec<Vec<String>> = [
                &["read"][..],
                &["group", "read"],
                &["cafe", "a"],
                &["zz"],
                &["caerdydd", "grwp", "darllen", "enw"],
            ]
            .iter()
            .map(|set| set.iter().flat_map(|w| analyse(w).to_vec()).collect())
            .collect();
            for text in texts {
                let kept = TextWords::of(text, &mut analyse);
                for terms in &term_sets {
                    let walked: Vec<Match> = words(text)
                        .filter_map(|(s, e)| {
                            let term = analyse(&text[s..e])
                                .iter()
                                .find_map(|token| terms.iter().position(|t| t == token))?;
                            Some((s, e, term))
                        })
                        .collect();
                    assert_eq!(kept.matches(terms), walked, "{analysis:?} {text} {terms:?}");
                    matched += walked.len();
                }
            }
        }
        assert!(matched > 40, "the texts match the terms: {matched}");
    }

    /// Words' tokens are remembered across queries, not the matches: a
    /// second query sharing the memory marks its own words (and the
    /// stemmed forms it finds), never the first query's.
    #[test]
    fn remembered_words_serve_each_query_its_own_terms() {
        let schema = KbSchema::new();
        let field = schema.text_field(Part::Body, Analysis::English);
        let index = schema.create_in_ram();
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let body = "Reading groups meet weekly; the groups read aloud.";
        let mut doc = TantivyDocument::default();
        doc.add_text(field, body);
        writer.add_document(doc).expect("add");
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let tokens = WordTokens::default();
        let snippet = |term: &str| {
            let query = TermQuery::new(
                Term::from_field_text(field, term),
                IndexRecordOption::WithFreqsAndPositions,
            );
            Highlighter::new(&searcher, &schema, &query, &tokens)
                .highlight(&resource("en"), body, None)
                .remove("body")
                .expect("a body snippet")
        };
        let read = snippet("read");
        assert_eq!(
            read,
            "<mark>Reading</mark> groups meet weekly; the groups <mark>read</mark> aloud.",
        );
        let cache = tokens.of(Analysis::English).expect("English is remembered");
        assert_eq!(
            cache.get("Reading").as_deref(),
            Some(&["read".to_string()][..])
        );
        assert_eq!(
            snippet("group"),
            "Reading <mark>groups</mark> meet weekly; the <mark>groups</mark> read aloud.",
        );
        // The first query again, now entirely from memory: the same snippet.
        assert_eq!(snippet("read"), read);
    }

    /// Escaping appends what the escaper gives, with or without anything
    /// to escape.
    #[test]
    fn escaping_appends_as_the_escaper_gives() {
        for text in [
            "plain words",
            "R&D <b>bold</b> a > b",
            "",
            "café & “quotes”",
        ] {
            let mut html = String::from("<mark>");
            push_escaped(&mut html, text);
            assert_eq!(html, format!("<mark>{}", html_escape::encode_text(text)));
        }
    }

    fn ellipses(s: &str) -> (bool, bool, usize) {
        (s.starts_with('…'), s.ends_with('…'), s.matches('…').count())
    }

    /// One ellipsis where text was cut and none where it was not, whether
    /// the body matched or not, in spaced and unspaced languages: a doubled
    /// "… …" or "……" read as a glitch on every results page.
    #[test]
    fn one_ellipsis_where_cut_none_where_not() {
        let filler = "Staff and volunteers met the group every week. ".repeat(12);
        // Cut on both sides around a match in the middle.
        let s = body_snippet(
            "en",
            "session",
            &format!("{filler}Sessions are built. {filler}"),
        );
        assert_eq!(ellipses(&s), (true, true, 2), "{s}");
        assert!(s.contains("<mark>Sessions</mark>") && !s.contains("… ") && !s.contains(" …"));
        // The whole body fits: no ellipsis at all.
        let s = body_snippet("en", "session", "Sessions are built weekly.");
        assert_eq!(ellipses(&s), (false, false, 0), "{s}");
        // A match at the very start of a long body: only the end is cut.
        let s = body_snippet("en", "session", &format!("Sessions are built. {filler}"));
        assert_eq!(ellipses(&s), (false, true, 1), "{s}");
        // No match: the opening words, one ellipsis when the body goes on.
        let s = body_snippet("en", "zebra", &filler);
        assert_eq!(ellipses(&s), (false, true, 1), "{s}");
        let s = body_snippet("en", "zebra", "A short body.");
        assert_eq!(s, "A short body.");
        // Japanese goes through a window and tantivy's generator.
        let filler = "今日は本を読みました。".repeat(60);
        let s = body_snippet(
            "ja",
            "図書館",
            &format!("{filler}図書館で会いました。{filler}"),
        );
        assert_eq!(ellipses(&s), (true, true, 2), "{s}");
        assert!(s.contains("<mark>図書館</mark>"), "{s}");
        let s = body_snippet("ja", "図書館", "図書館で会いました。");
        assert_eq!(ellipses(&s), (false, false, 0), "{s}");
        // A term no character of the body opens: its opening words, kept
        // or not.
        let s = body_snippet("ja", "認知", &filler);
        assert!(!s.contains("<mark>") && s.starts_with("今日は"), "{s}");
    }
}
