//! Budget rounds and proposals, the pure half: the phase order, the ballot and
//! tally rules, proposal categories and statuses, and the checks on what staff
//! and residents type. Amounts are stored in Rial and shown in Toman.

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod load;
pub mod office_actions;
pub mod office_page;
pub mod proposal_list;
pub mod proposal_page;
pub mod propose;
pub mod public_page;
pub mod views;

use crate::digits;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
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

    /// Whether a round may move from `self` to `to`: one step forward, never
    /// skipping and never back.
    pub fn can_move_to(self, to: Phase) -> bool {
        self.next() == Some(to)
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

/// What a proposal is about; a fixed list so that it can be filtered on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum Category {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "green"))]
    Green,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "streets"))]
    Streets,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "culture"))]
    Culture,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sports"))]
    Sports,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "safety"))]
    Safety,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "education"))]
    Education,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "health"))]
    Health,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "other"))]
    Other,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Green,
        Category::Streets,
        Category::Culture,
        Category::Sports,
        Category::Safety,
        Category::Education,
        Category::Health,
        Category::Other,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Category::Green => "green",
            Category::Streets => "streets",
            Category::Culture => "culture",
            Category::Sports => "sports",
            Category::Safety => "safety",
            Category::Education => "education",
            Category::Health => "health",
            Category::Other => "other",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.tag() == tag.trim())
    }

    pub fn msg(self) -> Msg {
        match self {
            Category::Green => Msg::CategoryGreen,
            Category::Streets => Msg::CategoryStreets,
            Category::Culture => Msg::CategoryCulture,
            Category::Sports => Msg::CategorySports,
            Category::Safety => Msg::CategorySafety,
            Category::Education => Msg::CategoryEducation,
            Category::Health => Msg::CategoryHealth,
            Category::Other => Msg::CategoryOther,
        }
    }
}

/// Where a proposal stands after the office looked at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum Status {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "submitted"))]
    Submitted,
    /// On the ballot: a project, with an official cost.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "accepted"))]
    Accepted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "rejected"))]
    Rejected,
    /// A duplicate, folded into another proposal's project.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "merged"))]
    Merged,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Submitted, Status::Accepted, Status::Rejected, Status::Merged];

    pub fn tag(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Merged => "merged",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.tag() == tag.trim())
    }

    pub fn msg(self) -> Msg {
        match self {
            Status::Submitted => Msg::StatusSubmitted,
            Status::Accepted => Msg::StatusAccepted,
            Status::Rejected => Msg::StatusRejected,
            Status::Merged => Msg::StatusMerged,
        }
    }
}

/// The orders the public list of proposals offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Newest,
    Title,
    /// Cheapest first, by the official cost or else the author's estimate.
    Cost,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Newest, Sort::Title, Sort::Cost];

    pub fn tag(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Title => "title",
            Sort::Cost => "cost",
        }
    }

    /// Unknown orders fall back to the newest first.
    pub fn from_tag(tag: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|s| s.tag() == tag.trim())
            .unwrap_or_default()
    }

    pub fn msg(self) -> Msg {
        match self {
            Sort::Newest => Msg::SortNewest,
            Sort::Title => Msg::SortTitle,
            Sort::Cost => Msg::SortCost,
        }
    }
}

/// What the public list of a round's proposals is narrowed to, as the page's
/// address gives it. Anything unreadable in the address is simply ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalFilter {
    pub q: String,
    pub category: Option<Category>,
    pub neighborhood: Option<i32>,
    pub status: Option<Status>,
    pub sort: Sort,
    /// Counted from 1.
    pub page: u64,
}

impl ProposalFilter {
    /// Reads the filter from query parameters.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> ProposalFilter {
        let text = |key: &str| get(key).unwrap_or_default();
        ProposalFilter {
            q: text("q").trim().chars().take(100).collect(),
            category: Category::from_tag(&text("category")),
            neighborhood: digits::to_latin(&text("neighborhood")).trim().parse().ok(),
            status: Status::from_tag(&text("status")),
            sort: Sort::from_tag(&text("sort")),
            page: digits::to_latin(&text("page"))
                .trim()
                .parse()
                .ok()
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The query string of this filter on another page (empty parts left out).
    pub fn query(&self, page: u64) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode(&self.q)));
        }
        if let Some(c) = self.category {
            parts.push(format!("category={}", c.tag()));
        }
        if let Some(n) = self.neighborhood {
            parts.push(format!("neighborhood={n}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.tag()));
        }
        if self.sort != Sort::default() {
            parts.push(format!("sort={}", self.sort.tag()));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        parts.join("&")
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// How many pages `total` items fill (at least one, so "page 1 of 1" reads right).
pub fn page_count(total: u64) -> u64 {
    total.div_ceil(PAGE_SIZE).max(1)
}

/// Proposals shown per page of the public list.
pub const PAGE_SIZE: u64 = 20;
/// How many proposals one resident may submit to a round, unless the round says otherwise.
pub const DEFAULT_PROPOSALS_PER_RESIDENT: i32 = 3;
pub const PROPOSALS_PER_RESIDENT_MAX: i32 = 50;

fn trimmed_within(text: &str, min: usize, max: usize) -> Option<String> {
    let text = text.trim();
    (min..=max).contains(&text.chars().count()).then(|| text.to_owned())
}

pub fn proposal_title(text: &str) -> Result<String, ApiError> {
    trimmed_within(text, 5, 120).ok_or(ApiError::ProposalTitleLength)
}

pub fn proposal_description(text: &str) -> Result<String, ApiError> {
    trimmed_within(text, 20, 4000).ok_or(ApiError::ProposalDescriptionLength)
}

/// The optional place of a proposal, in words.
pub fn location(text: &str) -> Result<String, ApiError> {
    trimmed_within(text, 0, 200).ok_or(ApiError::LocationLength)
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
mod tests {
    use super::*;

    #[test]
    fn phases_move_one_step_forward_only() {
        assert!(Phase::Draft.can_move_to(Phase::Proposals));
        assert!(Phase::Closed.can_move_to(Phase::Published));
        assert!(!Phase::Draft.can_move_to(Phase::Review));
        assert!(!Phase::Review.can_move_to(Phase::Proposals));
        assert!(!Phase::Voting.can_move_to(Phase::Voting));
        assert_eq!(Phase::Published.next(), None);
        for phase in Phase::ALL {
            assert_eq!(Phase::from_tag(phase.tag()), Some(phase));
        }
    }

    #[test]
    fn rules_freeze_when_voting_opens() {
        assert!(!Phase::Review.rules_frozen());
        assert!(Phase::Voting.rules_frozen());
        assert!(Phase::Published.rules_frozen());
    }

    #[test]
    fn ballot_rules_need_a_sensible_number() {
        assert_eq!(BallotRule::parse("approval", "۵"), Ok(BallotRule::Approval(5)));
        assert_eq!(BallotRule::parse("knapsack", ""), Ok(BallotRule::Knapsack));
        assert_eq!(BallotRule::parse("cumulative", "10"), Ok(BallotRule::Cumulative(10)));
        assert_eq!(BallotRule::parse("approval", "0"), Err(ApiError::BallotRuleInvalid));
        assert_eq!(BallotRule::parse("approval", ""), Err(ApiError::BallotRuleInvalid));
        assert_eq!(BallotRule::parse("cumulative", "x"), Err(ApiError::BallotRuleInvalid));
        assert_eq!(BallotRule::parse("ranked", "3"), Err(ApiError::BallotRuleInvalid));
        let rule = BallotRule::Cumulative(7);
        assert_eq!(BallotRule::new(rule.tag(), rule.param()), Some(rule));
    }

    #[test]
    fn equal_shares_is_the_default_tally() {
        assert_eq!(TallyRule::default(), TallyRule::EqualShares);
        assert_eq!(TallyRule::from_tag("greedy"), Some(TallyRule::Greedy));
        assert_eq!(TallyRule::from_tag("borda"), None);
    }

    #[test]
    fn amounts_are_typed_in_toman_and_kept_in_rial() {
        assert_eq!(parse_toman("۱٬۲۰۰٬۰۰۰"), Ok(Some(12_000_000)));
        assert_eq!(parse_toman("1,500"), Ok(Some(15_000)));
        assert_eq!(parse_toman("  "), Ok(None));
        assert_eq!(parse_toman("0"), Err(ApiError::AmountInvalid));
        assert_eq!(parse_toman("-5"), Err(ApiError::AmountInvalid));
        assert_eq!(parse_toman("9999999999999999999"), Err(ApiError::AmountInvalid));
        assert_eq!(required_toman(""), Err(ApiError::AmountInvalid));
        assert_eq!(toman(Lang::Fa, 12_000_000), "۱٬۲۰۰٬۰۰۰ تومان");
        assert_eq!(toman(Lang::En, 12_000_000), "1,200,000 toman");
    }

    #[test]
    fn proposal_texts_have_bounded_lengths() {
        assert_eq!(proposal_title("  پارک  ").unwrap_err(), ApiError::ProposalTitleLength);
        assert_eq!(proposal_title(" نیمکت پارک ").as_deref(), Ok("نیمکت پارک"));
        assert!(proposal_title(&"ب".repeat(121)).is_err());
        assert!(proposal_description(&"ب".repeat(19)).is_err());
        assert!(proposal_description(&"ب".repeat(4000)).is_ok());
        assert_eq!(location(""), Ok(String::new()));
    }

    #[test]
    fn filters_come_from_the_address_and_go_back_into_it() {
        let query = |key: &str| match key {
            "q" => Some(" پارک ".to_owned()),
            "category" => Some("green".to_owned()),
            "neighborhood" => Some("۱۲".to_owned()),
            "status" => Some("bogus".to_owned()),
            "sort" => Some("cost".to_owned()),
            "page" => Some("0".to_owned()),
            _ => None,
        };
        let filter = ProposalFilter::from_query(query);
        assert_eq!(filter.q, "پارک");
        assert_eq!(filter.category, Some(Category::Green));
        assert_eq!(filter.neighborhood, Some(12));
        assert_eq!(filter.status, None);
        assert_eq!(filter.page, 1);
        assert_eq!(
            filter.query(3),
            "q=%D9%BE%D8%A7%D8%B1%DA%A9&category=green&neighborhood=12&sort=cost&page=3"
        );
        assert_eq!(ProposalFilter::default().query(1), "");
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(41), 3);
    }

    #[test]
    fn counts_are_optional_and_bounded() {
        let err = ApiError::MinAgeInvalid;
        assert_eq!(parse_count("", 1..=5, err), Ok(None));
        assert_eq!(parse_count("۳", 1..=5, err), Ok(Some(3)));
        assert_eq!(parse_count("6", 1..=5, err), Err(err));
        assert_eq!(Sort::from_tag("cost"), Sort::Cost);
        assert_eq!(Sort::from_tag("nonsense"), Sort::Newest);
        assert_eq!(Category::from_tag("green"), Some(Category::Green));
        assert_eq!(Status::from_tag("merged"), Some(Status::Merged));
    }
}
