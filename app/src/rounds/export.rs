//! A round's proposals as a CSV file for its office: every proposal with its
//! status, costs and text, in the office's language, with a BOM so that
//! spreadsheet programs read the Persian.

use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::rounds::load;
use crate::rounds::proposal_db::proposal;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

/// The proposals of round `round_id` of `district_id`, oldest first.
pub async fn proposals_csv(
    db: &DatabaseConnection,
    district_id: i32,
    round_id: i32,
    lang: Lang,
) -> Result<Vec<u8>, ApiError> {
    let r = load::own_round(db, district_id, round_id).await?;
    let places = load::covered(db, &r).await?;
    let proposals = proposal::Entity::find()
        .filter(proposal::Column::RoundId.eq(round_id))
        .order_by_asc(proposal::Column::Id)
        .all(db)
        .await?;
    let toman = |rial: Option<i64>| rial.map(|r| (r / 10).to_string()).unwrap_or_default();
    let mut out = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let header = [
        Msg::ExportId,
        Msg::ExportTitle,
        Msg::ExportCategory,
        Msg::ExportNeighborhood,
        Msg::ExportStatus,
        Msg::ExportEstimateToman,
        Msg::ExportCostToman,
        Msg::ExportSubmitted,
        Msg::ExportDescription,
    ];
    let failed = |err: csv::Error| {
        tracing::error!(error = %err, "writing the proposals file");
        ApiError::Internal
    };
    out.write_record(header.map(|m| lang.text(m))).map_err(failed)?;
    for p in proposals {
        let neighborhood = places
            .iter()
            .find(|a| a.id == p.neighborhood_id)
            .map(|a| a.name().get(lang).to_owned())
            .unwrap_or_default();
        out.write_record([
            p.id.to_string(),
            p.title,
            lang.text(p.category.msg()).to_owned(),
            neighborhood,
            lang.text(p.status.msg()).to_owned(),
            toman(p.estimate_rial),
            toman(p.official_cost_rial),
            p.created_at.format("%Y-%m-%d").to_string(),
            p.description,
        ])
        .map_err(failed)?;
    }
    out.into_inner().map_err(|err| failed(err.into_error().into()))
}
