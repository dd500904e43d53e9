//! HTTP tests of the JSON API through `app(state).oneshot(request)`: no
//! socket, the real router, the real engine over the bundled corpus.

mod analytics;
mod attachments;
mod cymraeg;
mod errors;
mod helpers;
mod moderation;
mod multilingual;
mod operations;
mod pdf;
mod personal;
mod queue_helpers;
mod resources;
mod search;
mod search_errors;
mod submissions;
