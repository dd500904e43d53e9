//! The library knowledge base server: search over the index and HTTP.
//!
//! # Layout
//!
//! - [`settings`]: flags and `KB_*` environment variables.
//! - [`search`]: the search engine (queries, filters, disjunctive facets,
//!   highlights, related resources, suggestions); no HTTP in it.
//! - [`routes`]: HTTP handlers, one module per area (`api`, `health`).
//! - [`middleware`]: the HTTP layers (limits, timeouts, load shedding, security headers...).
//! - [`metrics`]: Prometheus metrics.
//! - [`routes`]: HTTP handlers, one module per area (`api`, `pages`).
//! - [`web`]: HTML rendering of the web pages (maud), chart, static assets.
//! - [`error`]: the one error type and its status/code table.
//! - [`startup`]: building the router (`app`) and serving it (`serve`).

pub mod error;
pub mod metrics;
pub mod middleware;
pub mod routes;
pub mod search;
pub mod settings;
pub mod startup;
pub mod web;
