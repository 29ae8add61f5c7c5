//! The append-only audit log of staff and administrator actions: who, what,
//! when and why. The database refuses updates and deletes of this table.

use crate::i18n::{Lang, Msg};
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
    /// An office dated the phases of a round.
    PlanPhases,
    /// An office entered a proposal for a resident at its desk.
    EnterProposal,
    /// An office corrected a proposal's typos during review.
    CorrectProposal,
}

impl Action {
    pub const ALL: [Action; 23] = [
        Action::CreateAdmin,
        Action::CreateStaff,
        Action::DisableAccount,
        Action::IssuePasswordReset,
        Action::ResetPassword,
        Action::CreateArea,
        Action::ImportCensus,
        Action::IssueCode,
        Action::MoveResident,
        Action::RevokeVerification,
        Action::ReverifyPerson,
        Action::CreateRound,
        Action::EditRound,
        Action::AdvancePhase,
        Action::AcceptProposal,
        Action::RejectProposal,
        Action::MergeProposal,
        Action::PublishResult,
        Action::CorrectResult,
        Action::RecordProgress,
        Action::PlanPhases,
        Action::EnterProposal,
        Action::CorrectProposal,
    ];

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
            Action::PlanPhases => "plan-phases",
            Action::EnterProposal => "enter-proposal",
            Action::CorrectProposal => "correct-proposal",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.tag() == tag)
    }

    /// What the action is called on the audit page.
    pub fn msg(self) -> Msg {
        match self {
            Action::CreateAdmin => Msg::AuditActionCreateAdmin,
            Action::CreateStaff => Msg::AuditActionCreateStaff,
            Action::DisableAccount => Msg::AuditActionDisableAccount,
            Action::IssuePasswordReset => Msg::AuditActionIssuePasswordReset,
            Action::ResetPassword => Msg::AuditActionResetPassword,
            Action::CreateArea => Msg::AuditActionCreateArea,
            Action::ImportCensus => Msg::AuditActionImportCensus,
            Action::IssueCode => Msg::AuditActionIssueCode,
            Action::MoveResident => Msg::AuditActionMoveResident,
            Action::RevokeVerification => Msg::AuditActionRevokeVerification,
            Action::ReverifyPerson => Msg::AuditActionReverifyPerson,
            Action::CreateRound => Msg::AuditActionCreateRound,
            Action::EditRound => Msg::AuditActionEditRound,
            Action::AdvancePhase => Msg::AuditActionAdvancePhase,
            Action::AcceptProposal => Msg::AuditActionAcceptProposal,
            Action::RejectProposal => Msg::AuditActionRejectProposal,
            Action::MergeProposal => Msg::AuditActionMergeProposal,
            Action::PublishResult => Msg::AuditActionPublishResult,
            Action::CorrectResult => Msg::AuditActionCorrectResult,
            Action::RecordProgress => Msg::AuditActionRecordProgress,
            Action::PlanPhases => Msg::AuditActionPlanPhases,
            Action::EnterProposal => Msg::AuditActionEnterProposal,
            Action::CorrectProposal => Msg::AuditActionCorrectProposal,
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

/// Who did it: an account, or an operator at the server's command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    CommandLine,
    Account(i32),
}

/// Which entries to show; every part left empty matches all.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    pub actor: Option<Actor>,
    pub action: Option<Action>,
    pub since: Option<DateTimeUtc>,
}

/// The newest entries that match `filter`, first.
pub async fn recent<C: ConnectionTrait>(db: &C, filter: &Filter, limit: u64) -> Result<Vec<Model>, DbErr> {
    let mut query = Entity::find();
    match filter.actor {
        Some(Actor::CommandLine) => query = query.filter(Column::ActorId.is_null()),
        Some(Actor::Account(id)) => query = query.filter(Column::ActorId.eq(id)),
        None => {}
    }
    if let Some(action) = filter.action {
        query = query.filter(Column::Action.eq(action.tag()));
    }
    if let Some(since) = filter.since {
        query = query.filter(Column::At.gte(since));
    }
    query.order_by_desc(Column::Id).limit(limit).all(db).await
}

/// A subject's `kind:value` words in `lang`: `account:2 neighborhood:5` reads
/// "حساب ۲ · محله ۵". Words of no known kind are shown as they are.
pub fn describe_subject(lang: Lang, subject: &str) -> String {
    subject
        .split_whitespace()
        .map(|word| match word.split_once(':') {
            Some((kind, value)) => match kind_msg(kind) {
                Some(msg) => format!("{} {}", lang.text(msg), subject_value(lang, kind, value)),
                // A phase and its planned day.
                None => match Msg::from_key(&format!("phase-{kind}")) {
                    Some(phase) => format!("{} {}", lang.text(phase), crate::format::digits(lang, value)),
                    None => word.to_owned(),
                },
            },
            None => match word.split_once("->") {
                Some((from, to)) => format!("{} → {}", phase_name(lang, from), phase_name(lang, to)),
                None => word.to_owned(),
            },
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn kind_msg(kind: &str) -> Option<Msg> {
    Some(match kind {
        "account" => Msg::AuditKindAccount,
        "previously" => Msg::AuditKindPreviously,
        "neighborhood" => Msg::AuditKindNeighborhood,
        "area" => Msg::AuditKindArea,
        "rows" => Msg::AuditKindRows,
        "round" => Msg::AuditKindRound,
        "version" => Msg::AuditKindVersion,
        "digest" => Msg::AuditKindDigest,
        "proposal" => Msg::AuditKindProposal,
        "into" => Msg::AuditKindInto,
        "cost-rial" => Msg::AuditKindCost,
        _ => return None,
    })
}

fn subject_value(lang: Lang, kind: &str, value: &str) -> String {
    let value = value.strip_prefix("account:").unwrap_or(value);
    match (kind, value.parse::<i64>()) {
        ("cost-rial", Ok(rial)) => {
            lang.format(Msg::TomanAmount, &[("amount", &crate::format::number(lang, rial / 10))])
        }
        ("digest", _) => value.to_owned(),
        _ => crate::format::digits(lang, value),
    }
}

/// A round's phase by its tag; the texts are the rounds feature's, found by key
/// so that accounts need not know rounds.
fn phase_name(lang: Lang, tag: &str) -> String {
    Msg::from_key(&format!("phase-{tag}")).map_or_else(|| tag.to_owned(), |msg| lang.text(msg).to_owned())
}
