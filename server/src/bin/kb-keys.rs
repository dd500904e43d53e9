//! `kb-keys`: make, list and revoke partner API keys in `<data>/keys.json`.
//! A running server picks up changes within a few seconds.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use kb_server::keys::{self, DEFAULT_PER_DAY, DEFAULT_PER_MINUTE, KeyFile, KeyRecord};
use time::OffsetDateTime;

/// Partner API keys.
#[derive(Parser)]
#[command(name = "kb-keys", version, about)]
struct Cli {
    /// Folder the server writes to (holds keys.json).
    #[arg(long, env = "KB_DATA", default_value = "data")]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make a key for a partner and print it (it is shown only this once).
    Add {
        /// Partner name, unique.
        name: String,
        /// Requests allowed per minute.
        #[arg(long, default_value_t = DEFAULT_PER_MINUTE)]
        per_minute: u32,
        /// Requests allowed per day.
        #[arg(long, default_value_t = DEFAULT_PER_DAY)]
        per_day: u32,
    },
    /// List partners and their quotas (never the keys).
    List,
    /// Refuse a partner's key from now on.
    Revoke {
        /// Partner name.
        name: String,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let path = KeyFile::path(&cli.data);
    let mut file = KeyFile::load(&path)?;
    match cli.command {
        Command::Add {
            name,
            per_minute,
            per_day,
        } => {
            if file.keys.iter().any(|k| k.name == name && !k.revoked) {
                bail!("`{name}` already has a key; revoke it first to replace it");
            }
            let key = keys::generate().map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
            file.keys.push(KeyRecord {
                name,
                hash: keys::hash(&key),
                per_minute,
                per_day,
                created: kb_server::xml::utc_seconds(OffsetDateTime::now_utc()),
                revoked: false,
            });
            file.save(&path)?;
            println!("{key}");
        }
        Command::List => {
            for k in &file.keys {
                println!(
                    "{}\t{}/min\t{}/day\tcreated {}{}",
                    k.name,
                    k.per_minute,
                    k.per_day,
                    k.created,
                    if k.revoked { "\trevoked" } else { "" }
                );
            }
        }
        Command::Revoke { name } => {
            let record = file
                .keys
                .iter_mut()
                .find(|k| k.name == name && !k.revoked)
                .with_context(|| format!("no active key is named `{name}`"))?;
            record.revoked = true;
            file.save(&path)?;
            println!("revoked {name}");
        }
    }
    Ok(())
}
