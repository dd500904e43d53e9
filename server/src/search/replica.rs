//! Cluster mode: the engine as a replica. Its index is derived from
//! PostgreSQL's change log instead of a corpus folder: changes are applied
//! in order and each commit records the last applied number in its payload,
//! so a restarted replica resumes there and an empty one starts from a
//! snapshot of every stored resource.

use std::path::Path;

use kb_indexer::builder::{self, WRITER_HEAP_BYTES};
use kb_indexer::cluster::Change;
use kb_indexer::corpus::{CorpusError, parse_resource};
use kb_indexer::query::QueryBuilder;
use kb_indexer::schema::KbSchema;
use kb_indexer::synonyms::{SYNONYMS_FILE, Synonyms};
use kb_indexer::vocabulary::Vocabularies;
use tantivy::{IndexReader, ReloadPolicy, Term};

use super::publish::content_hash;
use super::{Engine, EngineError};

impl Engine {
    /// Open (or create) a replica's index under `data_dir/index`; the
    /// vocabularies and synonyms come from `config_dir` (a corpus folder's
    /// `vocabularies.toml` and synonyms file). An index from another
    /// version is emptied, to be rebuilt from the database.
    pub fn open_replica(config_dir: &Path, data_dir: &Path) -> Result<Self, EngineError> {
        let schema = KbSchema::with_japanese(kb_indexer::cjk::Japanese::new(
            &data_dir.join("dictionaries"),
        ));
        let index_dir = data_dir.join("index");
        let index = schema.open_or_create(&index_dir)?;
        let mut writer = builder::open_writer(&index, WRITER_HEAP_BYTES)?;
        if !builder::index_is_current(&index, &schema) {
            writer.delete_all_documents()?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&builder::replica_payload(&schema, 0));
            prepared.commit()?;
        }
        let applied = builder::applied_seq(&index);
        let vocab = Vocabularies::load(&config_dir.join(kb_indexer::corpus::VOCABULARIES_FILE))
            .map_err(CorpusError::from)?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let synonyms = Synonyms::load(&config_dir.join(SYNONYMS_FILE))?;
        Ok(Self {
            builder: QueryBuilder::new(schema.clone(), synonyms, Some(vocab.clone())),
            schema,
            index,
            reader,
            writer: std::sync::Mutex::new(writer),
            vocab,
            corpus_dir: config_dir.to_path_buf(),
            index_dir,
            facet_cache: Default::default(),
            word_tokens: Default::default(),
            parsed: std::sync::Arc::new(super::ParsedHits::new(super::PARSED_HITS)),
            hit_words: super::kept_hit_words(),
            catching_up: false.into(),
            applied: tokio::sync::watch::Sender::new(applied),
        })
    }

    /// The last change-log number this index applied.
    pub fn applied_seq(&self) -> i64 {
        *self.applied.borrow()
    }

    /// A receiver that sees [`Engine::applied_seq`] move.
    pub fn watch_applied(&self) -> tokio::sync::watch::Receiver<i64> {
        self.applied.subscribe()
    }

    /// Apply `changes` (in order) and commit with `upto` as the applied
    /// number, then make them visible. With `replace_all`, the index is
    /// emptied first (a snapshot). A change whose text no longer passes the
    /// rules (vocabularies changed) is skipped with a warning.
    pub fn apply_changes(
        &self,
        changes: &[Change],
        upto: i64,
        replace_all: bool,
    ) -> Result<(), EngineError> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if replace_all {
            writer.delete_all_documents()?;
        }
        for change in changes {
            writer.delete_term(Term::from_field_text(self.schema.id, &change.id));
            writer.delete_term(Term::from_field_text(self.schema.path, &change.path));
            let Some(text) = &change.markdown else {
                continue;
            };
            match parse_resource(text, &change.path, &self.vocab) {
                Ok(resource) => {
                    let hash = content_hash(text.as_bytes(), &self.vocab.fingerprint);
                    writer.add_document(self.schema.document(
                        &resource,
                        &change.path,
                        &hash,
                        &self.vocab,
                    ))?;
                }
                Err(problems) => {
                    for problem in problems {
                        tracing::warn!(seq = change.seq, %problem, "change skipped");
                    }
                }
            }
        }
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&builder::replica_payload(&self.schema, upto));
        prepared.commit()?;
        builder::merge_after_commit(&self.index, &mut writer);
        drop(writer);
        self.reader.reload()?;
        self.applied.send_replace(upto);
        Ok(())
    }

    /// Add a batch of a snapshot without committing (the snapshot's last
    /// step is [`Engine::apply_changes`] with `replace_all` false and no
    /// changes, or a commit through it).
    pub fn add_snapshot_batch(&self, batch: &[Change], first: bool) -> Result<(), EngineError> {
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if first {
            writer.delete_all_documents()?;
        }
        for change in batch {
            let Some(text) = &change.markdown else {
                continue;
            };
            match parse_resource(text, &change.path, &self.vocab) {
                Ok(resource) => {
                    let hash = content_hash(text.as_bytes(), &self.vocab.fingerprint);
                    writer.add_document(self.schema.document(
                        &resource,
                        &change.path,
                        &hash,
                        &self.vocab,
                    ))?;
                }
                Err(problems) => {
                    for problem in problems {
                        tracing::warn!(%problem, "resource skipped");
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchRequest;

    fn config_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
    }

    fn change(seq: i64, id: &str, word: Option<&str>) -> Change {
        Change {
            seq,
            id: id.into(),
            path: format!("{id}.md"),
            markdown: word.map(|w| {
                format!(
                    "---\ntitle: About {w}\nsummary: S\noffers: [reading]\ntype: report\nyear: 2020\nregion: wales\norganisation: O\n---\nBody about {w}\n"
                )
            }),
        }
    }

    fn total(engine: &Engine, q: &str) -> u64 {
        engine
            .search(&SearchRequest {
                q: q.into(),
                ..Default::default()
            })
            .expect("search")
            .total
    }

    /// Changes are applied in order (a later version replaces an earlier
    /// one, a deletion removes it), and the applied number survives a
    /// restart in the commit payload, so a replica resumes where it stopped.
    #[test]
    fn changes_apply_in_order_and_the_position_survives_a_restart() {
        let data = tempfile::tempdir().expect("data");
        {
            let engine = Engine::open_replica(&config_dir(), data.path()).expect("open");
            assert_eq!(engine.applied_seq(), 0);
            assert_eq!(engine.num_docs(), 0, "an empty replica starts empty");
            engine
                .apply_changes(
                    &[
                        change(1, "2020/a", Some("wombats")),
                        change(2, "2020/b", Some("numbats")),
                        change(3, "2020/a", Some("quolls")),
                    ],
                    3,
                    false,
                )
                .expect("apply");
            assert_eq!(
                total(&engine, "wombats"),
                0,
                "replaced by its later version"
            );
            assert_eq!(total(&engine, "quolls"), 1);
            assert_eq!(total(&engine, "numbats"), 1);
            engine
                .apply_changes(&[change(4, "2020/b", None)], 4, false)
                .expect("delete");
            assert_eq!(total(&engine, "numbats"), 0, "deleted");
            // A later commit's documents are written in a segment of their
            // own, merged into the one before (a small index).
            engine
                .apply_changes(&[change(5, "2020/c", Some("bilbies"))], 5, false)
                .expect("apply");
            assert_eq!(engine.searcher().segment_readers().len(), 1);
            assert_eq!(total(&engine, "bilbies"), 1);
        }
        let reopened = Engine::open_replica(&config_dir(), data.path()).expect("reopen");
        assert_eq!(
            reopened.applied_seq(),
            5,
            "resumes after the last applied change, kept through the merge"
        );
        assert_eq!(total(&reopened, "quolls"), 1);
        assert_eq!(reopened.num_docs(), 2);
    }

    /// A snapshot replaces whatever the index held.
    #[test]
    fn a_snapshot_replaces_the_index() {
        let data = tempfile::tempdir().expect("data");
        let engine = Engine::open_replica(&config_dir(), data.path()).expect("open");
        engine
            .apply_changes(&[change(1, "2020/old", Some("dingoes"))], 1, false)
            .expect("apply");
        engine
            .add_snapshot_batch(&[change(9, "2020/new", Some("echidnas"))], true)
            .expect("batch");
        engine.apply_changes(&[], 9, false).expect("commit");
        assert_eq!(total(&engine, "dingoes"), 0);
        assert_eq!(total(&engine, "echidnas"), 1);
        assert_eq!(engine.applied_seq(), 9);
    }
}
