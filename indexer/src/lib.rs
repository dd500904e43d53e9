//! The library knowledge base's indexing side: everything from Markdown files
//! on disk to a Tantivy index on disk.
//!
//! # Layout
//!
//! - [`vocabulary`]: offers, types, regions and languages; aliases and suggestions.
//! - [`front_matter`]: cutting a file into YAML front matter and Markdown body.
//! - [`resource`]: the resource model and the field rules (shared with API submissions).
//! - [`problem`]: what can be wrong with a field, as a stable kind with arguments.
//! - [`corpus`]: reading and validating a whole corpus folder, collecting every problem.
//! - [`markdown`]: Markdown to plain text for indexing and to sanitised HTML for display.
//! - [`cjk`]: Japanese morphemes (lindera, IPADIC built offline) and CJK bigrams.
//! - [`welsh`]: folding Welsh initial mutations (Nghaerdydd → caerdydd).
//! - [`schema`]: the one definition of index fields and analyzers.
//! - [`synonyms`]: synonym groups applied to queries.
//! - [`query`]: the query language and its translation to Tantivy queries (shared by
//!   the server and relevance evaluation).
//! - [`rank`]: the order of hits by relevance, with tie-breaks that do not depend on
//!   the index layout (shared by the server and relevance evaluation).
//! - [`builder`]: full and incremental builds.
//! - [`cluster`]: cluster mode's PostgreSQL tables, migrations, change log, import and export.
//! - [`generate`]: deterministic scale corpora for benchmarks.
//! - [`eval`]: relevance evaluation on TREC-style test collections.

pub mod attachment;
pub mod builder;
pub mod cjk;
pub mod cluster;
pub mod corpus;
pub mod eval;
pub mod front_matter;
pub mod generate;
pub mod markdown;
pub mod problem;
pub mod query;
pub mod rank;
pub mod remember;
pub mod resource;
pub mod schema;
pub mod synonyms;
pub mod vocabulary;
pub mod welsh;
