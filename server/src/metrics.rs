//! Prometheus metrics: request counts and latency histograms by route and
//! status, plus index and process gauges read at scrape time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

/// Shared metric handles; cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    /// Searchable resources.
    pub documents: Gauge,
    /// Index size on disk, in bytes.
    pub index_bytes: Gauge,
    /// Unix time of the last index commit seen.
    pub last_commit: Gauge,
    /// Analytics events dropped because the writer's queue was full.
    pub analytics_dropped: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Register every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("kb");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ])
        });
        let documents = Gauge::default();
        let index_bytes = Gauge::default();
        let last_commit = Gauge::default();
        let analytics_dropped = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register("index_documents", "Searchable resources", documents.clone());
        registry.register(
            "index_size_bytes",
            "Index size on disk",
            index_bytes.clone(),
        );
        registry.register(
            "index_last_commit_timestamp_seconds",
            "Time of the last index commit",
            last_commit.clone(),
        );
        registry.register(
            "analytics_dropped",
            "Search analytics events dropped because the writer was behind",
            analytics_dropped.clone(),
        );
        Self {
            registry: Arc::new(Mutex::new(registry)),
            analytics_dropped,
            requests,
            latency,
            documents,
            index_bytes,
            last_commit,
        }
    }

    /// Count one answered request.
    pub fn observe(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_string(),
                route: route.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.to_string(),
                route: route.to_string(),
            })
            .observe(took.as_secs_f64());
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Ok(registry) = self.registry.lock() {
            let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        }
        out
    }
}
