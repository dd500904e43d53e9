//! The one definition of the index: fields, analyzers and how a resource
//! becomes a Tantivy document.
//!
//! The server opens indexes through [`KbSchema::open_or_create`] and never
//! defines fields or analyzers of its own.
//!
//! Text is indexed once per *analysis*: a resource's text goes into the fields
//! of the analysis its language calls for (English with stemming, Welsh with
//! its initial mutations folded, or plain Unicode words for other languages),
//! so an English stemmer never mangles Welsh. Queries are analysed for every
//! analysis and searched in all.

use std::path::Path;
use std::sync::Arc;

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::store::Compressor;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexSettings, TantivyDocument};

use crate::cjk::{CjkTokenizer, Japanese};
use crate::markdown;
use crate::remember::Remember;
use crate::resource::Resource;
use crate::vocabulary::Vocabularies;
use crate::welsh::MutationFolder;

/// Bumped whenever fields, analysis or [`index_settings`] change; a mismatch
/// forces a full rebuild. (8: the body's plain text is stored only where no
/// corpus holds it, in its own field: [`Texts`].)
pub const SCHEMA_VERSION: u32 = 8;

/// How every index is created: the document store compressed with lz4 in
/// 4 KB blocks.
///
/// A search reads one stored document per hit, and each read decompresses
/// the whole block holding it. The store holds each resource's fields (its
/// body's text only under [`Texts::Stored`]), under 300 bytes compressed,
/// so 4 KB blocks decompress a quarter of what tantivy's default 16 KB did
/// per hit: 7 % less CPU per search on 100,000 real-text resources for a
/// store 5 MB larger (BENCHMARKS.md, "Real text, 100,000 resources"). zstd
/// (tantivy's `zstd-compression`) made a store holding bodies a third
/// smaller but cost 10 % more CPU per search. Changing this rebuilds every
/// index ([`KbSchema::open_or_create`]).
pub fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Lz4,
        docstore_blocksize: 4_096,
        ..IndexSettings::default()
    }
}

/// Stop words removed by the English analysis: the short list Lucene's
/// English analyzer uses, so relevance figures compare like with like.
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// A way of turning text into terms; each has its own set of text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Analysis {
    /// Lowercase, ASCII folding, stop words, Snowball English stemming.
    English,
    /// Lowercase, ASCII folding and Welsh initial mutations folded
    /// ([`crate::welsh`]): `caerdydd` finds *Nghaerdydd*.
    Welsh,
    /// Lowercase and ASCII folding only: other alphabetic languages.
    Plain,
    /// Japanese morphemes (lindera + IPADIC), or bigrams without the dictionary.
    Japanese,
    /// Chinese and Korean: overlapping character bigrams.
    Cjk,
}

impl Analysis {
    /// Every analysis, in field order.
    pub const ALL: [Analysis; 5] = [
        Analysis::English,
        Analysis::Welsh,
        Analysis::Plain,
        Analysis::Japanese,
        Analysis::Cjk,
    ];

    /// Tokenizer name registered on the index.
    pub fn tokenizer(self) -> &'static str {
        match self {
            Analysis::English => "kb_en",
            Analysis::Welsh => "kb_cy",
            Analysis::Plain => "kb_plain",
            Analysis::Japanese => "kb_ja",
            Analysis::Cjk => "kb_cjk",
        }
    }

    /// Field-name suffix.
    fn suffix(self) -> &'static str {
        match self {
            Analysis::English => "",
            Analysis::Welsh => "_cy",
            Analysis::Plain => "_plain",
            Analysis::Japanese => "_ja",
            Analysis::Cjk => "_cjk",
        }
    }

    /// The analysis for a language code.
    pub fn for_language(language: &str) -> Analysis {
        match language {
            "en" => Analysis::English,
            "cy" => Analysis::Welsh,
            "ja" => Analysis::Japanese,
            "zh" | "ko" => Analysis::Cjk,
            _ => Analysis::Plain,
        }
    }

    /// Build the analyzer; `japanese` segments Japanese text (a
    /// [`KbSchema`] passes its own: [`KbSchema::analyzer`]).
    pub fn analyzer(self, japanese: &Arc<Japanese>) -> TextAnalyzer {
        match self {
            // Each distinct word goes through the filters once
            // (`remember.rs`): stemming is the costliest step of a build.
            Analysis::English => TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(Remember::new(
                    TextAnalyzer::builder(RawTokenizer::default())
                        .filter(LowerCaser)
                        .filter(AsciiFoldingFilter)
                        .filter(StopWordFilter::remove(
                            ENGLISH_STOP_WORDS.iter().map(|w| (*w).to_string()),
                        ))
                        .filter(Stemmer::new(Language::English))
                        .build(),
                ))
                .build(),
            Analysis::Welsh => TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(MutationFolder)
                .build(),
            Analysis::Plain => TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
            Analysis::Japanese => {
                TextAnalyzer::builder(CjkTokenizer::japanese_with(japanese.clone()))
                    .filter(RemoveLongFilter::limit(40))
                    .build()
            }
            Analysis::Cjk => TextAnalyzer::builder(CjkTokenizer::bigrams())
                .filter(RemoveLongFilter::limit(40))
                .build(),
        }
    }

    /// True for analyses whose words are cut into several tokens without spaces.
    pub fn is_cjk(self) -> bool {
        matches!(self, Analysis::Japanese | Analysis::Cjk)
    }
}

/// The searchable text parts of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The title.
    Title,
    /// The summary.
    Summary,
    /// The Markdown body as plain text.
    Body,
    /// Tags as words.
    Tags,
    /// The organisation's name.
    Organisation,
    /// The text of the resource's PDF attachment.
    Attachment,
}

impl Part {
    /// Every part.
    pub const ALL: [Part; 6] = [
        Part::Title,
        Part::Summary,
        Part::Body,
        Part::Tags,
        Part::Organisation,
        Part::Attachment,
    ];

    fn name(self) -> &'static str {
        match self {
            Part::Title => "title",
            Part::Summary => "summary",
            Part::Body => "body",
            Part::Tags => "tags_text",
            Part::Organisation => "organisation_text",
            Part::Attachment => "attachment",
        }
    }

    /// Name used in `field:value` query syntax.
    pub fn query_name(self) -> &'static str {
        match self {
            Part::Title => "title",
            Part::Summary => "summary",
            Part::Body => "body",
            Part::Tags => "tags",
            Part::Organisation => "organisation",
            Part::Attachment => "attachment",
        }
    }
}

/// Field handles, looked up once.
#[derive(Debug, Clone)]
pub struct KbSchema {
    /// The Tantivy schema.
    pub schema: Schema,
    /// Unique resource id (exact term, for updates and deletes; a fast
    /// field). Not stored: the stored JSON has it ([`KbSchema::stored_id`]).
    pub id: Field,
    /// Content hash of the source file, for incremental builds.
    pub hash: Field,
    /// Source file path under the corpus (stored too: a hit's text is read
    /// from it under [`Texts::Corpus`]).
    pub path: Field,
    /// Source file size and modification time when indexed.
    pub stamp: Field,
    /// The resource as JSON, for display, with an empty `body`: the body
    /// and its attachment's text are read where [`Texts`] says.
    pub stored: Field,
    /// The body as plain text, stored only under [`Texts::Stored`].
    pub body_text: Field,
    /// The attachment's text, stored only under [`Texts::Stored`].
    pub attachment_text: Field,
    /// Whether the resource has an attachment with text (stored), so a hit
    /// without one never looks for its file.
    pub attached: Field,
    text: Vec<((Part, Analysis), Field)>,
    /// Lowercased unstemmed words of title, summary and tags: the spelling dictionary.
    pub spell: Field,
    /// Offer slugs.
    pub offer: Field,
    /// Type slug.
    pub resource_type: Field,
    /// Region slug and all its ancestors (`england`, `north-west`).
    pub region: Field,
    /// Organisation name, exact.
    pub organisation: Field,
    /// Language code.
    pub language: Field,
    /// Tag slugs.
    pub tag: Field,
    /// Publication year.
    pub year: Field,
    /// Publication date as `YYYYMMDD`, for sorting.
    pub date: Field,
    /// Lowercased title, for sorting.
    pub title_sort: Field,
    /// How the analyzers segment Japanese (the dictionary and its cache).
    japanese: Arc<Japanese>,
    /// Where a hit's body text is read for snippets and feedback.
    texts: Texts,
}

/// Where the plain text of a resource's body (and of its attachment) is
/// read when a search needs it: for the snippets of the page's hits and for
/// the feedback words of the best hits.
///
/// With a corpus folder, the index keeps no copy: the text is made from the
/// resource's Markdown file (and its `.pdf.txt`) the first time the
/// document is shown, the way the build made it (about 15 µs a hit on
/// 100,000 real-text resources: 6 to read the file, 9 to turn its Markdown
/// into text), and kept in a bounded cache ([`TEXT_CACHE_BYTES`]) keyed by
/// the document (segment and number), so a document's text is the one read
/// when it was first shown; a changed file is a new document. The index is
/// then under half the size. Replicas (their store of record is
/// PostgreSQL), evaluation and tests keep the text in the index instead.
#[derive(Clone)]
pub enum Texts {
    /// Stored in the index, once, as plain text.
    Stored,
    /// Read from the resource's file under this corpus folder.
    Corpus(std::path::PathBuf, Arc<TextCache>),
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Texts::Stored => f.write_str("Stored"),
            Texts::Corpus(root, _) => f.debug_tuple("Corpus").field(root).finish(),
        }
    }
}

/// Bytes of hits' texts [`Texts::Corpus`] keeps in memory: all of a small
/// catalogue's (the bundled corpus's come to under 0.5 MB), the most shown
/// documents of a large one. 16 MB cost 11 MB more resident memory than
/// 4 MB on 100,000 resources for no CPU saving a random query mix could
/// measure (BENCHMARKS.md, "The body read from the corpus").
pub const TEXT_CACHE_BYTES: u64 = 4 << 20;

/// The texts of recently shown documents, by segment and document number.
pub type TextCache =
    quick_cache::sync::Cache<(tantivy::index::SegmentId, tantivy::DocId), Arc<HitText>, TextWeight>;

/// A cached text weighs its bytes (and a little for the entry).
#[derive(Clone, Copy, Debug)]
pub struct TextWeight;

impl quick_cache::Weighter<(tantivy::index::SegmentId, tantivy::DocId), Arc<HitText>>
    for TextWeight
{
    fn weight(&self, _: &(tantivy::index::SegmentId, tantivy::DocId), text: &Arc<HitText>) -> u64 {
        (text.body.len() + text.attachment.as_ref().map_or(0, String::len) + 64) as u64
    }
}

/// The plain text of one hit's body and attachment.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HitText {
    /// The body, as the index analysed it.
    pub body: String,
    /// The attachment's text, when there is one.
    pub attachment: Option<String>,
}

/// Facet dimensions in API order.
pub const FACETS: [&str; 7] = [
    "offer",
    "type",
    "year",
    "region",
    "organisation",
    "language",
    "tag",
];

impl KbSchema {
    /// Build the schema, segmenting Japanese with the process default
    /// (its dictionary cached under the temporary folder): for tests and
    /// evaluation. Servers and builds pass their own: [`Self::with_japanese`].
    pub fn new() -> Self {
        Self::with_japanese(crate::cjk::default_japanese())
    }

    /// Build the schema whose analyzers segment Japanese with `japanese`.
    pub fn with_japanese(japanese: Arc<Japanese>) -> Self {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | tantivy::schema::FAST);
        let hash = b.add_text_field("hash", STRING | tantivy::schema::FAST);
        let path = b.add_text_field("path", STRING | tantivy::schema::FAST | STORED);
        let stamp = b.add_text_field("stamp", STRING | tantivy::schema::FAST);
        let stored = b.add_text_field("stored", STORED);
        let body_text = b.add_text_field("body_text", STORED);
        let attachment_text = b.add_text_field("attachment_text", STORED);
        let attached = b.add_bool_field("attached", STORED);
        let mut text = Vec::new();
        for analysis in Analysis::ALL {
            for part in Part::ALL {
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(analysis.tokenizer())
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions);
                let options = TextOptions::default().set_indexing_options(indexing);
                let field =
                    b.add_text_field(&format!("{}{}", part.name(), analysis.suffix()), options);
                text.push(((part, analysis), field));
            }
        }
        let spell = b.add_text_field(
            "spell",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("kb_plain")
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let keyword = STRING | tantivy::schema::FAST;
        let offer = b.add_text_field("offer", keyword.clone());
        let resource_type = b.add_text_field("type", keyword.clone());
        let region = b.add_text_field("region", keyword.clone());
        let organisation = b.add_text_field("organisation", keyword.clone());
        let language = b.add_text_field("language", keyword.clone());
        let tag = b.add_text_field("tag", keyword.clone());
        let title_sort = b.add_text_field("title_sort", keyword);
        let year = b.add_u64_field("year", NumericOptions::default().set_indexed().set_fast());
        let date = b.add_i64_field("date", NumericOptions::default().set_fast());
        Self {
            schema: b.build(),
            id,
            hash,
            path,
            stamp,
            stored,
            body_text,
            attachment_text,
            attached,
            text,
            spell,
            offer,
            resource_type,
            region,
            organisation,
            language,
            tag,
            year,
            date,
            title_sort,
            japanese,
            texts: Texts::Stored,
        }
    }

    /// This schema, with bodies read from the files of the corpus folder
    /// `corpus` rather than stored ([`Texts::Corpus`]): what the server and
    /// `kb-index build` use on a corpus.
    pub fn texts_in(mut self, corpus: &Path) -> Self {
        let cache = TextCache::with_weighter(4_096, TEXT_CACHE_BYTES, TextWeight);
        self.texts = Texts::Corpus(corpus.to_path_buf(), Arc::new(cache));
        self
    }

    /// The text [`KbSchema::hit_text`] already made for the document `doc`
    /// of segment `segment` and still keeps (texts made from corpus files),
    /// found without reading the stored document.
    pub fn kept_hit_text(
        &self,
        (segment, doc): (tantivy::index::SegmentId, tantivy::DocId),
    ) -> Option<Arc<HitText>> {
        match &self.texts {
            Texts::Stored => None,
            Texts::Corpus(_, cache) => cache.get(&(segment, doc)),
        }
    }

    /// The plain text of the body and attachment of the stored document
    /// `doc`, at `address`: from the index, or made from its corpus file
    /// (empty when the file is gone: the next build removes the document).
    pub fn hit_text(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
        doc: &TantivyDocument,
    ) -> Arc<HitText> {
        match &self.texts {
            Texts::Stored => {
                let text = |field| doc.get_first(field).and_then(|v| v.as_str());
                Arc::new(HitText {
                    body: text(self.body_text).unwrap_or_default().to_string(),
                    attachment: text(self.attachment_text).map(str::to_string),
                })
            }
            Texts::Corpus(root, cache) => {
                let segment = searcher.segment_reader(address.segment_ord).segment_id();
                let read = || {
                    let Some(md) = self.source_file(doc).map(|p| root.join(p)) else {
                        return Ok::<_, std::convert::Infallible>(Arc::default());
                    };
                    let body = std::fs::read_to_string(&md)
                        .ok()
                        .and_then(|source| {
                            crate::front_matter::split(&source)
                                .ok()
                                .map(|split| markdown::to_text(split.body))
                        })
                        .unwrap_or_default();
                    let attached = doc
                        .get_first(self.attached)
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false);
                    let attachment = if attached {
                        crate::attachment::read_text(&md)
                    } else {
                        None
                    };
                    Ok(Arc::new(HitText { body, attachment }))
                };
                match cache.get_or_insert_with(&(segment, address.doc_id), read) {
                    Ok(text) => text,
                    Err(never) => match never {},
                }
            }
        }
    }

    /// The corpus path (relative to the corpus folder) the stored document
    /// `doc` was built from.
    pub fn source_file<'d>(&self, doc: &'d TantivyDocument) -> Option<&'d str> {
        doc.get_first(self.path)
            .and_then(|v| v.as_str())
            .filter(|p| !p.is_empty())
    }

    /// How this schema's analyzers segment Japanese.
    pub fn japanese(&self) -> &Arc<Japanese> {
        &self.japanese
    }

    /// The analyzer of `analysis`, with this schema's Japanese segmentation.
    pub fn analyzer(&self, analysis: Analysis) -> TextAnalyzer {
        analysis.analyzer(&self.japanese)
    }

    /// The text field for a part under an analysis.
    pub fn text_field(&self, part: Part, analysis: Analysis) -> Field {
        self.text
            .iter()
            .find(|(key, _)| *key == (part, analysis))
            .map(|(_, f)| *f)
            .unwrap_or(self.spell)
    }

    /// The keyword field behind a facet name (`offer`, `type`, ...), not `year`.
    pub fn facet_field(&self, facet: &str) -> Option<Field> {
        Some(match facet {
            "offer" => self.offer,
            "type" => self.resource_type,
            "region" => self.region,
            "organisation" => self.organisation,
            "language" => self.language,
            "tag" => self.tag,
            _ => return None,
        })
    }

    /// Register the analyzers on an index (needed after every open).
    pub fn register(&self, index: &Index) {
        for analysis in Analysis::ALL {
            index
                .tokenizers()
                .register(analysis.tokenizer(), self.analyzer(analysis));
        }
    }

    /// Open the index in `dir`, creating it if the directory is empty.
    ///
    /// An index with other fields or other [`index_settings`] (one an
    /// earlier version built) is replaced by an empty one, which the next
    /// build fills: its files go at that build's commit.
    pub fn open_or_create(&self, dir: &Path) -> tantivy::Result<Index> {
        std::fs::create_dir_all(dir)?;
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let settings = index_settings();
        let index = if Index::exists(&directory)? {
            let index = Index::open(directory.clone())?;
            if index.schema() == self.schema && *index.settings() == settings {
                index
            } else {
                drop(index);
                Index::create(directory, self.schema.clone(), settings)?
            }
        } else {
            Index::create(directory, self.schema.clone(), settings)?
        };
        self.register(&index);
        Ok(index)
    }

    /// An index in RAM, for tests and evaluation.
    pub fn create_in_ram(&self) -> Index {
        let index = Index::builder()
            .schema(self.schema.clone())
            .settings(index_settings())
            .create_in_ram()
            .unwrap_or_else(|_| Index::create_in_ram(self.schema.clone()));
        self.register(&index);
        index
    }

    /// The resource id of a stored document (from its stored JSON).
    pub fn stored_id(&self, doc: &TantivyDocument) -> Option<String> {
        /// The one field read.
        #[derive(serde::Deserialize)]
        struct Id {
            id: String,
        }
        let json = doc.get_first(self.stored).and_then(|v| v.as_str())?;
        serde_json::from_str::<Id>(json).ok().map(|i| i.id)
    }

    /// Turn a resource into a document.
    pub fn document(
        &self,
        resource: &Resource,
        path: &str,
        hash: &str,
        vocab: &Vocabularies,
    ) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, &resource.id);
        doc.add_text(self.hash, hash);
        doc.add_text(self.path, path);
        let meta = Resource {
            body: String::new(),
            ..resource.clone()
        };
        doc.add_text(
            self.stored,
            serde_json::to_string(&meta).unwrap_or_default(),
        );
        let analysis = Analysis::for_language(&resource.language);
        let body_text = markdown::to_text(&resource.body);
        if matches!(self.texts, Texts::Stored) {
            doc.add_text(self.body_text, &body_text);
        }
        let tags_text = resource.tags.join(" ").replace('-', " ");
        for (part, value) in [
            (Part::Title, resource.title.as_str()),
            (Part::Summary, resource.summary.as_str()),
            (Part::Body, body_text.as_str()),
            (Part::Tags, tags_text.as_str()),
            (Part::Organisation, resource.organisation.as_str()),
        ] {
            doc.add_text(self.text_field(part, analysis), value);
        }
        for value in [&resource.title, &resource.summary, &tags_text] {
            doc.add_text(self.spell, value);
        }
        for offer in &resource.offers {
            doc.add_text(self.offer, offer);
        }
        doc.add_text(self.resource_type, &resource.resource_type);
        for region in vocab.regions.path(&resource.region) {
            doc.add_text(self.region, &region);
        }
        doc.add_text(self.organisation, &resource.organisation);
        doc.add_text(self.language, &resource.language);
        for tag in &resource.tags {
            doc.add_text(self.tag, tag);
        }
        doc.add_text(self.title_sort, resource.title.to_lowercase());
        doc.add_u64(self.year, u64::try_from(resource.year).unwrap_or(0));
        doc.add_i64(self.date, resource.date_key());
        doc
    }

    /// Add the text of the resource's PDF attachment to its document, under
    /// the resource's analysis.
    pub fn add_attachment(&self, doc: &mut TantivyDocument, resource: &Resource, text: &str) {
        let analysis = Analysis::for_language(&resource.language);
        doc.add_text(self.text_field(Part::Attachment, analysis), text);
        doc.add_bool(self.attached, true);
        if matches!(self.texts, Texts::Stored) {
            doc.add_text(self.attachment_text, text);
        }
    }

    /// Every text field with its part and analysis.
    pub fn text_fields(&self) -> impl Iterator<Item = (Part, Analysis, Field)> + '_ {
        self.text.iter().map(|((p, a), f)| (*p, *a, *f))
    }
}

impl Default for KbSchema {
    fn default() -> Self {
        Self::new()
    }
}

/// Run an analyzer over text and return the terms, for tests and queries.
pub fn analyse(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Terms with their positions: a removed stop word leaves a gap that a
/// phrase must keep ("reading for pleasure" is `read` at 0, `pleasur` at 2).
pub fn analyse_positions(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let token = stream.token();
        out.push((token.position, token.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Under [`Texts::Corpus`] the index keeps no copy of a body or an
    /// attachment: a hit's text is made from its file and is the text a
    /// stored copy gives; a resource indexed without an attachment never
    /// reads a stray `.pdf.txt`; a document's text is the one read when it
    /// was first shown; a file gone gives an empty body.
    #[test]
    fn hit_texts_come_from_the_corpus_file_or_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = dir.path();
        let markdown =
            "Weekly [reading groups](https://example.org/r) for *carers*.\n\n- one\n- two\n";
        std::fs::create_dir_all(corpus.join("2020")).expect("mkdir");
        for (name, text) in [
            ("2020/a.md", format!("---\ntitle: A\n---\n{markdown}")),
            ("2020/a.pdf.txt", "Attachment words".to_string()),
            ("2020/b.md", format!("---\ntitle: B\n---\n{markdown}")),
            ("2020/b.pdf.txt", "Not indexed".to_string()),
        ] {
            std::fs::write(corpus.join(name), text).expect("write");
        }
        let vocab = Vocabularies::default();
        let indexed = |schema: &KbSchema| {
            let index = schema.create_in_ram();
            let mut writer: tantivy::IndexWriter = index
                .writer_with_num_threads(1, crate::builder::WRITER_HEAP_BYTES)
                .expect("writer");
            for id in ["a", "b"] {
                let resource =
                    crate::eval::as_resource(id.into(), id.to_uppercase(), markdown.into(), "en");
                let mut doc = schema.document(&resource, &format!("2020/{id}.md"), "", &vocab);
                if id == "a" {
                    schema.add_attachment(&mut doc, &resource, "Attachment words");
                }
                writer.add_document(doc).expect("add");
            }
            writer.commit().expect("commit");
            index.reader().expect("reader").searcher()
        };
        // Each document's text, and whether the index kept a copy of it.
        let texts = |schema: &KbSchema, searcher: &tantivy::Searcher| {
            (0..2)
                .map(|n| {
                    let address = tantivy::DocAddress::new(0, n);
                    let doc: TantivyDocument = searcher.doc(address).expect("doc");
                    let kept = doc.get_first(schema.body_text).is_some();
                    let text = schema.hit_text(searcher, address, &doc);
                    (text.body.clone(), text.attachment.clone(), kept)
                })
                .collect::<Vec<_>>()
        };
        let plain = markdown::to_text(markdown);
        let expected = |kept| {
            vec![
                (plain.clone(), Some("Attachment words".to_string()), kept),
                (plain.clone(), None, kept),
            ]
        };
        let stored = KbSchema::new();
        assert_eq!(texts(&stored, &indexed(&stored)), expected(true));
        let from_files = KbSchema::new().texts_in(corpus);
        let searcher = indexed(&from_files);
        assert_eq!(texts(&from_files, &searcher), expected(false));
        // Shown once, a document keeps its text; a new index reads the file.
        std::fs::remove_file(corpus.join("2020/a.md")).expect("remove");
        assert_eq!(texts(&from_files, &searcher), expected(false));
        let again = KbSchema::new().texts_in(corpus);
        assert_eq!(texts(&again, &indexed(&again))[0].0, "");
    }

    /// The analyzers a schema registers segment Japanese with the schema's
    /// own [`Japanese`]: in one process, an index whose schema is held to
    /// bigrams cuts a sentence into bigrams while one with the dictionary
    /// cuts it into morphemes (skipped with a reason without `mecab-ipadic`).
    #[test]
    fn japanese_segmentation_is_the_schemas_own() {
        let text = "図書館で本を読みました";
        let indexed = |schema: &KbSchema| {
            let index = schema.create_in_ram();
            let mut analyzer = index
                .tokenizers()
                .get(Analysis::Japanese.tokenizer())
                .expect("registered");
            let mut stream = analyzer.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                got.push(stream.token().text.clone());
            }
            got
        };
        let held = KbSchema::with_japanese(Japanese::bigrams_only());
        let bigrams: Vec<String> = crate::cjk::bigrams(text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(indexed(&held), bigrams);
        assert_eq!(held.japanese().mode(), "bigram");
        if crate::cjk::tests::segmenter_or_skip().is_none() {
            return;
        }
        let with_dictionary = KbSchema::new();
        assert_eq!(indexed(&with_dictionary), vec!["図書館", "本", "読む"]);
        assert_eq!(with_dictionary.japanese().mode(), "lindera");
        // The first schema's analyzers are unchanged by the second.
        assert_eq!(indexed(&held), bigrams);
    }

    /// English analysis stems, lowercases, folds accents and drops stop words.
    #[test]
    fn english_analysis() {
        let mut a = KbSchema::new().analyzer(Analysis::English);
        assert_eq!(
            analyse(&mut a, "The Libraries' Reading Groups"),
            vec!["librari", "read", "group"]
        );
        assert_eq!(analyse(&mut a, "Café"), vec!["cafe"]);
    }

    /// Other alphabetic languages are not put through the English stemmer.
    #[test]
    fn plain_analysis_does_not_stem() {
        let mut a = KbSchema::new().analyzer(Analysis::Plain);
        assert_eq!(
            analyse(&mut a, "Leabharlanna ag léamh"),
            vec!["leabharlanna", "ag", "leamh"]
        );
    }

    /// Welsh analysis folds initial mutations at index and query time: each
    /// mutated form gives the radical's term, so `caerdydd` finds
    /// *Nghaerdydd*. Without the folding this fails.
    #[test]
    fn welsh_analysis_folds_mutations() {
        let mut a = KbSchema::new().analyzer(Analysis::Welsh);
        for (mutated, radical) in [
            ("yng Nghaerdydd", "yn Caerdydd"),
            ("ei gyfrifiadur", "ei cyfrifiadur"),
            ("yng Nghymru", "yn Cymru"),
            ("ei hawdur", "ei awdur"),
            ("i lyfrgelloedd", "i llyfrgelloedd"),
        ] {
            assert_eq!(analyse(&mut a, mutated)[1], analyse(&mut a, radical)[1]);
        }
        assert_eq!(Analysis::for_language("cy"), Analysis::Welsh);
    }
}
