//! Checking a receipt: a voter finds their ballot as it stands in the newest
//! published ballot file of its round, read with the same Pabulib reader
//! that counts it.

use crate::error::ApiError;
use crate::error::OrInternal;
use crate::results::db as result;
use crate::results::snapshot::ReceiptCheck;
use sea_orm::DatabaseConnection;

/// Looks a receipt up in the newest published ballot file of its round.
pub async fn check_receipt(db: &DatabaseConnection, receipt: &str) -> Result<ReceiptCheck, ApiError> {
    let round_id = crate::voting::db::round_of_receipt(db, receipt)
        .await?
        .ok_or(ApiError::ReceiptUnknown)?;
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
    let file = result::published_file(db, round_id, newest.version)
        .await?
        .or_internal(|| {
            format!(
                "published version {} of round {round_id} has no ballot file",
                newest.version
            )
        })?;
    let published = crate::tally::pabulib::parse(&file)
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
