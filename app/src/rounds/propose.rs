//! What verified residents do with proposals: submit one while the round
//! takes proposals, within the per-resident limit, and edit their own until
//! review starts; and what an office enters for a resident at its desk.

// The office's desk form posts one argument per field (more than clippy's
// usual seven).
#![allow(clippy::too_many_arguments)]

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::rounds::load;
#[cfg(feature = "ssr")]
use crate::rounds::{Category, Phase, Status};
/// What a resident typed, checked; `covered` are the round's neighborhoods.
#[cfg(feature = "ssr")]
fn draft(
    covered: &[crate::geography::db::Model],
    title: &str,
    description: &str,
    category: &str,
    neighborhood_id: i32,
    location: &str,
    estimate: &str,
) -> Result<crate::rounds::proposal_db::Draft, ApiError> {
    let title = crate::rounds::proposal_title(title)?;
    let description = crate::rounds::proposal_description(description)?;
    let category = Category::from_tag(category).ok_or(ApiError::CategoryInvalid)?;
    if !covered.iter().any(|n| n.id == neighborhood_id) {
        return Err(ApiError::NeighborhoodInvalid);
    }
    Ok(crate::rounds::proposal_db::Draft {
        neighborhood_id,
        title,
        description,
        category,
        location: crate::rounds::location(location)?,
        estimate_rial: crate::rounds::parse_toman(estimate)?,
    })
}

#[leptos::server(endpoint = "submit-proposal")]
pub async fn submit_proposal(
    round_id: i32,
    title: String,
    description: String,
    category: String,
    neighborhood_id: i32,
    location: String,
    estimate: String,
) -> Result<i32, ApiError> {
    use crate::rounds::db as round;
    use crate::rounds::proposal_db as proposals;
    use crate::verification::db as verification;
    use sea_orm::TransactionTrait;
    let viewer = crate::accounts::auth::require_signed_in().await?;
    let db = crate::services::services()?.db;
    let person = verification::of_account(&db, viewer.id)
        .await?
        .ok_or(ApiError::NotVerified)?;
    let r = load::round(&db, round_id).await?;
    let covered = load::covered(&db, &r).await?;
    if !covered.iter().any(|n| n.id == person.neighborhood_id) {
        return Err(ApiError::OutsideRound);
    }
    if r.phase != Phase::Proposals {
        return Err(ApiError::WrongPhase);
    }
    let draft = draft(
        &covered,
        &title,
        &description,
        &category,
        neighborhood_id,
        &location,
        &estimate,
    )?;
    let txn = db.begin().await?;
    if !round::hold(&txn, round_id, Phase::Proposals).await? {
        return Err(ApiError::WrongPhase);
    }
    if !proposals::take_quota(&txn, round_id, viewer.id, r.max_proposals).await? {
        return Err(ApiError::ProposalLimit);
    }
    let id = proposals::insert_proposal(&txn, round_id, viewer.id, false, draft).await?;
    txn.commit().await?;
    leptos_axum::redirect(&format!("/proposals/{id}"));
    Ok(id)
}

#[leptos::server(endpoint = "edit-proposal")]
pub async fn edit_proposal(
    id: i32,
    title: String,
    description: String,
    category: String,
    neighborhood_id: i32,
    location: String,
    estimate: String,
) -> Result<(), ApiError> {
    use crate::rounds::proposal_db as proposals;
    let viewer = crate::accounts::auth::require_signed_in().await?;
    let db = crate::services::services()?.db;
    let p = proposals::proposal_by_id(&db, id).await?.ok_or(ApiError::NotFound)?;
    if p.author_id != viewer.id {
        return Err(ApiError::Forbidden);
    }
    let r = load::round(&db, p.round_id).await?;
    if r.phase != Phase::Proposals || p.status != Status::Submitted {
        return Err(ApiError::WrongPhase);
    }
    let draft = draft(
        &load::covered(&db, &r).await?,
        &title,
        &description,
        &category,
        neighborhood_id,
        &location,
        &estimate,
    )?;
    // One conditional statement: it changes nothing if review began meanwhile.
    if !proposals::update_own(&db, id, viewer.id, draft).await? {
        return Err(ApiError::WrongPhase);
    }
    Ok(())
}

/// Enters a proposal for a resident who came to the office's desk: marked as
/// entered at the office, not counted against anyone's limit, and audited
/// with who asked for it (`resident`, kept in the audit log only).
#[leptos::server(endpoint = "enter-proposal")]
pub async fn enter_proposal(
    round_id: i32,
    title: String,
    description: String,
    category: String,
    neighborhood_id: i32,
    location: String,
    estimate: String,
    resident: String,
) -> Result<i32, ApiError> {
    use crate::accounts::audit::{Action, Entry};
    use crate::rounds::db as round;
    use crate::rounds::proposal_db as proposals;
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let r = load::own_round(&db, district_id, round_id).await?;
    if r.phase != Phase::Proposals {
        return Err(ApiError::WrongPhase);
    }
    let resident = resident.trim();
    if resident.is_empty() || resident.chars().count() > 200 {
        return Err(ApiError::ReasonRequired);
    }
    let draft = draft(
        &load::covered(&db, &r).await?,
        &title,
        &description,
        &category,
        neighborhood_id,
        &location,
        &estimate,
    )?;
    let entry = Entry::new(Some(viewer.id), Action::EnterProposal, Some(district_id), String::new()).because(resident);
    let id = crate::accounts::audited::audited(&db, entry, async |txn, entry| {
        if !round::hold(txn, round_id, Phase::Proposals).await? {
            return Err(ApiError::WrongPhase);
        }
        let id = proposals::insert_proposal(txn, round_id, viewer.id, true, draft).await?;
        entry.subject = format!("proposal:{id} round:{round_id}");
        Ok(id)
    })
    .await?;
    leptos_axum::redirect(&format!("/proposals/{id}"));
    Ok(id)
}
