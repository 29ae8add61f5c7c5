//! The schema, as ordered migrations that run unchanged on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

mod columns;
mod m20261122_000001_geography;
mod m20261123_000001_accounts;
mod m20261123_000002_rounds;
mod m20261124_000001_ballots;
mod m20261125_000001_results;
mod m20261202_000001_ballot_caster;
mod m20261202_000002_former_verification;
mod m20261202_000003_account_disabled;
mod m20261202_000004_ballot_file_parts;
mod m20261202_000005_password_reset;
mod m20261204_000001_replaced_receipts;
mod m20261205_000001_phase_plan;
mod m20261205_000002_office_proposals;
mod m20261205_000003_ballot_day;
mod m20261205_000004_audit_filters;

/// What the ballot table's trigger says when a ballot would change while its
/// round is not voting; the application recognises the refusal by it.
pub const BALLOT_OUTSIDE_VOTING: &str = "ballots change only while their round is voting";

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_geography::Migration),
            Box::new(m20261123_000001_accounts::Migration),
            Box::new(m20261123_000002_rounds::Migration),
            Box::new(m20261124_000001_ballots::Migration),
            Box::new(m20261125_000001_results::Migration),
            Box::new(m20261202_000001_ballot_caster::Migration),
            Box::new(m20261202_000002_former_verification::Migration),
            Box::new(m20261202_000003_account_disabled::Migration),
            Box::new(m20261202_000004_ballot_file_parts::Migration),
            Box::new(m20261202_000005_password_reset::Migration),
            Box::new(m20261204_000001_replaced_receipts::Migration),
            Box::new(m20261205_000001_phase_plan::Migration),
            Box::new(m20261205_000002_office_proposals::Migration),
            Box::new(m20261205_000003_ballot_day::Migration),
            Box::new(m20261205_000004_audit_filters::Migration),
        ]
    }
}

/// Makes `table` refuse UPDATE and DELETE in the database itself, so that no
/// code path, present or future, can rewrite what was recorded there.
pub(crate) async fn append_only(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            for op in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_{op} BEFORE {op} ON {table} \
                     BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                ))
                .await?;
            }
        }
        DatabaseBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION '{table} is append-only'; END $$"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            ))
            .await?;
        }
        DatabaseBackend::MySql => return Err(DbErr::Migration("MySQL is not supported".to_owned())),
    }
    Ok(())
}
