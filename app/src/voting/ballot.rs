//! The ballot rules, shared by the page and the server: what a resident may
//! choose under a round's ballot rule, how a valid choice is written down,
//! what is left while choosing, and the receipt.

use crate::error::ApiError;
use crate::rounds::BallotRule;
use serde::{Deserialize, Serialize};

/// A project on the ballot: its id and official cost in Rial.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: i32,
    pub cost_rial: i64,
}

/// A checked ballot: project ids in increasing order, each with its points
/// (always 1 under approval and knapsack rules).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picks(Vec<(i32, i32)>);

/// 31²⁰ ≈ 6.7 × 10²⁹ receipts (99 bits): nobody guesses another voter's.
pub const RECEIPT_LENGTH: usize = 20;

/// More points than this on one ballot cannot be valid under any rule.
const POINTS_CEILING: i64 = crate::rounds::POINTS_MAX as i64;

impl Picks {
    pub fn iter(&self) -> impl Iterator<Item = (i32, i32)> + '_ {
        self.0.iter().copied()
    }

    pub fn points_of(&self, project: i32) -> i32 {
        self.0
            .binary_search_by_key(&project, |&(id, _)| id)
            .map_or(0, |i| self.0[i].1)
    }

    /// The stored form, [`encode`] of the checked choices.
    pub fn encode(&self) -> String {
        encode(&self.0)
    }

    /// Reads back what [`Picks::encode`] wrote; `None` for anything else.
    pub fn decode(text: &str) -> Option<Picks> {
        let picks = parse(text)?;
        picks.windows(2).all(|w| w[0].0 < w[1].0).then_some(Picks(picks))
    }

    /// The form the ballot page sends: one unordered `id` or `id:points` per item.
    pub fn from_text(text: &str) -> Result<Vec<(i32, i32)>, ApiError> {
        parse(text).ok_or(ApiError::BadRequest)
    }

    /// The plain form without JavaScript: a checkbox `project` per approved
    /// project, or a number field `points-ID` per project (blank or zero: none).
    pub fn from_form<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Vec<(i32, i32)>, ApiError> {
        let mut chosen = Vec::new();
        for (name, value) in fields {
            let value = crate::digits::to_latin(value.trim());
            if name == "project" {
                chosen.push((value.parse().map_err(|_| ApiError::BadRequest)?, 1));
            } else if let Some(id) = name.strip_prefix("points-") {
                let id = id.parse().map_err(|_| ApiError::BadRequest)?;
                match value.as_str() {
                    "" | "0" => {}
                    points => chosen.push((id, points.parse().map_err(|_| ApiError::BallotPointsInvalid)?)),
                }
            }
        }
        Ok(chosen)
    }
}

/// The one text form of a ballot's choices, stored, sent by the ballot page
/// and carried back to the plain form after a refusal: `3,7,12` for
/// approvals, `3:2,7:1` with points.
pub fn encode(chosen: &[(i32, i32)]) -> String {
    chosen
        .iter()
        .map(|&(id, points)| {
            if points == 1 {
                id.to_string()
            } else {
                format!("{id}:{points}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn parse(text: &str) -> Option<Vec<(i32, i32)>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(',')
        .map(|item| match item.split_once(':') {
            Some((id, points)) => Some((id.parse().ok()?, points.parse().ok()?)),
            None => Some((item.parse().ok()?, 1)),
        })
        .collect()
}

/// What is still free while a resident fills in a ballot; negative when the
/// choice went over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Left {
    Picks(i64),
    Rial(i64),
    Points(i64),
}

/// What remains of the rule's allowance after `chosen` (unknown ids count nothing).
pub fn left(rule: BallotRule, budget_rial: i64, offers: &[Offer], chosen: &[(i32, i32)]) -> Left {
    match rule {
        BallotRule::Approval(k) => {
            Left::Picks(i64::from(k).saturating_sub(i64::try_from(chosen.len()).unwrap_or(i64::MAX)))
        }
        BallotRule::Knapsack => {
            let cost = |id: i32| offers.iter().find(|o| o.id == id).map_or(0, |o| o.cost_rial);
            // Costs are in Rial and a ballot may list many projects: counted in
            // i128, a total beyond i64 is over any budget instead of wrapping.
            let spent: i128 = chosen.iter().map(|&(id, _)| i128::from(cost(id).max(0))).sum();
            let left = i128::from(budget_rial) - spent;
            Left::Rial(i64::try_from(left).unwrap_or(if left < 0 { i64::MIN } else { i64::MAX }))
        }
        BallotRule::Cumulative(n) => {
            let spent = chosen.iter().fold(0i64, |sum, &(_, points)| {
                sum.saturating_add(i64::from(points).clamp(0, POINTS_CEILING))
            });
            Left::Points(i64::from(n).saturating_sub(spent))
        }
    }
}

/// Checks a ballot against the round's rule and the projects on its ballot.
/// `chosen` pairs project ids with points; the order does not matter.
pub fn check(rule: BallotRule, budget_rial: i64, offers: &[Offer], chosen: &[(i32, i32)]) -> Result<Picks, ApiError> {
    if chosen.is_empty() {
        return Err(ApiError::BallotEmpty);
    }
    let mut picks = chosen.to_vec();
    picks.sort_unstable();
    if picks.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(ApiError::BallotDuplicate);
    }
    if picks.iter().any(|&(id, _)| !offers.iter().any(|o| o.id == id)) {
        return Err(ApiError::BallotUnknownProject);
    }
    let points_ok = match rule {
        BallotRule::Cumulative(_) => picks.iter().all(|&(_, p)| p >= 1),
        BallotRule::Approval(_) | BallotRule::Knapsack => picks.iter().all(|&(_, p)| p == 1),
    };
    if !points_ok {
        return Err(ApiError::BallotPointsInvalid);
    }
    match left(rule, budget_rial, offers, &picks) {
        Left::Picks(n) if n < 0 => Err(ApiError::BallotTooMany),
        Left::Rial(r) if r < 0 => Err(ApiError::BallotOverBudget),
        Left::Points(p) if p < 0 => Err(ApiError::BallotPointsOver),
        _ => Ok(Picks(picks)),
    }
}

/// Whether someone born in Solar Hijri year `birth_year` may vote in
/// `this_year` under a minimum age. Only birth years are known, so a resident
/// counts as turning their age at the start of the year.
pub fn old_enough(min_age: Option<i32>, birth_year: i32, this_year: i32) -> bool {
    min_age.is_none_or(|age| this_year - birth_year >= age)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: [Offer; 3] = [
        Offer { id: 3, cost_rial: 400 },
        Offer { id: 7, cost_rial: 500 },
        Offer { id: 12, cost_rial: 300 },
    ];

    fn ones(ids: &[i32]) -> Vec<(i32, i32)> {
        ids.iter().map(|&id| (id, 1)).collect()
    }

    #[test]
    fn approval_allows_up_to_k_projects() {
        let rule = BallotRule::Approval(2);
        let picks = check(rule, 1000, &OFFERS, &ones(&[12, 3])).expect("two of two");
        assert_eq!(picks.encode(), "3,12");
        assert_eq!(
            check(rule, 1000, &OFFERS, &ones(&[3, 7, 12])),
            Err(ApiError::BallotTooMany)
        );
        assert_eq!(check(rule, 1000, &OFFERS, &[]), Err(ApiError::BallotEmpty));
        assert_eq!(left(rule, 1000, &OFFERS, &ones(&[3])), Left::Picks(1));
    }

    #[test]
    fn knapsack_ballots_fit_the_budget() {
        let rule = BallotRule::Knapsack;
        assert!(check(rule, 900, &OFFERS, &ones(&[3, 7])).is_ok(), "exactly the budget");
        assert_eq!(
            check(rule, 899, &OFFERS, &ones(&[3, 7])),
            Err(ApiError::BallotOverBudget)
        );
        assert_eq!(left(rule, 1000, &OFFERS, &ones(&[7, 12])), Left::Rial(200));
    }

    #[test]
    fn cumulative_ballots_spend_at_most_n_points() {
        let rule = BallotRule::Cumulative(10);
        let picks = check(rule, 0, &OFFERS, &[(7, 6), (3, 4)]).expect("ten points");
        assert_eq!(picks.encode(), "3:4,7:6");
        assert_eq!(picks.points_of(7), 6);
        assert_eq!(picks.points_of(12), 0);
        assert_eq!(
            check(rule, 0, &OFFERS, &[(7, 6), (3, 5)]),
            Err(ApiError::BallotPointsOver)
        );
        assert_eq!(check(rule, 0, &OFFERS, &[(7, 0)]), Err(ApiError::BallotPointsInvalid));
        assert_eq!(
            check(rule, 0, &OFFERS, &[(7, -3), (3, 12)]),
            Err(ApiError::BallotPointsInvalid)
        );
        assert_eq!(
            check(rule, 0, &OFFERS, &[(7, i32::MAX), (3, i32::MAX)]),
            Err(ApiError::BallotPointsOver),
            "no overflow"
        );
    }

    #[test]
    fn projects_must_be_on_the_ballot_once() {
        let rule = BallotRule::Approval(3);
        assert_eq!(
            check(rule, 0, &OFFERS, &ones(&[3, 99])),
            Err(ApiError::BallotUnknownProject)
        );
        assert_eq!(check(rule, 0, &OFFERS, &ones(&[3, 3])), Err(ApiError::BallotDuplicate));
        assert_eq!(
            check(rule, 0, &OFFERS, &[(3, 2)]),
            Err(ApiError::BallotPointsInvalid),
            "approvals carry no points"
        );
    }

    #[test]
    fn stored_ballots_read_back_and_nothing_else_does() {
        for text in ["3", "3,7,12", "3:4,7:6", ""] {
            assert_eq!(Picks::decode(text).map(|p| p.encode()).as_deref(), Some(text));
        }
        for text in ["7,3", "3,3", "x", "3:", ",", "3;4"] {
            assert_eq!(Picks::decode(text), None, "{text}");
        }
    }

    #[test]
    fn plain_forms_read_checkboxes_and_point_fields() {
        let approvals = Picks::from_form([("project", "7"), ("csrf_token", "x"), ("project", "۱۲")]);
        assert_eq!(approvals, Ok(vec![(7, 1), (12, 1)]));
        let points = Picks::from_form([("points-3", "۴"), ("points-7", ""), ("points-12", "0")]);
        assert_eq!(points, Ok(vec![(3, 4)]));
        assert_eq!(
            Picks::from_form([("points-3", "2.5")]),
            Err(ApiError::BallotPointsInvalid)
        );
        assert_eq!(Picks::from_form([("project", "x")]), Err(ApiError::BadRequest));
        assert_eq!(Picks::from_text("12,3:2"), Ok(vec![(12, 1), (3, 2)]));
        assert_eq!(Picks::from_text("12;3"), Err(ApiError::BadRequest));
    }

    #[test]
    fn age_counts_by_birth_year() {
        assert!(old_enough(None, 1400, 1405));
        assert!(old_enough(Some(18), 1387, 1405));
        assert!(!old_enough(Some(18), 1388, 1405));
    }

    #[test]
    fn costs_beyond_i64_are_over_budget() {
        let huge = [
            Offer {
                id: 1,
                cost_rial: i64::MAX,
            },
            Offer {
                id: 2,
                cost_rial: i64::MAX,
            },
            Offer {
                id: 3,
                cost_rial: i64::MAX / 2 + 1,
            },
        ];
        let rule = BallotRule::Knapsack;
        assert_eq!(
            check(rule, i64::MAX, &huge, &ones(&[1, 2, 3])),
            Err(ApiError::BallotOverBudget)
        );
        assert_eq!(
            check(rule, i64::MAX, &huge, &ones(&[3, 2])),
            Err(ApiError::BallotOverBudget)
        );
        assert_eq!(left(rule, 1000, &huge, &ones(&[1])), Left::Rial(1000 - i64::MAX));
        assert_eq!(left(rule, 1000, &huge, &ones(&[1, 2])), Left::Rial(i64::MIN));
        assert!(check(rule, i64::MAX, &huge, &ones(&[1])).is_ok(), "exactly the budget");
    }

    #[test]
    fn points_beyond_the_ceiling_are_over() {
        let rule = BallotRule::Cumulative(10);
        let many: Vec<(i32, i32)> = (1..=3).map(|id| (id, i32::MAX)).collect();
        let offers: Vec<Offer> = (1..=3).map(|id| Offer { id, cost_rial: 1 }).collect();
        assert_eq!(check(rule, 0, &offers, &many), Err(ApiError::BallotPointsOver));
    }
}
