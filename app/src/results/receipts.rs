//! TODO

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
    let line = file
        .lines()
        .find_map(|line| line.strip_prefix(receipt)?.strip_prefix(';'))
        .ok_or(ApiError::ReceiptUnknown)?;
    let mut fields = line.split(';');
    let ids = fields.next().unwrap_or_default();
    let points: Vec<i32> = fields
        .next()
        .map(|p| p.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let title_of = |id: &str| {
        newest
            .snapshot
            .projects
            .iter()
            .find(|p| p.id.to_string() == id)
            .map(|p| p.title.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let choices = ids
        .split(',')
        .filter(|id| !id.is_empty())
        .enumerate()
        .map(|(i, id)| (title_of(id), points.get(i).copied().unwrap_or(1)))
        .collect();
    Ok(ReceiptCheck::Counted {
        round_id,
        version: newest.version,
        title: newest.snapshot.title,
        choices,
    })
}
