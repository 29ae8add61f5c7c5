//! Implementation tracking: where a funded project stands and
//! the checks on what staff write about it. Every update is kept, dated; the
//! latest one is the project's state.

use crate::digits;
use crate::error::ApiError;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum Stage {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "planned"))]
    Planned,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "in-progress"))]
    InProgress,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "done"))]
    Done,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Planned, Stage::InProgress, Stage::Done, Stage::Cancelled];

    pub fn tag(self) -> &'static str {
        match self {
            Stage::Planned => "planned",
            Stage::InProgress => "in-progress",
            Stage::Done => "done",
            Stage::Cancelled => "cancelled",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.tag() == tag.trim())
    }

    pub fn msg(self) -> Msg {
        match self {
            Stage::Planned => Msg::StagePlanned,
            Stage::InProgress => Msg::StageInProgress,
            Stage::Done => Msg::StageDone,
            Stage::Cancelled => Msg::StageCancelled,
        }
    }
}

/// One dated report on a funded project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub stage: Stage,
    pub percent: i32,
    pub spent_rial: i64,
    /// What happened; for a cancellation, why.
    pub note: String,
}

/// Longest note staff may write on one update.
pub const NOTE_MAX: usize = 1000;

impl Update {
    /// Checks an update as the form sends it: percent 0 to 100 (Persian digits
    /// welcome), spent in Toman, a note of at most [`NOTE_MAX`] characters.
    /// A done project is 100% along; a cancellation needs its reason.
    pub fn parse(stage: &str, percent: &str, spent_toman: &str, note: &str) -> Result<Update, ApiError> {
        let stage = Stage::from_tag(stage).ok_or(ApiError::ProgressInvalid)?;
        let percent = match digits::to_latin(percent.trim()).trim_end_matches('%') {
            "" => 0,
            text => text
                .parse::<i32>()
                .ok()
                .filter(|p| (0..=100).contains(p))
                .ok_or(ApiError::ProgressInvalid)?,
        };
        let spent_rial = match digits::to_latin(spent_toman.trim()).as_str() {
            "0" => 0,
            _ => crate::rounds::parse_toman(spent_toman)?.unwrap_or(0),
        };
        let note = note.trim().to_owned();
        if note.chars().count() > NOTE_MAX {
            return Err(ApiError::NoteTooLong);
        }
        match stage {
            Stage::Done if percent != 100 => Err(ApiError::ProgressInvalid),
            Stage::Cancelled if note.is_empty() => Err(ApiError::ReasonRequired),
            _ => Ok(Update {
                stage,
                percent,
                spent_rial,
                note,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_are_checked() {
        let update = Update::parse("in-progress", "۴۰", "۱۲۰۰۰۰۰", "  کار شروع شد ").expect("valid");
        assert_eq!(
            update,
            Update {
                stage: Stage::InProgress,
                percent: 40,
                spent_rial: 12_000_000,
                note: "کار شروع شد".into()
            }
        );
        assert_eq!(Update::parse("planned", "", "", "").map(|u| u.percent), Ok(0));
        assert_eq!(Update::parse("done", "100%", "", "").map(|u| u.stage), Ok(Stage::Done));
        assert_eq!(Update::parse("done", "90", "", ""), Err(ApiError::ProgressInvalid));
        assert_eq!(Update::parse("started", "10", "", ""), Err(ApiError::ProgressInvalid));
        assert_eq!(
            Update::parse("in-progress", "101", "", ""),
            Err(ApiError::ProgressInvalid)
        );
        assert_eq!(
            Update::parse("in-progress", "-1", "", ""),
            Err(ApiError::ProgressInvalid)
        );
        assert_eq!(
            Update::parse("in-progress", "10", "lots", ""),
            Err(ApiError::AmountInvalid)
        );
        assert_eq!(Update::parse("cancelled", "0", "", "  "), Err(ApiError::ReasonRequired));
        assert_eq!(
            Update::parse("planned", "0", "", &"x".repeat(NOTE_MAX + 1)),
            Err(ApiError::NoteTooLong)
        );
    }
}
