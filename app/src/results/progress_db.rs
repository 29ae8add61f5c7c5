//! Dated progress updates on funded projects, append-only: a project's state
//! is its latest update, and the whole history stays readable.

use crate::results::progress::Update;
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_update")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub proposal_id: i32,
    pub round_id: i32,
    pub stage: crate::results::progress::Stage,
    pub percent: i32,
    pub spent_rial: i64,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub at: DateTimeUtc,
    pub by: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn record<C: ConnectionTrait>(
    db: &C,
    round_id: i32,
    proposal_id: i32,
    by: i32,
    update: Update,
) -> Result<(), DbErr> {
    ActiveModel {
        proposal_id: Set(proposal_id),
        round_id: Set(round_id),
        stage: Set(update.stage),
        percent: Set(update.percent),
        spent_rial: Set(update.spent_rial),
        note: Set(update.note),
        at: Set(chrono::Utc::now()),
        by: Set(by),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Every update on the projects of a round, oldest first.
pub async fn of_round<C: ConnectionTrait>(db: &C, round_id: i32) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::RoundId.eq(round_id))
        .order_by_asc(Column::Id)
        .all(db)
        .await
}
