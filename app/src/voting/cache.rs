//! The voting rounds this process has seen, read once: casting a ballot reads
//! no round and no project.

use crate::error::ApiError;
use crate::error::OrInternal;
use crate::rounds::Phase;
use crate::rounds::db as round;
use crate::rounds::db::Round;
use crate::rounds::proposal_db as proposals;
use crate::voting::ballot::Offer;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The projects on a round's ballot, with their official costs.
async fn offers(db: &DatabaseConnection, round_id: i32) -> Result<Vec<Offer>, ApiError> {
    proposals::projects(db, round_id)
        .await?
        .into_iter()
        .map(|p| {
            Ok(Offer {
                id: p.id,
                cost_rial: p
                    .official_cost_rial
                    .or_internal(|| format!("project {} has no official cost", p.id))?,
            })
        })
        .collect()
}

/// A round in its voting phase, as casting needs it.
#[derive(Debug)]
pub struct OpenRound {
    pub round: Round,
    pub offers: Vec<Offer>,
}

/// Rounds seen in their voting phase, by id. Nothing casting reads of them can
/// change while they vote (settings and projects are frozen from voting on),
/// so each is read once. One that has closed since stays here harmlessly: the
/// ballot table itself refuses its ballots (the trigger on SQLite, the round's
/// lock on PostgreSQL), whatever this process remembers.
#[derive(Clone, Debug, Default)]
pub struct VotingRounds(Arc<RwLock<HashMap<i32, Arc<OpenRound>>>>);

impl VotingRounds {
    pub async fn get(&self, db: &DatabaseConnection, id: i32) -> Result<Arc<OpenRound>, ApiError> {
        if let Some(open) = self.0.read().ok().and_then(|rounds| rounds.get(&id).cloned()) {
            return Ok(open);
        }
        let open = Arc::new(OpenRound {
            round: round::by_id(db, id).await?.ok_or(ApiError::NotFound)?,
            offers: offers(db, id).await?,
        });
        if open.round.phase == Phase::Voting
            && let Ok(mut rounds) = self.0.write()
        {
            rounds.insert(id, open.clone());
        }
        Ok(open)
    }
}
