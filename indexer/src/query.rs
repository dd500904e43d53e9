//! The query language and its translation to Tantivy queries.
//!
//! Shared by the server (every search) and by `kb-index eval` (relevance
//! measurement), so the figures measured are the figures users get.

mod compile;
mod feedback;
mod parse;
pub mod similar;

pub use compile::{Compiled, QueryBuilder, RESCORE_DEPTH, Weights};
pub use parse::{FIELD_NAMES, MAX_CLAUSES, MAX_DEPTH, MAX_QUERY_BYTES, Node, QueryError, parse};
