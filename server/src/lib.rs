//! The library knowledge base server: search over the index and HTTP.
//!
//! # Layout
//!
//! - [`settings`]: flags and `KB_*` environment variables.
//! - [`search`]: the search engine (queries, filters, disjunctive facets,
//!   highlights, related resources, suggestions); no HTTP in it.
//! - [`routes`]: HTTP handlers, one module per area (`api`).
//! - [`error`]: the one error type and its status/code table.
//! - [`startup`]: building the router (`app`) and serving it (`serve`).
//! - [`store`]: the SQLite file of submissions, accounts, sessions, keys, audit.
//! - [`auth`]: API keys, editor sessions, CSRF tokens.
//! - [`rate_limit`]: token buckets against submission floods.
//! - [`cli`]: `kb-server user ...` and `kb-server key ...`.

pub mod auth;
pub mod cli;
pub mod error;
pub mod rate_limit;
pub mod routes;
pub mod search;
pub mod settings;
pub mod startup;
pub mod store;
