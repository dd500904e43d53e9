//! Search over the index: queries, filters, disjunctive facets, highlights,
//! related resources and suggestions. No HTTP here.
//!
//! One [`Engine`] lives for the whole process: it owns the only index writer
//! and one `IndexReader`; each search takes a fresh `Searcher` from it.

mod catalogue;
mod collector;
mod facet;
mod flat;
mod highlight;
pub mod pool;
mod publish;
mod replica;
mod request;
mod results;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use kb_indexer::builder::{self, BuildReport, WRITER_HEAP_BYTES};
use kb_indexer::corpus::CorpusError;
use kb_indexer::query::{self, QueryBuilder, QueryError};
use kb_indexer::rank;
use kb_indexer::resource::{Metadata, Resource};
use kb_indexer::schema::{Analysis, KbSchema, Part};
use kb_indexer::synonyms::{SYNONYMS_FILE, Synonyms};
use kb_indexer::vocabulary::Vocabularies;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, SegmentOrdinal,
    TantivyDocument, Term,
};

pub use catalogue::{Catalogue, CatalogueItem};
pub use collector::Sort;
pub use facet::{Facet, Selected};
pub use publish::{PublishError, title_slug};
/// Longest text completed by [`Engine::suggest`], in characters.
pub const MAX_SUGGEST_CHARS: usize = 200;

pub use request::{
    DEFAULT_PER_PAGE, MAX_DEPTH, MAX_PER_PAGE, MAX_VALUES_PER_FACET, MAX_YEAR, ParamError,
    SearchRequest,
};
pub use results::{FacetValue, Facets, Hit, ResourceView, SearchResults, Suggestion, labels_in};

/// Below this many resources a search stays on one thread: starting another
/// costs more than it saves.
const PARALLEL_FROM: u64 = 50_000;

/// Why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The corpus could not be read.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// The index could not be built or opened.
    #[error(transparent)]
    Build(#[from] builder::BuildError),
    /// Tantivy failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The synonyms file is broken.
    #[error(transparent)]
    Synonyms(#[from] kb_indexer::synonyms::SynonymsError),
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query broke a safety limit.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Tantivy failed while searching.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}

fn log_build(report: &BuildReport, problems: &[kb_indexer::corpus::Problem]) {
    for problem in problems {
        tracing::warn!(%problem, "resource skipped");
    }
    tracing::info!(
        added = report.added,
        updated = report.updated,
        deleted = report.deleted,
        unchanged = report.unchanged,
        invalid = report.invalid,
        full = report.full,
        "index up to date"
    );
}

/// The search engine over one corpus and one index.
pub struct Engine {
    schema: KbSchema,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    builder: QueryBuilder,
    vocab: Vocabularies,
    corpus_dir: PathBuf,
    index_dir: PathBuf,
    facet_cache: std::sync::Arc<flat::FacetCache>,
    /// Words of hits' texts already analysed, for snippets.
    word_tokens: std::sync::Arc<highlight::WordTokens>,
    /// Hits' stored resources already parsed ([`Engine::hit`]).
    parsed: std::sync::Arc<ParsedHits>,
    /// Hits' words already found ([`Engine::hit_words`]).
    hit_words: std::sync::Arc<KeptHitWords>,
    /// Serving the last commit while the corpus is read for changes.
    catching_up: std::sync::atomic::AtomicBool,
    /// Cluster mode: the last change-log number applied (0 in embedded mode).
    applied: tokio::sync::watch::Sender<i64>,
}

/// Stored resources already parsed, by segment and document.
pub(crate) type ParsedHits = quick_cache::sync::Cache<KeptKey, Parsed>;

/// A stored resource as hits show it: its descriptive fields (shared with
/// every hit made from them) and whether it is a sample.
pub(crate) type Parsed = (Arc<Metadata>, bool);

/// Stored resources [`ParsedHits`] keeps (about a kilobyte each): an index
/// of at most this many documents has every hit parsed once; a larger one
/// parses each hit it shows, as keeping a sliver of it would mostly mean
/// putting in what is never asked for again (measured at 100,000
/// documents: 4 % more CPU per search with 2,048 kept).
pub(crate) const PARSED_HITS: usize = 4096;

/// Where a hit's parsed resource and words are kept: its segment and
/// document, which an edit never reuses.
pub(crate) type KeptKey = (tantivy::index::SegmentId, tantivy::DocId);

/// The key a hit at `address` is kept under, when the index is small
/// enough to keep its hits ([`PARSED_HITS`]).
fn kept_key(searcher: &Searcher, address: DocAddress) -> Option<KeptKey> {
    (searcher.num_docs() <= PARSED_HITS as u64).then(|| {
        (
            searcher.segment_reader(address.segment_ord).segment_id(),
            address.doc_id,
        )
    })
}

/// Hits' words (title, summary, body), kept under the same rule as
/// [`ParsedHits`] and bounded by [`HIT_WORDS_BYTES`].
pub(crate) type KeptHitWords =
    quick_cache::sync::Cache<KeptKey, Arc<highlight::HitWords>, HitWordsWeight>;

/// Bytes of words [`KeptHitWords`] holds at most (12 bytes a word and
/// each distinct token once: some 800,000 words).
const HIT_WORDS_BYTES: u64 = 16 << 20;

/// An empty [`KeptHitWords`].
fn kept_hit_words() -> Arc<KeptHitWords> {
    Arc::new(KeptHitWords::with_weighter(
        PARSED_HITS,
        HIT_WORDS_BYTES,
        HitWordsWeight,
    ))
}

/// Weighs kept hits' words by the bytes they hold.
#[derive(Clone)]
pub(crate) struct HitWordsWeight;

impl quick_cache::Weighter<KeptKey, Arc<highlight::HitWords>> for HitWordsWeight {
    fn weight(&self, _: &KeptKey, words: &Arc<highlight::HitWords>) -> u64 {
        words.bytes() as u64
    }
}

/// What a hit shows: its stored resource and the plain text of its body.
type ShownHit = (Parsed, Arc<kb_indexer::schema::HitText>);

/// A stored resource's fields without its body: enough for a hit.
fn stored_meta(doc: &TantivyDocument, schema: &KbSchema) -> Option<Resource> {
    let json = doc.get_first(schema.stored).and_then(|v| v.as_str())?;
    serde_json::from_str(json).ok()
}

/// The Markdown body of a resource file's text (`None` when its front
/// matter is not closed).
fn markdown_body(source: &str) -> Option<String> {
    kb_indexer::front_matter::split(source)
        .ok()
        .map(|split| split.body.to_string())
}

impl Engine {
    /// Open the index under `data_dir/index` and get ready to search.
    ///
    /// An index this version built, with resources in it, serves at once:
    /// reading a large corpus for changes takes seconds (every file is
    /// checked), so that is left to [`Engine::catch_up`], run in the
    /// background, while searches see the last commit. Otherwise (a first
    /// start, or an index from another version) the corpus is indexed first.
    pub fn open(corpus_dir: &Path, data_dir: &Path) -> Result<Self, EngineError> {
        // Japanese is segmented with the dictionary cached in the data folder.
        // Hits' texts are read from the corpus files, not kept in the index.
        let schema = KbSchema::with_japanese(kb_indexer::cjk::Japanese::new(
            &data_dir.join("dictionaries"),
        ))
        .texts_in(corpus_dir);
        let index_dir = data_dir.join("index");
        let index = schema.open_or_create(&index_dir)?;
        let mut writer = builder::open_writer(&index, WRITER_HEAP_BYTES)?;
        let serve_now = builder::index_is_current(&index, &schema)
            && index
                .searchable_segment_metas()
                .is_ok_and(|segments| segments.iter().any(|s| s.num_docs() > 0));
        let vocab = if serve_now {
            Vocabularies::load(&corpus_dir.join(kb_indexer::corpus::VOCABULARIES_FILE))
                .map_err(CorpusError::from)?
        } else {
            let (report, corpus) = builder::build(corpus_dir, &index, &mut writer, &schema, false)?;
            log_build(&report, &corpus.problems);
            corpus.vocab
        };
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        // Load the Japanese dictionary in the background when Japanese text is
        // indexed, so the first Japanese query does not wait for it.
        let japanese = schema.text_field(Part::Body, Analysis::Japanese);
        if reader.searcher().segment_readers().iter().any(|s| {
            s.inverted_index(japanese)
                .is_ok_and(|i| i.terms().num_terms() > 0)
        }) {
            let japanese = schema.japanese().clone();
            std::thread::spawn(move || japanese.segmenter());
        }
        let synonyms = Synonyms::load(&corpus_dir.join(SYNONYMS_FILE))?;
        Ok(Self {
            builder: QueryBuilder::new(schema.clone(), synonyms, Some(vocab.clone())),
            schema,
            index,
            reader,
            writer: Mutex::new(writer),
            vocab,
            corpus_dir: corpus_dir.to_path_buf(),
            index_dir,
            facet_cache: Default::default(),
            word_tokens: Default::default(),
            parsed: std::sync::Arc::new(ParsedHits::new(PARSED_HITS)),
            hit_words: kept_hit_words(),
            catching_up: serve_now.into(),
            applied: tokio::sync::watch::Sender::new(0),
        })
    }

    /// True until [`Engine::catch_up`] has applied the corpus's changes.
    pub fn catching_up(&self) -> bool {
        self.catching_up.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Apply what changed in the corpus while the server was down (when
    /// [`Engine::open`] served at once). Searches go on meanwhile.
    pub fn catch_up(&self) {
        if !self.catching_up() {
            return;
        }
        let started = Instant::now();
        match self.refresh() {
            Ok(_) => tracing::info!(
                seconds = started.elapsed().as_secs_f64(),
                "index caught up with the corpus"
            ),
            Err(error) => tracing::error!(%error, "catching up with the corpus failed"),
        }
        self.catching_up
            .store(false, std::sync::atomic::Ordering::Release);
    }

    /// Re-read the corpus and apply changed files to the index, now.
    pub fn refresh(&self) -> Result<BuildReport, EngineError> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (report, corpus) = builder::build(
            &self.corpus_dir,
            &self.index,
            &mut writer,
            &self.schema,
            false,
        )?;
        drop(writer);
        log_build(&report, &corpus.problems);
        self.reader.reload()?;
        Ok(report)
    }

    /// The vocabularies of the corpus.
    pub fn vocab(&self) -> &Vocabularies {
        &self.vocab
    }

    /// A searcher on the latest commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Searchable resources, index bytes on disk, and the Unix time of the last commit.
    pub fn index_stats(&self) -> (u64, u64, i64) {
        let mut bytes = 0;
        if let Ok(entries) = std::fs::read_dir(&self.index_dir) {
            for entry in entries.flatten() {
                bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
        let commit = std::fs::metadata(self.index_dir.join("meta.json"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
        (self.num_docs(), bytes, commit)
    }

    /// Tags in use, in order, at most `limit`: suggestions for contributors.
    pub fn tags_in_use(&self, limit: usize) -> Vec<String> {
        let field = self.schema.tag;
        let mut tags = std::collections::BTreeSet::new();
        for segment in self.searcher().segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut terms) = inverted.terms().stream() else {
                continue;
            };
            while terms.advance() {
                if let Ok(tag) = std::str::from_utf8(terms.key()) {
                    tags.insert(tag.to_string());
                }
            }
        }
        tags.into_iter().take(limit).collect()
    }

    /// Number of searchable resources.
    pub fn num_docs(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// Run a search on one thread.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        self.search_with(req, 1)
    }

    /// Run a search, its segments shared out over up to `threads` threads
    /// when the index is large enough for that to pay.
    pub fn search_with(
        &self,
        req: &SearchRequest,
        threads: usize,
    ) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let nodes = query::parse(&req.q)?;
        let searcher = self.searcher();
        let threads = if searcher.num_docs() >= PARALLEL_FROM {
            threads
        } else {
            1
        };
        let compiled = self.builder.compile(&searcher, &nodes);
        let filters = req.filters();
        let expand = |first: &[(tantivy::DocAddress, tantivy::Score)]| {
            self.builder.expand(&searcher, &nodes, &compiled, first)
        };
        let wants_feedback = req.sort == collector::Sort::Relevance
            && self.builder.wants_feedback(&nodes, &compiled);
        let collected = collector::collect(
            &searcher,
            &compiled,
            &self.facet_cache,
            &collector::Search {
                filters: &filters,
                limit: req.page * req.per_page,
                sort: req.sort,
                feedback: wants_feedback.then_some(&expand as collector::Feedback<'_>),
            },
            threads,
        )?;
        let skip = (req.page - 1) * req.per_page;
        let mut highlighter = highlight::Highlighter::new(
            &searcher,
            &self.schema,
            compiled.query.as_ref(),
            &self.word_tokens,
        );
        let mut hits = Vec::with_capacity(req.per_page);
        for (address, score) in collected.top.iter().skip(skip) {
            let kept = kept_key(&searcher, *address);
            if let Some(((meta, sample), text)) = self.hit(&searcher, *address, kept)? {
                let words = self.hit_words(kept, &meta, &text.body, &mut highlighter);
                let mut highlights = highlighter.highlight(&meta, &text.body, words.as_deref());
                if let Some(attachment) = text.attachment.as_deref().filter(|a| !a.is_empty())
                    && let Some(snippet) = highlighter.attachment(&meta, attachment)
                {
                    highlights.insert("attachment", snippet);
                }
                hits.push(Hit::shown(meta, sample, *score, highlights));
            }
        }
        let facets = results::facets(req, &collected, &self.vocab);
        let did_you_mean = (!compiled.corrections.is_empty()).then(|| {
            let mut text = req.q.clone();
            for (typed, better) in &compiled.corrections {
                text = text.replace(typed.as_str(), better);
            }
            text
        });
        Ok(SearchResults {
            total: collected.total,
            page: req.page,
            per_page: req.per_page,
            took_ms: (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
            did_you_mean,
            hits,
            facets,
            lang: None,
        })
    }

    /// A hit's stored resource and its text. Both are kept once made (the
    /// text when read from the corpus, the resource under `kept`, given when
    /// the whole index fits in [`PARSED_HITS`]: [`kept_key`]); the stored
    /// document is read only for what
    /// is not. A document's stored fields never change within its segment
    /// (an edited resource is a new document), so nothing kept goes stale.
    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        kept: Option<KeptKey>,
    ) -> Result<Option<ShownHit>, SearchError> {
        let parsed = kept.and_then(|key| self.parsed.get(&key));
        if let (Some(resource), Some(key)) = (&parsed, kept)
            && let Some(text) = self.schema.kept_hit_text(key)
        {
            return Ok(Some((resource.clone(), text)));
        }
        let doc: TantivyDocument = searcher.doc(address)?;
        let resource = match parsed {
            Some(resource) => resource,
            None => {
                let Some(r) = stored_meta(&doc, &self.schema) else {
                    return Ok(None);
                };
                let resource = (Arc::new(r.meta), r.sample);
                if let Some(key) = kept {
                    self.parsed.insert(key, resource.clone());
                }
                resource
            }
        };
        Ok(Some((
            resource,
            self.schema.hit_text(searcher, address, &doc),
        )))
    }

    /// The words of a hit's title, summary and body with their tokens (for
    /// Japanese and Chinese, the characters tokens open with: see
    /// [`highlight::Highlighter::hit_words`]), found once and kept when the
    /// index is small enough to keep its hits ([`PARSED_HITS`]): a small
    /// catalogue shows the same documents answer after answer.
    fn hit_words(
        &self,
        kept: Option<KeptKey>,
        meta: &Metadata,
        body: &str,
        highlighter: &mut highlight::Highlighter<'_>,
    ) -> Option<Arc<highlight::HitWords>> {
        let found =
            || Ok::<_, std::convert::Infallible>(Arc::new(highlighter.hit_words(meta, body)));
        self.hit_words.get_or_insert_with(&kept?, found).ok()
    }

    /// The `n` best documents for `query`, best first, ranked as searches
    /// are: equal scores by date, then id, so the order never depends on
    /// where documents sit in the index.
    fn best(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
        n: usize,
    ) -> Result<Vec<rank::Candidate>, SearchError> {
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let prepared = self.facet_cache.prepare(searcher)?;
        let mut top = rank::Top::new(n);
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let segment = ord as SegmentOrdinal;
            rank::rank_segment(
                weight.as_ref(),
                reader,
                segment,
                &rank::Within::All,
                false,
                prepared.segments.get(ord).map_or(&[][..], |s| &s.date),
                prepared.ranks.segment(segment),
                &mut top,
            )?;
        }
        Ok(top.into_sorted())
    }

    fn address_of(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>, SearchError> {
        let query = TermQuery::new(
            Term::from_field_text(self.schema.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, a)| *a))
    }

    /// A resource by id, with its rendered body and related resources.
    ///
    /// The index stores the body as plain text only; its Markdown comes from
    /// the store of record: `source` (the resource's file text, which cluster
    /// mode reads from PostgreSQL), or else the corpus file.
    pub fn resource(
        &self,
        id: &str,
        related: usize,
        source: Option<String>,
    ) -> Result<Option<ResourceView>, SearchError> {
        let searcher = self.searcher();
        let Some(address) = self.address_of(&searcher, id)? else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let Some(mut resource) = stored_meta(&doc, &self.schema) else {
            return Ok(None);
        };
        // The file the document was built from (an id need not be its path).
        let md = match self.schema.source_file(&doc) {
            Some(path) => self.corpus_dir.join(path),
            None => kb_indexer::corpus::Corpus::path_for_id(&self.corpus_dir, &resource.id),
        };
        let source = source.or_else(|| std::fs::read_to_string(&md).ok());
        match source.as_deref().and_then(markdown_body) {
            Some(body) => resource.body = body,
            // Indexed but gone from the store of record: the next catch-up
            // or change removes it; until then the page shows the summary.
            None => tracing::warn!(id, "the resource's Markdown could not be read"),
        }
        // The body's plain text as snippets read it (cached when the
        // resource was just shown as a hit).
        let text = self.schema.hit_text(&searcher, address, &doc);
        let related = self.related(&searcher, address, &resource, &text.body, related)?;
        let attachment = kb_indexer::attachment::read_meta(&md);
        let mut view = ResourceView::new(resource, &self.vocab, related);
        view.attachment = attachment.map(|a| results::AttachmentView {
            url: format!("/attachments/{}.pdf", a.sha256),
            media_type: a.media_type,
            bytes: a.bytes,
            pages: a.pages,
            has_text_layer: a.has_text_layer,
        });
        Ok(Some(view))
    }

    /// Resources most like this one (`body` is its plain text): shared
    /// distinctive words, tags and offers.
    fn related(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        resource: &Resource,
        body: &str,
        n: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let analysis = Analysis::for_language(&resource.language);
        let text_field = |part| self.schema.text_field(part, analysis);
        let words = query::similar::distinctive_terms(
            searcher,
            &[
                (text_field(Part::Title), resource.title.as_str()),
                (text_field(Part::Body), body),
            ],
            query::similar::MAX_TERMS,
        )?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, Box::new(query::similar::like_this(words)))];
        for tag in &resource.tags {
            let q = TermQuery::new(
                Term::from_field_text(self.schema.tag, tag),
                IndexRecordOption::Basic,
            );
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 2.0))));
        }
        for offer in &resource.offers {
            let q = TermQuery::new(
                Term::from_field_text(self.schema.offer, offer),
                IndexRecordOption::Basic,
            );
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 1.0))));
        }
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(self.schema.id, &resource.id),
                IndexRecordOption::Basic,
            )),
        ));
        let query = BooleanQuery::new(clauses);
        let top = self.best(searcher, &query, n + 1)?;
        let mut out = Vec::new();
        for candidate in top {
            if candidate.address == address || out.len() == n {
                continue;
            }
            let doc: TantivyDocument = searcher.doc(candidate.address)?;
            if let Some(r) = stored_meta(&doc, &self.schema) {
                out.push(Hit::new(&r, candidate.score, Default::default()));
            }
        }
        Ok(out)
    }

    /// Completions for a partial query: matching titles, then dictionary
    /// words. Text over [`MAX_SUGGEST_CHARS`] characters (as sent) is refused.
    pub fn suggest(&self, text: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        let chars = text.chars().count();
        if chars > MAX_SUGGEST_CHARS {
            return Err(SearchError::Query(QueryError::TooLong(chars)));
        }
        let text = text.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.searcher();
        let mut out = Vec::new();
        // Titles: earlier words as words, the last one as a prefix, in titles only.
        let words: Vec<&str> = text.split_whitespace().take(8).collect();
        let mut q = String::new();
        for (i, word) in words.iter().enumerate() {
            let clean: String = word
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            if clean.is_empty() {
                continue;
            }
            q.push_str(&format!(
                "+title:{clean}{} ",
                if i + 1 == words.len() { "*" } else { "" }
            ));
        }
        let nodes = query::parse(&q)?;
        let compiled = self.builder.compile(&searcher, &nodes);
        if !compiled.match_all {
            for candidate in self.best(&searcher, compiled.query.as_ref(), limit)? {
                let address = candidate.address;
                let doc: TantivyDocument = searcher.doc(address)?;
                if let Some(r) = stored_meta(&doc, &self.schema) {
                    out.push(Suggestion {
                        text: r.title.clone(),
                        kind: "title",
                        url: Some(format!("/resources/{}", r.id)),
                    });
                }
            }
        }
        // Words from the spelling dictionary that start with the last word typed.
        if let Some(last) = words.last() {
            let prefix = last.to_lowercase();
            let mut terms: HashMap<String, u64> = HashMap::new();
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(self.schema.spell)?;
                let mut upper = prefix.clone().into_bytes();
                upper.push(0xff);
                let mut stream = inverted
                    .terms()
                    .range()
                    .ge(prefix.as_bytes())
                    .lt(&upper)
                    .into_stream()
                    .map_err(tantivy::TantivyError::from)?;
                while stream.advance() {
                    if let Ok(term) = std::str::from_utf8(stream.key()) {
                        *terms.entry(term.to_string()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
            let mut terms: Vec<(String, u64)> = terms
                .into_iter()
                .filter(|(t, _)| t.len() > prefix.len())
                .collect();
            terms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let head: String = words[..words.len() - 1].join(" ");
            for (term, _) in terms.into_iter().take(limit) {
                let full = if head.is_empty() {
                    term
                } else {
                    format!("{head} {term}")
                };
                out.push(Suggestion {
                    text: full,
                    kind: "term",
                    url: None,
                });
            }
        }
        Ok(out)
    }
}
