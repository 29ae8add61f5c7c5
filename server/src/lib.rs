//! The server: configuration, database, HTTP and the command line's work.

pub mod config;
pub mod database;
pub mod demo;
pub mod secret;
pub mod tally_command;
pub mod web;

use config::Config;
use secret::{Secret, SecretError};
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tally(#[from] tally_command::TallyCommandError),
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
}

/// Everything `serve` needs before it accepts a connection: secret, database
/// (migrated), and optionally the demo data.
pub async fn prepare(config: &Config, demo: bool) -> Result<web::AppState, ServerError> {
    let _secret = Secret::load_or_create(&config.secret_file)?;
    let db = database::connect(&config.database_url).await?;
    database::migrate(&db).await?;
    if demo && demo::load(&db).await? {
        tracing::info!("demo data loaded");
    }
    Ok(web::AppState {
        leptos: web::leptos_options(&config.site_root, config.addr),
        db,
    })
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: web::AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    axum::serve(
        listener,
        web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(ServerError::Serve)
}
