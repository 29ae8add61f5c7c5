//! Ballots. A ballot is filed under a keyed pseudonym of the person (never the
//! account), and the primary key (round, pseudonym) is what makes one ballot
//! per person and round hold under any race. A trigger refuses any change to
//! ballots unless their round is in its voting phase, so nothing can alter
//! them once voting has closed.

use crate::BALLOT_OUTSIDE_VOTING;
use crate::columns::{fk, hash};
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
enum BudgetRound {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Ballot {
    Table,
    RoundId,
    Voter,
    NeighborhoodId,
    Choices,
    Receipt,
}

/// Ballots change only while their round is voting.
async fn only_while_voting(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            for (op, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER ballot_{op}_while_voting BEFORE {op} ON ballot \
                     WHEN (SELECT phase FROM budget_round WHERE id = {row}.round_id) IS NOT 'voting' \
                     BEGIN SELECT RAISE(ABORT, '{BALLOT_OUTSIDE_VOTING}'); END"
                ))
                .await?;
            }
        }
        DatabaseBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION ballot_while_voting() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 DECLARE round_phase text; BEGIN \
                 SELECT phase INTO round_phase FROM budget_round \
                 WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.round_id ELSE NEW.round_id END; \
                 IF round_phase IS DISTINCT FROM 'voting' THEN \
                 RAISE EXCEPTION '{BALLOT_OUTSIDE_VOTING}'; END IF; \
                 IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
            ))
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER ballot_while_voting BEFORE INSERT OR UPDATE OR DELETE ON ballot \
                 FOR EACH ROW EXECUTE FUNCTION ballot_while_voting()",
            )
            .await?;
        }
        DatabaseBackend::MySql => return Err(DbErr::Migration("MySQL is not supported".to_owned())),
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Ballot::Table)
                    .col(ColumnDef::new(Ballot::RoundId).integer().not_null())
                    .col(hash(Ballot::Voter))
                    .col(ColumnDef::new(Ballot::NeighborhoodId).integer().not_null())
                    .col(ColumnDef::new(Ballot::Choices).text().not_null())
                    .col(ColumnDef::new(Ballot::Receipt).string_len(32).not_null().unique_key())
                    .primary_key(Index::create().col(Ballot::RoundId).col(Ballot::Voter))
                    .foreign_key(&mut fk(
                        "fk_ballot_round",
                        (Ballot::Table, Ballot::RoundId),
                        (BudgetRound::Table, BudgetRound::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_ballot_neighborhood",
                        (Ballot::Table, Ballot::NeighborhoodId),
                        (Area::Table, Area::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ballot_round_neighborhood")
                    .table(Ballot::Table)
                    .col(Ballot::RoundId)
                    .col(Ballot::NeighborhoodId)
                    .to_owned(),
            )
            .await?;
        only_while_voting(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Ballot::Table).to_owned())
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS ballot_while_voting()")
                .await?;
        }
        Ok(())
    }
}
