//! The append-only audit log of staff and administrator actions: who, what,
//! when and why. The database refuses updates and deletes of this table.

use crate::error::ApiError;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i32>,
    pub action: String,
    pub district_id: Option<i32>,
    pub subject: String,
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What was done; stored as its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    CreateAdmin,
    CreateStaff,
    CreateArea,
    ImportCensus,
    IssueCode,
    MoveResident,
    RevokeVerification,
    CreateRound,
    EditRound,
    AdvancePhase,
    AcceptProposal,
    RejectProposal,
    MergeProposal,
    PublishResult,
    CorrectResult,
    RecordProgress,
}

impl Action {
    pub fn tag(self) -> &'static str {
        match self {
            Action::CreateAdmin => "create-admin",
            Action::CreateStaff => "create-staff",
            Action::CreateArea => "create-area",
            Action::ImportCensus => "import-census",
            Action::IssueCode => "issue-code",
            Action::MoveResident => "move-resident",
            Action::RevokeVerification => "revoke-verification",
            Action::CreateRound => "create-round",
            Action::EditRound => "edit-round",
            Action::AdvancePhase => "advance-phase",
            Action::AcceptProposal => "accept-proposal",
            Action::RejectProposal => "reject-proposal",
            Action::MergeProposal => "merge-proposal",
            Action::PublishResult => "publish-result",
            Action::CorrectResult => "correct-result",
            Action::RecordProgress => "record-progress",
        }
    }
}

/// One entry to record, inside the transaction of the action itself.
pub struct Entry<'a> {
    pub actor_id: Option<i32>,
    pub action: Action,
    pub district_id: Option<i32>,
    pub subject: &'a str,
    pub reason: &'a str,
}

pub async fn record<C: ConnectionTrait>(db: &C, entry: Entry<'_>) -> Result<(), DbErr> {
    ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_id: Set(entry.actor_id),
        action: Set(entry.action.tag().to_owned()),
        district_id: Set(entry.district_id),
        subject: Set(entry.subject.to_owned()),
        reason: Set(entry.reason.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// The newest entries first.
pub async fn recent<C: ConnectionTrait>(db: &C, limit: u64) -> Result<Vec<Model>, DbErr> {
    Entity::find().order_by_desc(Column::Id).limit(limit).all(db).await
}

/// Runs `change` and records it in the audit log, in one transaction.
#[cfg(feature = "ssr")]
pub(crate) async fn audited<T>(
    db: &sea_orm::DatabaseConnection,
    actor: i32,
    district_id: i32,
    action: crate::accounts::audit::Action,
    subject: &str,
    reason: &str,
    change: impl AsyncFnOnce(&sea_orm::DatabaseTransaction) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    // The change comes first: on SQLite the transaction's first statement must write.
    let value = change(&txn).await?;
    crate::accounts::audit::record(
        &txn,
        crate::accounts::audit::Entry {
            actor_id: Some(actor),
            action,
            district_id: Some(district_id),
            subject,
            reason,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(value)
}
