//! What every server function starts with: the signed-in viewer and the role
//! checks. Permissions are decided here, on the server,
//! never by what a page chose to show.

use crate::accounts::session::{ACCOUNT_KEY, SEEN_KEY};
use crate::accounts::viewer::{Role, Viewer};
use crate::error::ApiError;
use crate::services::services;
use leptos::prelude::use_context;
use tower_sessions::Session;

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
    let Some(id) = session.get::<i32>(ACCOUNT_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    keep_alive(&session).await?;
    let services = services()?;
    // A disabled account's sessions were ended; one that raced the disabling
    // is refused all the same.
    Ok(crate::accounts::db::by_id(&services.db, id)
        .await?
        .filter(|a| a.disabled_at.is_none())
        .map(|a| a.viewer()))
}

/// Sessions end after a week without a visit. The session layer writes a
/// session (and renews its cookie) only when it changes, so the first visit of
/// each day changes it: one write a day, not one per request.
async fn keep_alive(session: &Session) -> Result<(), ApiError> {
    let today = today();
    if session.get::<i32>(SEEN_KEY).await.map_err(session_error)? != Some(today) {
        session.insert(SEEN_KEY, today).await.map_err(session_error)?;
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
        .get::<i32>(ACCOUNT_KEY)
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
    session.insert(ACCOUNT_KEY, account_id).await.map_err(session_error)?;
    session.insert(SEEN_KEY, today()).await.map_err(session_error)
}

pub async fn sign_out() -> Result<(), ApiError> {
    session().await?.flush().await.map_err(session_error)
}

/// The current session's id, kept when every other session of the account ends.
pub async fn session_id() -> Result<Option<tower_sessions::session::Id>, ApiError> {
    Ok(session().await?.id())
}

/// The address a request's limits count, as the server's client-address layer
/// found it (a request extension): the visitor's own address even behind the
/// trusted proxies, an IPv4 address whole, an IPv6 address as its /64 network
/// (one household or phone has a whole /64).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub std::net::IpAddr);

/// The client's address, for rate limits: the server's [`ClientAddress`], or
/// the connection's peer where no layer set one.
pub fn client_address() -> String {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            let extensions = &parts.extensions;
            extensions
                .get::<ClientAddress>()
                .map(|client| client.0.to_string())
                .or_else(|| {
                    extensions
                        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                        .map(|info| info.0.ip().to_string())
                })
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
