//! The server: configuration, database, HTTP and the command line's work.

pub mod admin;
pub mod answers;
pub mod api_body;
pub mod assets;
pub mod ballot_form;
pub mod busy;
pub mod client_ip;
pub mod config;
pub mod csrf;
pub mod database;
pub mod demo;
pub mod downloads;
pub mod form_redirect;
pub mod headers;
pub mod secret;
pub mod tally_command;
pub mod web;

use app::keys::Keys;
use app::password::Hasher;
use app::services::Services;
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
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{0}")]
    Refused(String),
    #[error("password hasher: {0}")]
    Hasher(app::password::HashError),
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
}

/// Everything `serve` needs before it accepts a connection: secret, database
/// (migrated), and optionally the demo data.
pub async fn prepare(config: &Config, demo: bool) -> Result<web::AppState, ServerError> {
    let db = database::connect(&config.database_url, config.db_pool).await?;
    database::migrate(&db).await?;
    if demo && demo::load(&db).await? {
        tracing::info!("demo data loaded");
    }
    Ok(web::AppState {
        leptos: web::leptos_options(&config.site_root, config.addr),
        assets: assets::site_assets(&config.site_root),
        services: services(config, db.clone())?,
        casting: app::voting::cast::Casting::open(&db),
        db,
        https: config.https,
        trusted_proxies: config.trusted_proxies.clone(),
        in_flight: busy::InFlight::new(config.max_in_flight),
    })
}

/// The services every request uses: database, keyed hashes, password hasher.
pub fn services(config: &Config, db: sea_orm::DatabaseConnection) -> Result<Services, ServerError> {
    let secret = Secret::load_or_create(&config.secret_file)?;
    // One argon2 hash at a time per core: more would only queue inside the CPU.
    let permits = std::thread::available_parallelism().map_or(2, usize::from);
    Ok(Services {
        db,
        keys: Keys::new(*secret.bytes()),
        hasher: Hasher::new(permits).map_err(ServerError::Hasher)?,
        https: config.https,
        counting: Default::default(),
        count_limit: config.count_limit,
    })
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: web::AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let db = state.db.clone();
    let purge = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(err) = app::accounts::session::purge_expired(&db).await {
                tracing::warn!(error = %err, "purging expired sessions");
            }
            if let Err(err) = app::accounts::throttle::purge_expired(&db).await {
                tracing::warn!(error = %err, "purging ended rate-limit windows");
            }
        }
    });
    axum::serve(
        listener,
        web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(ServerError::Serve)?;
    purge.abort();
    Ok(())
}
