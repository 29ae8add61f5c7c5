//! Proposals an office takes part in: one entered at the office for a resident
//! who came to the desk is marked so, and a correction of a proposal's typos
//! during review keeps what it replaced, so that the author and everyone else
//! can see what the office changed.

use crate::columns::{at, fk, id};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Proposal {
    Table,
    Id,
    EnteredAtOffice,
}

#[derive(DeriveIden)]
enum ProposalCorrection {
    Table,
    Id,
    ProposalId,
    At,
    TitleBefore,
    DescriptionBefore,
    TitleAfter,
    DescriptionAfter,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Proposal::Table)
                    .add_column(
                        ColumnDef::new(Proposal::EnteredAtOffice)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProposalCorrection::Table)
                    .col(id(ProposalCorrection::Id))
                    .col(ColumnDef::new(ProposalCorrection::ProposalId).integer().not_null())
                    .col(at(ProposalCorrection::At))
                    .col(ColumnDef::new(ProposalCorrection::TitleBefore).text().not_null())
                    .col(ColumnDef::new(ProposalCorrection::DescriptionBefore).text().not_null())
                    .col(ColumnDef::new(ProposalCorrection::TitleAfter).text().not_null())
                    .col(ColumnDef::new(ProposalCorrection::DescriptionAfter).text().not_null())
                    .foreign_key(&mut fk(
                        "fk_proposal_correction_proposal",
                        (ProposalCorrection::Table, ProposalCorrection::ProposalId),
                        (Proposal::Table, Proposal::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_proposal_correction_proposal")
                    .table(ProposalCorrection::Table)
                    .col(ProposalCorrection::ProposalId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProposalCorrection::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Proposal::Table)
                    .drop_column(Proposal::EnteredAtOffice)
                    .to_owned(),
            )
            .await
    }
}
