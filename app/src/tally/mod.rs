//! The tally engine: computes the winners of a round from its ballots by the greedy rule or
//! the method of equal shares, with exact arithmetic so that the server, the command line and
//! the browser always agree. Pure: no I/O, no database.

mod ballots;
mod equal_shares;
mod greedy;
mod outcome;
pub mod pabulib;

pub use ballots::Ballots;
pub use outcome::{Fraction, Outcome, ProjectResult, Share};

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::AtomicBool;

/// How the winners are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Most votes (points) first; a project that no longer fits is skipped.
    Greedy,
    /// The method of equal shares, without completion.
    Mes,
    /// Equal shares, raising every voter's share by one currency unit from budget/voters until the
    /// outcome is exhaustive or would exceed the budget, then greedy completion.
    MesAdd1,
    /// Equal shares as run by cities (Pabulib `equalshares/add1`): shares start at
    /// floor(budget/voters) and rise by one currency unit while the outcome still fits the budget.
    EqualsharesAdd1,
}

impl Rule {
    pub const ALL: [Rule; 4] = [Rule::Greedy, Rule::Mes, Rule::MesAdd1, Rule::EqualsharesAdd1];

    pub fn name(self) -> &'static str {
        match self {
            Rule::Greedy => "greedy",
            Rule::Mes => "mes",
            Rule::MesAdd1 => "mes-add1",
            Rule::EqualsharesAdd1 => "equalshares-add1",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Rule {
    type Err = TallyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rule::ALL
            .into_iter()
            .find(|rule| rule.name() == s)
            .ok_or_else(|| TallyError::UnknownRule(s.to_owned()))
    }
}

/// How ties between equally good projects are broken.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieBreak {
    /// Smallest project id, ids compared as strings.
    #[default]
    Lexico,
    /// Lowest cost, then most votes, then smallest id.
    CostVotes,
}

impl TieBreak {
    pub const ALL: [TieBreak; 2] = [TieBreak::Lexico, TieBreak::CostVotes];

    pub fn name(self) -> &'static str {
        match self {
            TieBreak::Lexico => "lexico",
            TieBreak::CostVotes => "cost-votes",
        }
    }
}

impl FromStr for TieBreak {
    type Err = TallyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TieBreak::ALL
            .into_iter()
            .find(|tie| tie.name() == s)
            .ok_or_else(|| TallyError::UnknownTieBreak(s.to_owned()))
    }
}

/// What a ballot expresses; knapsack ballots are approvals of a set that fits the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BallotKind {
    Approval,
    Knapsack,
    Cumulative,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    /// In money units (see [`Round::currency_unit`]).
    pub cost: u64,
}

/// A round as the tally sees it. Money is counted in integer units; `currency_unit` says how
/// many units make one unit of the currency (1, or 100 for cents), which is the step by which
/// the add1 completions raise each voter's share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub budget: u64,
    pub currency_unit: u64,
    pub kind: BallotKind,
    pub projects: Vec<Project>,
    pub ballots: Ballots,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TallyError {
    #[error("unknown rule {0:?} (greedy, mes, mes-add1, equalshares-add1)")]
    UnknownRule(String),
    #[error("unknown tie-break {0:?} (lexico, cost-votes)")]
    UnknownTieBreak(String),
    #[error("a ballot names project number {0}, but the round has fewer projects")]
    UnknownProject(u32),
    #[error("a ballot names project number {0} twice")]
    RepeatedChoice(u32),
    #[error("project id {0:?} appears twice")]
    DuplicateProject(String),
    #[error("more ballots than the tally can count")]
    TooManyBallots,
    #[error("the ballots are malformed")]
    MalformedBallots,
    #[error("the currency unit must be at least one money unit")]
    ZeroCurrencyUnit,
    #[error("the count was stopped before it ended")]
    Stopped,
}

/// Computes the outcome of `round` by `rule`, breaking ties by `tie`.
pub fn tally(round: &Round, rule: Rule, tie: TieBreak) -> Result<Outcome, TallyError> {
    tally_until(round, rule, tie, &AtomicBool::new(false))
}

/// [`tally`], giving up with [`TallyError::Stopped`] soon after `stop` is set, so that a
/// caller can bound how long a count takes (from another thread or a timer).
pub fn tally_until(round: &Round, rule: Rule, tie: TieBreak, stop: &AtomicBool) -> Result<Outcome, TallyError> {
    validate(round)?;
    let support = Support::count(round);
    let order = TieOrder::new(round, &support, tie);
    Ok(match rule {
        Rule::Greedy => {
            let mut selection = greedy::Selection::empty(round);
            greedy::complete(round, &support, &order, &mut selection);
            Outcome::new(round, &support, selection.winners, None)
        }
        Rule::Mes => {
            let mes = equal_shares::Mes::new(round, &order);
            let run = mes.run(equal_shares::initial_share(round), stop)?;
            let winners = run.winners.clone();
            Outcome::new(round, &support, winners, Some(run.into_shares()))
        }
        Rule::MesAdd1 => {
            let mes = equal_shares::Mes::new(round, &order);
            let run = equal_shares::add1_exhaustive(&mes, stop)?;
            let mut selection = greedy::Selection::of(round, &run.winners);
            greedy::complete(round, &support, &order, &mut selection);
            Outcome::new(round, &support, selection.winners, Some(run.into_shares()))
        }
        Rule::EqualsharesAdd1 => {
            let mes = equal_shares::Mes::new(round, &order);
            let run = equal_shares::add1_while_fits(&mes, stop)?;
            let winners = run.winners.clone();
            Outcome::new(round, &support, winners, Some(run.into_shares()))
        }
    })
}

fn validate(round: &Round) -> Result<(), TallyError> {
    if round.currency_unit == 0 {
        return Err(TallyError::ZeroCurrencyUnit);
    }
    if !round.ballots.is_well_formed() {
        return Err(TallyError::MalformedBallots);
    }
    if round.ballots.len() >= u32::MAX as usize {
        return Err(TallyError::TooManyBallots);
    }
    let count = round.projects.len();
    if let Some(&bad) = round.ballots.project_indices().iter().find(|&&p| p as usize >= count) {
        return Err(TallyError::UnknownProject(bad));
    }
    // Per project, the last ballot that named it.
    let mut named_by = vec![usize::MAX; count];
    for (index, (projects, _)) in round.ballots.iter().enumerate() {
        for &project in projects {
            if std::mem::replace(&mut named_by[project as usize], index) == index {
                return Err(TallyError::RepeatedChoice(project));
            }
        }
    }
    let mut ids: Vec<&str> = round.projects.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    match ids.windows(2).find(|pair| pair[0] == pair[1]) {
        Some(pair) => Err(TallyError::DuplicateProject(pair[0].to_owned())),
        None => Ok(()),
    }
}

/// Per project: how many ballots support it and how many points they give it in total
/// (equal for approval ballots).
pub(crate) struct Support {
    pub votes: Vec<u64>,
    pub points: Vec<u64>,
}

impl Support {
    fn count(round: &Round) -> Self {
        let mut votes = vec![0u64; round.projects.len()];
        let mut points = vec![0u64; round.projects.len()];
        for (&project, &weight) in round.ballots.project_indices().iter().zip(round.ballots.points()) {
            if weight > 0 {
                votes[project as usize] += 1;
                points[project as usize] += u64::from(weight);
            }
        }
        Support { votes, points }
    }
}

/// The tie-break as a total order on project indices: `rank[p]` is p's position.
pub(crate) struct TieOrder {
    rank: Vec<usize>,
}

impl TieOrder {
    fn new(round: &Round, support: &Support, tie: TieBreak) -> Self {
        let projects = &round.projects;
        let mut order: Vec<usize> = (0..projects.len()).collect();
        order.sort_by(|&a, &b| {
            let by_id = || projects[a].id.cmp(&projects[b].id);
            match tie {
                TieBreak::Lexico => by_id(),
                TieBreak::CostVotes => projects[a]
                    .cost
                    .cmp(&projects[b].cost)
                    .then(support.votes[b].cmp(&support.votes[a]))
                    .then_with(by_id),
            }
        });
        let mut rank = vec![0; projects.len()];
        for (position, &project) in order.iter().enumerate() {
            rank[project] = position;
        }
        TieOrder { rank }
    }

    pub fn cmp(&self, a: usize, b: usize) -> Ordering {
        self.rank[a].cmp(&self.rank[b])
    }
}

#[cfg(test)]
mod tests;
