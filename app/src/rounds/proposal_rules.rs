//! Proposals, the rules both builds share: categories and statuses, the
//! public list's filter, sort and pages as the address carries them, and the
//! checks on what a resident types.

use crate::digits;
use crate::error::ApiError;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

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
            // No control characters: PostgreSQL compares no NUL in text.
            q: text("q").trim().chars().filter(|c| !c.is_control()).take(100).collect(),
            category: Category::from_tag(&text("category")),
            neighborhood: digits::to_latin(&text("neighborhood")).trim().parse().ok(),
            status: Status::from_tag(&text("status")),
            sort: Sort::from_tag(&text("sort")),
            page: page_number(&text("page")),
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

/// The highest page the list goes to: no round has two million proposals, and
/// the database's offset stays far from overflowing.
pub const PAGE_MAX: u64 = 100_000;

/// A page number from the address, within 1..=[`PAGE_MAX`]: a number too big
/// for any page is the last allowed one, anything unreadable the first.
fn page_number(text: &str) -> u64 {
    let text = digits::to_latin(text);
    let text = text.trim();
    match text.parse::<u64>() {
        Ok(page) => page.clamp(1, PAGE_MAX),
        Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => PAGE_MAX,
        Err(_) => 1,
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

pub(crate) fn trimmed_within(text: &str, min: usize, max: usize) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn page_of(page: &str) -> u64 {
        ProposalFilter::from_query(|key| (key == "page").then(|| page.to_owned())).page
    }

    #[test]
    fn page_numbers_stay_within_bounds() {
        assert_eq!(page_of("2"), 2);
        assert_eq!(page_of("۳"), 3);
        assert_eq!(page_of("0"), 1);
        assert_eq!(page_of("-4"), 1);
        assert_eq!(page_of("abc"), 1);
        assert_eq!(page_of(""), 1);
        assert_eq!(page_of("100000"), PAGE_MAX);
        assert_eq!(page_of("100001"), PAGE_MAX);
        assert_eq!(page_of("18446744073709551615"), PAGE_MAX);
        assert_eq!(page_of("99999999999999999999"), PAGE_MAX);
        assert!((PAGE_MAX - 1).checked_mul(PAGE_SIZE).is_some());
    }

    #[test]
    fn unreadable_neighborhoods_are_ignored() {
        let of = |n: &str| ProposalFilter::from_query(|key| (key == "neighborhood").then(|| n.to_owned())).neighborhood;
        assert_eq!(of("7"), Some(7));
        assert_eq!(of("99999999999"), None);
        assert_eq!(of("x"), None);
    }
}
