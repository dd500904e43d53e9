//! HTTP handlers, one module per area.

pub mod account;
pub mod analytics;
pub mod api;
pub mod exports;
pub mod feeds;
pub mod forms;
pub mod health;
pub mod moderation;
pub mod oai;
pub mod openapi;
pub mod pages;
pub mod personal;
pub mod submissions;
