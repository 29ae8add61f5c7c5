//! Reading results for pages, shared with the office's pages.

use crate::error::ApiError;
use crate::results::progress::Update;
use crate::results::snapshot::Snapshot;
use crate::results::views::ProgressView;
use crate::results::views::UpdateView;
use crate::results::views::VersionView;
use crate::rounds::db::Round;
use sea_orm::DatabaseConnection;

pub async fn versions(db: &DatabaseConnection, round_id: i32) -> Result<Vec<VersionView>, ApiError> {
    let lang = crate::ui::detect_lang();
    Ok(crate::results::count::published(db, round_id)
        .await?
        .into_iter()
        .map(|p| VersionView {
            version: p.version,
            published: crate::format::datetime_date(lang, p.published_at),
            reason: p.reason,
            snapshot: p.snapshot,
        })
        .collect())
}

/// The funded projects of the newest published result, with their updates.
pub async fn progress(
    db: &DatabaseConnection,
    r: &Round,
    newest: Option<&Snapshot>,
) -> Result<Vec<ProgressView>, ApiError> {
    let Some(newest) = newest else {
        return Ok(Vec::new());
    };
    let lang = crate::ui::detect_lang();
    let updates = crate::results::progress_db::of_round(db, r.id).await?;
    newest
        .winners
        .iter()
        .filter_map(|id| newest.projects.iter().find(|p| p.id == *id))
        .map(|p| {
            Ok(ProgressView {
                project_id: p.id,
                title: p.title.clone(),
                cost_rial: p.cost_rial,
                updates: updates
                    .iter()
                    .filter(|u| u.proposal_id == p.id)
                    .map(|u| {
                        Ok(UpdateView {
                            update: Update {
                                stage: u.stage,
                                percent: u.percent,
                                spent_rial: u.spent_rial,
                                note: u.note.clone(),
                            },
                            at: crate::format::datetime_date(lang, u.at),
                        })
                    })
                    .collect::<Result<_, ApiError>>()?,
            })
        })
        .collect()
}
