//! Checking a receipt: a voter finds their ballot as it stands in the newest
//! published ballot file of its round, read with the same Pabulib reader
//! that counts it. Only the head of the file and the one part whose receipts
//! can hold it are read, however large the round.

use crate::error::ApiError;
use crate::error::OrInternal;
use crate::results::db as result;
use crate::results::snapshot::ReceiptCheck;
use sea_orm::DatabaseConnection;

/// Looks a receipt up in the newest published ballot file of its round.
pub async fn check_receipt(db: &DatabaseConnection, receipt: &str) -> Result<ReceiptCheck, ApiError> {
    let Some(round_id) = crate::voting::db::round_of_receipt(db, receipt).await? else {
        return match crate::voting::db::round_of_replaced(db, receipt).await? {
            Some(round_id) => Ok(ReceiptCheck::Replaced { round_id }),
            None => Err(ApiError::ReceiptUnknown),
        };
    };
    let Some(newest) = crate::results::count::published(db, round_id).await?.into_iter().next() else {
        return Ok(ReceiptCheck::NotYetPublished);
    };
    if newest.snapshot.excluded.iter().any(|r| r == receipt) {
        return Ok(ReceiptCheck::SetAside {
            round_id,
            version: newest.version,
            reason: newest.reason,
        });
    }
    let stored = result::published_version(db, round_id, newest.version)
        .await?
        .or_internal(|| format!("published version {} of round {round_id} is not stored", newest.version))?;
    let text = holding_part(db, stored.id, receipt).await?;
    let published = crate::tally::pabulib::parse(&text)
        .or_internal(|| format!("published version {} of round {round_id} does not read", newest.version))?;
    let ballot = published
        .vote_column("voter_id")
        .and_then(|mut voters| voters.position(|voter| voter == receipt))
        .ok_or(ApiError::ReceiptUnknown)?;
    let round = &published.round;
    let (projects, points) = round.ballots.ballot(ballot);
    let title_of = |id: &str| {
        newest
            .snapshot
            .projects
            .iter()
            .find(|p| p.id.to_string() == id)
            .map(|p| p.title.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let choices = projects
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let points = points.get(i).map_or(1, |&n| i32::try_from(n).unwrap_or(i32::MAX));
            (title_of(&round.projects[p as usize].id), points)
        })
        .collect();
    Ok(ReceiptCheck::Counted {
        round_id,
        version: newest.version,
        title: newest.snapshot.title,
        choices,
    })
}

/// The head of a stored ballot file followed by the one part of ballot lines
/// that holds `receipt` if the file holds it: the last part whose first receipt
/// is not after it (parts are in receipt order).
async fn holding_part(db: &DatabaseConnection, snapshot_id: i32, receipt: &str) -> Result<String, ApiError> {
    let places = result::part_places(db, snapshot_id).await?;
    let holding = places
        .iter()
        .rfind(|p| p.first_receipt.as_deref().is_some_and(|first| first <= receipt));
    let mut text = String::new();
    for place in places.iter().filter(|p| p.first_receipt.is_none()).chain(holding) {
        let part = result::part_text(db, snapshot_id, place.seq)
            .await?
            .or_internal(|| format!("part {} of ballot file {snapshot_id} is missing", place.seq))?;
        text.push_str(&part);
    }
    Ok(text)
}
