//! What a tally returns, ready to cross the wire.

use super::{Round, Support};
use num_rational::BigRational;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Indices into the round's projects, in selection order.
    pub winners: Vec<usize>,
    /// One entry per project of the round, in the round's order.
    pub projects: Vec<ProjectResult>,
    pub budget: u64,
    pub budget_used: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectResult {
    pub id: String,
    pub cost: u64,
    /// Ballots that support the project.
    pub votes: u64,
    /// Points it received (equal to `votes` for approval ballots).
    pub points: u64,
    pub funded: bool,
    /// For projects funded by equal shares: who paid and how much.
    pub share: Option<Share>,
}

/// How the supporters of a project funded by equal shares paid for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Supporters who paid a positive amount.
    pub payers: u64,
    /// What each supporter who could afford it paid (per point on cumulative ballots), in money
    /// units; the others paid everything they had left.
    pub per_supporter: Fraction,
}

/// An exact non-negative fraction, digits as decimal strings so that any size fits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fraction {
    pub numerator: String,
    pub denominator: String,
}

impl From<&BigRational> for Fraction {
    fn from(value: &BigRational) -> Self {
        Fraction {
            numerator: value.numer().to_string(),
            denominator: value.denom().to_string(),
        }
    }
}

impl Outcome {
    pub(crate) fn new(
        round: &Round,
        support: &Support,
        winners: Vec<usize>,
        shares: Option<Vec<Option<Share>>>,
    ) -> Self {
        let mut projects: Vec<ProjectResult> = round
            .projects
            .iter()
            .enumerate()
            .map(|(index, project)| ProjectResult {
                id: project.id.clone(),
                cost: project.cost,
                votes: support.votes[index],
                points: support.points[index],
                funded: false,
                share: None,
            })
            .collect();
        let mut shares = shares.unwrap_or_default();
        shares.resize(projects.len(), None);
        for &winner in &winners {
            projects[winner].funded = true;
            projects[winner].share = shares[winner].take();
        }
        let budget_used = winners
            .iter()
            .fold(0u64, |used, &w| used.saturating_add(round.projects[w].cost));
        Outcome {
            winners,
            projects,
            budget: round.budget,
            budget_used,
        }
    }

    /// The winners' ids in selection order.
    pub fn winner_ids(&self) -> impl Iterator<Item = &str> {
        self.winners.iter().map(|&w| self.projects[w].id.as_str())
    }
}
