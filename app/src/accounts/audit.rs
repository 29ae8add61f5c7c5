//! The append-only audit log of staff and administrator actions: who, what,
//! when and why. The database refuses updates and deletes of this table.

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
    DisableAccount,
    /// An office handed a resident a one-time password reset code.
    IssuePasswordReset,
    /// A resident set a new password with such a code.
    ResetPassword,
    CreateArea,
    ImportCensus,
    IssueCode,
    MoveResident,
    RevokeVerification,
    /// A person whose verification an office ended, verified again on another account.
    ReverifyPerson,
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
            Action::DisableAccount => "disable-account",
            Action::IssuePasswordReset => "issue-password-reset",
            Action::ResetPassword => "reset-password",
            Action::CreateArea => "create-area",
            Action::ImportCensus => "import-census",
            Action::IssueCode => "issue-code",
            Action::MoveResident => "move-resident",
            Action::RevokeVerification => "revoke-verification",
            Action::ReverifyPerson => "reverify-person",
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

/// One entry to record, inside the transaction of the action itself (see
/// [`crate::accounts::audited::audited`]).
#[derive(Clone, Debug)]
pub struct Entry {
    pub actor_id: Option<i32>,
    pub action: Action,
    pub district_id: Option<i32>,
    /// What was acted on, as `kind:id` words.
    pub subject: String,
    pub reason: String,
}

impl Entry {
    /// An action of `actor` (none: the command line) in `district_id`, on `subject`.
    pub fn new(actor_id: Option<i32>, action: Action, district_id: Option<i32>, subject: impl Into<String>) -> Entry {
        Entry {
            actor_id,
            action,
            district_id,
            subject: subject.into(),
            reason: String::new(),
        }
    }

    /// The same entry with the reason the actor gave.
    pub fn because(self, reason: impl Into<String>) -> Entry {
        Entry {
            reason: reason.into(),
            ..self
        }
    }
}

pub(super) async fn record<C: ConnectionTrait>(db: &C, entry: Entry) -> Result<(), DbErr> {
    ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_id: Set(entry.actor_id),
        action: Set(entry.action.tag().to_owned()),
        district_id: Set(entry.district_id),
        subject: Set(entry.subject),
        reason: Set(entry.reason),
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
