//! Reading rounds for pages: summaries, facts, covered neighborhoods and
//! proposal rows, shared by the public and the office's pages.

use crate::error::ApiError;
use crate::error::OrInternal;
use crate::geography::{Name, Place};
use crate::rounds::views::{PlannedPhase, ProposalRow, RoundInfo, RoundSummary};

use crate::geography::db as area;
use crate::rounds::db as round;
use crate::rounds::db::Round;
use crate::rounds::proposal_db::proposal;
use sea_orm::DatabaseConnection;

pub async fn summary(db: &DatabaseConnection, r: &Round) -> Result<RoundSummary, ApiError> {
    let lang = crate::ui::detect_lang();
    let name = |a: Option<area::Model>| {
        a.map(|a| a.name())
            .or_internal(|| format!("an area of round {} missing", r.id))
    };
    Ok(RoundSummary {
        id: r.id,
        title: Name {
            fa: r.title_fa.clone(),
            en: r.title_en.clone(),
        },
        area: name(area::by_id(db, r.area_id).await?)?,
        district: name(area::by_id(db, r.district_id).await?)?,
        phase: r.phase,
        budget_rial: r.budget_rial,
        opened: crate::format::datetime_date(lang, r.created_at),
        phase_since: crate::format::datetime_date(lang, r.phase_changed_at),
    })
}

/// The neighborhoods a round covers: its own, or all of its district's.
pub async fn covered(db: &DatabaseConnection, r: &Round) -> Result<Vec<area::Model>, ApiError> {
    if r.area_id == r.district_id {
        Ok(area::neighborhoods_of(db, r.district_id).await?)
    } else {
        Ok(area::by_id(db, r.area_id).await?.into_iter().collect())
    }
}

pub fn places(areas: Vec<area::Model>) -> Vec<Place> {
    areas
        .into_iter()
        .map(|a| Place {
            id: a.id,
            name: a.name(),
        })
        .collect()
}

pub async fn info(db: &DatabaseConnection, r: &Round) -> Result<RoundInfo, ApiError> {
    Ok(RoundInfo {
        summary: summary(db, r).await?,
        ballot: r.ballot,
        tally: r.tally,
        min_age: r.min_age,
        max_proposals: r.max_proposals,
        neighborhoods: places(covered(db, r).await?),
        plan: plan(db, r).await?,
    })
}

pub fn row(p: proposal::Model) -> Result<ProposalRow, ApiError> {
    Ok(ProposalRow {
        id: p.id,
        category: p.category,
        status: p.status,
        submitted: crate::format::datetime_date(crate::ui::detect_lang(), p.created_at),
        title: p.title,
        neighborhood_id: p.neighborhood_id,
        official_cost_rial: p.official_cost_rial,
        estimate_rial: p.estimate_rial,
        entered_at_office: p.entered_at_office,
    })
}

pub async fn round(db: &DatabaseConnection, id: i32) -> Result<Round, ApiError> {
    round::by_id(db, id).await?.ok_or(ApiError::NotFound)
}

/// A round of the staff member's own district.
#[cfg(feature = "ssr")]
pub(crate) async fn own_round(
    db: &sea_orm::DatabaseConnection,
    district_id: i32,
    id: i32,
) -> Result<crate::rounds::db::Round, ApiError> {
    let r = crate::rounds::load::round(db, id).await?;
    if r.district_id == district_id {
        Ok(r)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The plan of `r`, in phase order, in the request's language.
pub async fn plan(db: &DatabaseConnection, r: &Round) -> Result<Vec<PlannedPhase>, ApiError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let lang = crate::ui::detect_lang();
    let rows = round::phase_plan::Entity::find()
        .filter(round::phase_plan::Column::RoundId.eq(r.id))
        .all(db)
        .await?;
    let mut planned: Vec<PlannedPhase> = rows
        .into_iter()
        .filter_map(|row| {
            Some(PlannedPhase {
                phase: crate::rounds::Phase::from_tag(&row.phase)?,
                shown: crate::format::naive_date(lang, row.starts_on),
                typed: crate::format::typed_date(lang, row.starts_on),
            })
        })
        .collect();
    planned.sort_by_key(|p| p.phase);
    Ok(planned)
}
