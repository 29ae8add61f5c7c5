//! Turnout: how many voted against how many verified residents, per
//! neighborhood a round covers. Nothing about anyone's choices.

use crate::error::ApiError;
use crate::geography::db as area;
use crate::rounds::db::Round;
use crate::verification::db as verification;
use sea_orm::DatabaseConnection;

/// Voters against verified residents, per neighborhood the round covers.
pub async fn turnout(db: &DatabaseConnection, r: &Round) -> Result<Vec<(area::Model, i64, i64)>, ApiError> {
    let neighborhoods = crate::rounds::load::covered(db, r).await?;
    let ids = neighborhoods.iter().map(|n| n.id).collect();
    let voters = crate::voting::db::turnout(db, r.id).await?;
    let residents = verification::count_by_neighborhood(db, ids).await?;
    let count = |rows: &[(i32, i64)], id: i32| rows.iter().find(|(n, _)| *n == id).map_or(0, |(_, c)| *c);
    Ok(neighborhoods
        .into_iter()
        .map(|n| {
            let id = n.id;
            (n, count(&voters, id), count(&residents, id))
        })
        .collect())
}
