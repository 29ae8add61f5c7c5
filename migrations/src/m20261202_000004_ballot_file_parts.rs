//! A published ballot file runs to tens of megabytes for a city's round. It is
//! kept in parts of whole lines, each with its byte offset in the file and, for
//! a part of ballot lines, the receipt of its first ballot (the file lists
//! ballots sorted by receipt): a download streams the parts one by one, a byte
//! range reads only the parts it covers, and a receipt check reads the head of
//! the file and the one part that can hold the receipt. Files stored before are
//! kept whole, as one head part. Append-only, like the table it replaces.

use crate::append_only;
use crate::columns::fk;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ResultSnapshot {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ResultBallotPart {
    Table,
    SnapshotId,
    Seq,
    ByteOffset,
    ByteSize,
    FirstReceipt,
    Body,
}

const TABLE: &str = "result_ballot_part";
const FORMER: &str = "result_ballots";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ResultBallotPart::Table)
                    .col(ColumnDef::new(ResultBallotPart::SnapshotId).integer().not_null())
                    .col(ColumnDef::new(ResultBallotPart::Seq).integer().not_null())
                    .col(ColumnDef::new(ResultBallotPart::ByteOffset).big_integer().not_null())
                    .col(ColumnDef::new(ResultBallotPart::ByteSize).big_integer().not_null())
                    .col(ColumnDef::new(ResultBallotPart::FirstReceipt).string_len(64).null())
                    .col(ColumnDef::new(ResultBallotPart::Body).text().not_null())
                    .primary_key(
                        Index::create()
                            .col(ResultBallotPart::SnapshotId)
                            .col(ResultBallotPart::Seq),
                    )
                    .check(Expr::col(ResultBallotPart::ByteOffset).gte(0))
                    .check(Expr::col(ResultBallotPart::ByteSize).gte(0))
                    .foreign_key(&mut fk(
                        "fk_result_ballot_part_snapshot",
                        (ResultBallotPart::Table, ResultBallotPart::SnapshotId),
                        (ResultSnapshot::Table, ResultSnapshot::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let size = match manager.get_database_backend() {
            DatabaseBackend::Postgres => "octet_length(file)",
            _ => "length(CAST(file AS BLOB))",
        };
        db.execute_unprepared(&format!(
            "INSERT INTO {TABLE} (snapshot_id, seq, byte_offset, byte_size, first_receipt, body) \
             SELECT snapshot_id, 0, 0, {size}, NULL, file FROM {FORMER}"
        ))
        .await?;
        manager
            .drop_table(Table::drop().table(Alias::new(FORMER)).to_owned())
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {FORMER}_append_only()"))
                .await?;
        }
        append_only(manager, TABLE).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "ballot files in parts cannot be put back whole by a migration".to_owned(),
        ))
    }
}
