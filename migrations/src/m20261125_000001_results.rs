//! Results and implementation tracking. Every table here is append-only in the
//! database itself: a result snapshot, its ballot file and its publication are
//! written once and never changed (a correction is a new snapshot that names the
//! one it supersedes), and a project's progress is the latest of its dated
//! updates, all of which are kept.

use crate::append_only;
use crate::columns::{at, fk, hash, id};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BudgetRound {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Proposal {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ResultSnapshot {
    Table,
    Id,
    RoundId,
    Version,
    Supersedes,
    Digest,
    Body,
    Reason,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum ResultBallots {
    Table,
    SnapshotId,
    File,
}

#[derive(DeriveIden)]
enum ResultPublication {
    Table,
    SnapshotId,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum ProgressUpdate {
    Table,
    Id,
    ProposalId,
    RoundId,
    Stage,
    Percent,
    SpentRial,
    Note,
    At,
    By,
}

const TABLES: [&str; 4] = [
    "progress_update",
    "result_publication",
    "result_ballots",
    "result_snapshot",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ResultSnapshot::Table)
                    .col(id(ResultSnapshot::Id))
                    .col(ColumnDef::new(ResultSnapshot::RoundId).integer().not_null())
                    .col(ColumnDef::new(ResultSnapshot::Version).integer().not_null())
                    .col(ColumnDef::new(ResultSnapshot::Supersedes).integer().null().unique_key())
                    .col(hash(ResultSnapshot::Digest))
                    .col(ColumnDef::new(ResultSnapshot::Body).text().not_null())
                    .col(ColumnDef::new(ResultSnapshot::Reason).text().not_null())
                    .col(at(ResultSnapshot::CreatedAt))
                    .col(ColumnDef::new(ResultSnapshot::CreatedBy).integer().not_null())
                    .foreign_key(&mut fk(
                        "fk_result_round",
                        (ResultSnapshot::Table, ResultSnapshot::RoundId),
                        (BudgetRound::Table, BudgetRound::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_result_supersedes",
                        (ResultSnapshot::Table, ResultSnapshot::Supersedes),
                        (ResultSnapshot::Table, ResultSnapshot::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_result_creator",
                        (ResultSnapshot::Table, ResultSnapshot::CreatedBy),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // Two offices pressing "count" at once make one version 1, not two.
        manager
            .create_index(
                Index::create()
                    .name("ux_result_round_version")
                    .table(ResultSnapshot::Table)
                    .col(ResultSnapshot::RoundId)
                    .col(ResultSnapshot::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ResultBallots::Table)
                    .col(
                        ColumnDef::new(ResultBallots::SnapshotId)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ResultBallots::File).text().not_null())
                    .foreign_key(&mut fk(
                        "fk_result_ballots_snapshot",
                        (ResultBallots::Table, ResultBallots::SnapshotId),
                        (ResultSnapshot::Table, ResultSnapshot::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ResultPublication::Table)
                    .col(
                        ColumnDef::new(ResultPublication::SnapshotId)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(at(ResultPublication::PublishedAt))
                    .col(ColumnDef::new(ResultPublication::PublishedBy).integer().not_null())
                    .foreign_key(&mut fk(
                        "fk_publication_snapshot",
                        (ResultPublication::Table, ResultPublication::SnapshotId),
                        (ResultSnapshot::Table, ResultSnapshot::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_publication_publisher",
                        (ResultPublication::Table, ResultPublication::PublishedBy),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgressUpdate::Table)
                    .col(id(ProgressUpdate::Id))
                    .col(ColumnDef::new(ProgressUpdate::ProposalId).integer().not_null())
                    .col(ColumnDef::new(ProgressUpdate::RoundId).integer().not_null())
                    .col(ColumnDef::new(ProgressUpdate::Stage).string_len(16).not_null())
                    .col(ColumnDef::new(ProgressUpdate::Percent).integer().not_null())
                    .col(ColumnDef::new(ProgressUpdate::SpentRial).big_integer().not_null())
                    .col(ColumnDef::new(ProgressUpdate::Note).text().not_null())
                    .col(at(ProgressUpdate::At))
                    .col(ColumnDef::new(ProgressUpdate::By).integer().not_null())
                    .check(Expr::col(ProgressUpdate::Percent).between(0, 100))
                    .check(Expr::col(ProgressUpdate::SpentRial).gte(0))
                    .foreign_key(&mut fk(
                        "fk_progress_proposal",
                        (ProgressUpdate::Table, ProgressUpdate::ProposalId),
                        (Proposal::Table, Proposal::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_progress_round",
                        (ProgressUpdate::Table, ProgressUpdate::RoundId),
                        (BudgetRound::Table, BudgetRound::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_progress_author",
                        (ProgressUpdate::Table, ProgressUpdate::By),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_progress_round")
                    .table(ProgressUpdate::Table)
                    .col(ProgressUpdate::RoundId)
                    .col(ProgressUpdate::ProposalId)
                    .to_owned(),
            )
            .await?;
        for table in TABLES {
            append_only(manager, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
            if manager.get_database_backend() == DatabaseBackend::Postgres {
                manager
                    .get_connection()
                    .execute_unprepared(&format!("DROP FUNCTION IF EXISTS {table}_append_only()"))
                    .await?;
            }
        }
        Ok(())
    }
}
