//! A ballot remembers the account that cast it, as a keyed hash of round and
//! account: only that account is shown the ballot's choices and receipt and
//! may change it. The person stays the one-vote key; an account bound to the
//! same person later (after staff revoked and re-issued a verification) sees
//! only that a ballot exists.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Ballot {
    Table,
    Caster,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Ballots cast before this have no caster: nobody is shown them.
        manager
            .alter_table(
                Table::alter()
                    .table(Ballot::Table)
                    .add_column(ColumnDef::new(Ballot::Caster).string_len(64).not_null().default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Ballot::Table)
                    .drop_column(Ballot::Caster)
                    .to_owned(),
            )
            .await
    }
}
