//! `kb-server backup DIR` and `kb-server restore DIR`.
//!
//! A backup holds what cannot be rebuilt: a copy of the corpus (the store of
//! record for published resources) and an online copy of the SQLite database
//! (queue, accounts, keys, audit log) made with SQLite's backup API, so it is
//! consistent even while the server writes. The index is not copied: it is
//! derived from the corpus and rebuilt on the next start. `manifest.json` is
//! written last, so a backup without one is incomplete.
//!
//! ```text
//! DIR/manifest.json   format, when, which version, what is inside, database SHA-256
//! DIR/corpus/...      the corpus folder as it was
//! DIR/kb.sqlite3      the database
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use rusqlite::Connection;
use rusqlite::backup::Backup;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::settings::Settings;
use crate::store::{DB_FILE, Store, hex, now};

/// Name of the manifest inside a backup folder.
pub const MANIFEST: &str = "manifest.json";
/// Version of the backup layout; restore refuses other versions.
pub const FORMAT: u32 = 1;

/// What a backup holds, written as `manifest.json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout version ([`FORMAT`]).
    pub format: u32,
    /// When the backup was made (seconds since the Unix epoch).
    pub created_at: i64,
    /// The `kb-server` version that made it.
    pub kb_server_version: String,
    /// Files copied from the corpus.
    pub corpus_files: u64,
    /// SHA-256 of the database copy, checked before a restore.
    pub database_sha256: String,
    /// Rows in the submission queue when the backup was made.
    pub submissions: i64,
}

/// Back up the corpus and the database of `settings` into `dir`, which must
/// be missing or empty.
pub fn backup(settings: &Settings, dir: &Path) -> anyhow::Result<Manifest> {
    ensure_empty(dir, "back up")?;
    let database = settings.data.join(DB_FILE);
    ensure!(
        database.is_file(),
        "there is no database at {}; is --data right?",
        database.display()
    );
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let corpus_files = copy_tree(&settings.corpus, &dir.join("corpus"))?;
    let source = Connection::open(&database)?;
    copy_database(&source, &dir.join(DB_FILE))?;
    let submissions = source.query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))?;
    let manifest = Manifest {
        format: FORMAT,
        created_at: now(),
        kb_server_version: env!("CARGO_PKG_VERSION").to_string(),
        corpus_files,
        database_sha256: sha256_file(&dir.join(DB_FILE))?,
        submissions,
    };
    write_synced(
        &dir.join(MANIFEST),
        serde_json::to_string_pretty(&manifest)?.as_bytes(),
    )?;
    Ok(manifest)
}

/// Restore the backup in `dir` into the (missing or empty) corpus and data
/// folders of `settings`. The index is rebuilt on the next start.
pub fn restore(settings: &Settings, dir: &Path) -> anyhow::Result<Manifest> {
    let manifest_path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&manifest_path).with_context(|| {
        format!(
            "{} is not a complete kb-server backup (cannot read {MANIFEST})",
            dir.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid manifest", manifest_path.display()))?;
    ensure!(
        manifest.format == FORMAT,
        "this backup has layout {}; this kb-server restores layout {FORMAT}",
        manifest.format
    );
    let database = dir.join(DB_FILE);
    ensure!(
        sha256_file(&database)? == manifest.database_sha256,
        "{} does not match the manifest's checksum; the backup is damaged",
        database.display()
    );
    ensure_empty(&settings.corpus, "restore the corpus")?;
    ensure_empty(&settings.data, "restore the data")?;
    let corpus_files = copy_tree(&dir.join("corpus"), &settings.corpus)?;
    ensure!(
        corpus_files == manifest.corpus_files,
        "the backup's corpus has {corpus_files} files; the manifest says {}",
        manifest.corpus_files
    );
    std::fs::create_dir_all(&settings.data)?;
    let source =
        Connection::open_with_flags(&database, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    copy_database(&source, &settings.data.join(DB_FILE))?;
    // Opening through the store sets WAL and full sync, as the server expects.
    let store = Store::open_in(&settings.data)?;
    let check: String =
        store.with(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))?;
    ensure!(
        check == "ok",
        "the restored database fails its integrity check: {check}"
    );
    Ok(manifest)
}

/// Refuse to write into a folder that has anything in it.
fn ensure_empty(dir: &Path, what: &str) -> anyhow::Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "refusing to {what} into {}: it is not empty; use an empty or new folder",
                    dir.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("reading {}", dir.display())),
    }
}

/// Online copy of an open database into a new file, a few pages at a time
/// so a running server is not blocked for long.
fn copy_database(source: &Connection, target: &Path) -> anyhow::Result<()> {
    let mut target_conn = Connection::open(target)?;
    Backup::new(source, &mut target_conn)?.run_to_completion(
        256,
        Duration::from_millis(5),
        None,
    )?;
    drop(target_conn);
    std::fs::File::open(target)?.sync_all()?;
    Ok(())
}

/// Copy the regular files under `from` into `to`, keeping the layout; returns
/// how many were copied. Symbolic links are not followed.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<u64> {
    let mut copied = 0;
    let mut pending: Vec<(PathBuf, PathBuf)> = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((source, target)) = pending.pop() {
        std::fs::create_dir_all(&target)
            .with_context(|| format!("creating {}", target.display()))?;
        for entry in
            std::fs::read_dir(&source).with_context(|| format!("reading {}", source.display()))?
        {
            let entry = entry?;
            let kind = entry.file_type()?;
            let destination = target.join(entry.file_name());
            if kind.is_dir() {
                pending.push((entry.path(), destination));
            } else if kind.is_file() {
                let data = std::fs::read(entry.path())?;
                write_synced(&destination, &data)?;
                copied += 1;
            }
        }
    }
    Ok(copied)
}

fn write_synced(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut file =
        std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(root: &Path, name: &str) -> Settings {
        Settings {
            corpus: root.join(name).join("corpus"),
            data: root.join(name).join("data"),
            ..Settings::default()
        }
    }

    /// A backup restores into empty folders with the same corpus files and
    /// database rows, and a second restore over them is refused.
    #[test]
    fn backup_then_restore_round_trips_and_never_overwrites() {
        let root = tempfile::tempdir().expect("dir");
        let from = settings(root.path(), "from");
        std::fs::create_dir_all(from.corpus.join("2020")).expect("mkdir");
        std::fs::write(from.corpus.join("2020/a.md"), "---\ntitle: A\n---\n").expect("write");
        std::fs::write(from.corpus.join("vocabularies.toml"), "").expect("write");
        let store = Store::open_in(&from.data).expect("store");
        store
            .with(|c| {
                c.execute(
                    "INSERT INTO audit (at, actor, action) VALUES (1, 'me', 'test')",
                    [],
                )?;
                Ok(())
            })
            .expect("row");
        let dir = root.path().join("backup");
        let made = backup(&from, &dir).expect("backup");
        assert_eq!(made.corpus_files, 2);

        let to = settings(root.path(), "to");
        restore(&to, &dir).expect("restore");
        assert_eq!(
            std::fs::read_to_string(to.corpus.join("2020/a.md")).expect("file"),
            "---\ntitle: A\n---\n"
        );
        let restored = Store::open_in(&to.data).expect("store");
        let actor: String = restored
            .with(|c| Ok(c.query_row("SELECT actor FROM audit", [], |r| r.get(0))?))
            .expect("row");
        assert_eq!(actor, "me");

        let error = restore(&to, &dir).expect_err("refuses to overwrite");
        assert!(error.to_string().contains("not empty"), "{error}");
        let error = backup(&from, &dir).expect_err("refuses a used backup folder");
        assert!(error.to_string().contains("not empty"), "{error}");
    }
}
