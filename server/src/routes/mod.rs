//! HTTP handlers, one module per area.

pub mod api;
pub mod health;
pub mod pages;
pub mod exports;
pub mod feeds;
pub mod keys;
pub mod oai;
pub mod openapi;
