//! Receipts of ballots that their voter replaced with a later one, so that a
//! receipt check can say so instead of "no ballot with this receipt". Only the
//! receipt and its round are kept: nothing ties one to the voter or to the
//! later ballot. A trigger on the ballot table records them, so every way of
//! filing a ballot does, in the same transaction and with no extra query.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReplacedReceipt {
    Table,
    Receipt,
    RoundId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReplacedReceipt::Table)
                    .col(
                        ColumnDef::new(ReplacedReceipt::Receipt)
                            .string_len(32)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ReplacedReceipt::RoundId).integer().not_null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE TRIGGER ballot_receipt_replaced AFTER UPDATE OF receipt ON ballot \
                     WHEN OLD.receipt IS NOT NEW.receipt \
                     BEGIN INSERT INTO replaced_receipt (receipt, round_id) VALUES (OLD.receipt, OLD.round_id); END",
                )
                .await?;
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION ballot_receipt_replaced() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                     INSERT INTO replaced_receipt (receipt, round_id) VALUES (OLD.receipt, OLD.round_id); \
                     RETURN NEW; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER ballot_receipt_replaced AFTER UPDATE OF receipt ON ballot FOR EACH ROW \
                     WHEN (OLD.receipt IS DISTINCT FROM NEW.receipt) EXECUTE FUNCTION ballot_receipt_replaced()",
                )
                .await?;
            }
            DatabaseBackend::MySql => return Err(DbErr::Migration("MySQL is not supported".to_owned())),
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS ballot_receipt_replaced ON ballot")
                    .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS ballot_receipt_replaced()")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS ballot_receipt_replaced")
                    .await?;
            }
        }
        manager
            .drop_table(Table::drop().table(ReplacedReceipt::Table).to_owned())
            .await
    }
}
