//! Building the application and serving it: the router (`app`), opening the
//! engine and store (`serve`), and the HTTP/1 accept loop (`serve_http`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::cluster::ReplicaStatus;
use crate::error::AppError;
use crate::search::Engine;
use crate::settings::Settings;
use crate::state::AppState;
use crate::store::{PgStore, Store};
use crate::{middleware, routes};
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::Service;

/// The whole application as a router, ready for `oneshot` in tests or serving.
pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .merge(routes::api::router())
        .merge(routes::health::router())
        .merge(routes::pages::router())
        .merge(routes::oai::router())
        .merge(routes::feeds::router())
        .merge(routes::exports::router())
        .merge(routes::openapi::router())
        .merge(routes::submissions::router())
        .merge(routes::moderation::router())
        .merge(routes::account::router())
        .merge(routes::analytics::router())
        .merge(routes::personal::router())
        // After every route is in: a known address with an unknown method.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::keys::enforce,
        ));
    let layered = middleware::apply(router, state.metrics.clone(), &state.settings)
        // Outermost, so that every page, error page (the layers' included)
        // and fallback renders in the request's language.
        .layer(axum::middleware::from_fn(crate::i18n::negotiate));
    layered.with_state(state)
}

/// A known address asked with a method it does not take: `405` through the
/// error table (the router adds the `Allow` header).
async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> AppError {
    AppError::MethodNotAllowed(format!(
        "{} does not take {method}; the Allow header lists the methods it takes",
        uri.path()
    ))
}

/// Unknown paths: a JSON error under `/api/`, the HTML "not found" page elsewhere.
async fn fallback(
    state: axum::extract::State<AppState>,
    uri: axum::http::Uri,
) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        let error =
            crate::error::AppError::NotFound(format!("there is no API route {}", uri.path()));
        return axum::response::IntoResponse::into_response(error);
    }
    routes::pages::not_found(state, uri).await
}

/// Open the engine (building the index as needed) and serve until Ctrl-C or SIGTERM.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    if let Some(url) = settings.database_url.clone() {
        return serve_replica(settings, url).await;
    }
    let (corpus, data) = (settings.corpus.clone(), settings.data.clone());
    let engine = tokio::task::spawn_blocking(move || Engine::open(&corpus, &data)).await??;
    let store = Store::open_in(&settings.data)?;
    let listener = tokio::net::TcpListener::bind(settings.bind).await?;
    tracing::info!(address = %listener.local_addr()?, resources = engine.num_docs(), "serving");
    let header_read_timeout = settings.header_read_timeout();
    let engine = Arc::new(engine);
    if engine.catching_up() {
        let engine = engine.clone();
        std::thread::spawn(move || engine.catch_up());
    }
    let state = AppState::new(engine, Arc::new(settings), Arc::new(store));
    let _retention = routes::personal::spawn_retention(&state);
    serve_http(listener, app(state), header_read_timeout, shutdown_signal()).await;
    Ok(())
}

/// Cluster mode: connect to PostgreSQL (migrating it), open this replica's
/// index, follow the change log on a thread of its own, and serve.
async fn serve_replica(settings: Settings, url: String) -> anyhow::Result<()> {
    let pg = Arc::new(PgStore::connect(&url).await?);
    let (corpus, data) = (settings.corpus.clone(), settings.data.clone());
    let engine =
        Arc::new(tokio::task::spawn_blocking(move || Engine::open_replica(&corpus, &data)).await??);
    let store = Store::open_in(&settings.data)?;
    let status = Arc::new(ReplicaStatus::default());
    {
        let (engine, status) = (engine.clone(), status.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("replication".into())
            .spawn(move || runtime.block_on(crate::cluster::follow(engine, url, status)))?;
    }
    let listener = tokio::net::TcpListener::bind(settings.bind).await?;
    tracing::info!(
        address = %listener.local_addr()?,
        applied = engine.applied_seq(),
        "serving as a cluster replica"
    );
    let header_read_timeout = settings.header_read_timeout();
    let state = AppState::cluster(engine, Arc::new(settings), Arc::new(store), pg, status);
    serve_http(listener, app(state), header_read_timeout, shutdown_signal()).await;
    Ok(())
}

/// How long shutdown waits for requests in flight before closing anyway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(20);

/// Accept connections until `shutdown`, each served on its own task with
/// HTTP/1.1, then let requests in flight finish (up to [`DRAIN_TIMEOUT`]).
///
/// This is `axum::serve` plus what it cannot set: a client must send its
/// request headers within `header_read_timeout` or its connection is closed,
/// so clients that dribble bytes cannot hold connections (and memory) for ever.
pub async fn serve_http(
    listener: TcpListener,
    router: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    // Connect info gives handlers the client address for rate limits.
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: pause rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let Ok(service) = make_service.call(peer).await;
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after {DRAIN_TIMEOUT:?}; closing anyway");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
