//! Building the application and serving it.

use std::sync::Arc;

use axum::Router;
use tower_http::trace::TraceLayer;

use crate::routes;
use crate::search::Engine;
use crate::settings::Settings;
use crate::store::Store;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The search engine.
    pub engine: Arc<Engine>,
    /// Settings the server started with.
    pub settings: Arc<Settings>,
    /// Submission queue, accounts, keys and audit log.
    pub store: Arc<Store>,
}

/// The whole application as a router, ready for `oneshot` in tests or serving.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(routes::api::router())
        .merge(routes::submissions::router())
        .merge(routes::moderation::router())
        .merge(routes::account::router())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Open the engine (building the index as needed) and serve until Ctrl-C or SIGTERM.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let (corpus, data) = (settings.corpus.clone(), settings.data.clone());
    let engine = tokio::task::spawn_blocking(move || Engine::open(&corpus, &data)).await??;
    let store = Store::open_in(&settings.data)?;
    let listener = tokio::net::TcpListener::bind(settings.bind).await?;
    tracing::info!(address = %listener.local_addr()?, resources = engine.num_docs(), "serving");
    let state = AppState {
        engine: Arc::new(engine),
        settings: Arc::new(settings),
        store: Arc::new(store),
    };
    // Connect info gives handlers the client address for rate limits.
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
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
