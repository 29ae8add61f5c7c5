//! Verifications that ended (revoked by an office), append-only: when the same
//! person is verified again on another account, the audit log says so, so that
//! administrators see an office binding a person to an account of its choice.

use crate::columns::{at, hash, id};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FormerVerification {
    Table,
    Id,
    NationalHash,
    AccountId,
    EndedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FormerVerification::Table)
                    .col(id(FormerVerification::Id))
                    .col(hash(FormerVerification::NationalHash))
                    .col(ColumnDef::new(FormerVerification::AccountId).integer().not_null())
                    .col(at(FormerVerification::EndedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("former_verification_person")
                    .table(FormerVerification::Table)
                    .col(FormerVerification::NationalHash)
                    .to_owned(),
            )
            .await?;
        crate::append_only(manager, "former_verification").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FormerVerification::Table).to_owned())
            .await
    }
}
