//! Reading and validating a whole corpus directory.
//!
//! A corpus is a folder of Markdown resources (any depth) plus
//! `vocabularies.toml` and `synonyms.toml` at its root. Loading never stops at
//! the first bad file: every problem in every file is collected, so
//! `kb-index check` can list them all at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::front_matter;
use crate::resource::{self, Resource};
use crate::vocabulary::{Vocabularies, VocabularyError};

/// Name of the vocabulary file at the corpus root.
pub const VOCABULARIES_FILE: &str = "vocabularies.toml";

/// One problem in one file, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Path relative to the corpus root.
    pub file: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Field name, when the problem is in one field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
    /// Closest valid values, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A valid resource with where it came from.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The resource.
    pub resource: Resource,
    /// Path relative to the corpus root.
    pub path: String,
    /// Hash of the file's bytes (and the vocabulary), for incremental builds.
    pub hash: String,
    /// Size and modification time of the file when read.
    pub stamp: String,
}

/// Everything read from a corpus directory.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The corpus root.
    pub root: PathBuf,
    /// The vocabularies.
    pub vocab: Vocabularies,
    /// Valid resources, sorted by id.
    pub entries: Vec<Entry>,
    /// Files whose hash matched a [`Known`] entry: not parsed again.
    pub unchanged: Vec<Known>,
    /// Problems found; resources with problems are not in `entries`.
    pub problems: Vec<Problem>,
}

/// What an index already holds for a file, so an unchanged file is not parsed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// Path relative to the corpus root.
    pub path: String,
    /// Resource id.
    pub id: String,
    /// Content hash.
    pub hash: String,
    /// File size and modification time when indexed; empty when unknown.
    pub stamp: String,
}

/// The resource files under `root`, in file-name order: every `.md` file
/// except hidden ones and a `README.md` at the top.
pub fn resource_files(root: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| CorpusError::Folder {
            path: root.display().to_string(),
            message: e.to_string(),
        })?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.') && entry.depth() > 0;
        if entry.file_type().is_file() && !hidden && path.extension().is_some_and(|e| e == "md") {
            // README-style files at the root describe the corpus; they are not resources.
            if entry.depth() == 1
                && entry
                    .file_name()
                    .to_string_lossy()
                    .eq_ignore_ascii_case("README.md")
            {
                continue;
            }
            files.push(path.to_path_buf());
        }
    }
    Ok(files)
}

/// Size and modification time of a file, to skip reading unchanged files.
pub fn stamp(path: &Path) -> String {
    std::fs::metadata(path)
        .ok()
        .and_then(|m| {
            let modified = m
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            Some(format!("{}-{}", m.len(), modified.as_nanos()))
        })
        .unwrap_or_default()
}

/// Why a corpus could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The corpus folder does not exist or cannot be listed.
    #[error("cannot read the corpus folder {path}: {message}")]
    Folder {
        /// The folder.
        path: String,
        /// The cause.
        message: String,
    },
    /// The vocabulary file is missing or broken.
    #[error(transparent)]
    Vocabulary(#[from] VocabularyError),
}

/// Id for a file: its path under the corpus without `.md`, with `/` separators.
pub fn default_id(relative: &Path) -> String {
    let text = relative
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    text.to_lowercase()
}

/// Read one resource file's text into a resource, or the problems with it.
pub fn parse_resource(
    text: &str,
    relative: &str,
    vocab: &Vocabularies,
) -> Result<Resource, Vec<Problem>> {
    let problem = |line: Option<usize>,
                   field: Option<String>,
                   message: String,
                   suggestions: Vec<String>| Problem {
        file: relative.to_string(),
        line,
        field,
        message,
        suggestions,
    };
    let split = front_matter::split(text)
        .map_err(|e| vec![problem(e.line, None, e.message, Vec::new())])?;
    let fields = front_matter::parse(split.yaml, 2)
        .map_err(|e| vec![problem(e.line, None, e.message, Vec::new())])?;
    let id = default_id(Path::new(relative));
    resource::validate(&fields, split.body, &id, vocab).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let line = match e.field.as_deref() {
                    Some("body") => Some(split.body_line),
                    Some(field) => front_matter::field_line(split.yaml, 2, field),
                    None => None,
                };
                problem(line, e.field, e.message, e.suggestions)
            })
            .collect()
    })
}

impl Corpus {
    /// Read and validate every `.md` file under `root`.
    pub fn load(root: &Path) -> Result<Self, CorpusError> {
        Self::load_incremental(root, &HashMap::new())
    }

    /// Read every `.md` file under `root`, parsing only those whose content
    /// hash differs from `known` (keyed by relative path).
    pub fn load_incremental(
        root: &Path,
        known: &HashMap<String, Known>,
    ) -> Result<Self, CorpusError> {
        let mut entries = Vec::new();
        let mut corpus = Self::scan(root, known, |_, entry| entries.push(entry))?;
        entries.sort_by(|a, b| a.resource.id.cmp(&b.resource.id));
        corpus.entries = entries;
        Ok(corpus)
    }

    /// Like [`Corpus::load_incremental`], but hands each valid, changed
    /// resource to `sink` as soon as it is read instead of keeping it, so a
    /// build of a large corpus holds one resource in memory at a time. The
    /// returned corpus has no `entries`. Files are read in path order and
    /// the first file to claim an id keeps it.
    pub fn scan(
        root: &Path,
        known: &HashMap<String, Known>,
        mut sink: impl FnMut(&Vocabularies, Entry),
    ) -> Result<Self, CorpusError> {
        let vocab = Vocabularies::load(&root.join(VOCABULARIES_FILE))?;
        let files = resource_files(root)?;
        let mut corpus = Corpus {
            root: root.to_path_buf(),
            vocab,
            entries: Vec::new(),
            unchanged: Vec::new(),
            problems: Vec::new(),
        };
        let mut claimed: HashMap<String, String> = HashMap::new();
        for path in files {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            corpus.add_file(&path, &relative, known.get(&relative));
            if let Some(k) = corpus.unchanged.last().filter(|k| k.path == relative) {
                claimed
                    .entry(k.id.clone())
                    .or_insert_with(|| k.path.clone());
            }
            let Some(entry) = corpus.entries.pop() else {
                continue;
            };
            match claimed.get(&entry.resource.id) {
                Some(first) => corpus.problems.push(Problem {
                    file: entry.path.clone(),
                    line: None,
                    field: Some("id".into()),
                    message: format!(
                        "id `{}` is already used by {first}; rename the file or set a different `id:`",
                        entry.resource.id
                    ),
                    suggestions: Vec::new(),
                }),
                None => {
                    claimed.insert(entry.resource.id.clone(), entry.path.clone());
                    sink(&corpus.vocab, entry);
                }
            }
        }
        Ok(corpus)
    }

    fn add_file(&mut self, path: &Path, relative: &str, known: Option<&Known>) {
        // Same size and modification time as when indexed: not read again.
        let stamp = stamp(path);
        if let Some(known) = known.filter(|k| !k.stamp.is_empty() && k.stamp == stamp) {
            self.unchanged.push(known.clone());
            return;
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.problems.push(Problem {
                    file: relative.to_string(),
                    line: None,
                    field: None,
                    message: format!("cannot read the file: {e}"),
                    suggestions: Vec::new(),
                });
                return;
            }
        };
        let mut hasher = blake3::Hasher::new();
        hasher.update(&bytes);
        hasher.update(self.vocab.fingerprint.as_bytes());
        let hash = hasher.finalize().to_hex()[..32].to_string();
        if let Some(known) = known.filter(|k| k.hash == hash) {
            self.unchanged.push(known.clone());
            return;
        }
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                self.problems.push(Problem {
                    file: relative.to_string(),
                    line: Some(line),
                    field: None,
                    message: "the file is not UTF-8 text; save it as UTF-8 (in most editors: Save As, encoding UTF-8)".into(),
                    suggestions: Vec::new(),
                });
                return;
            }
        };
        match parse_resource(text, relative, &self.vocab) {
            Ok(resource) => self.entries.push(Entry {
                resource,
                path: relative.to_string(),
                hash,
                stamp,
            }),
            Err(problems) => self.problems.extend(problems),
        }
    }

    /// Where a resource with this id lives (or would live) in the corpus.
    pub fn path_for_id(root: &Path, id: &str) -> PathBuf {
        root.join(format!("{id}.md"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &[u8]) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }

    const GOOD: &str = "---\ntitle: A\nsummary: S\noffers: [reading]\ntype: report\nyear: 2020\nregion: wales\norganisation: O\n---\nBody\n";

    /// Every kind of broken file is reported, each with file, line and field.
    #[test]
    fn reports_every_problem_with_its_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/vocabularies.toml"),
            dir.path().join(VOCABULARIES_FILE),
        )
        .expect("copy vocab");
        write(dir.path(), "2020/good.md", GOOD.as_bytes());
        write(
            dir.path(),
            "2020/no-title.md",
            GOOD.replace("title: A\n", "").as_bytes(),
        );
        write(
            dir.path(),
            "2020/bad-offer.md",
            GOOD.replace("[reading]", "[helth]").as_bytes(),
        );
        write(
            dir.path(),
            "2020/bad-year.md",
            GOOD.replace("year: 2020", "year: twenty").as_bytes(),
        );
        write(
            dir.path(),
            "2020/bad-yaml.md",
            GOOD.replace("title: A", "title: [A").as_bytes(),
        );
        write(
            dir.path(),
            "2020/empty.md",
            GOOD.replace("Body\n", "").as_bytes(),
        );
        write(
            dir.path(),
            "2020/latin1.md",
            &[GOOD.as_bytes(), b"caf\xe9\n"].concat(),
        );
        write(
            dir.path(),
            "2020/z-dup.md",
            GOOD.replace("title: A", "title: A\nid: 2020/good")
                .as_bytes(),
        );
        let corpus = Corpus::load(dir.path()).expect("load");
        assert_eq!(corpus.entries.len(), 1, "{:?}", corpus.problems);
        let find = |file: &str| {
            corpus
                .problems
                .iter()
                .find(|p| p.file == file)
                .unwrap_or_else(|| panic!("no problem for {file}: {:?}", corpus.problems))
        };
        assert_eq!(find("2020/no-title.md").field.as_deref(), Some("title"));
        let offer = find("2020/bad-offer.md");
        assert_eq!(offer.line, Some(4));
        assert!(offer.message.contains("did you mean"), "{}", offer.message);
        assert_eq!(find("2020/bad-year.md").field.as_deref(), Some("year"));
        assert!(find("2020/bad-yaml.md").message.contains("YAML"));
        assert_eq!(find("2020/empty.md").field.as_deref(), Some("body"));
        assert!(find("2020/latin1.md").message.contains("UTF-8"));
        assert!(find("2020/z-dup.md").message.contains("already used"));
    }
}
