//! Budget rounds and proposals. The database itself refuses a change of a
//! round's budget, ballot or tally rule once voting has opened, and the indexes
//! serve the public list of proposals (filtered by status, category and
//! neighborhood within a round) however many there are.

use crate::columns::{at, fk};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

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
}

#[derive(DeriveIden)]
enum BudgetRound {
    Table,
    Id,
    AreaId,
    DistrictId,
    TitleFa,
    TitleEn,
    BudgetRial,
    BallotRule,
    BallotParam,
    TallyRule,
    MinAge,
    MaxProposals,
    Phase,
    CreatedBy,
    CreatedAt,
    PhaseChangedAt,
}

#[derive(DeriveIden)]
enum Proposal {
    Table,
    Id,
    RoundId,
    AuthorId,
    NeighborhoodId,
    Title,
    Description,
    Category,
    Location,
    EstimateRial,
    Status,
    OfficialCostRial,
    RejectReason,
    MergedInto,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProposalQuota {
    Table,
    RoundId,
    AuthorId,
    Used,
}

fn int(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().to_owned()
}

const FROZEN_PHASES: &str = "'voting', 'closed', 'published'";

/// Refuses changes of the budget and rules of a round whose voting has opened.
async fn freeze_rules(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER budget_round_rules_frozen \
                 BEFORE UPDATE OF budget_rial, ballot_rule, ballot_param, tally_rule ON budget_round \
                 WHEN OLD.phase IN ({FROZEN_PHASES}) AND (NEW.budget_rial IS NOT OLD.budget_rial \
                 OR NEW.ballot_rule IS NOT OLD.ballot_rule OR NEW.ballot_param IS NOT OLD.ballot_param \
                 OR NEW.tally_rule IS NOT OLD.tally_rule) \
                 BEGIN SELECT RAISE(ABORT, 'round rules are frozen once voting opens'); END"
            ))
            .await?;
        }
        DatabaseBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION budget_round_rules_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF OLD.phase IN ({FROZEN_PHASES}) AND (NEW.budget_rial IS DISTINCT FROM OLD.budget_rial \
                 OR NEW.ballot_rule IS DISTINCT FROM OLD.ballot_rule \
                 OR NEW.ballot_param IS DISTINCT FROM OLD.ballot_param \
                 OR NEW.tally_rule IS DISTINCT FROM OLD.tally_rule) THEN \
                 RAISE EXCEPTION 'round rules are frozen once voting opens'; END IF; RETURN NEW; END $$"
            ))
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER budget_round_rules_frozen BEFORE UPDATE ON budget_round \
                 FOR EACH ROW EXECUTE FUNCTION budget_round_rules_frozen()",
            )
            .await?;
        }
        DatabaseBackend::MySql => return Err(DbErr::Migration("MySQL is not supported".to_owned())),
    }
    Ok(())
}

async fn index<const N: usize>(manager: &SchemaManager<'_>, name: &str, cols: [Proposal; N]) -> Result<(), DbErr> {
    let mut index = Index::create().name(name).table(Proposal::Table).to_owned();
    for col in cols {
        index.col(col);
    }
    manager.create_index(index).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BudgetRound::Table)
                    .col(
                        ColumnDef::new(BudgetRound::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(int(BudgetRound::AreaId))
                    .col(int(BudgetRound::DistrictId))
                    .col(ColumnDef::new(BudgetRound::TitleFa).string_len(200).not_null())
                    .col(ColumnDef::new(BudgetRound::TitleEn).string_len(200).not_null())
                    .col(ColumnDef::new(BudgetRound::BudgetRial).big_integer().not_null())
                    .col(ColumnDef::new(BudgetRound::BallotRule).string_len(16).not_null())
                    .col(int(BudgetRound::BallotParam))
                    .col(ColumnDef::new(BudgetRound::TallyRule).string_len(16).not_null())
                    .col(ColumnDef::new(BudgetRound::MinAge).integer().null())
                    .col(int(BudgetRound::MaxProposals).default(3))
                    .col(ColumnDef::new(BudgetRound::Phase).string_len(16).not_null())
                    .col(int(BudgetRound::CreatedBy))
                    .col(at(BudgetRound::CreatedAt))
                    .col(at(BudgetRound::PhaseChangedAt))
                    .foreign_key(&mut fk(
                        "fk_round_area",
                        (BudgetRound::Table, BudgetRound::AreaId),
                        (Area::Table, Area::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_round_district",
                        (BudgetRound::Table, BudgetRound::DistrictId),
                        (Area::Table, Area::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_round_creator",
                        (BudgetRound::Table, BudgetRound::CreatedBy),
                        (Account::Table, Account::Id),
                    ))
                    .check(Expr::col(BudgetRound::BudgetRial).gt(0))
                    .check(Expr::col(BudgetRound::MaxProposals).gte(1))
                    .check(Expr::col(BudgetRound::BallotRule).is_in(["approval", "knapsack", "cumulative"]))
                    .check(Expr::col(BudgetRound::TallyRule).is_in(["greedy", "equal-shares"]))
                    .check(Expr::col(BudgetRound::Phase).is_in([
                        "draft",
                        "proposals",
                        "review",
                        "voting",
                        "closed",
                        "published",
                    ]))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_round_district")
                    .table(BudgetRound::Table)
                    .col(BudgetRound::DistrictId)
                    .to_owned(),
            )
            .await?;
        freeze_rules(manager).await?;

        manager
            .create_table(
                Table::create()
                    .table(Proposal::Table)
                    .col(
                        ColumnDef::new(Proposal::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(int(Proposal::RoundId))
                    .col(int(Proposal::AuthorId))
                    .col(int(Proposal::NeighborhoodId))
                    .col(ColumnDef::new(Proposal::Title).string_len(120).not_null())
                    .col(ColumnDef::new(Proposal::Description).text().not_null())
                    .col(ColumnDef::new(Proposal::Category).string_len(16).not_null())
                    .col(ColumnDef::new(Proposal::Location).string_len(200).not_null())
                    .col(ColumnDef::new(Proposal::EstimateRial).big_integer().null())
                    .col(ColumnDef::new(Proposal::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Proposal::OfficialCostRial).big_integer().null())
                    .col(ColumnDef::new(Proposal::RejectReason).text().null())
                    .col(ColumnDef::new(Proposal::MergedInto).integer().null())
                    .col(at(Proposal::CreatedAt))
                    .col(at(Proposal::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_proposal_round",
                        (Proposal::Table, Proposal::RoundId),
                        (BudgetRound::Table, BudgetRound::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_proposal_author",
                        (Proposal::Table, Proposal::AuthorId),
                        (Account::Table, Account::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_proposal_neighborhood",
                        (Proposal::Table, Proposal::NeighborhoodId),
                        (Area::Table, Area::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_proposal_merged",
                        (Proposal::Table, Proposal::MergedInto),
                        (Proposal::Table, Proposal::Id),
                    ))
                    .check(Expr::col(Proposal::Status).is_in(["submitted", "accepted", "rejected", "merged"]))
                    // A project has its official cost, a rejection its reason, a merge its project.
                    .check(
                        Expr::col(Proposal::Status)
                            .ne("accepted")
                            .or(Expr::col(Proposal::OfficialCostRial).gt(0)),
                    )
                    .check(
                        Expr::col(Proposal::Status)
                            .ne("rejected")
                            .or(Expr::col(Proposal::RejectReason).is_not_null()),
                    )
                    .check(
                        Expr::col(Proposal::Status)
                            .ne("merged")
                            .or(Expr::col(Proposal::MergedInto).is_not_null()),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_proposal_round_status",
            [Proposal::RoundId, Proposal::Status],
        )
        .await?;
        index(
            manager,
            "ix_proposal_round_category",
            [Proposal::RoundId, Proposal::Category],
        )
        .await?;
        index(
            manager,
            "ix_proposal_round_neighborhood",
            [Proposal::RoundId, Proposal::NeighborhoodId],
        )
        .await?;
        index(
            manager,
            "ix_proposal_round_created",
            [Proposal::RoundId, Proposal::CreatedAt],
        )
        .await?;
        index(manager, "ix_proposal_round_title", [Proposal::RoundId, Proposal::Title]).await?;
        index(manager, "ix_proposal_author", [Proposal::AuthorId]).await?;

        // How many proposals each resident has submitted to each round: the row
        // a submission increments conditionally, so the limit holds under races.
        manager
            .create_table(
                Table::create()
                    .table(ProposalQuota::Table)
                    .col(int(ProposalQuota::RoundId))
                    .col(int(ProposalQuota::AuthorId))
                    .col(int(ProposalQuota::Used))
                    .primary_key(Index::create().col(ProposalQuota::RoundId).col(ProposalQuota::AuthorId))
                    .foreign_key(&mut fk(
                        "fk_quota_round",
                        (ProposalQuota::Table, ProposalQuota::RoundId),
                        (BudgetRound::Table, BudgetRound::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_quota_author",
                        (ProposalQuota::Table, ProposalQuota::AuthorId),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["proposal_quota", "proposal", "budget_round"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS budget_round_rules_frozen()")
                .await?;
        }
        Ok(())
    }
}
