//! Publishing an approved submission: write it into the corpus (the store of
//! record) with an atomic, no-clobber write, then put it in the live index so
//! it is searchable at once, without a restart or a full build.

use kb_indexer::attachment::{self, AttachmentMeta};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use kb_indexer::builder;
use kb_indexer::corpus::{Corpus, parse_resource};
use kb_indexer::resource::{Resource, tag_slug};
use tantivy::Term;

use super::{Engine, EngineError};

/// Longest slug taken from a title, in characters.
const MAX_SLUG_CHARS: usize = 60;

/// Why publishing failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Writing the corpus file failed.
    #[error("cannot write to the corpus: {0}")]
    Io(#[from] io::Error),
    /// The written file does not read back as a valid resource (a bug).
    #[error("the published file does not read back: {0}")]
    Invalid(String),
    /// The index could not be updated.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// No free id was found.
    #[error("no free id for `{0}`")]
    NoFreeId(String),
}

impl From<tantivy::TantivyError> for PublishError {
    fn from(e: tantivy::TantivyError) -> Self {
        PublishError::Engine(EngineError::Index(e))
    }
}

/// The slug of a title: lowercase words joined by hyphens, cut at a word boundary.
pub fn title_slug(title: &str) -> String {
    let full = tag_slug(title);
    let mut slug = String::new();
    for word in full.split('-') {
        if !slug.is_empty() && slug.chars().count() + 1 + word.chars().count() > MAX_SLUG_CHARS {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    // Ids are ASCII slugs; titles in other scripts fall back to a plain name.
    if slug.is_empty() || !kb_indexer::resource::valid_id(&slug) {
        "resource".to_string()
    } else {
        slug
    }
}

/// Content hash as the corpus loader computes it, so that the next
/// incremental build sees the published file as unchanged.
pub(super) fn content_hash(bytes: &[u8], vocab_fingerprint: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(bytes);
    hasher.update(vocab_fingerprint.as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

/// Write `bytes` to `dir/name` only if no such file exists; false if it does.
///
/// Temp file in the same folder, write, fsync, then a hard link to the final
/// name, which (unlike `rename`) fails instead of replacing an existing
/// resource; then the temp name is removed and the folder fsync'd so the new
/// entry survives a power cut.
fn write_new_file(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<bool> {
    let target = dir.join(name);
    if target.exists() {
        return Ok(false);
    }
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(io::Error::other)?;
    let tmp = dir.join(format!(".{name}.{}.tmp", crate::store::hex(&random)));
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        match fs::hard_link(&tmp, &target) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        }
    })();
    let _ = fs::remove_file(&tmp);
    let written = result?;
    File::open(dir)?.sync_all()?;
    Ok(written)
}

impl Engine {
    /// Put `resource` (read from the corpus file at `path`, relative to the
    /// corpus) into the live index, replacing any resource with its id, and
    /// make it visible to searches before returning.
    pub fn publish(&self, resource: &Resource, path: &str) -> Result<(), EngineError> {
        let text = resource.to_markdown();
        let hash = content_hash(text.as_bytes(), &self.vocab.fingerprint);
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        writer.delete_term(Term::from_field_text(self.schema.id, &resource.id));
        writer.delete_term(Term::from_field_text(self.schema.path, path));
        let mut doc = self.schema.document(resource, path, &hash, &self.vocab);
        if let Some(text) = kb_indexer::attachment::read_text(&self.corpus_dir.join(path)) {
            self.schema.add_attachment(&mut doc, resource, &text);
        }
        writer.add_document(doc)?;
        // Keep the build payload (schema version...): a commit without it
        // would make the next start rebuild the whole index.
        let payload = self.index.load_metas()?.payload;
        let mut prepared = writer.prepare_commit()?;
        if let Some(payload) = payload {
            prepared.set_payload(&payload);
        }
        prepared.commit()?;
        // Each edit adds a segment: a small index is merged back into one.
        builder::merge_after_commit(&self.index, &mut writer);
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Write an approved resource into the corpus at `<year>/<slug>.md`
    /// (`-2`, `-3`... when taken), index it, and return it as published
    /// (with its final id) and its path under the corpus.
    pub fn publish_new(&self, resource: &Resource) -> Result<(Resource, String), PublishError> {
        self.publish_new_with(resource, None)
    }

    /// [`Engine::publish_new`] with a PDF attachment's description and
    /// text, written beside the resource file (once it is safely there) so
    /// that the index, and every rebuild, has the text.
    pub fn publish_new_with(
        &self,
        resource: &Resource,
        attachment: Option<(&AttachmentMeta, &str)>,
    ) -> Result<(Resource, String), PublishError> {
        let year = resource.year.to_string();
        let dir = self.corpus_dir.join(&year);
        let existed = dir.exists();
        fs::create_dir_all(&dir)?;
        if !existed {
            File::open(&self.corpus_dir)?.sync_all()?;
        }
        let base = title_slug(&resource.title);
        let searcher = self.searcher();
        for n in 1..=1000 {
            let slug = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let id = format!("{year}/{slug}");
            if self
                .address_of(&searcher, &id)
                .map_err(|e| PublishError::Invalid(e.to_string()))?
                .is_some()
            {
                continue;
            }
            let mut candidate = resource.clone();
            candidate.id = id.clone();
            let text = candidate.to_markdown();
            let relative = format!("{year}/{slug}.md");
            // Read it back as the corpus loader will, before it is on disk:
            // what is indexed is exactly what a rebuild would index.
            let published = parse_resource(&text, &relative, &self.vocab).map_err(|problems| {
                PublishError::Invalid(
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })?;
            if !write_new_file(&dir, &format!("{slug}.md"), text.as_bytes())? {
                continue;
            }
            if let Some((meta, text)) = attachment {
                let md = dir.join(format!("{slug}.md"));
                let json = serde_json::to_vec_pretty(meta)
                    .map_err(|e| PublishError::Invalid(e.to_string()))?;
                for (path, bytes) in [
                    (attachment::text_path(&md), text.as_bytes()),
                    (attachment::meta_path(&md), json.as_slice()),
                ] {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let _ = fs::remove_file(&path);
                    write_new_file(&dir, &name, bytes)?;
                }
            }
            debug_assert_eq!(
                Corpus::path_for_id(&self.corpus_dir, &published.id),
                dir.join(format!("{slug}.md"))
            );
            self.publish(&published, &relative)?;
            return Ok((published, relative));
        }
        Err(PublishError::NoFreeId(base))
    }

    /// Remove the contributor's name from a published resource (erasure of
    /// their personal data): the corpus file is rewritten atomically without
    /// `contributor`, then reindexed. The resource stays published. Returns
    /// false when there is no such file or it names no contributor.
    pub fn remove_contributor(&self, id: &str) -> Result<bool, PublishError> {
        let path = Corpus::path_for_id(&self.corpus_dir, id);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        let relative = format!("{id}.md");
        let mut resource = parse_resource(&text, &relative, &self.vocab).map_err(|problems| {
            PublishError::Invalid(
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        if resource.contributor.take().is_none() {
            return Ok(false);
        }
        let dir = path.parent().unwrap_or(&self.corpus_dir);
        let tmp = dir.join(format!(".{}.erase.tmp", std::process::id()));
        {
            let mut file = File::create(&tmp)?;
            file.write_all(resource.to_markdown().as_bytes())?;
            file.sync_all()?;
        }
        fs::rename(&tmp, &path)?;
        File::open(dir)?.sync_all()?;
        self.publish(&resource, &relative)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slugs are lowercase words cut at a word boundary, never empty.
    #[test]
    fn slugs_from_titles() {
        assert_eq!(
            title_slug("Reading Friends: groups!"),
            "reading-friends-groups"
        );
        assert_eq!(title_slug("日本語"), "resource");
        let long = title_slug(&"word ".repeat(40));
        assert!(long.chars().count() <= MAX_SLUG_CHARS);
        assert!(!long.ends_with('-'));
    }

    /// An existing file is never replaced, and no temp file is left behind.
    #[test]
    fn write_is_no_clobber() {
        let dir = tempfile::tempdir().expect("dir");
        assert!(write_new_file(dir.path(), "a.md", b"one").expect("write"));
        assert!(!write_new_file(dir.path(), "a.md", b"two").expect("write"));
        assert_eq!(fs::read(dir.path().join("a.md")).expect("read"), b"one");
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }
}
