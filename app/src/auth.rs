//! What every server function starts with: the shared services, the signed-in
//! viewer, and the role checks. Permissions are decided here, on the server,
//! never by what a page chose to show.

use crate::db;
use crate::error::ApiError;
use crate::keys::Keys;
use crate::password::Hasher;
use crate::viewer::{Role, Viewer};
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;
use tower_sessions::Session;

/// What the server hands every request: the database, the keyed hashes and the
/// password hasher.
#[derive(Clone, Debug)]
pub struct Services {
    pub db: DatabaseConnection,
    pub keys: Keys,
    pub hasher: Hasher,
    /// On SQLite, the queue that files ballots in groups (see [`crate::ballot_box`]);
    /// `None` on PostgreSQL.
    pub ballot_box: Option<crate::ballot_box::BallotBox>,
    /// Rounds seen voting, read once: casting a ballot reads no round or project.
    pub voting_rounds: crate::voting::VotingRounds,
}

impl Services {
    /// The argon2id hash of a new password; failures are logged here, once.
    pub async fn hash_password(&self, password: String) -> Result<String, ApiError> {
        self.hasher.hash(password).await.map_err(|err| {
            tracing::error!(error = %err, "password hashing");
            ApiError::Internal
        })
    }

    /// Whether `password` matches `hash` (no hash: an unknown account, never matches).
    pub async fn password_matches(&self, password: String, hash: Option<String>) -> Result<bool, ApiError> {
        self.hasher.verify(password, hash).await.map_err(|err| {
            tracing::error!(error = %err, "password verification");
            ApiError::Internal
        })
    }
}

pub fn services() -> Result<Services, ApiError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("services missing from the request context");
        ApiError::Internal
    })
}

pub async fn session() -> Result<Session, ApiError> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(error = %err, "session layer missing");
        ApiError::Internal
    })
}

fn session_error(err: tower_sessions::session::Error) -> ApiError {
    tracing::error!(error = %err, "session store");
    ApiError::Unavailable
}

/// The signed-in viewer, if any.
pub async fn viewer() -> Result<Option<Viewer>, ApiError> {
    let session = session().await?;
    let Some(id) = session
        .get::<i32>(db::session::ACCOUNT_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    keep_alive(&session).await?;
    let services = services()?;
    Ok(db::account::by_id(&services.db, id).await?.map(|a| a.viewer()))
}

/// Sessions end after a week without a visit. The session layer writes a
/// session (and renews its cookie) only when it changes, so the first visit of
/// each day changes it: one write a day, not one per request.
async fn keep_alive(session: &Session) -> Result<(), ApiError> {
    let today = today();
    if session.get::<i32>(db::session::SEEN_KEY).await.map_err(session_error)? != Some(today) {
        session
            .insert(db::session::SEEN_KEY, today)
            .await
            .map_err(session_error)?;
    }
    Ok(())
}

/// Today, as days since the common era began.
fn today() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().date_naive().num_days_from_ce()
}

/// The signed-in account's id, read from the session alone: for busy paths
/// whose own queries find nothing for an account that does not exist.
pub async fn signed_in_id() -> Result<i32, ApiError> {
    account_of(&session().await?).await
}

/// The account id a session is signed in as (also for plain form posts).
pub async fn account_of(session: &Session) -> Result<i32, ApiError> {
    session
        .get::<i32>(db::session::ACCOUNT_KEY)
        .await
        .map_err(session_error)?
        .ok_or(ApiError::NotSignedIn)
}

pub async fn require_signed_in() -> Result<Viewer, ApiError> {
    viewer().await?.ok_or(ApiError::NotSignedIn)
}

pub async fn require_admin() -> Result<Viewer, ApiError> {
    let viewer = require_signed_in().await?;
    if viewer.role == Role::Admin {
        Ok(viewer)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Staff of a district office, with the district they manage.
pub async fn require_staff() -> Result<(Viewer, i32), ApiError> {
    let viewer = require_signed_in().await?;
    match (viewer.role, viewer.district_id) {
        (Role::Staff, Some(district)) => Ok((viewer, district)),
        _ => Err(ApiError::Forbidden),
    }
}

/// Starts a signed-in session with a fresh id, so that an id planted before
/// sign-in is worthless afterwards.
pub async fn sign_in(account_id: i32) -> Result<(), ApiError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(db::session::ACCOUNT_KEY, account_id)
        .await
        .map_err(session_error)?;
    session
        .insert(db::session::SEEN_KEY, today())
        .await
        .map_err(session_error)
}

pub async fn sign_out() -> Result<(), ApiError> {
    session().await?.flush().await.map_err(session_error)
}

/// The current session's id, kept when every other session of the account ends.
pub async fn session_id() -> Result<Option<tower_sessions::session::Id>, ApiError> {
    Ok(session().await?.id())
}

/// The client's address, for rate limits.
pub fn client_address() -> String {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
