//! Server settings, in one [`Settings`] struct filled in four layers, each
//! overriding the one before:
//!
//! 1. defaults that run out of the box (the `default_value`s below);
//! 2. an optional TOML file: `--config FILE` or `KB_CONFIG`, else `./kb.toml`
//!    when it exists. Keys are the field names below (`max_in_flight = 64`);
//!    an unknown key or a bad value stops the server at start, naming the file
//!    and the key;
//! 3. `KB_*` environment variables;
//! 4. command-line flags.
//!
//! The layers are merged by `figment`: [`Settings::default`], the file, then
//! the values clap says came from the environment or the command line (clap
//! reads those, so `--help` lists every flag with its variable). The merged
//! values are read back into [`Settings`], whose serde derive refuses unknown
//! keys.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser};
use figment::Figment;
use figment::error::Kind;
use figment::providers::Serialized;
use figment::value::{Dict, Value};
use serde::{Deserialize, Serialize};

/// The settings file read when neither `--config` nor `KB_CONFIG` is given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "kb.toml";

/// The knowledge base server.
///
/// The field names are the settings file's keys.
#[derive(Debug, Clone, Parser, Serialize, Deserialize)]
#[command(name = "kb-server", version, about)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Corpus folder (Markdown resources and vocabularies).
    #[arg(long, env = "KB_CORPUS", default_value = defaults::CORPUS, global = true)]
    pub corpus: PathBuf,
    /// Folder for everything the server writes (index, queue, keys).
    #[arg(long, env = "KB_DATA", default_value = defaults::DATA, global = true)]
    pub data: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "KB_BIND", default_value = defaults::BIND)]
    pub bind: SocketAddr,
    /// Public base URL, used in feeds and canonical links.
    #[arg(long, env = "KB_BASE_URL", default_value = defaults::BASE_URL)]
    pub base_url: String,
    /// Contact address given to harvesters in the OAI-PMH `Identify` answer.
    #[arg(long, env = "KB_ADMIN_EMAIL", default_value = defaults::ADMIN_EMAIL)]
    pub admin_email: String,
    /// Mark session cookies `Secure` (set when served over HTTPS).
    #[arg(long, env = "KB_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Anonymous submissions allowed per client address per minute.
    #[arg(long, env = "KB_SUBMISSIONS_PER_MINUTE", default_value_t = defaults::SUBMISSIONS_PER_MINUTE)]
    pub submissions_per_minute: u32,
    /// Requests served at once; past this, new requests get a fast 503.
    #[arg(long, env = "KB_MAX_IN_FLIGHT", default_value_t = defaults::MAX_IN_FLIGHT)]
    pub max_in_flight: usize,
    /// Longest a request may take, in seconds, before it is answered 503.
    #[arg(long, env = "KB_REQUEST_TIMEOUT_SECS", default_value_t = defaults::REQUEST_TIMEOUT_SECS)]
    pub request_timeout_secs: u64,
    /// Longest a client may take to send a request's headers, in seconds,
    /// before its connection is closed (protects against slow clients).
    #[arg(long, env = "KB_HEADER_READ_TIMEOUT_SECS", default_value_t = defaults::HEADER_READ_TIMEOUT_SECS)]
    pub header_read_timeout_secs: u64,
    /// Behind a reverse proxy: take the client address for rate limits from
    /// the last `X-Forwarded-For` entry. Off: that header is ignored, since
    /// any client can send it.
    #[arg(long, env = "KB_TRUSTED_PROXY", default_value_t = false)]
    pub trusted_proxy: bool,
    /// Cluster mode: PostgreSQL (`postgres://user@host:port/db`) is the store
    /// of record for resources, submissions, accounts, sessions, keys, audit
    /// log and quotas, and this server is one replica deriving its own index
    /// under `--data` (the corpus folder then only gives vocabularies and
    /// synonyms). Unset: embedded mode, the corpus folder and SQLite.
    #[arg(long, env = "KB_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Cluster mode: a replica more than this many changes behind
    /// PostgreSQL reports itself not ready on `/readyz`.
    #[arg(long, env = "KB_MAX_LAG", default_value_t = defaults::MAX_LAG)]
    pub max_lag: u64,
    /// Days after which rejected submissions and expired sessions are
    /// deleted (checked at start and every hour).
    #[arg(long, env = "KB_RETENTION_DAYS", default_value_t = defaults::RETENTION_DAYS)]
    pub retention_days: u32,
    /// Search analytics: `on` records anonymous search and click events
    /// (never an address, cookie or account) for the editors' report at
    /// `/admin/analytics`; `off` records nothing.
    #[arg(long, env = "KB_ANALYTICS", value_enum, default_value_t = Switch::On)]
    pub analytics: Switch,
}

/// An on/off setting, written `on` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Switch {
    /// Enabled.
    On,
    /// Disabled.
    Off,
}

/// Built-in defaults, shared by clap and [`Settings::default`].
mod defaults {
    pub const CORPUS: &str = "corpus";
    pub const DATA: &str = "data";
    pub const BIND: &str = "127.0.0.1:8080";
    pub const BASE_URL: &str = "http://127.0.0.1:8080";
    pub const ADMIN_EMAIL: &str = "admin@example.org";
    pub const SUBMISSIONS_PER_MINUTE: u32 = 10;
    pub const MAX_IN_FLIGHT: usize = 512;
    pub const REQUEST_TIMEOUT_SECS: u64 = 15;
    pub const HEADER_READ_TIMEOUT_SECS: u64 = 10;
    pub const MAX_LAG: u64 = 100;
    pub const RETENTION_DAYS: u32 = 180;
}

impl Default for Settings {
    /// The built-in defaults, without reading the environment or any file.
    fn default() -> Self {
        Self {
            corpus: defaults::CORPUS.into(),
            data: defaults::DATA.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            base_url: defaults::BASE_URL.into(),
            admin_email: defaults::ADMIN_EMAIL.into(),
            secure_cookies: false,
            submissions_per_minute: defaults::SUBMISSIONS_PER_MINUTE,
            max_in_flight: defaults::MAX_IN_FLIGHT,
            request_timeout_secs: defaults::REQUEST_TIMEOUT_SECS,
            header_read_timeout_secs: defaults::HEADER_READ_TIMEOUT_SECS,
            trusted_proxy: false,
            database_url: None,
            max_lag: defaults::MAX_LAG,
            retention_days: defaults::RETENTION_DAYS,
            analytics: Switch::On,
        }
    }
}

impl Settings {
    /// The per-request time limit.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// The time limit for receiving a request's headers.
    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_secs)
    }

    /// Check values no parser can: limits that must be at least 1.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let positive = [
            ("max_in_flight", self.max_in_flight as u64),
            ("request_timeout_secs", self.request_timeout_secs),
            ("header_read_timeout_secs", self.header_read_timeout_secs),
            ("retention_days", u64::from(self.retention_days)),
        ];
        for (key, value) in positive {
            if value == 0 {
                return Err(SettingsError::Invalid(format!(
                    "setting `{key}` must be at least 1"
                )));
            }
        }
        if let Some(url) = &self.database_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(SettingsError::Invalid(format!(
                "setting `database_url` must be a PostgreSQL URL such as \
                 postgres://kb@127.0.0.1:5432/kb, not `{}`",
                url.split('@').next_back().unwrap_or_default()
            )));
        }
        Ok(())
    }

    /// The values clap took from the environment or the command line (not
    /// its defaults), keyed by setting name, as one figment layer.
    fn given(&self, matches: &ArgMatches) -> Result<Dict, SettingsError> {
        let all = Value::serialize(self)
            .ok()
            .and_then(Value::into_dict)
            .ok_or_else(|| SettingsError::Invalid("settings are not a table".into()))?;
        Ok(all
            .into_iter()
            .filter(|(key, _)| {
                matches!(
                    matches.value_source(key),
                    Some(ValueSource::EnvVariable | ValueSource::CommandLine)
                )
            })
            .collect())
    }

    /// Merge the layers: defaults < `file` (a TOML file's table, if any) <
    /// `given` (environment and flags).
    fn merge(file: Option<(&Path, toml::Table)>, given: Dict) -> Result<Self, SettingsError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        let path = file.as_ref().map(|(path, _)| path.to_path_buf());
        if let Some((_, table)) = file {
            figment = figment.merge(Serialized::defaults(table));
        }
        figment
            .merge(Serialized::defaults(given))
            .extract()
            .map_err(|error| {
                // Flags and variables were typed by clap and the defaults
                // are ours: a value that does not fit came from the file.
                let (key, message) = match &error.kind {
                    Kind::UnknownField(key, known) => (
                        key.clone(),
                        format!("unknown key; the keys are {}", known.join(", ")),
                    ),
                    kind => (error.path.join("."), kind.to_string()),
                };
                match path {
                    Some(path) => SettingsError::File { path, key, message },
                    None => SettingsError::Invalid(format!("setting `{key}`: {message}")),
                }
            })
    }
}

/// Read a settings file as a TOML table; a syntax error names the key of
/// its line.
fn read_file(path: &Path) -> Result<toml::Table, SettingsError> {
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|error| SettingsError::File {
        path: path.to_path_buf(),
        key: key_at(&text, error.span()),
        message: error.message().to_string(),
    })
}

/// The key on the line where a TOML error points (`name` in `name = value`).
fn key_at(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return "?".into();
    };
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or_default();
    line.split('=')
        .next()
        .unwrap_or_default()
        .trim()
        .trim_matches('"')
        .to_string()
}

/// Why the settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A bad flag or environment variable, `--help` or `--version`: clap
    /// prints it and picks the exit code.
    #[error(transparent)]
    Clap(#[from] clap::Error),
    /// The settings file could not be read.
    #[error("cannot read settings file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The settings file has an unknown key or a bad value.
    #[error("settings file {}: key `{key}`: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The offending key.
        key: String,
        /// What is wrong with it.
        message: String,
    },
    /// A value out of range, whatever its source.
    #[error("{0}")]
    Invalid(String),
}

/// The `kb-server` command line: serve (no subcommand, the flags above) or
/// manage accounts, API keys and backups in the data folder.
#[derive(Debug, Parser)]
#[command(name = "kb-server", version, about)]
pub struct Cli {
    /// Settings file (TOML); default `./kb.toml` when it exists.
    #[arg(long, env = "KB_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Serve settings; also tell the subcommands where the data folder is.
    #[command(flatten)]
    pub settings: Settings,
    /// What to do instead of serving.
    #[command(subcommand)]
    pub command: Option<crate::cli::Command>,
}

impl Cli {
    /// Parse the process's flags and environment, then the settings file.
    pub fn load() -> Result<Self, SettingsError> {
        Self::load_from(std::env::args_os())
    }

    /// Parse `args` (the first is the program name) and the environment,
    /// then merge them with the settings file over the defaults.
    pub fn load_from<I, T>(args: I) -> Result<Self, SettingsError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli = Self::from_arg_matches(&matches)?;
        let path = match &cli.config {
            Some(path) => Some(path.clone()),
            None => Some(PathBuf::from(DEFAULT_CONFIG_FILE)).filter(|p| p.is_file()),
        };
        let file = match &path {
            Some(path) => Some((path.as_path(), read_file(path)?)),
            None => None,
        };
        let given = cli.settings.given(&matches)?;
        cli.settings = Settings::merge(file, given)?;
        cli.settings.validate()?;
        Ok(cli)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("kb.toml");
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    fn load(args: &[&str]) -> Result<Cli, SettingsError> {
        let mut all = vec!["kb-server"];
        all.extend_from_slice(args);
        Cli::load_from(all)
    }

    /// The defaults need no file, environment or flag, and match `Default`.
    #[test]
    fn defaults_run_out_of_the_box() {
        let settings = Settings::default();
        let parsed = Settings::try_parse_from(["kb-server"]).expect("parses");
        assert_eq!(settings.bind, parsed.bind);
        assert_eq!(settings.base_url, parsed.base_url);
        assert_eq!(settings.max_in_flight, 512);
        assert_eq!(settings.request_timeout_secs, 15);
        assert_eq!(settings.header_read_timeout_secs, 10);
        assert!(!settings.trusted_proxy);
        assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.database_url, None, "embedded mode by default");
        assert_eq!(parsed.database_url, None);
    }

    /// `--database-url` switches to cluster mode; something that is not a
    /// PostgreSQL URL is refused at start, naming the setting.
    #[test]
    fn database_url_is_checked() {
        let cli = load(&["--database-url", "postgres://kb@127.0.0.1:5432/kb"]).expect("loads");
        assert_eq!(
            cli.settings.database_url.as_deref(),
            Some("postgres://kb@127.0.0.1:5432/kb")
        );
        let error = load(&["--database-url", "mysql://x"])
            .expect_err("refused")
            .to_string();
        assert!(error.contains("database_url"), "{error}");
        let (_dir, path) = config("database_url = \"postgres://kb@db/kb\"\nmax_lag = 5\n");
        let cli = load(&["--config", path.to_str().expect("utf-8")]).expect("loads");
        assert_eq!(
            cli.settings.database_url.as_deref(),
            Some("postgres://kb@db/kb")
        );
        assert_eq!(cli.settings.max_lag, 5);
    }

    /// A misspelt key in the file is refused at start, and the message names
    /// the file and the key so the operator can fix it.
    #[test]
    fn unknown_key_is_rejected_with_its_name() {
        let (_dir, path) = config("max_in_flight = 8\nmax_in_flihgt = 9\n");
        let error = load(&["--config", path.to_str().expect("utf-8")])
            .expect_err("unknown key refused")
            .to_string();
        assert!(error.contains("max_in_flihgt"), "{error}");
        assert!(error.contains("kb.toml"), "{error}");
    }

    /// A value of the wrong type is refused, naming the key.
    #[test]
    fn bad_value_is_rejected_with_its_key() {
        let (_dir, path) = config("bind = \"127.0.0.1:8080\"\nrequest_timeout_secs = \"soon\"\n");
        let error = load(&["--config", path.to_str().expect("utf-8")])
            .expect_err("bad value refused")
            .to_string();
        assert!(error.contains("key `request_timeout_secs`"), "{error}");
        let (_dir, path) = config("max_in_flight = 0\n");
        let error = load(&["--config", path.to_str().expect("utf-8")])
            .expect_err("zero refused")
            .to_string();
        assert!(error.contains("max_in_flight"), "{error}");
    }

    /// A named settings file that does not exist is an error, not silently skipped.
    #[test]
    fn missing_named_file_is_an_error() {
        let error = load(&["--config", "/nonexistent/kb.toml"]).expect_err("missing file");
        assert!(
            error.to_string().contains("/nonexistent/kb.toml"),
            "{error}"
        );
    }

    /// Precedence: the file overrides defaults, a flag overrides the file.
    /// (Environment variables are checked end to end, where the test can set
    /// them on a child process without racing other tests.)
    #[test]
    fn flag_overrides_file_overrides_default() {
        let (_dir, path) = config(
            "max_in_flight = 8\nsubmissions_per_minute = 3\ntrusted_proxy = true\ndata = \"/srv/kb\"\n",
        );
        let path = path.to_str().expect("utf-8");
        let cli = load(&["--config", path, "--max-in-flight", "16"]).expect("loads");
        assert_eq!(cli.settings.max_in_flight, 16, "flag beats file");
        assert_eq!(cli.settings.submissions_per_minute, 3, "file beats default");
        assert!(cli.settings.trusted_proxy);
        assert_eq!(cli.settings.data, PathBuf::from("/srv/kb"));
        assert_eq!(cli.settings.request_timeout_secs, 15, "default kept");
        let cli = load(&["--config", path, "--data", "/elsewhere", "key", "list"]).expect("loads");
        assert_eq!(cli.settings.data, PathBuf::from("/elsewhere"));
    }

    /// The key named in an error is the one on the line the error points at.
    #[test]
    fn key_at_finds_the_key_of_the_line() {
        let text = "a = 1\n\"b\" = x\n";
        assert_eq!(key_at(text, Some(10..11)), "b");
        assert_eq!(key_at(text, Some(0..1)), "a");
        assert_eq!(key_at(text, None), "?");
    }
}
