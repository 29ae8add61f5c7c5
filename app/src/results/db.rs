//! Result snapshots, their ballot files and their publication: three
//! append-only tables. A snapshot is written whole in one transaction and the
//! database refuses any change to it afterwards.

use crate::results::ballot_file::Written;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{FromQueryResult, QueryOrder, QuerySelect, TransactionTrait};

pub mod snapshot {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "result_snapshot")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub round_id: i32,
        pub version: i32,
        pub supersedes: Option<i32>,
        pub digest: String,
        /// A [`crate::results::snapshot::Snapshot`] in JSON.
        #[sea_orm(column_type = "Text")]
        pub body: String,
        /// Why a correction was made; empty for the first count.
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        pub created_at: DateTimeUtc,
        pub created_by: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A ballot file in parts of whole lines (see the migration that made them):
/// the head (meta, projects and the votes' column names) has no first receipt,
/// and each part of ballot lines names the receipt of its first ballot.
pub mod ballot_part {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "result_ballot_part")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub snapshot_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i32,
        pub byte_offset: i64,
        pub byte_size: i64,
        pub first_receipt: Option<String>,
        #[sea_orm(column_type = "Text")]
        pub body: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod publication {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "result_publication")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub snapshot_id: i32,
        pub published_at: DateTimeUtc,
        pub published_by: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A snapshot to store.
pub struct New<'a> {
    pub round_id: i32,
    pub version: i32,
    pub supersedes: Option<i32>,
    pub digest: &'a str,
    pub body: String,
    pub reason: &'a str,
    pub created_by: i32,
    pub file: Written,
}

/// Stores a snapshot and its ballot file, both or neither (in a transaction of
/// their own, or a savepoint of the caller's); the unique (round, version)
/// makes the loser of two racing counts fail instead of adding a twin.
pub async fn insert<C: ConnectionTrait + TransactionTrait>(db: &C, new: New<'_>) -> Result<i32, DbErr> {
    let txn = db.begin().await?;
    let stored = snapshot::ActiveModel {
        round_id: Set(new.round_id),
        version: Set(new.version),
        supersedes: Set(new.supersedes),
        digest: Set(new.digest.to_owned()),
        body: Set(new.body),
        reason: Set(new.reason.to_owned()),
        created_at: Set(chrono::Utc::now()),
        created_by: Set(new.created_by),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let parts: Vec<ballot_part::ActiveModel> = new
        .file
        .parts()
        .enumerate()
        .map(|(seq, part)| ballot_part::ActiveModel {
            snapshot_id: Set(stored.id),
            seq: Set(i32::try_from(seq).unwrap_or(i32::MAX)),
            byte_offset: Set(i64::try_from(part.offset).unwrap_or(i64::MAX)),
            byte_size: Set(i64::try_from(part.text.len()).unwrap_or(i64::MAX)),
            first_receipt: Set(part.first_receipt.map(str::to_owned)),
            body: Set(part.text.to_owned()),
        })
        .collect();
    // One statement per part: a part is a large value, and a few of them fill
    // any statement's size limit.
    for part in parts {
        part.insert(&txn).await?;
    }
    txn.commit().await?;
    Ok(stored.id)
}

/// Publishes a snapshot; a second publication of the same one is refused by its key.
pub async fn publish<C: ConnectionTrait>(db: &C, snapshot_id: i32, by: i32) -> Result<(), DbErr> {
    publication::ActiveModel {
        snapshot_id: Set(snapshot_id),
        published_at: Set(chrono::Utc::now()),
        published_by: Set(by),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The newest snapshot of a round, published or not.
pub async fn latest<C: ConnectionTrait>(db: &C, round_id: i32) -> Result<Option<snapshot::Model>, DbErr> {
    snapshot::Entity::find()
        .filter(snapshot::Column::RoundId.eq(round_id))
        .order_by_desc(snapshot::Column::Version)
        .one(db)
        .await
}

/// Every published snapshot of a round with its publication, newest first.
pub async fn published<C: ConnectionTrait>(
    db: &C,
    round_id: i32,
) -> Result<Vec<(snapshot::Model, publication::Model)>, DbErr> {
    let snapshots = snapshot::Entity::find()
        .filter(snapshot::Column::RoundId.eq(round_id))
        .order_by_desc(snapshot::Column::Version)
        .all(db)
        .await?;
    let ids: Vec<i32> = snapshots.iter().map(|s| s.id).collect();
    let publications = publication::Entity::find()
        .filter(publication::Column::SnapshotId.is_in(ids))
        .all(db)
        .await?;
    Ok(snapshots
        .into_iter()
        .filter_map(|s| {
            let p = publications.iter().find(|p| p.snapshot_id == s.id)?.clone();
            Some((s, p))
        })
        .collect())
}

/// A published snapshot of a round, by version; none for a draft.
pub async fn published_version<C: ConnectionTrait>(
    db: &C,
    round_id: i32,
    version: i32,
) -> Result<Option<snapshot::Model>, DbErr> {
    let Some(found) = snapshot::Entity::find()
        .filter(snapshot::Column::RoundId.eq(round_id))
        .filter(snapshot::Column::Version.eq(version))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(publication::Entity::find_by_id(found.id).one(db).await?.map(|_| found))
}

/// Where a part of a ballot file lies, without its text.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct PartPlace {
    pub seq: i32,
    pub byte_offset: i64,
    pub byte_size: i64,
    pub first_receipt: Option<String>,
}

/// The parts of the ballot file of a snapshot, in order, without their text.
pub async fn part_places<C: ConnectionTrait>(db: &C, snapshot_id: i32) -> Result<Vec<PartPlace>, DbErr> {
    ballot_part::Entity::find()
        .filter(ballot_part::Column::SnapshotId.eq(snapshot_id))
        .select_only()
        .column(ballot_part::Column::Seq)
        .column(ballot_part::Column::ByteOffset)
        .column(ballot_part::Column::ByteSize)
        .column(ballot_part::Column::FirstReceipt)
        .order_by_asc(ballot_part::Column::Seq)
        .into_model()
        .all(db)
        .await
}

/// The text of one part of the ballot file of a snapshot.
pub async fn part_text<C: ConnectionTrait>(db: &C, snapshot_id: i32, seq: i32) -> Result<Option<String>, DbErr> {
    ballot_part::Entity::find_by_id((snapshot_id, seq))
        .select_only()
        .column(ballot_part::Column::Body)
        .into_tuple()
        .one(db)
        .await
}
