//! Turning parsed clauses into a Tantivy query over the schema's fields.
//!
//! A word is searched in every text part (title, summary, body, tags,
//! organisation) under every analysis, each field with its weight, scored
//! with BM25 and summed. A word repeated in the query counts each time, as in
//! Lucene. Words that occur nowhere in the index are corrected against the
//! spelling dictionary (title, summary and tag words) and searched with a
//! lower weight, so a typo still finds what it meant without outranking exact
//! matches. Synonym groups widen words and phrases to their equivalents.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

use tantivy::postings::Postings;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    TermQuery,
};
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, EnableScoring};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Score, Searcher, Term};

use super::parse::Node;
use crate::resource::tag_slug;
use crate::schema::{Analysis, KbSchema, Part, analyse, analyse_positions};
use crate::synonyms::Synonyms;
use crate::vocabulary::Vocabularies;

/// How much a match in each text part counts, relative to the body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Title weight.
    pub title: f32,
    /// Summary weight.
    pub summary: f32,
    /// Body weight.
    pub body: f32,
    /// Tags weight.
    pub tags: f32,
    /// Organisation weight.
    pub organisation: f32,
    /// Multiplier for words found by spelling correction.
    pub corrected: f32,
    /// Most prefix expansions per field for `word*`.
    pub max_prefix_expansions: u32,
    /// Weight of the bonus for adjacent query words found near each other.
    pub proximity: f32,
    /// How many positions apart "near" allows.
    pub proximity_slop: u32,
    /// BM25 length normalisation `b` of titles (see [`Statistics`]).
    pub title_b: f32,
    /// BM25 length normalisation `b` of bodies (see [`Statistics`]).
    pub body_b: f32,
    /// Pseudo-relevance feedback: how many first hits are read (0: none).
    pub feedback_docs: u32,
    /// Pseudo-relevance feedback: how many words are added.
    pub feedback_terms: u32,
    /// Pseudo-relevance feedback: the share of the query's own words (RM3's λ).
    pub feedback_original: f32,
    /// Pseudo-relevance feedback: only for queries of at least this many distinct words.
    pub feedback_min_words: u32,
}

impl Default for Weights {
    fn default() -> Self {
        // Chosen on four judged collections (Cranfield, LISA, MED, NPL) by
        // leave-one-collection-out, one configuration for all
        // (BENCHMARKS.md, "Relevance"): the highest mean nDCG@10 among the
        // settings that keep every collection at or above the best Lucene
        // BM25 set-up. Bodies normalise length less than Tantivy's default
        // (b 0.6, k1 0.75); titles less still (b 0.4, k1 0.5), which long
        // titles (LISA) need and Cranfield's shorter ones barely feel; RM3
        // feedback raised three collections of four and the mean.
        Self {
            title: 1.0,
            summary: 1.5,
            body: 1.0,
            tags: 1.5,
            organisation: 1.0,
            corrected: 0.4,
            max_prefix_expansions: 50,
            proximity: 0.25,
            proximity_slop: 8,
            title_b: 0.4,
            body_b: 0.6,
            feedback_docs: 10,
            feedback_terms: 20,
            feedback_original: 0.7,
            feedback_min_words: 4,
        }
    }
}

impl Weights {
    /// Names accepted by [`Weights::set`].
    pub const NAMES: [&'static str; 14] = [
        "title",
        "summary",
        "body",
        "tags",
        "organisation",
        "corrected",
        "proximity",
        "proximity_slop",
        "title_b",
        "body_b",
        "feedback_docs",
        "feedback_terms",
        "feedback_original",
        "feedback_min_words",
    ];

    /// Change one weight by name (for measuring alternatives with `kb-index eval --param`).
    pub fn set(&mut self, name: &str, value: f32) -> Result<(), String> {
        match name {
            "title" => self.title = value,
            "summary" => self.summary = value,
            "body" => self.body = value,
            "tags" => self.tags = value,
            "organisation" => self.organisation = value,
            "corrected" => self.corrected = value,
            "proximity" => self.proximity = value,
            "proximity_slop" => self.proximity_slop = value.max(0.0) as u32,
            "title_b" => self.title_b = value,
            "body_b" => self.body_b = value,
            "feedback_docs" => self.feedback_docs = value.max(0.0) as u32,
            "feedback_terms" => self.feedback_terms = value.max(0.0) as u32,
            "feedback_original" => self.feedback_original = value.clamp(0.01, 1.0),
            "feedback_min_words" => self.feedback_min_words = value.max(0.0) as u32,
            _ => {
                return Err(format!(
                    "unknown weight `{name}`; known: {}",
                    Self::NAMES.join(", ")
                ));
            }
        }
        Ok(())
    }

    pub(super) fn of(&self, part: Part) -> f32 {
        match part {
            Part::Title => self.title,
            Part::Summary => self.summary,
            Part::Body => self.body,
            Part::Tags => self.tags,
            Part::Organisation => self.organisation,
            // An attachment is long and less focused than the resource's
            // own text: its words count, at half a body word.
            Part::Attachment => self.body * 0.5,
        }
    }
}

/// How many of the best hits get the proximity bonus added.
///
/// The bonus needs word positions, the dearest thing a query can read, and
/// it keeps a query from skipping: block-max WAND only runs over plain word
/// scores. So the words alone pick the best candidates (skipping what cannot
/// make the top), and the bonus reorders the first `RESCORE_DEPTH` of them.
/// Measured on Cranfield in BENCHMARKS.md.
pub const RESCORE_DEPTH: usize = 100;

/// A query ready to run, with what the user may want to know about it.
pub struct Compiled {
    /// The Tantivy query: which documents match, and their word scores. A
    /// run of plain words is one flat disjunction of term clauses, so Tantivy
    /// can score it with block-max WAND.
    pub query: Box<dyn Query>,
    /// Proximity bonuses, added to the best candidates by [`Compiled::add_bonus`].
    pub bonus: Vec<Proximity>,
    /// The query is a flat disjunction of plain word clauses, which Tantivy
    /// ranks with block-max WAND. Phrases, prefixes, field values, `+`, `-`
    /// and groups are not: their best hits are found by scoring each hit.
    pub prunable: bool,
    /// Misspelt words and the words searched instead.
    pub corrections: Vec<(String, String)>,
    /// True when the query matches everything (empty text).
    pub match_all: bool,
    /// The statistics every score of this query is computed from.
    pub statistics: Statistics,
}

impl Compiled {
    /// Scoring with this query's statistics: build every scored weight with it.
    pub fn scoring(&self) -> EnableScoring<'_> {
        EnableScoring::enabled_from_statistics_provider(&self.statistics, &self.statistics.searcher)
    }

    /// Add the proximity bonus to the first [`RESCORE_DEPTH`] candidates,
    /// given best first by word score. As bonuses only add, the rescored
    /// head still ranks above the rest. The caller re-sorts.
    pub fn add_bonus(
        &self,
        searcher: &Searcher,
        candidates: &mut [(Score, DocAddress)],
    ) -> tantivy::Result<()> {
        if self.bonus.is_empty() || candidates.is_empty() {
            return Ok(());
        }
        let head = candidates.len().min(RESCORE_DEPTH);
        // Candidates in index order, as postings only move forward.
        let mut order: Vec<usize> = (0..head).collect();
        order.sort_by_key(|&i| candidates[i].1);
        let (mut first, mut second) = (Vec::new(), Vec::new());
        for bonus in &self.bonus {
            let weight =
                Bm25Weight::for_terms(&self.statistics, &bonus.terms)?.boost_by(bonus.boost);
            let field = bonus.terms[0].field();
            let mut at = 0;
            while at < order.len() {
                let segment = candidates[order[at]].1.segment_ord;
                let end = at
                    + order[at..]
                        .iter()
                        .take_while(|&&i| candidates[i].1.segment_ord == segment)
                        .count();
                let reader = searcher.segment_reader(segment);
                let inverted = reader.inverted_index(field)?;
                let record = IndexRecordOption::WithFreqsAndPositions;
                let (Some(mut a), Some(mut b)) = (
                    inverted.read_postings(&bonus.terms[0], record)?,
                    inverted.read_postings(&bonus.terms[1], record)?,
                ) else {
                    at = end;
                    continue;
                };
                let fieldnorms = reader.get_fieldnorms_reader(field)?;
                for &i in &order[at..end] {
                    let doc = candidates[i].1.doc_id;
                    if a.doc() < doc {
                        a.seek(doc);
                    }
                    if b.doc() < doc {
                        b.seek(doc);
                    }
                    if a.doc() != doc || b.doc() != doc {
                        continue;
                    }
                    // The second word one place on, so "a b" side by side is 0 apart.
                    a.positions_with_offset(1, &mut first);
                    b.positions(&mut second);
                    let near = pairs_within(&first, &second, bonus.slop);
                    if near > 0 {
                        candidates[i].0 += weight.score(fieldnorms.fieldnorm_id(doc), near);
                    }
                }
                at = end;
            }
        }
        Ok(())
    }
}

/// A bonus for two neighbouring query words standing near each other in a
/// field: scored as BM25 over the pair (both words' weight) with the number
/// of close pairs as its frequency, times `boost`.
///
/// A Tantivy phrase query with slop scores the same, but its count starts
/// from whichever word is rarer in the document's segment, so the bonus of
/// one document changed when a rebuild split the index otherwise. Here the
/// first word always leads.
#[derive(Debug, Clone)]
pub struct Proximity {
    /// The two words' terms, in the query's order, in one field.
    pub terms: [Term; 2],
    /// How many positions apart the two may stand (0: side by side).
    pub slop: u32,
    /// The field's weight times the proximity weight.
    pub boost: Score,
}

/// How many positions of `second` have a position of `first` at most
/// `slop` away, each position used once, the nearer `first` preferred.
/// Both lists are ascending.
fn pairs_within(first: &[u32], second: &[u32], slop: u32) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < first.len() && j < second.len() {
        if first[i].abs_diff(second[j]) <= slop {
            // A later `first` still at or before this `second` is nearer.
            while first.get(i + 1).is_some_and(|&next| next <= second[j]) {
                i += 1;
            }
            count += 1;
            i += 1;
            j += 1;
        } else if first[i] < second[j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    count
}

/// BM25 statistics of a searcher with the average length of titles and
/// bodies scaled, which sets their length normalisation.
///
/// Tantivy's BM25 has fixed parameters (k1 = 1.2, b = 0.75). Its length
/// factor is `k1 (1 − b + b·len/avg)`; reporting the average length `s`
/// times larger gives `k1' (1 − b' + b'·len/avg)` with
/// `b' = 0.75 / (0.25 s + 0.75)` and `k1' = 0.3 / (1 − b')`. A field's
/// normalisation `b'` is set by choosing `s = 3 (1/b' − 1)`; its
/// saturation `k1'` follows (b' 0.75: k1' 1.2; 0.5: 0.6; 0.4: 0.5). The
/// `(k1 + 1)` factor stays 2.2 for every term, which changes no order.
///
/// Both the average length and the document frequencies are taken over the
/// documents of the field's analysis (its language), not over the whole
/// catalogue, so adding Welsh or Japanese resources leaves English rankings
/// as they were: Tantivy's idf counts every document, and for a word in
/// nearly every English resource ("library") the Welsh ones alone would
/// make it weigh many times more.
#[derive(Clone)]
pub struct Statistics {
    searcher: Searcher,
    /// Document frequencies already read, and the [`segments_key`] of the
    /// searcher they are read under.
    doc_freqs: Arc<DocFreqMemo>,
    segments: u64,
    scales: Vec<(Field, f64)>,
    /// Documents in the whole index.
    total: u64,
    /// Documents of each text field's analysis, where fewer than `total`.
    docs: Vec<(Field, u64)>,
}

impl Statistics {
    fn new(
        searcher: &Searcher,
        schema: &KbSchema,
        weights: &Weights,
        (doc_freqs, segments): (Arc<DocFreqMemo>, u64),
    ) -> Self {
        let scale = |b: f32| 3.0 * (1.0 / f64::from(b.clamp(0.05, 0.95)) - 1.0);
        // Tantivy averages a field's length over every document, but only
        // documents of the field's analysis (their language) have text in
        // it: English lengths would shrink as Welsh or Japanese resources
        // are added, and English rankings would shift. Averaging over the
        // documents of the analysis keeps each language's ranking its own.
        let total: u64 = searcher
            .segment_readers()
            .iter()
            .map(|r| u64::from(r.max_doc()))
            .sum();
        let mut by_analysis: HashMap<Analysis, u64> = HashMap::new();
        for reader in searcher.segment_readers() {
            let Ok(inverted) = reader.inverted_index(schema.language) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().stream() else {
                continue;
            };
            while stream.advance() {
                let code = String::from_utf8_lossy(stream.key());
                *by_analysis
                    .entry(Analysis::for_language(&code))
                    .or_default() += u64::from(stream.value().doc_freq);
            }
        }
        let docs = schema
            .text_fields()
            .filter_map(|(_, analysis, field)| {
                let n = by_analysis.get(&analysis).copied().unwrap_or(0);
                (n > 0 && n < total).then_some((field, n))
            })
            .collect();
        let scales = schema
            .text_fields()
            .filter_map(|(part, analysis, field)| {
                let length = match part {
                    Part::Title => scale(weights.title_b),
                    Part::Body => scale(weights.body_b),
                    _ => 1.0,
                };
                let share = match by_analysis.get(&analysis) {
                    Some(&docs) if docs > 0 && total > 0 => total as f64 / docs as f64,
                    _ => 1.0,
                };
                let s = length * share;
                ((s - 1.0).abs() > 1e-9).then_some((field, s))
            })
            .collect();
        Self {
            searcher: searcher.clone(),
            doc_freqs,
            segments,
            scales,
            total,
            docs,
        }
    }
}

impl Bm25StatisticsProvider for Statistics {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = Bm25StatisticsProvider::total_num_tokens(&self.searcher, field)?;
        Ok(match self.scales.iter().find(|(f, _)| *f == field) {
            Some((_, s)) => (tokens as f64 * s).round() as u64,
            None => tokens,
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(&self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let key = (self.segments, term.clone());
        let df = self
            .doc_freqs
            .get_or_insert_with(&key, || self.searcher.doc_freq(term))?;
        let Some(&(_, n)) = self.docs.iter().find(|(f, _)| *f == term.field()) else {
            return Ok(df);
        };
        // Tantivy's idf is ln(1 + (N − df + ½) / (df + ½)) with N every
        // document; report the df that gives the idf the field's own
        // documents (n) would.
        let (total, n, df) = (self.total as f64, n as f64, (df as f64).min(n as f64));
        let odds = (n - df + 0.5) / (df + 0.5);
        let adjusted = (total + 0.5 - 0.5 * odds) / (1.0 + odds);
        Ok(adjusted.round().clamp(0.0, total) as u64)
    }
}

/// Builds Tantivy queries from query text; cheap to share across threads.
#[derive(Clone)]
pub struct QueryBuilder {
    pub(super) schema: KbSchema,
    synonyms: Synonyms,
    vocab: Option<Vocabularies>,
    pub(super) weights: Weights,
    pub(super) analyzers: Vec<(Analysis, TextAnalyzer)>,
    /// Words already analysed ([`QueryBuilder::analysed`]), shared by clones.
    words: Arc<WordMemo>,
    /// Runs of words already paired ([`QueryBuilder::proximity`]), shared by clones.
    pairs: Arc<PairMemo>,
    /// Terms' document frequencies already read ([`Statistics`]), shared by clones.
    doc_freqs: Arc<DocFreqMemo>,
}

/// Analysed words by (set of segments, word, part): a word's terms, and the
/// fields whose dictionaries hold them, only change with the segments.
/// Looking them up is most of compiling a short query (each word through
/// every analysis, a dictionary lookup per field and segment).
type WordMemo = quick_cache::sync::Cache<(u64, String, Option<Part>), Arc<Vec<Analysed>>>;

/// Words [`WordMemo`] keeps.
const MEMO_WORDS: usize = 8192;

/// The term pairs of neighbouring words, with the part whose field holds
/// both, by (set of segments, run of words, part): like [`WordMemo`], they
/// only change with the segments.
type PairMemo =
    quick_cache::sync::Cache<(u64, Vec<String>, Option<Part>), Arc<Vec<(Part, [Term; 2])>>>;

/// Runs of words [`PairMemo`] keeps.
const MEMO_RUNS: usize = 4096;

/// Terms' document frequencies by (set of segments, term): the statistics
/// of every scored term read them from the dictionary of every segment, the
/// same terms query after query, and a set of segments never changes them
/// (deleted documents still count, as in Tantivy's own statistics).
type DocFreqMemo = quick_cache::sync::Cache<(u64, Term), u64>;

/// Terms [`DocFreqMemo`] keeps.
const MEMO_TERMS: usize = 16_384;

/// An identity of a searcher's set of segments.
fn segments_key(searcher: &Searcher) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    for reader in searcher.segment_readers() {
        reader.segment_id().hash(&mut hasher);
    }
    hasher.finish()
}

struct Context<'a> {
    searcher: &'a Searcher,
    /// [`segments_key`] of the searcher.
    segments: u64,
    analyzers: Vec<(Analysis, TextAnalyzer)>,
    corrections: Vec<(String, String)>,
    bonus: Vec<Proximity>,
    /// Inside an exclusion: no bonus for what must not match.
    negated: usize,
    /// Only plain word clauses so far; see [`Compiled::prunable`].
    prunable: bool,
}

/// A text analysed for one field: its part, its analysis, and its terms with positions.
type Analysed = (Part, Analysis, Vec<(usize, Term)>);

pub(super) fn boxed(query: impl Query) -> Box<dyn Query> {
    Box::new(query)
}

pub(super) fn boost(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

fn any_of(mut clauses: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match clauses.len() {
        0 => None,
        1 => clauses.pop(),
        _ => Some(boxed(BooleanQuery::new(
            clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))),
    }
}

impl QueryBuilder {
    /// A builder for the product schema with the corpus's synonyms and vocabularies.
    pub fn new(schema: KbSchema, synonyms: Synonyms, vocab: Option<Vocabularies>) -> Self {
        let analyzers = Analysis::ALL
            .iter()
            .map(|a| (*a, schema.analyzer(*a)))
            .collect();
        Self {
            schema,
            synonyms,
            vocab,
            weights: Weights::default(),
            analyzers,
            words: Arc::new(WordMemo::new(MEMO_WORDS)),
            pairs: Arc::new(PairMemo::new(MEMO_RUNS)),
            doc_freqs: Arc::new(DocFreqMemo::new(MEMO_TERMS)),
        }
    }

    /// Replace the field weights.
    pub fn with_weights(mut self, weights: Weights) -> Self {
        self.weights = weights;
        self
    }

    /// The schema this builder targets.
    pub fn schema(&self) -> &KbSchema {
        &self.schema
    }

    /// Compile parsed clauses against the index behind `searcher`.
    pub fn compile(&self, searcher: &Searcher, nodes: &[Node]) -> Compiled {
        self.compile_with(searcher, nodes, Vec::new())
    }

    /// Compile with extra optional clauses beside the top-level words.
    pub(super) fn compile_with(
        &self,
        searcher: &Searcher,
        nodes: &[Node],
        extra: Vec<(Occur, Box<dyn Query>)>,
    ) -> Compiled {
        let segments = segments_key(searcher);
        let statistics = Statistics::new(
            searcher,
            &self.schema,
            &self.weights,
            (self.doc_freqs.clone(), segments),
        );
        if nodes.is_empty() {
            return Compiled {
                query: boxed(AllQuery),
                bonus: Vec::new(),
                prunable: false,
                corrections: Vec::new(),
                match_all: true,
                statistics,
            };
        }
        // Only analyses some document uses: an English-only catalogue never
        // runs a query through the Japanese, Chinese or Welsh analysis.
        let analyzers = self
            .analyzers
            .iter()
            .filter(|(analysis, _)| {
                [Part::Title, Part::Body].iter().any(|part| {
                    let field = self.schema.text_field(*part, *analysis);
                    searcher.segment_readers().iter().any(|s| {
                        s.inverted_index(field)
                            .is_ok_and(|i| i.terms().num_terms() > 0)
                    })
                })
            })
            .cloned()
            .collect();
        let mut cx = Context {
            searcher,
            segments,
            analyzers,
            corrections: Vec::new(),
            bonus: Vec::new(),
            negated: 0,
            prunable: true,
        };
        let query = self
            .group_with(&mut cx, nodes, None, extra)
            .unwrap_or_else(|| boxed(EmptyQuery));
        Compiled {
            query,
            bonus: cx.bonus,
            prunable: cx.prunable,
            corrections: cx.corrections,
            match_all: false,
            statistics,
        }
    }

    /// Clauses side by side: optional, except `+` (must) and `-` (must not).
    fn group(
        &self,
        cx: &mut Context<'_>,
        nodes: &[Node],
        part: Option<Part>,
    ) -> Option<Box<dyn Query>> {
        self.group_with(cx, nodes, part, Vec::new())
    }

    /// A group with `clauses` already in it (the feedback words of an expanded query).
    fn group_with(
        &self,
        cx: &mut Context<'_>,
        nodes: &[Node],
        part: Option<Part>,
        mut clauses: Vec<(Occur, Box<dyn Query>)>,
    ) -> Option<Box<dyn Query>> {
        let mut i = 0;
        while i < nodes.len() {
            if let Node::Word(_) = &nodes[i] {
                // A run of plain words: look for synonym members spanning several words.
                let start = i;
                while i < nodes.len() && matches!(nodes[i], Node::Word(_)) {
                    i += 1;
                }
                let words: Vec<String> = nodes[start..i]
                    .iter()
                    .filter_map(|n| {
                        if let Node::Word(w) = n {
                            Some(w.clone())
                        } else {
                            None
                        }
                    })
                    .collect();
                for query in self.word_run(cx, &words, part) {
                    clauses.push((Occur::Should, query));
                }
                continue;
            }
            let node = &nodes[i];
            i += 1;
            match node {
                Node::Excluded(inner) => {
                    if let Some(q) = self.negated(cx, inner, part) {
                        clauses.push((Occur::MustNot, q));
                    }
                }
                Node::Required(inner) => {
                    clauses.push((
                        Occur::Must,
                        self.node(cx, inner, part)
                            .unwrap_or_else(|| boxed(EmptyQuery)),
                    ));
                }
                Node::Phrase(p) => {
                    for q in self.phrase_or_synonyms(cx, p, part) {
                        clauses.push((Occur::Should, q));
                    }
                }
                other => {
                    if let Some(q) = self.node(cx, other, part) {
                        clauses.push((Occur::Should, q));
                    }
                }
            }
        }
        finish(clauses)
    }

    fn word_run(
        &self,
        cx: &mut Context<'_>,
        words: &[String],
        part: Option<Part>,
    ) -> Vec<Box<dyn Query>> {
        let mut out = Vec::new();
        let mut p = 0;
        while p < words.len() {
            match self.synonyms.match_at(words, p) {
                Some((len, others)) => {
                    // The alternatives' scores add up, as one nested
                    // disjunction would, but flat.
                    let own = &words[p..p + len];
                    // Only the words typed are spelling-corrected: a synonym
                    // the catalogue lacks is simply not searched.
                    let texts = std::iter::once((own, true))
                        .chain(others.into_iter().map(|member| (member, false)));
                    for (member, typed) in texts {
                        let q = if member.len() == 1 {
                            self.word(cx, &member[0], part, typed)
                        } else {
                            self.phrase(cx, &member.join(" "), part)
                        };
                        out.extend(q);
                    }
                    p += len;
                }
                None => {
                    out.extend(self.word(cx, &words[p], part, true));
                    p += 1;
                }
            }
        }
        if self.weights.proximity > 0.0 && words.len() > 1 && cx.negated == 0 {
            let bonus = self.proximity(cx, words, part);
            cx.bonus.extend(bonus);
        }
        out
    }

    /// A clause that must not match: it earns no bonus.
    fn negated(
        &self,
        cx: &mut Context<'_>,
        node: &Node,
        part: Option<Part>,
    ) -> Option<Box<dyn Query>> {
        cx.negated += 1;
        let q = self.node(cx, node, part);
        cx.negated -= 1;
        q
    }

    /// A bonus for each pair of neighbouring query words that also stand near
    /// each other in a field: documents about "heat transfer" rank above
    /// documents that mention heat and transfer far apart.
    fn proximity(
        &self,
        cx: &mut Context<'_>,
        words: &[String],
        part: Option<Part>,
    ) -> Vec<Proximity> {
        let key = (cx.segments, words.to_vec(), part);
        let found = || Ok::<_, Infallible>(Arc::new(self.pairs(cx, words, part)));
        let Ok(pairs) = self.pairs.get_or_insert_with(&key, found);
        pairs
            .iter()
            .map(|(p, terms)| Proximity {
                terms: terms.clone(),
                slop: self.weights.proximity_slop,
                boost: self.weights.proximity * self.weights.of(*p),
            })
            .collect()
    }

    /// The term pairs [`QueryBuilder::proximity`] rewards, with their part.
    fn pairs(
        &self,
        cx: &mut Context<'_>,
        words: &[String],
        part: Option<Part>,
    ) -> Vec<(Part, [Term; 2])> {
        let mut out = Vec::new();
        for (analysis, analyzer) in cx.analyzers.iter_mut() {
            let tokens: Vec<String> = words.iter().flat_map(|w| analyse(analyzer, w)).collect();
            if tokens.len() < 2 {
                continue;
            }
            for (p, a, field) in self.fields(part) {
                // Word order carries meaning in running text: title and body.
                // Summaries, tags and names are short, and position checks
                // are the dearest part of a query.
                if a != *analysis || !matches!(p, Part::Title | Part::Body) {
                    continue;
                }
                let terms: Vec<Term> = tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                let present: Vec<bool> = terms
                    .iter()
                    .map(|t| cx.searcher.doc_freq(t).unwrap_or(0) > 0)
                    .collect();
                for i in 0..terms.len() - 1 {
                    if present[i] && present[i + 1] && terms[i] != terms[i + 1] {
                        out.push((p, [terms[i].clone(), terms[i + 1].clone()]));
                    }
                }
            }
        }
        out
    }

    fn node(
        &self,
        cx: &mut Context<'_>,
        node: &Node,
        part: Option<Part>,
    ) -> Option<Box<dyn Query>> {
        // Every clause that is not a run of plain words comes through here.
        cx.prunable = false;
        match node {
            Node::Word(w) => any_of(self.word_run(cx, std::slice::from_ref(w), part)),
            Node::Phrase(p) => any_of(self.phrase_or_synonyms(cx, p, part)),
            Node::Prefix(p) => self.prefix(cx, p, part),
            Node::Field(field, inner) => self.field(cx, field, inner),
            Node::Required(inner) => self.node(cx, inner, part),
            Node::Excluded(inner) => {
                let q = self.negated(cx, inner, part)?;
                Some(boxed(BooleanQuery::new(vec![
                    (Occur::Must, boxed(AllQuery)),
                    (Occur::MustNot, q),
                ])))
            }
            Node::All(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    match item {
                        Node::Excluded(inner) => clauses
                            .extend(self.negated(cx, inner, part).map(|q| (Occur::MustNot, q))),
                        other => clauses.push((
                            Occur::Must,
                            self.node(cx, other, part)
                                .unwrap_or_else(|| boxed(EmptyQuery)),
                        )),
                    }
                }
                finish(clauses)
            }
            Node::Any(items) => any_of(
                items
                    .iter()
                    .filter_map(|n| self.node(cx, n, part))
                    .collect(),
            ),
            Node::Group(items) => self.group(cx, items, part),
        }
    }

    /// Fields a clause searches: one part or all, under every analysis.
    fn fields(&self, part: Option<Part>) -> Vec<(Part, Analysis, Field)> {
        self.schema
            .text_fields()
            .filter(|(p, _, _)| part.is_none_or(|want| want == *p))
            .collect()
    }

    /// Terms of `text` under each analysis, per field, keeping only fields where
    /// every term occurs in the index.
    fn analysed(&self, cx: &mut Context<'_>, text: &str, part: Option<Part>) -> Arc<Vec<Analysed>> {
        let key = (cx.segments, text.to_string(), part);
        let found = || Ok::<_, Infallible>(Arc::new(self.analyse(cx, text, part)));
        let Ok(known) = self.words.get_or_insert_with(&key, found);
        known
    }

    fn analyse(&self, cx: &mut Context<'_>, text: &str, part: Option<Part>) -> Vec<Analysed> {
        let mut by_analysis: HashMap<Analysis, Vec<(usize, String)>> = HashMap::new();
        for (analysis, analyzer) in cx.analyzers.iter_mut() {
            by_analysis.insert(*analysis, analyse_positions(analyzer, text));
        }
        let mut out = Vec::new();
        for (p, analysis, field) in self.fields(part) {
            let Some(tokens) = by_analysis.get(&analysis) else {
                continue;
            };
            if tokens.is_empty() {
                continue;
            }
            let terms: Vec<(usize, Term)> = tokens
                .iter()
                .map(|(pos, t)| (*pos, Term::from_field_text(field, t)))
                .collect();
            if analysis.is_cjk() {
                // Text without spaces: every morpheme or bigram found counts on its own.
                let present: Vec<(usize, Term)> = terms
                    .into_iter()
                    .filter(|(_, t)| cx.searcher.doc_freq(t).unwrap_or(0) > 0)
                    .collect();
                if !present.is_empty() {
                    out.push((p, analysis, present));
                }
            } else if terms
                .iter()
                .all(|(_, t)| cx.searcher.doc_freq(t).unwrap_or(0) > 0)
            {
                out.push((p, analysis, terms));
            }
        }
        out
    }

    fn word(
        &self,
        cx: &mut Context<'_>,
        word: &str,
        part: Option<Part>,
        correct: bool,
    ) -> Vec<Box<dyn Query>> {
        let found = self.analysed(cx, word, part);
        if found.is_empty() {
            if correct && let Some(better) = self.correction(cx, word) {
                cx.corrections.push((word.to_string(), better.clone()));
                return self
                    .word(cx, &better, part, false)
                    .into_iter()
                    .map(|q| boost(q, self.weights.corrected))
                    .collect();
            }
            return Vec::new();
        }
        let mut clauses = Vec::new();
        for (p, analysis, terms) in found.iter() {
            let weight = self.weights.of(*p);
            if terms.len() == 1 {
                let q = TermQuery::new(terms[0].1.clone(), IndexRecordOption::WithFreqs);
                clauses.push(boost(boxed(q), weight));
            } else if analysis.is_cjk() {
                // Each morpheme or bigram scores on its own; the run in order earns a bonus.
                for (_, t) in terms {
                    let q = TermQuery::new(t.clone(), IndexRecordOption::WithFreqs);
                    clauses.push(boost(boxed(q), weight));
                }
                cx.prunable = false;
                clauses.push(boost(
                    boxed(PhraseQuery::new_with_offset(terms.clone())),
                    weight,
                ));
            } else {
                cx.prunable = false;
                clauses.push(boost(
                    boxed(PhraseQuery::new_with_offset(terms.clone())),
                    weight,
                ));
            }
        }
        clauses
    }

    /// A quoted phrase that is exactly a synonym-group member also matches the other members.
    fn phrase_or_synonyms(
        &self,
        cx: &mut Context<'_>,
        text: &str,
        part: Option<Part>,
    ) -> Vec<Box<dyn Query>> {
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        match self.synonyms.match_at(&words, 0) {
            Some((len, others)) if len == words.len() => std::iter::once(words.as_slice())
                .chain(others)
                .flat_map(|member| self.phrase(cx, &member.join(" "), part))
                .collect(),
            _ => self.phrase(cx, text, part),
        }
    }

    fn phrase(&self, cx: &mut Context<'_>, text: &str, part: Option<Part>) -> Vec<Box<dyn Query>> {
        self.analysed(cx, text, part)
            .iter()
            .map(|(p, _, terms)| {
                let q = if terms.len() == 1 {
                    boxed(TermQuery::new(
                        terms[0].1.clone(),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    cx.prunable = false;
                    boxed(PhraseQuery::new_with_offset(terms.clone()))
                };
                boost(q, self.weights.of(*p))
            })
            .collect()
    }

    fn prefix(
        &self,
        _cx: &mut Context<'_>,
        prefix: &str,
        part: Option<Part>,
    ) -> Option<Box<dyn Query>> {
        let lowered: String = prefix
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if lowered.is_empty() {
            return None;
        }
        let clauses = self
            .fields(part)
            .into_iter()
            .map(|(p, analysis, field)| {
                // Welsh fields hold folded words: fold the prefix's opening too.
                let text = match analysis {
                    Analysis::Welsh => crate::welsh::fold_prefix(&lowered),
                    _ => lowered.clone(),
                };
                let mut q = PhrasePrefixQuery::new(vec![Term::from_field_text(field, &text)]);
                q.set_max_expansions(self.weights.max_prefix_expansions);
                boost(boxed(q), self.weights.of(p))
            })
            .collect();
        any_of(clauses)
    }

    fn field(&self, cx: &mut Context<'_>, field: &str, inner: &Node) -> Option<Box<dyn Query>> {
        let part = match field {
            "title" => Some(Part::Title),
            "summary" => Some(Part::Summary),
            "body" => Some(Part::Body),
            "organisation" => Some(Part::Organisation),
            "attachment" => Some(Part::Attachment),
            _ => None,
        };
        if let Some(part) = part {
            return self.node(cx, inner, Some(part));
        }
        let value = match inner {
            Node::Word(v) | Node::Phrase(v) | Node::Prefix(v) => v.as_str(),
            _ => return None,
        };
        let s = &self.schema;
        let resolve = |vocab: fn(&Vocabularies) -> &crate::vocabulary::Vocabulary| -> String {
            self.vocab
                .as_ref()
                .and_then(|v| vocab(v).resolve(value).map(|t| t.slug.clone()))
                .unwrap_or_else(|| value.to_lowercase())
        };
        let term = match field {
            "offer" => Term::from_field_text(s.offer, &resolve(|v| &v.offers)),
            "type" => Term::from_field_text(s.resource_type, &resolve(|v| &v.types)),
            "region" => Term::from_field_text(s.region, &resolve(|v| &v.regions)),
            "language" => Term::from_field_text(s.language, &resolve(|v| &v.languages)),
            "tag" => Term::from_field_text(s.tag, &tag_slug(value)),
            "id" => Term::from_field_text(s.id, value),
            "year" => match value.parse::<u64>() {
                Ok(year) => Term::from_field_u64(s.year, year),
                Err(_) => return Some(boxed(EmptyQuery)),
            },
            _ => return None,
        };
        Some(boxed(TermQuery::new(term, IndexRecordOption::Basic)))
    }

    /// The most frequent dictionary word within a small edit distance of `word`.
    fn correction(&self, cx: &mut Context<'_>, word: &str) -> Option<String> {
        let lowered = word.to_lowercase();
        let chars = lowered.chars().count();
        if chars < 4
            || !lowered
                .chars()
                .all(|c| c.is_alphabetic() && !crate::cjk::is_cjk(c))
        {
            return None;
        }
        // Stop words and words the dictionary knows are not misspellings.
        let english = cx
            .analyzers
            .iter_mut()
            .find(|(a, _)| *a == Analysis::English)
            .map(|(_, an)| analyse(an, &lowered));
        if english.is_some_and(|tokens| tokens.is_empty())
            || cx
                .searcher
                .doc_freq(&Term::from_field_text(self.schema.spell, &lowered))
                .unwrap_or(0)
                > 0
        {
            return None;
        }
        let max_distance = if chars >= 8 { 2 } else { 1 };
        let first = lowered.chars().next()?;
        let mut candidates: HashMap<String, (usize, u64)> = HashMap::new();
        for segment in cx.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.schema.spell) else {
                continue;
            };
            let dict = inverted.terms();
            let mut upper = [0u8; 4];
            let next = char::from_u32(first as u32 + 1).unwrap_or(char::MAX);
            let lower_bound = first.to_string();
            let upper_bound = next.encode_utf8(&mut upper).to_string();
            let Ok(mut stream) = dict
                .range()
                .ge(lower_bound.as_bytes())
                .lt(upper_bound.as_bytes())
                .into_stream()
            else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if term.chars().count().abs_diff(chars) > max_distance {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(&lowered, term);
                if distance == 0 || distance > max_distance {
                    continue;
                }
                let entry = candidates.entry(term.to_string()).or_insert((distance, 0));
                entry.1 += u64::from(stream.value().doc_freq);
            }
        }
        candidates
            .into_iter()
            .min_by(|a, b| {
                a.1.0
                    .cmp(&b.1.0)
                    .then(b.1.1.cmp(&a.1.1))
                    .then(a.0.cmp(&b.0))
            })
            .map(|(term, _)| term)
    }
}

fn finish(clauses: Vec<(Occur, Box<dyn Query>)>) -> Option<Box<dyn Query>> {
    if clauses.is_empty() {
        return None;
    }
    let positive = clauses.iter().any(|(o, _)| *o != Occur::MustNot);
    let mut clauses = clauses;
    if !positive {
        clauses.push((Occur::Must, boxed(AllQuery)));
    }
    if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
        return clauses.pop().map(|(_, q)| q);
    }
    Some(boxed(BooleanQuery::new(clauses)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;
    use crate::resource::Resource;

    /// A small English index: every word the tests search is in some title
    /// or body, and `memory` and `loss` stand side by side.
    fn index() -> (KbSchema, tantivy::Index, Vocabularies) {
        index_of(&[
            (
                "a",
                "Dementia reading groups",
                "Weekly reading groups for people with dementia.",
            ),
            (
                "b",
                "Memory loss cafés",
                "Memory loss support in branch libraries.",
            ),
            ("c", "Coding clubs", "Children learn to code."),
        ])
    }

    /// An English index of `(id, title, body)` documents, in one segment.
    fn index_of(docs: &[(&str, &str, &str)]) -> (KbSchema, tantivy::Index, Vocabularies) {
        let schema = KbSchema::new();
        let index = schema.create_in_ram();
        let vocab = Vocabularies::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../corpus/{}", crate::corpus::VOCABULARIES_FILE)),
        )
        .expect("vocabularies");
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, crate::builder::WRITER_HEAP_BYTES)
            .expect("writer");
        for &(id, title, body) in docs {
            let resource: Resource =
                crate::eval::as_resource(id.into(), title.into(), body.into(), "en");
            writer
                .add_document(schema.document(&resource, id, "", &vocab))
                .expect("add");
        }
        writer.commit().expect("commit");
        (schema, index, vocab)
    }

    /// `query` compiled over [`index`], with `synonyms` (TOML; empty: none).
    fn compile(query: &str, synonyms: &str) -> (Compiled, KbSchema) {
        let (schema, index, vocab) = index();
        let searcher = index.reader().expect("reader").searcher();
        let synonyms = if synonyms.is_empty() {
            Synonyms::default()
        } else {
            Synonyms::from_toml(synonyms).expect("synonyms")
        };
        let builder = QueryBuilder::new(schema.clone(), synonyms, Some(vocab));
        let nodes = parse(query).expect("parses");
        (builder.compile(&searcher, &nodes), schema)
    }

    /// A query's Debug text with each term written `field:text`, so that
    /// expectations name fields rather than their numbers.
    fn shown(query: &dyn Query, schema: &KbSchema) -> String {
        shown_debug(&format!("{query:?}"), schema)
    }

    /// Any Debug text with each term written `field:text`.
    fn shown_debug(debug: &str, schema: &KbSchema) -> String {
        let mut out = String::new();
        let mut rest = debug;
        while let Some(at) = rest.find("Term(field=") {
            out.push_str(&rest[..at]);
            let after = &rest[at + "Term(field=".len()..];
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            let field = Field::from_field_id(digits.parse().expect("field id"));
            let name = schema.schema.get_field_name(field);
            // `type=Str, "text")` or `type=U64, 2020)`.
            let close = after.find(')').expect("term closes");
            let value = after[..close]
                .rsplit(", ")
                .next()
                .unwrap_or_default()
                .trim_matches('"');
            out.push_str(&format!("{name}:{value}"));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The top-level clauses of a compiled query: each occur with its shown query.
    fn clauses(compiled: &Compiled, schema: &KbSchema) -> Vec<(Occur, String)> {
        match compiled.query.downcast_ref::<BooleanQuery>() {
            Some(boolean) => boolean
                .clauses()
                .iter()
                .map(|(occur, q)| (*occur, shown(q.as_ref(), schema)))
                .collect(),
            None => vec![(Occur::Should, shown(compiled.query.as_ref(), schema))],
        }
    }

    /// A word's analysis is remembered per set of segments: compiling again
    /// gives the same query, and a word only a new segment holds is found
    /// once that segment is searched (and not before).
    #[test]
    fn remembered_words_follow_the_segments() {
        let (schema, index, vocab) = index();
        let builder = QueryBuilder::new(schema.clone(), Synonyms::default(), Some(vocab.clone()));
        let reader = index.reader().expect("reader");
        let nodes = parse("reading zeppelins").expect("parses");
        let before = reader.searcher();
        let first = shown(builder.compile(&before, &nodes).query.as_ref(), &schema);
        let again = shown(builder.compile(&before, &nodes).query.as_ref(), &schema);
        assert_eq!(first, again);
        assert!(!first.contains("zeppelin"), "{first}");
        let pairs = |compiled: &Compiled| -> Vec<(String, Score)> {
            compiled
                .bonus
                .iter()
                .map(|b| (format!("{:?}", b.terms[1].value().as_str()), b.boost))
                .collect()
        };
        assert!(pairs(&builder.compile(&before, &nodes)).is_empty());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, crate::builder::WRITER_HEAP_BYTES)
            .expect("writer");
        let resource: Resource = crate::eval::as_resource(
            "d".into(),
            "Reading zeppelins".into(),
            "Airships.".into(),
            "en",
        );
        writer
            .add_document(schema.document(&resource, "d", "", &vocab))
            .expect("add");
        writer.commit().expect("commit");
        reader.reload().expect("reload");
        let after = shown(
            builder.compile(&reader.searcher(), &nodes).query.as_ref(),
            &schema,
        );
        assert!(after.contains("title:zeppelin"), "{after}");
        // The new segment's title holds both words: now they earn a bonus,
        // weighed with the builder's weights as they are when compiling.
        let bonus = pairs(&builder.compile(&reader.searcher(), &nodes));
        assert_eq!(bonus.len(), 1, "{bonus:?}");
        assert!(bonus[0].0.contains("zeppelin"), "{bonus:?}");
        let mut heavier = builder.clone();
        heavier.weights.proximity *= 2.0;
        let doubled = pairs(&heavier.compile(&reader.searcher(), &nodes));
        assert_eq!(doubled[0].0, bonus[0].0);
        assert!(
            (doubled[0].1 - 2.0 * bonus[0].1).abs() < 1e-6,
            "{doubled:?} {bonus:?}"
        );
        // The old searcher still compiles as it did.
        assert_eq!(
            shown(builder.compile(&before, &nodes).query.as_ref(), &schema),
            first
        );
    }

    /// Plain words become one flat disjunction of weighted term clauses (one
    /// per word and field where it occurs), which block-max WAND can prune;
    /// neighbouring words add a proximity bonus beside the query.
    #[test]
    fn words_are_a_flat_disjunction_of_terms() {
        let (compiled, schema) = compile("reading groups", "");
        let clauses = clauses(&compiled, &schema);
        assert!(compiled.prunable);
        assert!(!compiled.match_all);
        assert!(
            clauses.iter().all(|(o, _)| *o == Occur::Should),
            "{clauses:?}"
        );
        let texts: Vec<&str> = clauses.iter().map(|(_, q)| q.as_str()).collect();
        // Title and body weigh 1 each, so their clauses carry no boost.
        assert_eq!(
            texts,
            vec![
                "TermQuery(title:read)",
                "TermQuery(body:read)",
                "TermQuery(title:group)",
                "TermQuery(body:group)",
            ]
        );
        assert!(!compiled.bonus.is_empty(), "a proximity bonus for the pair");
        assert!(
            compiled
                .bonus
                .iter()
                .all(|b| shown_debug(&format!("{b:?}"), &schema).contains("Proximity")),
        );
    }

    /// Close pairs are counted from the first word whichever word is rarer:
    /// side by side, within the slop, beyond it, each position used once.
    #[test]
    fn close_pairs_are_counted_in_word_order() {
        // Positions of the second word are one less than written (side by side is 0 apart).
        assert_eq!(pairs_within(&[5], &[5], 0), 1);
        assert_eq!(pairs_within(&[5], &[7], 1), 0);
        assert_eq!(pairs_within(&[5], &[7], 2), 1);
        // One first word near two second words pairs with one of them.
        assert_eq!(pairs_within(&[10], &[9, 11], 8), 1);
        // The nearer first word is taken, leaving the other for the next.
        assert_eq!(pairs_within(&[1, 4, 30], &[5, 31], 8), 2);
        assert_eq!(pairs_within(&[], &[1, 2], 8), 0);
    }

    /// The proximity bonus scores a document the same whichever of its two
    /// words the index holds more of: two indexes, one where the first word
    /// is the rarer and one where it is the commoner, give the shared
    /// document the same bonus.
    #[test]
    fn the_bonus_does_not_depend_on_which_word_is_rarer() {
        let bonus_of = |extra: &str| {
            // Counted from `memory` two pairs are close; from `loss`, three.
            let shared = "memory loss cat dog fish memory cat memory dog fish loss loss";
            let (schema, index, vocab) = index_of(&[
                ("a", "Title", shared),
                ("b", "Title", extra),
                ("c", "Title", extra),
                ("d", "Title", extra),
            ]);
            let searcher = index.reader().expect("reader").searcher();
            let builder = QueryBuilder::new(schema.clone(), Synonyms::default(), Some(vocab));
            let compiled = builder.compile(&searcher, &parse("memory loss").expect("parses"));
            let address = DocAddress::new(0, 0);
            let mut scored = vec![(0.0, address)];
            compiled.add_bonus(&searcher, &mut scored).expect("bonus");
            scored[0].0
        };
        // `memory` common elsewhere, then `loss`.
        let memory_common = bonus_of("memory memory");
        let loss_common = bonus_of("loss loss");
        assert!(memory_common > 0.0);
        // The pair's weight is the same in both indexes (each word in 4 of
        // 4 or 1 of 4 documents, swapped), so only the count could differ.
        assert!(
            (memory_common - loss_common).abs() < 1e-4,
            "{memory_common} vs {loss_common}"
        );
    }

    /// A quoted phrase is a phrase query on the fields holding all its words,
    /// in order; it cannot be pruned.
    #[test]
    fn a_phrase_is_a_phrase_query() {
        let (compiled, schema) = compile("\"memory loss\"", "");
        let shown = shown(compiled.query.as_ref(), &schema);
        assert!(!compiled.prunable);
        assert!(shown.contains("PhraseQuery"), "{shown}");
        assert!(
            shown.contains("title:memori") && shown.contains("title:loss"),
            "{shown}"
        );
        assert!(
            shown.find("title:memori") < shown.find("title:loss"),
            "{shown}"
        );
        assert!(!shown.contains("group"), "{shown}");
    }

    /// `+word` is a required clause beside the optional ones; `-word` is
    /// excluded and earns no proximity bonus.
    #[test]
    fn required_and_excluded_words() {
        let (compiled, schema) = compile("+dementia reading -coding", "");
        let clauses = clauses(&compiled, &schema);
        assert!(!compiled.prunable);
        let occur_of = |word: &str| -> Vec<Occur> {
            clauses
                .iter()
                .filter(|(_, q)| q.contains(word))
                .map(|(o, _)| *o)
                .collect()
        };
        assert_eq!(occur_of("dementia"), vec![Occur::Must], "{clauses:?}");
        assert_eq!(occur_of("code"), vec![Occur::MustNot], "{clauses:?}");
        assert!(occur_of("read").iter().all(|o| *o == Occur::Should));
        assert!(!occur_of("read").is_empty());
        assert!(
            compiled
                .bonus
                .iter()
                .all(|b| !shown_debug(&format!("{b:?}"), &schema).contains("code")),
            "no bonus for an excluded word"
        );
    }

    /// A query of exclusions alone matches everything but them.
    #[test]
    fn only_excluded_words_match_the_rest() {
        let (compiled, schema) = compile("-coding", "");
        let clauses = clauses(&compiled, &schema);
        assert_eq!(clauses.len(), 2, "{clauses:?}");
        assert_eq!(clauses[0].0, Occur::MustNot);
        assert_eq!(clauses[1], (Occur::Must, "AllQuery".to_string()));
    }

    /// `field:value` on a vocabulary facet is one exact term on that facet,
    /// the value resolved through the vocabulary's aliases; `year:` is a
    /// number, and a year that is not one matches nothing.
    #[test]
    fn field_values_are_exact_facet_terms() {
        let (compiled, schema) = compile("offer:\"Reading Offer\"", "");
        assert_eq!(
            shown(compiled.query.as_ref(), &schema),
            "TermQuery(offer:reading)"
        );
        let (compiled, schema) = compile("year:2020", "");
        assert_eq!(
            shown(compiled.query.as_ref(), &schema),
            "TermQuery(year:2020)"
        );
        let (compiled, schema) = compile("year:soon", "");
        assert_eq!(shown(compiled.query.as_ref(), &schema), "EmptyQuery");
        let (compiled, schema) = compile("title:dementia", "");
        let shown = shown(compiled.query.as_ref(), &schema);
        assert!(shown.contains("title:dementia"), "{shown}");
        assert!(
            !shown.contains("body:"),
            "a text part limits the fields: {shown}"
        );
    }

    /// `word*` is a prefix query on every text field, lowercased, expanding
    /// to at most the configured number of words.
    #[test]
    fn a_prefix_is_a_prefix_query_on_every_text_field() {
        let (compiled, schema) = compile("Read*", "");
        let shown = shown(compiled.query.as_ref(), &schema);
        assert!(!compiled.prunable);
        assert!(shown.contains("PhrasePrefixQuery"), "{shown}");
        assert!(
            shown.contains("title:read") && shown.contains("body:read"),
            "{shown}"
        );
        let max = format!(
            "max_expansions: {}",
            Weights::default().max_prefix_expansions
        );
        assert!(shown.contains(&max), "{shown}");
    }

    /// A word in a synonym group also searches the group's other members,
    /// a member of several words as a phrase, all as equal clauses.
    #[test]
    fn synonyms_widen_a_word() {
        let (compiled, schema) =
            compile("dementia", "groups = [[\"dementia\", \"memory loss\"]]\n");
        let shown = shown(compiled.query.as_ref(), &schema);
        assert!(shown.contains("title:dementia"), "{shown}");
        assert!(shown.contains("PhraseQuery"), "{shown}");
        assert!(
            shown.contains("title:memori") && shown.contains("title:loss"),
            "{shown}"
        );
        let (plain, schema) = compile("dementia", "");
        assert!(!shown_contains(&plain, &schema, "memori"));
    }

    /// A synonym the index lacks is left out, not spelling-corrected into
    /// some other word: the query reports no correction and searches nothing
    /// near the missing synonym.
    #[test]
    fn a_missing_synonym_is_not_corrected() {
        // `demntia` is one letter from `dementia`, which the index holds.
        let groups = "groups = [[\"coding\", \"demntia\"]]\n";
        let (compiled, schema) = compile("coding", groups);
        assert!(
            compiled.corrections.is_empty(),
            "{:?}",
            compiled.corrections
        );
        assert!(!shown_contains(&compiled, &schema, "dementia"));
        assert!(shown_contains(&compiled, &schema, "title:code"));
        // Typed, the same word is corrected.
        let (typed, _) = compile("demntia", groups);
        assert_eq!(
            typed.corrections,
            vec![("demntia".to_string(), "dementia".to_string())]
        );
    }

    fn shown_contains(compiled: &Compiled, schema: &KbSchema, text: &str) -> bool {
        shown(compiled.query.as_ref(), schema).contains(text)
    }

    /// A word found nowhere is replaced by the nearest dictionary word, with
    /// a lower weight, and the correction is reported.
    #[test]
    fn a_misspelt_word_is_corrected_and_weighed_less() {
        let (compiled, schema) = compile("demetnia", "");
        assert_eq!(
            compiled.corrections,
            vec![("demetnia".to_string(), "dementia".to_string())]
        );
        let shown = shown(compiled.query.as_ref(), &schema);
        assert!(shown.contains("title:dementia"), "{shown}");
        let corrected = format!("boost={}", Weights::default().corrected);
        assert!(shown.contains(&corrected), "{shown}");
        let (known, _) = compile("dementia", "");
        assert!(known.corrections.is_empty());
    }

    /// No words: the query matches every resource.
    #[test]
    fn no_words_match_everything() {
        let (compiled, schema) = compile("", "");
        assert!(compiled.match_all);
        assert_eq!(shown(compiled.query.as_ref(), &schema), "AllQuery");
    }
}
