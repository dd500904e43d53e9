//! `kb-server`: serve the knowledge base, or manage its accounts and keys.

use kb_server::settings::{Cli, SettingsError};

/// mimalloc rather than the system allocator: searches allocate and free
/// many short-lived buffers (postings, stored documents, snippets, JSON) on
/// several threads at once, where glibc's allocator spent about 8 % of the
/// server's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn"));
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    }
    let cli = match Cli::load() {
        Ok(cli) => cli,
        // `--help`, `--version` and flag errors: clap prints and exits as usual.
        Err(SettingsError::Clap(error)) => error.exit(),
        Err(error) => return Err(error.into()),
    };
    match cli.command {
        Some(command) => kb_server::cli::run(&cli.settings, command).await,
        None => kb_server::startup::serve(cli.settings).await,
    }
}
