//! Accounts, sessions and verification: who may act, and the one-to-one tie
//! between a real person (a keyed hash of a national code) and an account. The
//! unique indexes here are what enforce "one person, one verified account".

use crate::append_only;
use crate::columns::{at, fk, hash, id};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Area {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Login,
    Role,
    DistrictId,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    AccountId,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum VerifiedPerson {
    Table,
    AccountId,
    NationalHash,
    NeighborhoodId,
    BirthYear,
    Method,
    VerifiedAt,
}

#[derive(DeriveIden)]
enum CensusEntry {
    Table,
    Id,
    DistrictId,
    NationalHash,
    BirthYear,
    NeighborhoodId,
    ClaimedBy,
    ImportedAt,
}

#[derive(DeriveIden)]
enum VerificationCode {
    Table,
    Id,
    CodeHash,
    NationalHash,
    NeighborhoodId,
    BirthYear,
    IssuedBy,
    ExpiresAt,
    UsedBy,
}

#[derive(DeriveIden)]
enum Throttle {
    Table,
    Key,
    WindowStart,
    Failures,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Action,
    DistrictId,
    Subject,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(id(Account::Id))
                    .col(ColumnDef::new(Account::Login).string_len(254).not_null().unique_key())
                    .col(ColumnDef::new(Account::Role).string_len(16).not_null())
                    .col(ColumnDef::new(Account::DistrictId).integer().null())
                    .col(ColumnDef::new(Account::PasswordHash).string_len(200).not_null())
                    .col(at(Account::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_account_district",
                        (Account::Table, Account::DistrictId),
                        (Area::Table, Area::Id),
                    ))
                    .check(Expr::col(Account::Role).is_in(["resident", "staff", "admin"]))
                    // Staff always belong to exactly one district; nobody else does.
                    .check(
                        Expr::col(Account::Role)
                            .eq("staff")
                            .and(Expr::col(Account::DistrictId).is_not_null())
                            .or(Expr::col(Account::Role)
                                .ne("staff")
                                .and(Expr::col(Account::DistrictId).is_null())),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(hash(Session::Id).primary_key())
                    .col(ColumnDef::new(Session::AccountId).integer().null())
                    .col(ColumnDef::new(Session::Data).text().not_null())
                    .col(at(Session::ExpiresAt))
                    .foreign_key(
                        &mut fk(
                            "fk_session_account",
                            (Session::Table, Session::AccountId),
                            (Account::Table, Account::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_session_account")
                    .table(Session::Table)
                    .col(Session::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_session_expires")
                    .table(Session::Table)
                    .col(Session::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VerifiedPerson::Table)
                    .col(
                        ColumnDef::new(VerifiedPerson::AccountId)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(hash(VerifiedPerson::NationalHash).unique_key())
                    .col(ColumnDef::new(VerifiedPerson::NeighborhoodId).integer().not_null())
                    .col(ColumnDef::new(VerifiedPerson::BirthYear).integer().not_null())
                    .col(ColumnDef::new(VerifiedPerson::Method).string_len(16).not_null())
                    .col(at(VerifiedPerson::VerifiedAt))
                    .foreign_key(&mut fk(
                        "fk_person_account",
                        (VerifiedPerson::Table, VerifiedPerson::AccountId),
                        (Account::Table, Account::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_person_neighborhood",
                        (VerifiedPerson::Table, VerifiedPerson::NeighborhoodId),
                        (Area::Table, Area::Id),
                    ))
                    .check(Expr::col(VerifiedPerson::Method).is_in(["census", "in-person"]))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_person_neighborhood")
                    .table(VerifiedPerson::Table)
                    .col(VerifiedPerson::NeighborhoodId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CensusEntry::Table)
                    .col(id(CensusEntry::Id))
                    .col(ColumnDef::new(CensusEntry::DistrictId).integer().not_null())
                    .col(hash(CensusEntry::NationalHash))
                    .col(ColumnDef::new(CensusEntry::BirthYear).integer().not_null())
                    .col(ColumnDef::new(CensusEntry::NeighborhoodId).integer().not_null())
                    .col(ColumnDef::new(CensusEntry::ClaimedBy).integer().null())
                    .col(at(CensusEntry::ImportedAt))
                    .foreign_key(&mut fk(
                        "fk_census_district",
                        (CensusEntry::Table, CensusEntry::DistrictId),
                        (Area::Table, Area::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_census_neighborhood",
                        (CensusEntry::Table, CensusEntry::NeighborhoodId),
                        (Area::Table, Area::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_census_account",
                        (CensusEntry::Table, CensusEntry::ClaimedBy),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_census_district_person")
                    .table(CensusEntry::Table)
                    .col(CensusEntry::DistrictId)
                    .col(CensusEntry::NationalHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_census_person")
                    .table(CensusEntry::Table)
                    .col(CensusEntry::NationalHash)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VerificationCode::Table)
                    .col(id(VerificationCode::Id))
                    .col(hash(VerificationCode::CodeHash).unique_key())
                    .col(hash(VerificationCode::NationalHash))
                    .col(ColumnDef::new(VerificationCode::NeighborhoodId).integer().not_null())
                    .col(ColumnDef::new(VerificationCode::BirthYear).integer().not_null())
                    .col(ColumnDef::new(VerificationCode::IssuedBy).integer().not_null())
                    .col(at(VerificationCode::ExpiresAt))
                    .col(ColumnDef::new(VerificationCode::UsedBy).integer().null())
                    .foreign_key(&mut fk(
                        "fk_code_neighborhood",
                        (VerificationCode::Table, VerificationCode::NeighborhoodId),
                        (Area::Table, Area::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_code_issuer",
                        (VerificationCode::Table, VerificationCode::IssuedBy),
                        (Account::Table, Account::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_code_account",
                        (VerificationCode::Table, VerificationCode::UsedBy),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Throttle::Table)
                    .col(ColumnDef::new(Throttle::Key).string_len(200).not_null().primary_key())
                    .col(at(Throttle::WindowStart))
                    .col(ColumnDef::new(Throttle::Failures).integer().not_null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(
                        ColumnDef::new(AuditLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(at(AuditLog::At))
                    .col(ColumnDef::new(AuditLog::ActorId).integer().null())
                    .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::DistrictId).integer().null())
                    .col(ColumnDef::new(AuditLog::Subject).string_len(200).not_null())
                    .col(ColumnDef::new(AuditLog::Reason).text().not_null())
                    .foreign_key(&mut fk(
                        "fk_audit_actor",
                        (AuditLog::Table, AuditLog::ActorId),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        append_only(manager, "audit_log").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_log",
            "throttle",
            "verification_code",
            "census_entry",
            "verified_person",
            "session",
            "account",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
