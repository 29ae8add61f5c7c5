//! Ballots, filed under the keyed pseudonym of their person. Casting is one
//! conditional upsert: a resubmission of the same choices changes nothing and
//! gets the same receipt back, a changed ballot replaces the old one with a new
//! receipt, and the primary key (round, pseudonym) keeps one row per person.

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{ActiveValue::Set, QuerySelect, QueryTrait};

pub mod row {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ballot")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub round_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub voter: String,
        pub neighborhood_id: i32,
        pub choices: String,
        pub receipt: String,
        /// The keyed hash of the round and the account that cast it.
        pub caster: String,
        /// Tehran's calendar day it was last cast on (none for ballots filed
        /// before days were kept).
        pub cast_on: Option<Date>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The receipts of ballots their voter replaced, recorded by the ballot
/// table's trigger (migration `replaced_receipts`).
pub mod replaced {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "replaced_receipt")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub receipt: String,
        pub round_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A ballot to file.
pub struct Cast<'a> {
    pub round_id: i32,
    pub voter: &'a str,
    pub neighborhood_id: i32,
    pub choices: &'a str,
    /// Used only if the choices differ from the stored ones.
    pub receipt: &'a str,
    pub caster: &'a str,
}

/// Files `cast` and returns the ballot now stored for its voter: one
/// statement, so on its own it is a transaction.
pub async fn cast<C: ConnectionTrait>(db: &C, cast: Cast<'_>) -> Result<row::Model, DbErr> {
    let excluded = |col: row::Column| Expr::col((Alias::new("excluded"), col));
    let mut insert = row::Entity::insert(row::ActiveModel {
        round_id: Set(cast.round_id),
        voter: Set(cast.voter.to_owned()),
        neighborhood_id: Set(cast.neighborhood_id),
        choices: Set(cast.choices.to_owned()),
        receipt: Set(cast.receipt.to_owned()),
        caster: Set(cast.caster.to_owned()),
        cast_on: Set(Some(crate::format::tehran_day(chrono::Utc::now()))),
    })
    .on_conflict(
        OnConflict::columns([row::Column::RoundId, row::Column::Voter])
            .update_columns([
                row::Column::Choices,
                row::Column::Receipt,
                row::Column::NeighborhoodId,
                row::Column::CastOn,
            ])
            // Only the account that cast a ballot replaces it.
            .action_and_where(
                Expr::col((row::Entity, row::Column::Caster))
                    .eq(excluded(row::Column::Caster))
                    .and(
                        Expr::col((row::Entity, row::Column::Choices))
                            .ne(excluded(row::Column::Choices))
                            .or(Expr::col((row::Entity, row::Column::NeighborhoodId))
                                .ne(excluded(row::Column::NeighborhoodId))),
                    ),
            )
            .to_owned(),
    );
    insert.query().returning(Query::returning().all());
    let written = row::Entity::find()
        .from_raw_sql(insert.build(db.get_database_backend()))
        .one(db)
        .await?;
    match written {
        Some(row) => Ok(row),
        // The same choices were on file already, or another account cast
        // the person's ballot: nothing was written.
        None => of_voter(db, cast.round_id, cast.voter)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("the ballot on file".to_owned())),
    }
}

pub async fn of_voter<C: ConnectionTrait>(db: &C, round_id: i32, voter: &str) -> Result<Option<row::Model>, DbErr> {
    row::Entity::find_by_id((round_id, voter.to_owned())).one(db).await
}

/// How many ballots each neighborhood cast in a round; nothing about choices.
pub async fn turnout<C: ConnectionTrait>(db: &C, round_id: i32) -> Result<Vec<(i32, i64)>, DbErr> {
    row::Entity::find()
        .select_only()
        .column(row::Column::NeighborhoodId)
        .column_as(row::Column::Voter.count(), "voters")
        .filter(row::Column::RoundId.eq(round_id))
        .group_by(row::Column::NeighborhoodId)
        .into_tuple()
        .all(db)
        .await
}

pub async fn count<C: ConnectionTrait>(db: &C, round_id: i32) -> Result<u64, DbErr> {
    row::Entity::find()
        .filter(row::Column::RoundId.eq(round_id))
        .count(db)
        .await
}

/// Receipt and choices of every ballot of a round.
pub async fn of_round<C: ConnectionTrait>(db: &C, round_id: i32) -> Result<Vec<(String, String)>, DbErr> {
    row::Entity::find()
        .select_only()
        .column(row::Column::Receipt)
        .column(row::Column::Choices)
        .filter(row::Column::RoundId.eq(round_id))
        .into_tuple()
        .all(db)
        .await
}

/// The round a receipt belongs to, if any ballot has it.
/// The round of a ballot whose voter replaced it with a later one.
pub async fn round_of_replaced<C: ConnectionTrait>(db: &C, receipt: &str) -> Result<Option<i32>, DbErr> {
    Ok(replaced::Entity::find_by_id(receipt.to_owned())
        .one(db)
        .await?
        .map(|r| r.round_id))
}

pub async fn round_of_receipt<C: ConnectionTrait>(db: &C, receipt: &str) -> Result<Option<i32>, DbErr> {
    row::Entity::find()
        .select_only()
        .column(row::Column::RoundId)
        .filter(row::Column::Receipt.eq(receipt))
        .into_tuple()
        .one(db)
        .await
}
