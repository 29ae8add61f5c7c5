//! The day a ballot was last cast (Tehran's calendar day), so that a resident's
//! account page can say when they voted. Only the day: a time of day would
//! help tie a ballot to a visit in a server's logs.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Ballot {
    Table,
    CastOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Ballot::Table)
                    .add_column(ColumnDef::new(Ballot::CastOn).date().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Ballot::Table)
                    .drop_column(Ballot::CastOn)
                    .to_owned(),
            )
            .await
    }
}
