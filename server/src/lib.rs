//! The library knowledge base server: search over the index and HTTP.
//!
//! # Layout
//!
//! - [`settings`]: defaults, `kb.toml`, `KB_*` environment variables and flags.
//! - [`search`]: the search engine (queries, filters, disjunctive facets,
//!   highlights, related resources, suggestions); no HTTP in it.
//! - [`routes`]: HTTP handlers, one module per area (`api`, `pages`, `health`,
//!   `oai`, `feeds`, `exports`, `openapi`, ...).
//! - [`web`]: HTML rendering of the web pages (maud), chart, static assets.
//! - [`i18n`]: English and Welsh message catalogues and each request's language.
//! - [`middleware`]: the HTTP layers (limits, timeouts, load shedding, security headers...).
//! - [`metrics`]: Prometheus metrics.
//! - [`jsonld`]: schema.org JSON-LD for resource pages.
//! - [`error`]: the one error type and its status/code table.
//! - [`problems`]: what is wrong with a submission's fields, as stable kinds.
//! - [`xml`]: escaped XML writing for feeds, sitemap and OAI-PMH.
//! - [`startup`]: building the router (`app`) and serving it (`serve`).
//! - [`state`]: `AppState`, the state every handler shares.
//! - [`store`]: the SQLite file of submissions, accounts, sessions, keys, audit.
//! - [`keys`]: API keys on the JSON API: read from the request, looked up, counted against their quota
//!   (their records: [`store::keys`]).
//! - [`auth`]: who is calling (API caller, editor sessions), CSRF tokens, client address.
//! - [`rate_limit`]: every rate limit (submissions, logins, API key quotas), bounded in memory.
//! - [`cli`]: `kb-server user ...`, `kb-server key ...`, `backup` and `restore`.
//! - [`backup`]: backups of the corpus and database, and restoring them.
//! - [`cluster`]: cluster mode's replica loop (PostgreSQL change log → local index).
//! - [`attachments`]: PDF attachments checked and read by poppler-utils in limited child processes.
//! - [`analytics`]: anonymous search and click events, batched off the request path, and their report.

pub mod analytics;
pub mod attachments;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod cluster;
pub mod error;
pub mod i18n;
pub mod json;
pub mod jsonld;
pub mod keys;
pub mod metrics;
pub mod middleware;
pub mod problems;
pub mod rate_limit;
pub mod routes;
pub mod search;
pub mod settings;
pub mod startup;
pub mod state;
pub mod store;
pub mod web;
pub mod xml;
