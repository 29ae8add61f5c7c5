//! What the result pages receive from the server: the published versions, the
//! progress of funded projects and the whole results page.

use crate::results::progress::Update;
use crate::results::snapshot::Snapshot;
use crate::rounds::views::RoundInfo;
use serde::{Deserialize, Serialize};

/// One published version of a round's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub version: i32,
    pub published: String,
    /// Why a correction was published; empty for the first result.
    pub reason: String,
    pub snapshot: Snapshot,
}

/// A dated progress update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateView {
    pub update: Update,
    pub at: String,
}

/// A funded project and what has become of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    pub project_id: i32,
    pub title: String,
    pub cost_rial: u64,
    /// Oldest first; the last is the project's state.
    pub updates: Vec<UpdateView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsData {
    pub round: RoundInfo,
    /// Newest first; empty until the result is published.
    pub versions: Vec<VersionView>,
    pub progress: Vec<ProgressView>,
}
