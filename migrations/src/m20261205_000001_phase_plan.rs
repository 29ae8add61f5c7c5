//! The dates an office plans for each phase of a round, shown on the round's
//! page. Phases still move by hand: a plan is what residents are told to
//! expect, not a timer.

use crate::columns::fk;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PhasePlan {
    Table,
    RoundId,
    Phase,
    StartsOn,
}

#[derive(DeriveIden)]
enum BudgetRound {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PhasePlan::Table)
                    .col(ColumnDef::new(PhasePlan::RoundId).integer().not_null())
                    .col(ColumnDef::new(PhasePlan::Phase).string_len(16).not_null())
                    .col(ColumnDef::new(PhasePlan::StartsOn).date().not_null())
                    .primary_key(Index::create().col(PhasePlan::RoundId).col(PhasePlan::Phase))
                    .foreign_key(&mut fk(
                        "fk_phase_plan_round",
                        (PhasePlan::Table, PhasePlan::RoundId),
                        (BudgetRound::Table, BudgetRound::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PhasePlan::Table).to_owned())
            .await
    }
}
