//! The process-wide services every server function reaches through the
//! request's context: the database, the keyed hashes, the password hasher, the
//! ballot box and the cache of voting rounds. Its members know nothing of it.

use crate::accounts::password::Hasher;
use crate::error::ApiError;
use crate::keys::Keys;
use crate::voting::ballot_box::BallotBox;
use crate::voting::cache::VotingRounds;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

/// What the server hands every request: the database, the keyed hashes and the
/// password hasher.
#[derive(Clone, Debug)]
pub struct Services {
    pub db: DatabaseConnection,
    pub keys: Keys,
    pub hasher: Hasher,
    /// On SQLite, the queue that files ballots in groups (see [`crate::voting::ballot_box`]);
    /// `None` on PostgreSQL.
    pub ballot_box: Option<BallotBox>,
    /// Rounds seen voting, read once: casting a ballot reads no round or project.
    pub voting_rounds: VotingRounds,
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
