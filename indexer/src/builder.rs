//! Full and incremental index builds from a corpus.
//!
//! Each indexed document carries its source path and a content hash. A build
//! reads what the index holds, parses only files whose hash changed, replaces
//! those documents, deletes documents whose file is gone, and commits once.
//! A build that finds nothing to do does not commit, so re-running on an
//! unchanged corpus changes nothing.
//!
//! The commit payload records the schema version; an index built with another
//! version is rebuilt from scratch. Tantivy commits are atomic: a build killed
//! half-way leaves the previous commit, and the next build finishes the job.

use std::collections::HashMap;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter, Term};

use crate::corpus::{Corpus, CorpusError, Known, resource_files};
use crate::schema::{KbSchema, SCHEMA_VERSION};

/// Heap for the index writer, shared by its threads: enough for the edits
/// and incremental builds a running server makes.
pub const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;

/// Most heap a full build takes (the arena per thread must stay under 4 GB).
pub const MAX_WRITER_HEAP_BYTES: usize = 2 * 1024 * 1024 * 1024;

/// Heap for a full build of the corpus at `root`.
///
/// A writer flushes a segment each time its heap fills, and segments are
/// then merged in the background: with 256 MB, a million resources flush
/// dozens of small segments and the build spends a tenth of its time merging
/// them. The heap holds about twice the text put in it, so half the corpus's
/// bytes lets each thread index its share before flushing; it stays between
/// [`WRITER_HEAP_BYTES`] and [`MAX_WRITER_HEAP_BYTES`], and under a quarter
/// of the machine's memory.
pub fn full_build_heap(root: &Path) -> usize {
    let bytes: u64 = resource_files(root)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let wanted = usize::try_from(bytes / 2).unwrap_or(usize::MAX);
    let ceiling = physical_memory().map_or(MAX_WRITER_HEAP_BYTES, |m| {
        (m / 4).min(MAX_WRITER_HEAP_BYTES)
    });
    wanted.min(ceiling).max(WRITER_HEAP_BYTES)
}

/// An index of at most this many documents is kept in one segment
/// ([`merge_if_small`]). Every search pays per segment for each of its
/// term clauses (a dictionary lookup, a posting list opened, a scorer made:
/// about 4,500 instructions each, and a three-word query has 22) in both of
/// its passes, and for the facet pass's setup. A build with two indexing
/// threads writes two segments, and each edit a running server publishes
/// adds one: on the bundled corpus the example query did all of that twice.
/// A second segment only pays back when a search can give each one its own
/// core, on indexes far larger than this. Merging 4,000 documents of the
/// real-text benchmark corpus takes about a quarter of a second (a build of
/// them 0.6 s without, 0.85 s with), which each edit of so large a
/// catalogue now also waits for.
pub const ONE_SEGMENT_DOCS: u32 = 4_096;

/// Merge the index's segments into one when it holds at most
/// [`ONE_SEGMENT_DOCS`] documents and more than one segment, and wait for
/// it. The merged segment is committed with the last commit's payload, so
/// the index stays current. Returns whether it merged; the caller reloads
/// its readers.
pub fn merge_if_small(index: &Index, writer: &mut IndexWriter) -> tantivy::Result<bool> {
    let segments = index.searchable_segment_metas()?;
    let docs: u32 = segments.iter().map(tantivy::SegmentMeta::num_docs).sum();
    if segments.len() < 2 || docs > ONE_SEGMENT_DOCS {
        return Ok(false);
    }
    let ids: Vec<tantivy::index::SegmentId> =
        segments.iter().map(tantivy::SegmentMeta::id).collect();
    writer.merge(&ids).wait()?;
    Ok(true)
}

/// [`merge_if_small`] after a commit: the commit stands whatever happens to
/// the merge, which is logged and left for the next commit when it fails.
pub fn merge_after_commit(index: &Index, writer: &mut IndexWriter) -> bool {
    merge_if_small(index, writer).unwrap_or_else(|error| {
        tracing::warn!(%error, "merging a small index into one segment failed");
        false
    })
}

/// Total memory of the machine in bytes, where the system says (Linux).
fn physical_memory() -> Option<usize> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildReport {
    /// True when the index was rebuilt from nothing.
    pub full: bool,
    /// Resources added for the first time.
    pub added: usize,
    /// Resources whose file changed.
    pub updated: usize,
    /// Resources whose file is gone (or now invalid).
    pub deleted: usize,
    /// Resources left as they were.
    pub unchanged: usize,
    /// Files with problems, not indexed.
    pub invalid: usize,
    /// Whether a commit was made.
    pub committed: bool,
    /// Whether a small index's segments were merged into one
    /// ([`merge_if_small`]).
    pub merged: bool,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Payload {
    schema_version: u32,
    /// How Japanese was segmented (`lindera` or `bigram`): a change needs a rebuild.
    #[serde(default)]
    japanese: String,
    /// Cluster replicas: the last change-log number applied to this commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applied_seq: Option<i64>,
}

/// The payload an index built now with `schema`'s analyzers carries.
fn current_payload(schema: &KbSchema) -> Payload {
    Payload {
        schema_version: SCHEMA_VERSION,
        japanese: schema.japanese().mode().to_string(),
        applied_seq: None,
    }
}

/// The commit payload of a replica's index that has applied the change log
/// up to `seq`: a restarted replica resumes after it.
pub fn replica_payload(schema: &KbSchema, seq: i64) -> String {
    serde_json::to_string(&Payload {
        applied_seq: Some(seq),
        ..current_payload(schema)
    })
    .unwrap_or_default()
}

/// The change-log number a replica's index (built by this version) has
/// applied, from its last commit's payload; 0 when none.
pub fn applied_seq(index: &Index) -> i64 {
    index
        .load_metas()
        .ok()
        .and_then(|metas| metas.payload)
        .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
        .and_then(|p| p.applied_seq)
        .unwrap_or(0)
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The corpus could not be read.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// Tantivy failed (disk full, permissions, lock held...).
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// What the index currently holds, keyed by source path.
pub fn indexed_files(index: &Index, schema: &KbSchema) -> tantivy::Result<HashMap<String, Known>> {
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let mut known = HashMap::new();
    let name = |f| schema.schema.get_field_name(f).to_string();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        // Each column's dictionary is read once, in order, rather than one
        // lookup per document: this runs over every document at each start.
        let mut columns = Vec::new();
        for field in [schema.path, schema.id, schema.hash, schema.stamp] {
            let column = fast.str(&name(field))?;
            let terms = match &column {
                Some(c) => {
                    let mut terms = Vec::with_capacity(c.num_terms());
                    let mut stream = c.dictionary().stream()?;
                    while stream.advance() {
                        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
                    }
                    terms
                }
                None => Vec::new(),
            };
            columns.push((column, terms));
        }
        let value = |i: usize, doc| -> String {
            let (column, terms) = &columns[i];
            column
                .as_ref()
                .and_then(|c| c.term_ords(doc).next())
                .and_then(|ord| terms.get(ord as usize).cloned())
                .unwrap_or_default()
        };
        for doc in segment.doc_ids_alive() {
            let path = value(0, doc);
            known.insert(
                path.clone(),
                Known {
                    path,
                    id: value(1, doc),
                    hash: value(2, doc),
                    stamp: value(3, doc),
                },
            );
        }
    }
    Ok(known)
}

/// Whether the index was built by this version with `schema`'s Japanese
/// analysis, so it can serve searches before it is brought up to date.
pub fn index_is_current(index: &Index, schema: &KbSchema) -> bool {
    index
        .load_metas()
        .ok()
        .and_then(|metas| metas.payload)
        .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
        .is_some_and(|p| {
            let current = current_payload(schema);
            p.schema_version == current.schema_version && p.japanese == current.japanese
        })
}

/// Bring the index up to date with the corpus at `root`, using `writer`.
///
/// `progress` shows a bar on a terminal; pass `false` for servers and tests.
pub fn build(
    root: &Path,
    index: &Index,
    writer: &mut IndexWriter,
    schema: &KbSchema,
    progress: bool,
) -> Result<(BuildReport, Corpus), BuildError> {
    let full = !index_is_current(index, schema);
    let known = if full {
        HashMap::new()
    } else {
        indexed_files(index, schema)?
    };
    if full {
        writer.delete_all_documents()?;
    }
    let bar = if progress {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} indexing {pos} resources ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let (mut added, mut updated) = (0, 0);
    let mut indexed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut failure: Option<tantivy::TantivyError> = None;
    // Each resource goes to the writer as soon as it is read, so memory stays
    // flat however large the corpus.
    let corpus = Corpus::scan(root, &known, |vocab, entry| {
        if failure.is_some() {
            return;
        }
        if known.contains_key(&entry.path) {
            writer.delete_term(Term::from_field_text(schema.path, &entry.path));
            updated += 1;
        } else {
            added += 1;
        }
        let mut doc = schema.document(&entry.resource, &entry.path, &entry.hash, vocab);
        if let Some(text) = crate::attachment::read_text(&root.join(&entry.path)) {
            schema.add_attachment(&mut doc, &entry.resource, &text);
        }
        doc.add_text(schema.stamp, &entry.stamp);
        if let Err(e) = writer.add_document(doc) {
            failure = Some(e);
        }
        indexed.insert(entry.path);
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    if let Some(e) = failure {
        return Err(e.into());
    }
    let mut report = BuildReport {
        full,
        invalid: corpus.problems.len(),
        unchanged: corpus.unchanged.len(),
        added,
        updated,
        ..Default::default()
    };
    let unchanged: std::collections::HashSet<&str> =
        corpus.unchanged.iter().map(|u| u.path.as_str()).collect();
    for k in known.values() {
        let still_there = indexed.contains(&k.path) || unchanged.contains(k.path.as_str());
        if !still_there {
            writer.delete_term(Term::from_field_text(schema.path, &k.path));
            report.deleted += 1;
        }
    }

    if full || report.added + report.updated + report.deleted > 0 {
        let payload = serde_json::to_string(&current_payload(schema)).unwrap_or_default();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        report.committed = true;
    }
    // Also when nothing changed: an index written by an earlier version may
    // still have several segments.
    report.merged = merge_after_commit(index, writer);
    Ok((report, corpus))
}

/// The index's writer, with `heap` bytes, once the files a writer stopped
/// before its commit left behind (a build killed mid-way) are deleted: a
/// new writer numbers its files as the stopped one did, and would otherwise
/// fail on the first it found already there (`FileAlreadyExists`).
pub fn open_writer(index: &Index, heap: usize) -> tantivy::Result<IndexWriter> {
    let writer: IndexWriter = index.writer(heap)?;
    writer.garbage_collect_files().wait()?;
    Ok(writer)
}

/// Open (or create) the index in `dir` with `schema`'s analyzers and bring
/// it up to date in one call.
pub fn build_in_dir(
    root: &Path,
    dir: &Path,
    schema: &KbSchema,
    progress: bool,
) -> Result<(BuildReport, Corpus), BuildError> {
    let index = schema.open_or_create(dir)?;
    let heap = if index_is_current(&index, schema) {
        WRITER_HEAP_BYTES
    } else {
        full_build_heap(root)
    };
    let mut writer = open_writer(&index, heap)?;
    let result = build(root, &index, &mut writer, schema, progress)?;
    writer.wait_merging_threads()?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::index_settings;

    /// A writer killed after writing a commit's files but before the commit
    /// leaves files the next writer would name the same: it must start
    /// clear of them. (Made here by taking one step on a copy of the index
    /// and bringing back the copy's new files, not its commit.)
    #[test]
    fn a_writer_stopped_before_its_commit_leaves_nothing_in_the_way() {
        use tantivy::schema::{STRING, Schema};
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).expect("mkdir");
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING);
        let index = Index::create_in_dir(&a, builder.build()).expect("create");
        let mut writer: IndexWriter = index.writer(15_000_000).expect("writer");
        for n in ["1", "2"] {
            writer.add_document(tantivy::doc!(id => n)).expect("add");
        }
        writer.commit().expect("commit");
        writer.wait_merging_threads().expect("merges");
        let files = |d: &Path| -> Vec<String> {
            std::fs::read_dir(d)
                .expect("list")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .filter(|name| !name.ends_with(".lock"))
                .collect()
        };
        std::fs::create_dir_all(&b).expect("mkdir");
        for name in files(&a) {
            std::fs::copy(a.join(&name), b.join(&name)).expect("copy");
        }
        let step = |writer: &mut IndexWriter| {
            writer.delete_term(Term::from_field_text(id, "1"));
            writer.commit().expect("commit")
        };
        let mut other: IndexWriter = Index::open_in_dir(&b)
            .expect("open the copy")
            .writer(15_000_000)
            .expect("writer");
        step(&mut other);
        other.wait_merging_threads().expect("merges");
        let before = files(&a);
        for name in files(&b) {
            if name == ".managed.json" || (!before.contains(&name) && name != "meta.json") {
                std::fs::copy(b.join(&name), a.join(&name)).expect("copy back");
            }
        }
        let index = Index::open_in_dir(&a).expect("open");
        let mut writer = open_writer(&index, 15_000_000).expect("writer");
        step(&mut writer);
        let reader = index.reader().expect("reader");
        reader.reload().expect("reload");
        assert_eq!(reader.searcher().num_docs(), 1);
    }

    fn corpus_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/vocabularies.toml"),
            dir.path().join("vocabularies.toml"),
        )
        .expect("vocab");
        dir
    }

    fn resource(title: &str) -> String {
        format!(
            "---\ntitle: {title}\nsummary: S\noffers: [reading]\ntype: report\nyear: 2020\nregion: wales\norganisation: O\n---\nBody about {title}\n"
        )
    }

    /// A small corpus gets the floor; the heap never passes the ceiling.
    #[test]
    fn full_build_heap_is_bounded() {
        let corpus = corpus_dir();
        std::fs::write(corpus.path().join("a.md"), resource("apples")).expect("write");
        assert_eq!(full_build_heap(corpus.path()), WRITER_HEAP_BYTES);
        assert_eq!(
            full_build_heap(Path::new("/no/such/corpus")),
            WRITER_HEAP_BYTES
        );
        assert!(physical_memory().is_none_or(|m| m > 0));
    }

    /// An index an earlier version built with other fields (here one stored
    /// field and a document) is replaced on open: the next build starts from
    /// scratch and the index then has this version's fields and documents only.
    #[test]
    fn index_with_other_fields_is_rebuilt() {
        let corpus = corpus_dir();
        let data = tempfile::tempdir().expect("data");
        std::fs::write(corpus.path().join("a.md"), resource("apples")).expect("write");
        let mut old = tantivy::schema::Schema::builder();
        let legacy = old.add_text_field("legacy", tantivy::schema::STORED);
        let old_index = Index::create_in_dir(data.path(), old.build()).expect("old index");
        let mut writer: IndexWriter = old_index.writer(WRITER_HEAP_BYTES).expect("writer");
        writer
            .add_document(tantivy::doc!(legacy => "left over"))
            .expect("add");
        let mut prepared = writer.prepare_commit().expect("prepare");
        prepared.set_payload(r#"{"schema_version":1}"#);
        prepared.commit().expect("commit");
        drop(writer);
        drop(old_index);

        let schema = KbSchema::new();
        let (report, _) = build_in_dir(corpus.path(), data.path(), &schema, false).expect("build");
        assert!(report.full);
        assert_eq!(report.added, 1);
        let index = schema.open_or_create(data.path()).expect("open");
        assert_eq!(index.schema(), schema.schema);
        assert!(index_is_current(&index, &schema));
        let reader = index.reader().expect("reader");
        assert_eq!(reader.searcher().num_docs(), 1);
    }

    /// An index with this version's fields but another document store
    /// setting is replaced on open by one with [`index_settings`].
    #[test]
    fn index_with_other_settings_is_recreated() {
        let data = tempfile::tempdir().expect("data");
        let schema = KbSchema::new();
        let other = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::None,
            docstore_blocksize: 4096,
            ..index_settings()
        };
        assert_ne!(other, index_settings());
        let directory = tantivy::directory::MmapDirectory::open(data.path()).expect("dir");
        Index::create(directory, schema.schema.clone(), other).expect("create");

        let index = schema.open_or_create(data.path()).expect("open");
        assert_eq!(*index.settings(), index_settings());
        assert_eq!(index.load_metas().expect("metas").segments.len(), 0);
    }

    /// Add, change and delete a file: the next build does exactly that, and a
    /// re-run on an unchanged corpus commits nothing.
    #[test]
    fn incremental_build_applies_exactly_the_change() {
        let corpus = corpus_dir();
        let data = tempfile::tempdir().expect("data");
        std::fs::write(corpus.path().join("a.md"), resource("apples")).expect("write");
        std::fs::write(corpus.path().join("b.md"), resource("bananas")).expect("write");
        let (first, _) =
            build_in_dir(corpus.path(), data.path(), &KbSchema::new(), false).expect("build");
        assert!(first.full);
        assert_eq!(first.added, 2);

        let (again, _) =
            build_in_dir(corpus.path(), data.path(), &KbSchema::new(), false).expect("rebuild");
        assert_eq!(
            (
                again.added,
                again.updated,
                again.deleted,
                again.unchanged,
                again.committed
            ),
            (0, 0, 0, 2, false)
        );

        std::fs::write(corpus.path().join("b.md"), resource("cherries")).expect("write");
        std::fs::write(corpus.path().join("c.md"), resource("dates")).expect("write");
        std::fs::remove_file(corpus.path().join("a.md")).expect("rm");
        let (step, _) =
            build_in_dir(corpus.path(), data.path(), &KbSchema::new(), false).expect("incremental");
        assert_eq!(
            (step.added, step.updated, step.deleted, step.unchanged),
            (1, 1, 1, 0)
        );

        let schema = KbSchema::new();
        let index = schema.open_or_create(data.path()).expect("open");
        let known = indexed_files(&index, &schema).expect("known");
        let mut paths: Vec<&str> = known.keys().map(String::as_str).collect();
        paths.sort_unstable();
        assert_eq!(paths, vec!["b.md", "c.md"]);
        // The step's documents were merged with the first build's into one
        // segment, without the deleted ones, and the index is still current.
        let segments = index.searchable_segment_metas().expect("segments");
        assert_eq!(segments.len(), 1);
        assert_eq!(
            (segments[0].num_docs(), segments[0].num_deleted_docs()),
            (2, 0)
        );
        assert!(step.merged);
        assert!(index_is_current(&index, &schema));
    }

    /// Several segments are merged into one, keeping the commit's payload,
    /// only while the index holds at most [`ONE_SEGMENT_DOCS`] documents.
    #[test]
    fn only_a_small_index_is_merged_into_one_segment() {
        use tantivy::schema::{STRING, Schema};
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer(15_000_000).expect("writer");
        let commit_docs = |writer: &mut IndexWriter, from: u32, to: u32| {
            for n in from..to {
                writer
                    .add_document(tantivy::doc!(id => n.to_string()))
                    .expect("add");
            }
            let mut prepared = writer.prepare_commit().expect("prepare");
            prepared.set_payload("kept");
            prepared.commit().expect("commit");
        };
        commit_docs(&mut writer, 0, 3);
        assert!(
            !merge_if_small(&index, &mut writer).expect("merge"),
            "one segment"
        );
        commit_docs(&mut writer, 3, 5);
        assert_eq!(index.searchable_segment_metas().expect("segments").len(), 2);
        assert!(merge_if_small(&index, &mut writer).expect("merge"));
        let metas = index.load_metas().expect("metas");
        assert_eq!(metas.segments.len(), 1);
        assert_eq!(metas.segments[0].num_docs(), 5);
        assert_eq!(metas.payload.as_deref(), Some("kept"));

        commit_docs(&mut writer, 5, ONE_SEGMENT_DOCS + 1);
        assert_eq!(index.searchable_segment_metas().expect("segments").len(), 2);
        assert!(
            !merge_if_small(&index, &mut writer).expect("merge"),
            "too large"
        );
        assert_eq!(index.searchable_segment_metas().expect("segments").len(), 2);
    }
}
