//! Server settings: defaults that run out of the box, then `KB_*` environment
//! variables, then command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// The knowledge base server.
#[derive(Debug, Clone, Parser)]
#[command(name = "kb-server", version, about)]
pub struct Settings {
    /// Corpus folder (Markdown resources and vocabularies).
    #[arg(long, env = "KB_CORPUS", default_value = "corpus", global = true)]
    pub corpus: PathBuf,
    /// Folder for everything the server writes (index, queue, keys).
    #[arg(long, env = "KB_DATA", default_value = "data", global = true)]
    pub data: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "KB_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Public base URL, used in feeds and canonical links.
    #[arg(long, env = "KB_BASE_URL", default_value = "http://127.0.0.1:8080")]
    pub base_url: String,
    /// Contact address given to harvesters in the OAI-PMH `Identify` answer.
    #[arg(long, env = "KB_ADMIN_EMAIL", default_value = "admin@example.org")]
    pub admin_email: String,
    /// Mark session cookies `Secure` (set when served over HTTPS).
    #[arg(long, env = "KB_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Anonymous submissions allowed per client address per minute.
    #[arg(long, env = "KB_SUBMISSIONS_PER_MINUTE", default_value_t = 10)]
    pub submissions_per_minute: u32,
}

/// The `kb-server` command line: serve (no subcommand, the flags above) or
/// manage accounts and API keys in the data folder.
#[derive(Debug, Parser)]
#[command(name = "kb-server", version, about)]
pub struct Cli {
    /// Serve settings; also tell the subcommands where the data folder is.
    #[command(flatten)]
    pub settings: Settings,
    /// What to do instead of serving.
    #[command(subcommand)]
    pub command: Option<crate::cli::Command>,
}
