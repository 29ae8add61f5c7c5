//! The process-wide services every server function reaches through the
//! request's context: the database, the keyed hashes and the password hasher.
//! Its members know nothing of it, and it knows nothing of the features: what
//! one feature keeps for the life of the process (voting's ballot box and
//! rounds) is that feature's own.

use crate::error::ApiError;
use crate::keys::Keys;
use crate::password::Hasher;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

/// What the server hands every request: the database, the keyed hashes and the
/// password hasher.
#[derive(Clone, Debug)]
pub struct Services {
    pub db: DatabaseConnection,
    pub keys: Keys,
    pub hasher: Hasher,
    /// Whether visitors reach the site over HTTPS: cookies the server functions
    /// set are then `Secure`.
    pub https: bool,
    /// The rounds this process is counting: one count at a time per round.
    pub counting: std::sync::Arc<std::sync::Mutex<Vec<i32>>>,
    /// How long a count may run before it is stopped with an error.
    pub count_limit: std::time::Duration,
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

/// The services of the current request.
pub fn services() -> Result<Services, ApiError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("services missing from the request context");
        ApiError::Internal
    })
}
