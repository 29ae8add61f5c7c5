//! Importing a district's census roll, from the office page or the command
//! line: parse every line first, then store all rows in one transaction.

use crate::accounts::audit;
use crate::accounts::audit::Entry;
use crate::accounts::audited::audited;
use crate::error::ApiError;
use crate::geography::db as area;
use crate::keys::Purpose;
use crate::services::Services;
use crate::verification::CensusRefusal;
use crate::verification::db as verification;

/// Imports `text` into the roll of `district_id`; returns the number of rows.
pub async fn import(
    services: &Services,
    actor_id: Option<i32>,
    district_id: i32,
    text: &str,
) -> Result<usize, CensusRefusal> {
    if !area::by_id(&services.db, district_id)
        .await
        .map_err(ApiError::from)?
        .is_some_and(|a| a.kind == area::AreaKind::District)
    {
        return Err(ApiError::DistrictInvalid.into());
    }
    let neighborhoods = area::neighborhoods_of(&services.db, district_id)
        .await
        .map_err(ApiError::from)?;
    let rows = crate::verification::parse_census(text, |place| {
        let place = crate::digits::to_latin(place);
        neighborhoods
            .iter()
            .find(|n| n.id.to_string() == place || n.name_fa == place || n.name_en.eq_ignore_ascii_case(&place))
            .map(|n| n.id)
    })?;
    audited(
        &services.db,
        Entry::new(
            actor_id,
            audit::Action::ImportCensus,
            Some(district_id),
            format!("rows:{}", rows.len()),
        ),
        async |txn, _| {
            verification::import_census(txn, district_id, &rows, |code| {
                services.keys.hash(Purpose::NationalCode, code)
            })
            .await?;
            Ok(())
        },
    )
    .await?;
    Ok(rows.len())
}
