//! HTTP handlers, one module per area.

pub mod account;
pub mod api;
pub mod forms;
pub mod moderation;
pub mod submissions;
