//! HTTP handlers, one module per area.

pub mod api;
pub mod oai;
