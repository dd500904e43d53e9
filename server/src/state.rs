//! The state every handler shares ([`AppState`]): the engine, the settings,
//! the stores, the rate limits, metrics and the analytics recorder; and
//! running engine work on the search pool with the app's error type.

use std::sync::{Arc, Mutex};

use crate::analytics::Analytics;
use crate::cluster::ReplicaStatus;
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::rate_limit::RateLimits;
use crate::search::pool::{self, SearchPool};
use crate::search::{Engine, SearchRequest, SearchResults};
use crate::settings::{Settings, Switch};
use crate::store::{Db, PgStore, Store};

/// Shared state of every handler: one pointer to [`Shared`], which every
/// field reads through. Each request clones the state several times (each
/// layer and extractor that takes it); one reference count, rather than one
/// per field, keeps those clones from contending across cores.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct Shared {
    /// The search engine.
    pub engine: Arc<Engine>,
    /// Settings the server started with.
    pub settings: Arc<Settings>,
    /// Request and index metrics.
    pub metrics: Metrics,
    /// The embedded SQLite file (in cluster mode too, for what is not yet
    /// shared; the routes go through `db`).
    pub store: Arc<Store>,
    /// Submission queue, accounts, sessions, keys and audit log: SQLite, or
    /// PostgreSQL in cluster mode.
    pub db: Db,
    /// Cluster mode: how far this replica is behind the change log.
    pub replica: Option<Arc<ReplicaStatus>>,
    /// Every rate limit (submissions, logins, API key quotas).
    pub limits: Arc<RateLimits>,
    /// Search analytics recorder (a no-op when `--analytics off`).
    pub analytics: Analytics,
    /// Moderation decisions one at a time in this server, so that an
    /// approval (which publishes before it records) and another decision
    /// never interleave. The record itself is a conditional update from the
    /// status the editor saw, so of two decisions made on the same view
    /// exactly one applies and the other is refused with `409`, whatever
    /// made the change.
    pub deciding: Arc<Mutex<()>>,
    /// The search pool: one thread per core runs every search and page lookup.
    pub pool: Arc<SearchPool>,
}

/// The recorder the settings ask for, writing into `store`.
fn analytics(settings: &Settings, store: &Arc<Store>, metrics: &Metrics) -> Analytics {
    match settings.analytics {
        Switch::On => Analytics::start(store.clone(), metrics.analytics_dropped.clone()),
        Switch::Off => Analytics::off(metrics.analytics_dropped.clone()),
    }
}

/// One search thread per core; a machine that cannot start threads cannot
/// serve at all.
fn search_pool() -> Arc<SearchPool> {
    SearchPool::per_core().unwrap_or_else(|e| panic!("cannot start the search pool: {e}"))
}

impl AppState {
    /// State over an open engine and store (embedded mode).
    pub fn new(engine: Arc<Engine>, settings: Arc<Settings>, store: Arc<Store>) -> Self {
        let metrics = Metrics::new();
        Self(Arc::new(Shared {
            analytics: analytics(&settings, &store, &metrics),
            engine,
            settings,
            metrics,
            db: Db::Sqlite(store.clone()),
            store,
            replica: None,
            limits: RateLimits::new(),
            deciding: Arc::default(),
            pool: search_pool(),
        }))
    }

    /// State of a cluster replica: PostgreSQL for the records, `engine`
    /// following its change log.
    pub fn cluster(
        engine: Arc<Engine>,
        settings: Arc<Settings>,
        store: Arc<Store>,
        pg: Arc<PgStore>,
        replica: Arc<ReplicaStatus>,
    ) -> Self {
        let metrics = Metrics::new();
        Self(Arc::new(Shared {
            analytics: analytics(&settings, &store, &metrics),
            engine,
            settings,
            metrics,
            db: Db::Postgres(pg),
            store,
            replica: Some(replica),
            limits: RateLimits::new(),
            deciding: Arc::default(),
            pool: search_pool(),
        }))
    }
}

impl AppState {
    /// Run blocking engine work on the search pool, off the async executor
    /// (see [`pool::blocking`]).
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Engine) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        pool::blocking(&self.pool, &self.engine, work).await
    }

    /// Run a search on the pool, sharing its segments over idle pool
    /// threads (see [`pool::search_on_pool`]).
    pub async fn search_on_pool(&self, req: &SearchRequest) -> Result<SearchResults, AppError> {
        pool::search_on_pool(&self.pool, &self.engine, req).await
    }
}
