//! Subcommands of `kb-server` for people running a site: editor and admin
//! accounts, and API keys for partners and trusted contributors. They work on
//! the same SQLite file as the running server (`<data>/kb.sqlite3`); SQLite's
//! locking makes that safe while it runs. With `--database-url` (cluster
//! mode) accounts and keys are made in PostgreSQL, for every replica.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use crate::settings::Settings;
use crate::store::{Db, PgStore, Role, Store, format_time};

/// Something to do instead of serving.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Editor and admin accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// API keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Copy the corpus and an online copy of the database into DIR (missing
    /// or empty), with a manifest; the index is not copied, it is rebuilt.
    Backup {
        /// Folder to write the backup into.
        dir: PathBuf,
    },
    /// Restore a backup from DIR into empty (or missing) `--corpus` and
    /// `--data` folders; never overwrites anything.
    Restore {
        /// Folder holding a backup made by `kb-server backup`.
        dir: PathBuf,
    },
}

/// Account subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a person; the password comes from `KB_PASSWORD` or is read from standard input.
    Add {
        /// `editor` moderates; `admin` also reads the audit log.
        #[arg(long, value_enum, default_value_t = PersonRole::Editor)]
        role: PersonRole,
        /// Login name.
        name: String,
    },
}

/// API key subcommands.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Create a key and print it once.
    Create {
        /// Who the key is for, e.g. "Partner portal".
        #[arg(long)]
        name: String,
        /// `partner` or `contributor`.
        #[arg(long, value_enum, default_value_t = KeyRole::Partner)]
        role: KeyRole,
        /// Submissions allowed per minute with this key.
        #[arg(long, default_value_t = 60)]
        rate_limit: u32,
    },
    /// List keys (never the secrets).
    List,
    /// Revoke a key by its number.
    Revoke {
        /// Key number from `key list`.
        id: i64,
    },
}

/// Roles of people.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PersonRole {
    /// Moderates the queue.
    Editor,
    /// Moderates and reads the audit log.
    Admin,
}

/// Roles of keys.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeyRole {
    /// A partner portal.
    Partner,
    /// A trusted contributor.
    Contributor,
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("KB_PASSWORD") {
        return Ok(password);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (shown as you type; or set KB_PASSWORD): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The store accounts and keys go to: PostgreSQL in cluster mode, else
/// the data folder's SQLite file.
async fn open_db(settings: &Settings) -> anyhow::Result<Db> {
    Ok(match &settings.database_url {
        Some(url) => Db::Postgres(std::sync::Arc::new(PgStore::connect(url).await?)),
        None => Db::Sqlite(std::sync::Arc::new(Store::open_in(&settings.data)?)),
    })
}

/// Run a subcommand against the data folder (or database) of `settings`.
pub async fn run(settings: &Settings, command: Command) -> anyhow::Result<()> {
    // Only accounts and keys open the store here: restore needs an empty data
    // folder, and a backup of a missing database should say so, not create one.
    match command {
        Command::Backup { dir } => {
            let manifest = crate::backup::backup(settings, &dir)?;
            println!(
                "backed up {} corpus files and the database ({} submissions) to {}",
                manifest.corpus_files,
                manifest.submissions,
                dir.display()
            );
            Ok(())
        }
        Command::Restore { dir } => {
            let manifest = crate::backup::restore(settings, &dir)?;
            println!(
                "restored {} corpus files into {} and the database ({} submissions) into {}; \
                 the index is rebuilt when the server starts",
                manifest.corpus_files,
                settings.corpus.display(),
                manifest.submissions,
                settings.data.display()
            );
            Ok(())
        }
        Command::User(command) => user(&open_db(settings).await?, command).await,
        Command::Key(command) => key(&open_db(settings).await?, command).await,
    }
}

async fn user(db: &Db, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { role, name } => {
            let password = read_password()?;
            anyhow::ensure!(
                password.chars().count() >= 10,
                "the password must have at least 10 characters"
            );
            let role = match role {
                PersonRole::Editor => Role::Editor,
                PersonRole::Admin => Role::Admin,
            };
            let user = db.add_user(name, role, password).await?;
            println!(
                "added {} `{}` (account {})",
                role.as_str(),
                user.name,
                user.id
            );
        }
    }
    Ok(())
}

async fn key(db: &Db, command: KeyCommand) -> anyhow::Result<()> {
    match command {
        KeyCommand::Create {
            name,
            role,
            rate_limit,
        } => {
            let role = match role {
                KeyRole::Partner => Role::Partner,
                KeyRole::Contributor => Role::Contributor,
            };
            let (key, secret) = db.create_key(name, role, rate_limit).await?;
            println!(
                "created key {} `{}` ({}, {} submissions a minute)",
                key.id,
                key.name,
                role.as_str(),
                key.rate_limit
            );
            println!("{secret}");
            eprintln!("Store the key now: it is not shown again.");
        }
        KeyCommand::List => {
            let keys = db.list_keys().await?;
            println!(
                "{:>4}  {:<12} {:>6}  {:<22} {:<22} name",
                "id", "role", "/min", "created", "revoked"
            );
            for key in keys {
                println!(
                    "{:>4}  {:<12} {:>6}  {:<22} {:<22} {}",
                    key.id,
                    key.role.as_str(),
                    key.rate_limit,
                    format_time(key.created_at),
                    key.revoked_at.map(format_time).unwrap_or_default(),
                    key.name
                );
            }
        }
        KeyCommand::Revoke { id } => {
            if db.revoke_key(id).await? {
                println!("key {id} revoked");
            } else {
                anyhow::bail!("there is no key {id}; see `kb-server key list`");
            }
        }
    }
    Ok(())
}
