//! What an office does to its rounds: open one, change its settings before
//! voting, move it to its next phase, and decide on its proposals. Every change
//! is audited in the same transaction.

// The two settings forms post one argument per field (more than clippy's
// usual seven).
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::accounts::audited::audited;
use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::rounds::load::own_round;
#[cfg(feature = "ssr")]
use crate::rounds::{BallotRule, Phase, TallyRule};

/// The settings form, checked.
#[cfg(feature = "ssr")]
fn settings(
    title_fa: &str,
    title_en: &str,
    budget: &str,
    ballot_rule: &str,
    ballot_param: &str,
    tally_rule: &str,
    min_age: &str,
    max_proposals: &str,
) -> Result<crate::rounds::db::Settings, ApiError> {
    use crate::rounds as round;
    Ok(crate::rounds::db::Settings {
        title_fa: round::round_title(title_fa)?,
        title_en: round::round_title(title_en)?,
        budget_rial: round::required_toman(budget)?,
        ballot: BallotRule::parse(ballot_rule, ballot_param)?,
        tally: TallyRule::from_tag(tally_rule).ok_or(ApiError::TallyRuleInvalid)?,
        min_age: round::parse_count(min_age, 1..=120, ApiError::MinAgeInvalid)?,
        max_proposals: round::parse_count(
            max_proposals,
            1..=round::PROPOSALS_PER_RESIDENT_MAX,
            ApiError::ProposalLimitInvalid,
        )?
        .unwrap_or(round::DEFAULT_PROPOSALS_PER_RESIDENT),
    })
}

#[leptos::server(endpoint = "create-round")]
pub async fn create_round(
    area_id: i32,
    title_fa: String,
    title_en: String,
    budget: String,
    ballot_rule: String,
    ballot_param: String,
    tally_rule: String,
    min_age: String,
    max_proposals: String,
) -> Result<i32, ApiError> {
    use crate::accounts::audit;
    use crate::geography::db as area;
    use crate::rounds::db as round;

    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let in_district =
        area_id == district_id || area::district_of_neighborhood(&db, area_id).await? == Some(district_id);
    if !in_district {
        return Err(ApiError::AreaInvalid);
    }
    let settings = settings(
        &title_fa,
        &title_en,
        &budget,
        &ballot_rule,
        &ballot_param,
        &tally_rule,
        &min_age,
        &max_proposals,
    )?;
    let id = audited(
        &db,
        crate::accounts::audit::Entry::new(
            Some(viewer.id),
            audit::Action::CreateRound,
            Some(district_id),
            format!("area:{area_id}"),
        ),
        async |txn, _| Ok(round::create(txn, area_id, district_id, viewer.id, settings).await?),
    )
    .await?;
    leptos_axum::redirect(&format!("/office/rounds/{id}"));
    Ok(id)
}

#[leptos::server(endpoint = "edit-round")]
pub async fn edit_round(
    id: i32,
    title_fa: String,
    title_en: String,
    budget: String,
    ballot_rule: String,
    ballot_param: String,
    tally_rule: String,
    min_age: String,
    max_proposals: String,
) -> Result<(), ApiError> {
    use crate::accounts::audit;
    use crate::rounds::db as round;

    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let r = own_round(&db, district_id, id).await?;
    if r.phase.rules_frozen() {
        return Err(ApiError::RulesFrozen);
    }
    let settings = settings(
        &title_fa,
        &title_en,
        &budget,
        &ballot_rule,
        &ballot_param,
        &tally_rule,
        &min_age,
        &max_proposals,
    )?;
    audited(
        &db,
        crate::accounts::audit::Entry::new(
            Some(viewer.id),
            audit::Action::EditRound,
            Some(district_id),
            format!("round:{id}"),
        ),
        async |txn, _| {
            if round::update_settings(txn, id, district_id, settings).await? {
                Ok(())
            } else {
                Err(ApiError::RulesFrozen)
            }
        },
    )
    .await
}

/// Moves round `id` of `district_id` to its next phase `to` for staff member
/// `actor`, audited; returns the round when that closed voting, for its count.
#[cfg(feature = "ssr")]
pub async fn advance(
    db: &sea_orm::DatabaseConnection,
    actor: i32,
    district_id: i32,
    id: i32,
    to: &str,
) -> Result<Option<crate::rounds::db::Round>, ApiError> {
    use crate::accounts::audit;
    use crate::rounds::db as round;

    let r = own_round(db, district_id, id).await?;
    let from = r.phase;
    let to = Phase::from_tag(to.trim()).ok_or(ApiError::PhaseOrder)?;
    if !from.can_move_to(to) {
        return Err(ApiError::PhaseOrder);
    }
    audited(
        db,
        crate::accounts::audit::Entry::new(
            Some(actor),
            audit::Action::AdvancePhase,
            Some(district_id),
            format!("round:{id} {}->{}", from.tag(), to.tag()),
        ),
        async |txn, _| {
            // Conditional on the phase it was read in: of two clicks, one moves it.
            if round::advance(txn, id, district_id, from, to).await? {
                Ok(())
            } else {
                Err(ApiError::PhaseOrder)
            }
        },
    )
    .await?;
    if to == Phase::Closed {
        Ok(Some(crate::rounds::load::round(db, id).await?))
    } else {
        Ok(None)
    }
}

/// Applies an office's decision on proposal `id` of a round of the staff
/// member's district that is under review.
/// A proposal of a round under review, and the staff member of its office
/// acting on it.
#[cfg(feature = "ssr")]
struct UnderReview {
    viewer: crate::accounts::viewer::Viewer,
    district_id: i32,
    db: sea_orm::DatabaseConnection,
    p: crate::rounds::proposal_db::proposal::Model,
    r: crate::rounds::db::Round,
}

/// Proposal `id`, if the signed-in staff member's office reviews it now.
#[cfg(feature = "ssr")]
async fn under_review(id: i32) -> Result<UnderReview, ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let p = crate::rounds::proposal_db::proposal_by_id(&db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let r = own_round(&db, district_id, p.round_id).await?;
    if r.phase != Phase::Review {
        return Err(ApiError::WrongPhase);
    }
    Ok(UnderReview {
        viewer,
        district_id,
        db,
        p,
        r,
    })
}

#[cfg(feature = "ssr")]
async fn decide(
    id: i32,
    decision: crate::rounds::proposal_db::Decision,
    action: crate::accounts::audit::Action,
    reason: &str,
) -> Result<(), ApiError> {
    use crate::rounds::proposal_db as proposals;
    let UnderReview {
        viewer,
        district_id,
        db,
        p,
        r,
    } = under_review(id).await?;
    let subject = match &decision {
        proposals::Decision::Merge { into } => {
            let target = proposals::proposal_by_id(&db, *into).await?;
            let fits = target
                .is_some_and(|t| t.id != id && t.round_id == p.round_id && t.status == crate::rounds::Status::Accepted);
            if !fits {
                return Err(ApiError::MergeTargetInvalid.in_review_row(id));
            }
            format!("proposal:{id} into:{into}")
        }
        proposals::Decision::Accept { cost_rial } => {
            // A project that alone costs more than the budget can never be
            // funded, and makes equal shares' completion run for a very long time.
            if *cost_rial > r.budget_rial {
                return Err(ApiError::CostOverBudget.in_review_row(id));
            }
            format!("proposal:{id} cost-rial:{cost_rial}")
        }
        proposals::Decision::Reject { .. } => format!("proposal:{id}"),
    };
    audited(
        &db,
        crate::accounts::audit::Entry::new(Some(viewer.id), action, Some(district_id), subject).because(reason),
        async |txn, _| {
            if proposals::decide(txn, id, district_id, decision).await? {
                Ok(())
            } else {
                Err(ApiError::WrongPhase)
            }
        },
    )
    .await
}

#[leptos::server(endpoint = "accept-proposal")]
pub async fn accept_proposal(id: i32, cost: String) -> Result<(), ApiError> {
    let cost_rial = crate::rounds::required_toman(&cost).map_err(|e| e.in_review_row(id))?;
    decide(
        id,
        crate::rounds::proposal_db::Decision::Accept { cost_rial },
        crate::accounts::audit::Action::AcceptProposal,
        "",
    )
    .await
}

#[leptos::server(endpoint = "reject-proposal")]
pub async fn reject_proposal(id: i32, reason: String) -> Result<(), ApiError> {
    let reason = reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::ReasonRequired.in_review_row(id));
    }
    decide(
        id,
        crate::rounds::proposal_db::Decision::Reject { reason: reason.clone() },
        crate::accounts::audit::Action::RejectProposal,
        &reason,
    )
    .await
}

#[leptos::server(endpoint = "merge-proposal")]
pub async fn merge_proposal(id: i32, into: i32) -> Result<(), ApiError> {
    decide(
        id,
        crate::rounds::proposal_db::Decision::Merge { into },
        crate::accounts::audit::Action::MergeProposal,
        "",
    )
    .await
}

/// Corrects the title and description of a proposal under review (typos,
/// not its substance); the proposal's page shows what changed.
#[leptos::server(endpoint = "correct-proposal")]
pub async fn correct_proposal(id: i32, title: String, description: String) -> Result<(), ApiError> {
    use crate::accounts::audit::{Action, Entry};
    use crate::rounds::proposal_db as proposals;
    let UnderReview {
        viewer,
        district_id,
        db,
        p,
        ..
    } = under_review(id).await?;
    let title = crate::rounds::proposal_title(&title)?;
    let description = crate::rounds::proposal_description(&description)?;
    if title == p.title && description == p.description {
        return Ok(());
    }
    audited(
        &db,
        Entry::new(
            Some(viewer.id),
            Action::CorrectProposal,
            Some(district_id),
            format!("proposal:{id}"),
        ),
        async |txn, _| {
            if proposals::correct(txn, id, district_id, title, description).await? {
                Ok(())
            } else {
                Err(ApiError::WrongPhase)
            }
        },
    )
    .await
}
