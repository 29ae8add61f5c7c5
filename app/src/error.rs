//! The error that crosses the wire between server functions and pages. Each
//! variant names a translated message; the server never sends sentences.

use crate::i18n::{Lang, Msg};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("bad request")]
    BadRequest,
    #[error("request too large")]
    TooLarge,
    #[error("not found")]
    NotFound,
    #[error("service unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
    #[error("not signed in")]
    NotSignedIn,
    #[error("forbidden")]
    Forbidden,
    #[error("login is not a mobile number or email")]
    LoginInvalid,
    #[error("password length")]
    PasswordLength,
    #[error("passwords differ")]
    PasswordsDiffer,
    #[error("login taken")]
    LoginTaken,
    #[error("wrong login or password")]
    BadCredentials,
    #[error("account disabled")]
    AccountDisabled,
    #[error("too many attempts")]
    TooManyAttempts,
    #[error("national code length")]
    NationalCodeLength,
    #[error("national code check digit")]
    NationalCodeCheckDigit,
    #[error("national code verified on another account")]
    NationalCodeTaken,
    #[error("the person is verified on an account already")]
    PersonVerified,
    #[error("account already verified")]
    AlreadyVerified,
    #[error("account not verified")]
    NotVerified,
    #[error("no census entry matches")]
    CensusNoMatch,
    #[error("verification code unknown, used or expired")]
    VerificationCodeInvalid,
    #[error("national code does not match the resident's")]
    NationalCodeMismatch,
    #[error("login or password reset code unknown, used or expired")]
    ResetCodeInvalid,
    #[error("birth year invalid")]
    BirthYearInvalid,
    #[error("not a neighborhood of this district")]
    NeighborhoodInvalid,
    #[error("not a district")]
    DistrictInvalid,
    #[error("reason required")]
    ReasonRequired,
    #[error("name invalid")]
    NameInvalid,
    #[error("name taken")]
    NameTaken,
    #[error("round title length")]
    RoundTitleInvalid,
    #[error("not this district or one of its neighborhoods")]
    AreaInvalid,
    #[error("amount invalid")]
    AmountInvalid,
    #[error("official cost above the round's budget")]
    CostOverBudget,
    #[error("ballot rule invalid")]
    BallotRuleInvalid,
    #[error("tally rule invalid")]
    TallyRuleInvalid,
    #[error("minimum age invalid")]
    MinAgeInvalid,
    #[error("proposals per resident invalid")]
    ProposalLimitInvalid,
    #[error("not possible in this phase")]
    WrongPhase,
    #[error("phases move one step forward")]
    PhaseOrder,
    #[error("rules frozen since voting opened")]
    RulesFrozen,
    #[error("proposal title length")]
    ProposalTitleLength,
    #[error("proposal description length")]
    ProposalDescriptionLength,
    #[error("location length")]
    LocationLength,
    #[error("category invalid")]
    CategoryInvalid,
    #[error("resident's neighborhood not covered by the round")]
    OutsideRound,
    #[error("proposal limit reached")]
    ProposalLimit,
    #[error("merge target invalid")]
    MergeTargetInvalid,
    #[error("ballot chooses nothing")]
    BallotEmpty,
    #[error("ballot chooses too many projects")]
    BallotTooMany,
    #[error("ballot costs more than the budget")]
    BallotOverBudget,
    #[error("ballot gives more points than the rule allows")]
    BallotPointsOver,
    #[error("ballot points are not whole numbers from 1")]
    BallotPointsInvalid,
    #[error("ballot names a project not on this ballot")]
    BallotUnknownProject,
    #[error("ballot names a project twice")]
    BallotDuplicate,
    #[error("the person's ballot was cast from another account")]
    BallotCastElsewhere,
    #[error("younger than the round's minimum age")]
    TooYoung,
    #[error("round already counted")]
    AlreadyCounted,
    #[error("a count of this round is running")]
    CountRunning,
    #[error("a count ran past its time limit and was stopped")]
    CountTooLong,
    #[error("round not counted yet")]
    NotCounted,
    #[error("receipt malformed")]
    ReceiptInvalid,
    #[error("no ballot has this receipt")]
    ReceiptUnknown,
    #[error("progress invalid")]
    ProgressInvalid,
    #[error("note too long")]
    NoteTooLong,
    #[error("not a funded project of a published round")]
    NotFunded,
    #[error("a planned date is not a date")]
    PlanDateInvalid,
    #[error("a planned phase starts before the one before it")]
    PlanOrder,
    #[error("census file has no rows")]
    CensusEmpty,
    #[error("census line {line}: {problem:?}")]
    CensusLine { line: u32, problem: CensusProblem },
    /// A review decision refused for what was typed in its proposal's row, so
    /// that the office page shows it there.
    #[error("review of proposal {proposal}: {problem:?}")]
    Review { proposal: i32, problem: ReviewProblem },
}

/// What is wrong with the decision typed in one row of the review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewProblem {
    AmountInvalid,
    CostOverBudget,
    ReasonRequired,
    MergeTargetInvalid,
}

/// What is wrong with one line of a census file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CensusProblem {
    Columns,
    NationalCode,
    BirthYear,
    Neighborhood,
    Duplicate,
}

impl ApiError {
    pub fn msg(self) -> Msg {
        match self {
            ApiError::BadRequest => Msg::ErrorBadRequest,
            ApiError::TooLarge => Msg::ErrorTooLarge,
            ApiError::NotFound => Msg::ErrorNotFound,
            ApiError::Unavailable => Msg::ErrorUnavailable,
            ApiError::Internal => Msg::ErrorInternal,
            ApiError::NotSignedIn => Msg::ErrorNotSignedIn,
            ApiError::Forbidden => Msg::ErrorForbidden,
            ApiError::LoginInvalid => Msg::ErrorLoginInvalid,
            ApiError::PasswordLength => Msg::ErrorPasswordLength,
            ApiError::PasswordsDiffer => Msg::ErrorPasswordsDiffer,
            ApiError::LoginTaken => Msg::ErrorLoginTaken,
            ApiError::BadCredentials => Msg::ErrorBadCredentials,
            ApiError::AccountDisabled => Msg::ErrorAccountDisabled,
            ApiError::TooManyAttempts => Msg::ErrorTooManyAttempts,
            ApiError::NationalCodeLength => Msg::ErrorNationalCodeLength,
            ApiError::NationalCodeCheckDigit => Msg::ErrorNationalCodeCheckDigit,
            ApiError::NationalCodeTaken => Msg::ErrorNationalCodeTaken,
            ApiError::PersonVerified => Msg::ErrorPersonVerified,
            ApiError::AlreadyVerified => Msg::ErrorAlreadyVerified,
            ApiError::NotVerified => Msg::ErrorNotVerified,
            ApiError::CensusNoMatch => Msg::ErrorCensusNoMatch,
            ApiError::VerificationCodeInvalid => Msg::ErrorVerificationCodeInvalid,
            ApiError::NationalCodeMismatch => Msg::ErrorNationalCodeMismatch,
            ApiError::ResetCodeInvalid => Msg::ErrorResetCodeInvalid,
            ApiError::BirthYearInvalid => Msg::ErrorBirthYearInvalid,
            ApiError::NeighborhoodInvalid => Msg::ErrorNeighborhoodInvalid,
            ApiError::DistrictInvalid => Msg::ErrorDistrictInvalid,
            ApiError::ReasonRequired => Msg::ErrorReasonRequired,
            ApiError::NameInvalid => Msg::ErrorNameInvalid,
            ApiError::NameTaken => Msg::ErrorNameTaken,
            ApiError::CensusEmpty => Msg::ErrorCensusEmpty,
            ApiError::RoundTitleInvalid => Msg::ErrorRoundTitleInvalid,
            ApiError::AreaInvalid => Msg::ErrorAreaInvalid,
            ApiError::AmountInvalid => Msg::ErrorAmountInvalid,
            ApiError::CostOverBudget => Msg::ErrorCostOverBudget,
            ApiError::BallotRuleInvalid => Msg::ErrorBallotRuleInvalid,
            ApiError::TallyRuleInvalid => Msg::ErrorTallyRuleInvalid,
            ApiError::MinAgeInvalid => Msg::ErrorMinAgeInvalid,
            ApiError::ProposalLimitInvalid => Msg::ErrorProposalLimitInvalid,
            ApiError::WrongPhase => Msg::ErrorWrongPhase,
            ApiError::PhaseOrder => Msg::ErrorPhaseOrder,
            ApiError::RulesFrozen => Msg::ErrorRulesFrozen,
            ApiError::ProposalTitleLength => Msg::ErrorProposalTitleLength,
            ApiError::ProposalDescriptionLength => Msg::ErrorProposalDescriptionLength,
            ApiError::LocationLength => Msg::ErrorLocationLength,
            ApiError::CategoryInvalid => Msg::ErrorCategoryInvalid,
            ApiError::OutsideRound => Msg::ErrorOutsideRound,
            ApiError::ProposalLimit => Msg::ErrorProposalLimit,
            ApiError::MergeTargetInvalid => Msg::ErrorMergeTargetInvalid,
            ApiError::BallotEmpty => Msg::ErrorBallotEmpty,
            ApiError::BallotTooMany => Msg::ErrorBallotTooMany,
            ApiError::BallotOverBudget => Msg::ErrorBallotOverBudget,
            ApiError::BallotPointsOver => Msg::ErrorBallotPointsOver,
            ApiError::BallotPointsInvalid => Msg::ErrorBallotPointsInvalid,
            ApiError::BallotUnknownProject => Msg::ErrorBallotUnknownProject,
            ApiError::BallotDuplicate => Msg::ErrorBallotDuplicate,
            ApiError::BallotCastElsewhere => Msg::ErrorBallotCastElsewhere,
            ApiError::TooYoung => Msg::ErrorTooYoung,
            ApiError::AlreadyCounted => Msg::ErrorAlreadyCounted,
            ApiError::CountRunning => Msg::ErrorCountRunning,
            ApiError::CountTooLong => Msg::ErrorCountTooLong,
            ApiError::NotCounted => Msg::ErrorNotCounted,
            ApiError::ReceiptInvalid => Msg::ErrorReceiptInvalid,
            ApiError::ReceiptUnknown => Msg::ErrorReceiptUnknown,
            ApiError::ProgressInvalid => Msg::ErrorProgressInvalid,
            ApiError::NoteTooLong => Msg::ErrorNoteTooLong,
            ApiError::NotFunded => Msg::ErrorNotFunded,
            ApiError::PlanDateInvalid => Msg::ErrorPlanDateInvalid,
            ApiError::PlanOrder => Msg::ErrorPlanOrder,
            ApiError::Review { problem, .. } => match problem {
                ReviewProblem::AmountInvalid => Msg::ErrorAmountInvalid,
                ReviewProblem::CostOverBudget => Msg::ErrorCostOverBudget,
                ReviewProblem::ReasonRequired => Msg::ErrorReasonRequired,
                ReviewProblem::MergeTargetInvalid => Msg::ErrorMergeTargetInvalid,
            },
            ApiError::CensusLine { problem, .. } => match problem {
                CensusProblem::Columns => Msg::ErrorCensusColumns,
                CensusProblem::NationalCode => Msg::ErrorCensusNationalCode,
                CensusProblem::BirthYear => Msg::ErrorCensusBirthYear,
                CensusProblem::Neighborhood => Msg::ErrorCensusNeighborhood,
                CensusProblem::Duplicate => Msg::ErrorCensusDuplicate,
            },
        }
    }

    /// The translated sentence, with any detail (a line number) filled in.
    pub fn message(self, lang: Lang) -> String {
        match self {
            ApiError::CensusLine { line, .. } => {
                lang.format(self.msg(), &[("line", &crate::format::number(lang, i64::from(line)))])
            }
            _ => lang.text(self.msg()).to_owned(),
        }
    }

    /// This error bound to the review row of `proposal` when it is about what
    /// was typed there; any other error as it is.
    pub fn in_review_row(self, proposal: i32) -> ApiError {
        let problem = match self {
            ApiError::AmountInvalid => ReviewProblem::AmountInvalid,
            ApiError::CostOverBudget => ReviewProblem::CostOverBudget,
            ApiError::ReasonRequired => ReviewProblem::ReasonRequired,
            ApiError::MergeTargetInvalid => ReviewProblem::MergeTargetInvalid,
            other => return other,
        };
        ApiError::Review { proposal, problem }
    }

    /// The proposal whose review row this error belongs to, if any.
    pub fn review_row(self) -> Option<i32> {
        match self {
            ApiError::Review { proposal, .. } => Some(proposal),
            _ => None,
        }
    }

    pub fn status(self) -> u16 {
        match self {
            ApiError::NotFound | ApiError::ReceiptUnknown => 404,
            ApiError::Unavailable | ApiError::CountTooLong => 503,
            ApiError::Internal => 500,
            ApiError::NotSignedIn | ApiError::BadCredentials => 401,
            ApiError::Forbidden | ApiError::TooYoung | ApiError::AccountDisabled => 403,
            ApiError::LoginTaken
            | ApiError::NationalCodeTaken
            | ApiError::PersonVerified
            | ApiError::AlreadyVerified
            | ApiError::NameTaken
            | ApiError::WrongPhase
            | ApiError::PhaseOrder
            | ApiError::RulesFrozen
            | ApiError::ProposalLimit
            | ApiError::AlreadyCounted
            | ApiError::CountRunning
            | ApiError::NotCounted
            | ApiError::NotFunded
            | ApiError::BallotCastElsewhere => 409,
            ApiError::TooManyAttempts => 429,
            ApiError::TooLarge => 413,
            _ => 400,
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => ApiError::BadRequest,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => ApiError::Unavailable,
            _ => ApiError::Internal,
        }
    }
}

/// Database failures are logged here, once, with their detail; the visitor gets
/// only the translated message.
#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::DbErr;
        match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                tracing::error!(error = %err, "database unavailable");
                ApiError::Unavailable
            }
            DbErr::RecordNotFound(_) => ApiError::NotFound,
            _ => {
                tracing::error!(error = %err, "database error");
                ApiError::Internal
            }
        }
    }
}

/// Turns an unexpected condition (a row that should exist, a stored value
/// that does not decode) into [`ApiError::Internal`]. What broke is logged
/// here, once, with the row it concerned and the place in the code; the
/// visitor sees only the translated message.
#[cfg(feature = "ssr")]
pub trait OrInternal<T> {
    fn or_internal(self, what: impl FnOnce() -> String) -> Result<T, ApiError>;
}

#[cfg(feature = "ssr")]
impl<T> OrInternal<T> for Option<T> {
    #[track_caller]
    fn or_internal(self, what: impl FnOnce() -> String) -> Result<T, ApiError> {
        match self {
            Some(value) => Ok(value),
            None => {
                let at = std::panic::Location::caller();
                tracing::error!(%at, "{}", what());
                Err(ApiError::Internal)
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl<T, E: std::fmt::Display> OrInternal<T> for Result<T, E> {
    #[track_caller]
    fn or_internal(self, what: impl FnOnce() -> String) -> Result<T, ApiError> {
        match self {
            Ok(value) => Ok(value),
            Err(err) => {
                let at = std::panic::Location::caller();
                tracing::error!(%at, error = %err, "{}", what());
                Err(ApiError::Internal)
            }
        }
    }
}

/// Whether the database refused `err`'s statement for a unique constraint,
/// on either database (by the database's own error code).
#[cfg(feature = "ssr")]
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// Whether a trigger refused `err`'s statement with `refusal`, a message the
/// `migrations` crate defines and raises: the database's own message is
/// compared whole, on either database.
#[cfg(feature = "ssr")]
pub fn is_refusal(err: &sea_orm::DbErr, refusal: &str) -> bool {
    use sea_orm::{DbErr, RuntimeErr, sqlx};
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(sqlx::Error::Database(e)))
        | DbErr::Query(RuntimeErr::SqlxError(sqlx::Error::Database(e))) => e.message() == refusal,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_failures_read_as_unavailable_and_bad_arguments_as_bad_requests() {
        let unavailable = ApiError::from_server_fn_error(ServerFnErrorErr::Request("timeout".into()));
        assert_eq!(unavailable, ApiError::Unavailable);
        let bad = ApiError::from_server_fn_error(ServerFnErrorErr::Args("q".into()));
        assert_eq!(bad.status(), 400);
    }

    #[test]
    fn census_errors_name_their_line_in_each_language() {
        let err = ApiError::CensusLine {
            line: 12,
            problem: CensusProblem::NationalCode,
        };
        assert!(err.message(Lang::En).contains("12"));
        assert!(err.message(Lang::Fa).contains("۱۲"));
    }
}
