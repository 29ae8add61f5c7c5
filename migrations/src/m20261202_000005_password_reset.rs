//! One-time password reset codes an office hands a resident after checking
//! their ID card at the desk. Only a keyed hash of each code is stored; a code
//! is spent by setting `used_at`, once.

use crate::columns::{at, fk, hash, id};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PasswordReset {
    Table,
    Id,
    AccountId,
    CodeHash,
    IssuedBy,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PasswordReset::Table)
                    .col(id(PasswordReset::Id))
                    .col(ColumnDef::new(PasswordReset::AccountId).integer().not_null())
                    .col(hash(PasswordReset::CodeHash).unique_key())
                    .col(ColumnDef::new(PasswordReset::IssuedBy).integer().not_null())
                    .col(at(PasswordReset::ExpiresAt))
                    .col(ColumnDef::new(PasswordReset::UsedAt).timestamp_with_time_zone().null())
                    .foreign_key(&mut fk(
                        "fk_password_reset_account",
                        (PasswordReset::Table, PasswordReset::AccountId),
                        (Account::Table, Account::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_password_reset_issuer",
                        (PasswordReset::Table, PasswordReset::IssuedBy),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // Issuing a code retires the account's earlier ones, found by this index.
        manager
            .create_index(
                Index::create()
                    .name("password_reset_account")
                    .table(PasswordReset::Table)
                    .col(PasswordReset::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasswordReset::Table).to_owned())
            .await
    }
}
