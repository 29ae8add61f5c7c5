//! What the round pages receive from the server: round summaries and facts,
//! proposal rows, a round's page of proposals and a whole proposal.

use crate::geography::Name;
use crate::geography::Place;
use crate::rounds::{BallotRule, Category, Phase, Status, TallyRule};
use serde::{Deserialize, Serialize};
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: i32,
    pub title: Name,
    pub area: Name,
    pub district: Name,
    pub phase: Phase,
    pub budget_rial: i64,
    pub opened: String,
    pub phase_since: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundInfo {
    pub summary: RoundSummary,
    pub ballot: BallotRule,
    pub tally: TallyRule,
    pub min_age: Option<i32>,
    pub max_proposals: i32,
    /// The neighborhoods the round covers.
    pub neighborhoods: Vec<Place>,
    /// The dates the office plans for its phases.
    pub plan: Vec<PlannedPhase>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalRow {
    pub id: i32,
    pub title: String,
    pub category: Category,
    pub neighborhood_id: i32,
    pub status: Status,
    pub official_cost_rial: Option<i64>,
    pub estimate_rial: Option<i64>,
    pub submitted: String,
    pub entered_at_office: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundData {
    pub round: RoundInfo,
    pub proposals: Vec<ProposalRow>,
    pub total: u64,
    /// Whether the visitor is signed in: a signed-out one is offered the way
    /// in instead of a proposal form they could not send.
    pub signed_in: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalData {
    pub id: i32,
    pub round_id: i32,
    pub round_title: Name,
    pub phase: Phase,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub neighborhood: Place,
    pub location: String,
    pub estimate_rial: Option<i64>,
    pub status: Status,
    pub official_cost_rial: Option<i64>,
    pub reject_reason: Option<String>,
    /// The project a duplicate was merged into: its id and title.
    pub merged_into: Option<(i32, String)>,
    pub submitted: String,
    /// Whether the viewer wrote it and may still change it.
    pub editable: bool,
    /// The neighborhoods the author may move it to, when editable.
    pub neighborhoods: Vec<Place>,
    pub entered_at_office: bool,
    /// What the office corrected during review, oldest first.
    pub corrections: Vec<Correction>,
    /// Whether the viewer's office may correct it now.
    pub correctable: bool,
}

/// One correction of a proposal by its office: when, and what changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub on: String,
    /// The title before and after, when it changed.
    pub title: Option<(String, String)>,
    /// The description before and after, when it changed.
    pub description: Option<(String, String)>,
}

/// One planned phase: its date as the page's language writes it, and as the
/// office's form shows it for editing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedPhase {
    pub phase: Phase,
    pub shown: String,
    pub typed: String,
}
