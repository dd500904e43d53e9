//! Server-rendered HTML for library staff, built with `maud` so that every
//! value is escaped unless a component says otherwise (highlights and
//! resource bodies, which the search core has already made safe).
//!
//! # Layout
//!
//! - [`layout`]: the page shell (head, header, footer) and error pages.
//! - [`assets`]: the stylesheet and script, embedded and versioned.
//! - [`urls`]: search URLs built from a [`SearchRequest`](crate::search::SearchRequest).
//! - [`labels`]: human labels for facet values.
//! - [`facets`], [`chips`], [`pagination`], [`hits`]: search page components.
//! - [`search`], [`resource`], [`browse`], [`submit`]: whole pages.
//! - [`statements`]: the accessibility statement and the privacy notice.
//! - [`forms`]: the shell of the contributor and editor pages, the resource
//!   form, and field problems worded in the page's language.
//! - [`moderation`], [`account`]: the editors' queue and review pages, the
//!   login page, the audit log and an editor's own data.
//! - [`chart`]: the server-rendered SVG bar chart (resources per year, clicks by position).
//! - [`analytics`]: the editors' search analytics dashboard.
//!
//! No page uses inline scripts or event handlers, so a strict
//! Content-Security-Policy (`script-src 'self'`) can be applied later.

pub mod account;
pub mod analytics;
pub mod assets;
pub mod browse;
pub mod chart;
pub mod chips;
pub mod facets;
pub mod forms;
pub mod hits;
pub mod labels;
pub mod layout;
pub mod moderation;
pub mod pagination;
pub mod resource;
pub mod search;
pub mod statements;
pub mod submit;
pub mod urls;
