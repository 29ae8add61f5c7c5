//! Budget rounds and proposals: the rules both builds share (the phase order,
//! the ballot and tally rules, amounts typed in Toman and kept in Rial), the
//! round and proposal queries, the public pages and the office's pages.

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod load;
pub mod office_actions;
pub mod office_page;
pub mod open;
#[cfg(feature = "ssr")]
pub mod proposal_db;
pub mod proposal_list;
pub mod proposal_page;
pub mod proposal_rules;
pub mod propose;
pub mod public_page;
pub mod schedule;
pub mod views;

pub use proposal_rules::{
    Category, DEFAULT_PROPOSALS_PER_RESIDENT, PAGE_SIZE, PROPOSALS_PER_RESIDENT_MAX, ProposalFilter, Sort, Status,
    location, page_count, proposal_description, proposal_title,
};

use crate::digits;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::rounds::proposal_rules::trimmed_within;
use serde::{Deserialize, Serialize};

/// The phases of a round, in the only order they can be passed through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum Phase {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "draft"))]
    Draft,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "proposals"))]
    Proposals,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "review"))]
    Review,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "voting"))]
    Voting,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "closed"))]
    Closed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "published"))]
    Published,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::Draft,
        Phase::Proposals,
        Phase::Review,
        Phase::Voting,
        Phase::Closed,
        Phase::Published,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Proposals => "proposals",
            Phase::Review => "review",
            Phase::Voting => "voting",
            Phase::Closed => "closed",
            Phase::Published => "published",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.tag() == tag)
    }

    pub fn msg(self) -> Msg {
        match self {
            Phase::Draft => Msg::PhaseDraft,
            Phase::Proposals => Msg::PhaseProposals,
            Phase::Review => Msg::PhaseReview,
            Phase::Voting => Msg::PhaseVoting,
            Phase::Closed => Msg::PhaseClosed,
            Phase::Published => Msg::PhasePublished,
        }
    }

    /// The phase that follows; none after publication.
    pub fn next(self) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| *p > self)
    }

    /// The phase staff may move the round to by hand, with what the move
    /// freezes for good; none once voting has closed (publishing the count
    /// publishes the round).
    pub fn move_by_hand(self) -> Option<(Phase, Msg)> {
        let next = self.next()?;
        let warning = match next {
            Phase::Proposals => Msg::AdvanceFreezesProposals,
            Phase::Review => Msg::AdvanceFreezesReview,
            Phase::Voting => Msg::AdvanceFreezesVoting,
            Phase::Closed => Msg::AdvanceFreezesClosed,
            Phase::Draft | Phase::Published => return None,
        };
        Some((next, warning))
    }

    /// Whether staff may move a round from `self` to `to`: one step forward,
    /// never skipping and never back, and never to publication, which only
    /// publishing a counted result does.
    pub fn can_move_to(self, to: Phase) -> bool {
        self.move_by_hand().is_some_and(|(next, _)| next == to)
    }

    /// Once voting opens, the ballot and tally rules (and the budget they
    /// refer to) can no longer change: voters must know what they vote under.
    pub fn rules_frozen(self) -> bool {
        self >= Phase::Voting
    }
}

/// How a voter fills in a ballot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BallotRule {
    /// Approve up to this many projects.
    Approval(i32),
    /// Approve any set of projects whose total cost fits the budget.
    Knapsack,
    /// Distribute this many points.
    Cumulative(i32),
}

/// Largest number of projects an approval ballot may allow, and of points a
/// cumulative ballot may hand out.
pub const APPROVAL_MAX: i32 = 100;
pub const POINTS_MAX: i32 = 1000;

impl BallotRule {
    pub const TAGS: [&'static str; 3] = ["approval", "knapsack", "cumulative"];

    pub fn tag(self) -> &'static str {
        match self {
            BallotRule::Approval(_) => "approval",
            BallotRule::Knapsack => "knapsack",
            BallotRule::Cumulative(_) => "cumulative",
        }
    }

    /// The number stored next to the tag (k or N; zero for knapsack).
    pub fn param(self) -> i32 {
        match self {
            BallotRule::Approval(k) => k,
            BallotRule::Knapsack => 0,
            BallotRule::Cumulative(n) => n,
        }
    }

    /// A rule from its stored or typed tag and number, if it makes sense.
    pub fn new(tag: &str, param: i32) -> Option<BallotRule> {
        match tag {
            "approval" if (1..=APPROVAL_MAX).contains(&param) => Some(BallotRule::Approval(param)),
            "knapsack" => Some(BallotRule::Knapsack),
            "cumulative" if (1..=POINTS_MAX).contains(&param) => Some(BallotRule::Cumulative(param)),
            _ => None,
        }
    }

    /// The rule as a form submits it: the number may be blank for knapsack.
    pub fn parse(tag: &str, param: &str) -> Result<BallotRule, ApiError> {
        let param = match digits::to_latin(param.trim()).as_str() {
            "" => 0,
            text => text.parse().map_err(|_| ApiError::BallotRuleInvalid)?,
        };
        BallotRule::new(tag.trim(), param).ok_or(ApiError::BallotRuleInvalid)
    }

    pub fn describe(self, lang: Lang) -> String {
        let n = |n: i32| crate::format::number(lang, i64::from(n));
        match self {
            BallotRule::Approval(k) => lang.format(Msg::BallotApproval, &[("count", &n(k))]),
            BallotRule::Knapsack => lang.text(Msg::BallotKnapsack).to_owned(),
            BallotRule::Cumulative(points) => lang.format(Msg::BallotCumulative, &[("count", &n(points))]),
        }
    }
}

/// How winners are computed from the ballots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum TallyRule {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "greedy"))]
    Greedy,
    #[default]
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "equal-shares"))]
    EqualShares,
}

impl TallyRule {
    pub const ALL: [TallyRule; 2] = [TallyRule::EqualShares, TallyRule::Greedy];

    pub fn tag(self) -> &'static str {
        match self {
            TallyRule::Greedy => "greedy",
            TallyRule::EqualShares => "equal-shares",
        }
    }

    pub fn from_tag(tag: &str) -> Option<TallyRule> {
        TallyRule::ALL.into_iter().find(|r| r.tag() == tag.trim())
    }

    pub fn msg(self) -> Msg {
        match self {
            TallyRule::Greedy => Msg::TallyGreedy,
            TallyRule::EqualShares => Msg::TallyEqualShares,
        }
    }
}

pub fn round_title(text: &str) -> Result<String, ApiError> {
    trimmed_within(text, 3, 200).ok_or(ApiError::RoundTitleInvalid)
}

/// An amount typed in Toman (any digits, optional thousands separators),
/// returned in Rial. Blank is `None`; zero, negative or absurd amounts are refused.
pub fn parse_toman(text: &str) -> Result<Option<i64>, ApiError> {
    let digits: String = digits::to_latin(text.trim())
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | '،' | ' ' | '_'))
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    digits
        .parse::<i64>()
        .ok()
        .filter(|toman| *toman > 0)
        .and_then(|toman| toman.checked_mul(10))
        .map(Some)
        .ok_or(ApiError::AmountInvalid)
}

/// A required amount in Toman, returned in Rial.
pub fn required_toman(text: &str) -> Result<i64, ApiError> {
    parse_toman(text)?.ok_or(ApiError::AmountInvalid)
}

/// A Rial amount written in Toman, with the language's digits and grouping.
pub fn toman(lang: Lang, rial: i64) -> String {
    lang.format(Msg::TomanAmount, &[("amount", &crate::format::number(lang, rial / 10))])
}

/// An optional small whole number typed in a form; blank is `None`, anything
/// outside `range` is `err`.
pub fn parse_count(text: &str, range: std::ops::RangeInclusive<i32>, err: ApiError) -> Result<Option<i32>, ApiError> {
    match digits::to_latin(text.trim()).as_str() {
        "" => Ok(None),
        text => text.parse().ok().filter(|n| range.contains(n)).map(Some).ok_or(err),
    }
}

#[cfg(test)]
mod tests;
