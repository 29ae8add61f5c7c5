//! What an office does with the results of its rounds: move a round to its
//! next phase (closing voting counts it), count again, publish the draft,
//! publish a correction, and report what the funded projects have become.
//! Every step is checked against the staff member's district and the round's
//! phase on the server, and audit-logged.

use crate::error::ApiError;
use crate::geography::Place;
use crate::results::snapshot::Snapshot;
use crate::results::views::ProgressView;
use crate::rounds::Phase;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeResultData {
    pub phase: Phase,
    /// The newest count, published or not.
    pub latest: Option<Snapshot>,
    pub progress: Vec<ProgressView>,
    /// From voting on: voters and verified residents per neighborhood, never
    /// anyone's choices.
    pub turnout: Vec<Turnout>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turnout {
    pub place: Place,
    pub voters: i64,
    pub residents: i64,
}

/// Moves a round of the staff member's district to its next phase `to`; when
/// that closes voting, counts the round for the office to review.
#[leptos::server(endpoint = "advance-phase")]
pub async fn advance_phase(id: i32, to: String) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let services = crate::services::services()?;
    let closed = crate::rounds::office_actions::advance(&services.db, viewer.id, district_id, id, &to).await?;
    if let Some(closed) = closed {
        // Ballots are final now: count them for the office to review. Should
        // this fail, the round page offers to count again.
        if let Err(err) = crate::results::count::draft(&services, &closed, viewer.id).await {
            tracing::warn!(round = id, error = %err, "counting a round as it closed failed");
        }
    }
    Ok(())
}

#[leptos::server(endpoint = "office-result")]
pub async fn office_result(id: i32) -> Result<OfficeResultData, ApiError> {
    let (_, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let r = crate::rounds::load::own_round(&db, district_id, id).await?;
    let phase = r.phase;
    let latest = crate::results::count::latest_draft(&db, id).await?;
    let progress = if phase == Phase::Published {
        crate::results::load::progress(&db, &r, latest.as_ref()).await?
    } else {
        Vec::new()
    };
    let turnout = if phase >= Phase::Voting {
        crate::results::turnout::turnout(&db, &r)
            .await?
            .into_iter()
            .map(|(n, voters, residents)| Turnout {
                place: Place {
                    id: n.id,
                    name: n.name(),
                },
                voters,
                residents,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(OfficeResultData {
        phase,
        latest,
        progress,
        turnout,
    })
}

/// Counts a closed round whose count did not happen when it closed.
#[leptos::server(endpoint = "count-round")]
pub async fn count_round(id: i32) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let services = crate::services::services()?;
    let r = crate::rounds::load::own_round(&services.db, district_id, id).await?;
    crate::results::count::draft(&services, &r, viewer.id).await
}

#[leptos::server(endpoint = "publish-result")]
pub async fn publish_result(id: i32) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let services = crate::services::services()?;
    let r = crate::rounds::load::own_round(&services.db, district_id, id).await?;
    crate::results::count::publish(&services, &r, viewer.id).await
}

/// Publishes a correction; `set_aside` lists receipts of ballots found invalid,
/// separated by spaces, commas or lines.
#[leptos::server(endpoint = "correct-result")]
pub async fn correct_result(id: i32, reason: String, set_aside: String) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let reason = reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::ReasonRequired);
    }
    let services = crate::services::services()?;
    let r = crate::rounds::load::own_round(&services.db, district_id, id).await?;
    let mut excluded = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in set_aside
        .split([',', '،', '\n', '\r', ' '])
        .filter(|s| !s.trim().is_empty())
    {
        let receipt =
            crate::code::normalize(item, crate::voting::ballot::RECEIPT_LENGTH).ok_or(ApiError::ReceiptInvalid)?;
        if crate::voting::db::round_of_receipt(&services.db, &receipt).await? != Some(id) {
            return Err(ApiError::ReceiptUnknown);
        }
        if seen.insert(receipt.clone()) {
            excluded.push(receipt);
        }
    }
    crate::results::count::correct(
        &services,
        &r,
        viewer.id,
        crate::results::count::Correction { reason, excluded },
    )
    .await
}

#[leptos::server(endpoint = "record-progress")]
pub async fn record_progress(
    project: i32,
    stage: String,
    percent: String,
    spent: String,
    note: String,
) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let p = crate::rounds::proposal_db::proposal_by_id(&db, project)
        .await?
        .ok_or(ApiError::NotFound)?;
    let r = crate::rounds::load::own_round(&db, district_id, p.round_id).await?;
    let funded = crate::results::count::published(&db, r.id)
        .await?
        .first()
        .is_some_and(|newest| newest.snapshot.winners.contains(&project));
    if !funded {
        return Err(ApiError::NotFunded);
    }
    let update = crate::results::progress::Update::parse(&stage, &percent, &spent, &note)?;
    let subject = format!(
        "proposal:{project} stage:{} percent:{} spent-rial:{}",
        update.stage.tag(),
        update.percent,
        update.spent_rial
    );
    let reason = update.note.clone();
    crate::accounts::audited::audited(
        &db,
        crate::accounts::audit::Entry::new(
            Some(viewer.id),
            crate::accounts::audit::Action::RecordProgress,
            Some(district_id),
            subject,
        )
        .because(reason),
        async |txn, _| Ok(crate::results::progress_db::record(txn, r.id, project, viewer.id, update).await?),
    )
    .await
}
