//! Search analytics without tracking anyone: what people search for, which
//! searches find nothing, and which results they open.
//!
//! A search records its normalised query ([`normalise`]), its filters, its
//! result count, the hour it happened in and its channel (the web pages, an
//! API key's id, or the anonymous API) under a random search id; a click on
//! a result link (`/r/{search id}/{position}`) records the position. No
//! address, cookie, account or exact time is ever recorded, and requests
//! carrying `DNT: 1` or `Sec-GPC: 1` are not recorded at all
//! ([`opted_out`]).
//!
//! Events go through a bounded channel to one writer thread that stores them
//! in batches ([`store`]), off the request path: when the channel is full
//! the event is dropped and counted (`kb_analytics_dropped_total`), never
//! waited for. Raw events older than [`store::RETENTION_DAYS`] days are
//! deleted; daily counts per query are kept. Reports ([`report`]) never show
//! a query seen fewer than [`report::MIN_COUNT`] times.
//!
//! # Layout
//!
//! - [`normalise`]: the query as recorded, personal details redacted.
//! - [`store`]: the SQLite tables, batched writes, retention.
//! - [`report`]: the aggregates the dashboard, CSV and JSON show.

pub mod normalise;
pub mod report;
pub mod store;

use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError};
use std::time::Duration;

use axum::http::HeaderMap;
use prometheus_client::metrics::counter::Counter;

use crate::search::SearchRequest;
use crate::store::Store;

pub use normalise::normalise;

/// Events waiting for the writer; past this, new ones are dropped.
pub const QUEUE: usize = 8192;
/// Most events written in one transaction.
const BATCH: usize = 4096;
/// How long the writer gathers events before writing them: one transaction
/// (one fsync) per window however many searches came in.
const BATCH_WINDOW: Duration = Duration::from_secs(1);
/// How often the writer takes what has queued while it gathers a batch: the
/// longest a flush waits.
const GATHER_STEP: Duration = Duration::from_millis(20);

/// Where a search came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    /// The web pages.
    Web,
    /// The JSON API with this key id.
    Key(i64),
    /// The JSON API without a key.
    AnonymousApi,
}

impl Channel {
    /// As stored: `web`, `key:7`, `api`.
    pub fn as_stored(&self) -> String {
        match self {
            Channel::Web => "web".into(),
            Channel::Key(id) => format!("key:{id}"),
            Channel::AnonymousApi => "api".into(),
        }
    }
}

/// One search as recorded.
#[derive(Debug, Clone)]
pub struct SearchEvent {
    /// Random id, carried by the result links.
    pub id: String,
    /// Normalised query.
    pub query: String,
    /// Selected filters as `facet=value`, sorted, space separated.
    pub filters: String,
    /// Matching resources.
    pub results: u64,
    /// Start of the hour, Unix seconds.
    pub hour: i64,
    /// Where it came from.
    pub channel: Channel,
}

/// Something to write.
#[derive(Debug)]
pub enum Message {
    /// A search.
    Search(SearchEvent),
    /// A click on the result at `position` (1-based) of search `search_id`.
    Click {
        /// The search's id.
        search_id: String,
        /// 1-based rank of the result opened.
        position: u32,
        /// Start of the hour, Unix seconds.
        hour: i64,
    },
    /// Write everything queued before this, then answer.
    Flush(std::sync::mpsc::Sender<()>),
}

/// The recorder: cheap to clone; `None` inside when analytics are off.
#[derive(Clone)]
pub struct Analytics {
    sender: Option<SyncSender<Message>>,
    dropped: Counter,
}

/// Whether the request asks not to be tracked (`DNT: 1` or `Sec-GPC: 1`).
pub fn opted_out(headers: &HeaderMap) -> bool {
    ["dnt", "sec-gpc"].iter().any(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "1")
    })
}

/// The start of the current hour, Unix seconds.
pub fn hour_now() -> i64 {
    let now = crate::store::now();
    now - now.rem_euclid(3600)
}

/// A search's filters as recorded: `offer=reading year_from=2018`, sorted.
pub fn filters_of(req: &SearchRequest) -> String {
    let mut parts: Vec<String> = req
        .filters
        .iter()
        .flat_map(|(facet, values)| values.iter().map(move |v| format!("{}={v}", facet.name())))
        .collect();
    if let Some(y) = req.year_from {
        parts.push(format!("year_from={y}"));
    }
    if let Some(y) = req.year_to {
        parts.push(format!("year_to={y}"));
    }
    parts.sort();
    parts.join(" ")
}

/// A search id: the hour it was made in (8 hex digits of hours since
/// 1970, which the event stores anyway), this process's count of ids (8
/// hex digits, wrapping), then 64 random bits (16 hex digits). The events
/// table's key index takes each id after the one before, as its rows take
/// rowids, so a batch of events is written at the index's end; fully
/// random ids landed all over it. An id holds nothing finer than the hour
/// (the README's promise: no exact times) and no order the rowids do not
/// already hold.
fn new_search_id() -> Option<String> {
    static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let count = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let random = crate::store::random_hex(8).ok()?;
    Some(format!(
        "{:08x}{count:08x}{random}",
        hour_now().div_euclid(3600)
    ))
}

/// Whether a search id has the shape [`Analytics::begin`] gives.
pub fn valid_search_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

impl Analytics {
    /// Recording off: every call is a no-op.
    pub fn off(dropped: Counter) -> Self {
        Self {
            sender: None,
            dropped,
        }
    }

    /// Start the writer thread over `store`; `dropped` counts events lost
    /// to a full queue.
    pub fn start(store: Arc<Store>, dropped: Counter) -> Self {
        let (sender, receiver) = std::sync::mpsc::sync_channel(QUEUE);
        let spawned = std::thread::Builder::new()
            .name("analytics".into())
            .spawn(move || write_loop(&store, &receiver));
        match spawned {
            Ok(_) => Self {
                sender: Some(sender),
                dropped,
            },
            Err(error) => {
                tracing::error!(%error, "analytics writer did not start; recording is off");
                Self::off(dropped)
            }
        }
    }

    /// Whether a request with these headers is recorded.
    pub fn records(&self, headers: &HeaderMap) -> bool {
        self.sender.is_some() && !opted_out(headers)
    }

    /// A fresh search id when this request is recorded (for its result
    /// links); `None` when it is not.
    pub fn begin(&self, headers: &HeaderMap, req: &SearchRequest) -> Option<String> {
        // The home page with nothing asked is not a search.
        if !self.records(headers) || (req.q.trim().is_empty() && filters_of(req).is_empty()) {
            return None;
        }
        new_search_id()
    }

    /// Queue a search, without waiting.
    pub fn search(&self, id: String, req: &SearchRequest, results: u64, channel: Channel) {
        self.send(Message::Search(SearchEvent {
            id,
            query: normalise(&req.q),
            filters: filters_of(req),
            results,
            hour: hour_now(),
            channel,
        }));
    }

    /// Queue a click, without waiting.
    pub fn click(&self, search_id: String, position: u32) {
        self.send(Message::Click {
            search_id,
            position,
            hour: hour_now(),
        });
    }

    fn send(&self, message: Message) {
        let Some(sender) = &self.sender else { return };
        match sender.try_send(message) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.dropped.inc();
            }
            Err(TrySendError::Disconnected(_)) => {
                self.dropped.inc();
            }
        }
    }

    /// Wait (up to two seconds, off the executor) until everything queued
    /// so far is written, so a report includes it.
    pub async fn flush(&self) {
        let Some(sender) = self.sender.clone() else {
            return;
        };
        let _ = tokio::task::spawn_blocking(move || {
            let (done, wait) = std::sync::mpsc::channel();
            if sender
                .send_timeout_compat(Message::Flush(done), Duration::from_secs(2))
                .is_ok()
            {
                let _ = wait.recv_timeout(Duration::from_secs(2));
            }
        })
        .await;
    }
}

/// `SyncSender::send` with a deadline (std has none): retry `try_send`.
trait SendTimeout {
    fn send_timeout_compat(&self, message: Message, timeout: Duration) -> Result<(), ()>;
}

impl SendTimeout for SyncSender<Message> {
    fn send_timeout_compat(&self, mut message: Message, timeout: Duration) -> Result<(), ()> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            match self.try_send(message) {
                Ok(()) => return Ok(()),
                Err(TrySendError::Disconnected(_)) => return Err(()),
                Err(TrySendError::Full(back)) => {
                    if std::time::Instant::now() >= deadline {
                        return Err(());
                    }
                    message = back;
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
    }
}

/// The writer: wait for an event, gather more for up to [`BATCH_WINDOW`]
/// (or [`BATCH`] events, or until a flush is asked), write them in one
/// transaction; delete expired events hourly.
///
/// While gathering it takes what has queued every [`GATHER_STEP`] rather
/// than waiting on the queue: a waiting receiver is woken by every send,
/// which cost each search a thread wake-up (a few percent of the server's
/// CPU under load).
fn write_loop(store: &Store, receiver: &Receiver<Message>) {
    let mut last_purge = 0;
    while let Ok(first) = receiver.recv() {
        let deadline = std::time::Instant::now() + BATCH_WINDOW;
        let mut flushing = matches!(first, Message::Flush(_));
        let mut batch = vec![first];
        while batch.len() < BATCH && !flushing {
            match receiver.try_recv() {
                Ok(message) => {
                    flushing = matches!(message, Message::Flush(_));
                    batch.push(message);
                }
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {
                    let left = deadline.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    std::thread::sleep(left.min(GATHER_STEP));
                }
            }
        }
        let mut flushes = Vec::new();
        let mut events = Vec::with_capacity(batch.len());
        for message in batch {
            match message {
                Message::Flush(done) => flushes.push(done),
                other => events.push(other),
            }
        }
        if !events.is_empty()
            && let Err(error) = store.with(|c| store::write(c, &events))
        {
            tracing::warn!(%error, lost = events.len(), "analytics events not written");
        }
        let now = crate::store::now();
        if now - last_purge >= 3600 {
            last_purge = now;
            if let Err(error) = store.with(|c| store::purge(c, now)) {
                tracing::warn!(%error, "expired analytics events not deleted");
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Either privacy signal, and only the value `1`, opts a request out.
    #[test]
    fn privacy_signals() {
        let mut h = HeaderMap::new();
        assert!(!opted_out(&h));
        h.insert("dnt", "0".parse().expect("h"));
        assert!(!opted_out(&h));
        h.insert("dnt", "1".parse().expect("h"));
        assert!(opted_out(&h));
        let mut h = HeaderMap::new();
        h.insert("sec-gpc", "1".parse().expect("h"));
        assert!(opted_out(&h));
    }

    /// Filters are recorded by facet name, sorted, with the year range.
    #[test]
    fn filters_are_named_and_sorted() {
        let mut req = SearchRequest::default();
        req.filters[crate::search::Facet::Offer] = vec!["reading".into()];
        req.year_from = Some(2018);
        let text = filters_of(&req);
        assert!(text.contains(&format!("{}=reading", crate::search::Facet::Offer.name())));
        assert!(text.contains("year_from=2018"));
        assert!(!valid_search_id("../../etc"));
    }

    /// Search ids have the checked shape, differ, open with their hour,
    /// nothing finer, and follow one another within it.
    #[test]
    fn search_ids_are_valid_distinct_and_open_with_their_hour() {
        let before = hour_now() / 3600;
        let (first, second) = (new_search_id().expect("id"), new_search_id().expect("id"));
        let after = hour_now() / 3600;
        assert!(valid_search_id(&first) && valid_search_id(&second));
        assert_ne!(first, second);
        for id in [&first, &second] {
            let hour = i64::from_str_radix(&id[..8], 16).expect("hex");
            assert!((before..=after).contains(&hour), "{id}");
        }
        if before == after {
            assert!(first < second, "{first} then {second}");
        }
    }
}
