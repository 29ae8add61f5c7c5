//! The method of equal shares with cost satisfaction (a voter's satisfaction from a project is
//! its cost, times the points given on cumulative ballots), and its add1 completions.
//!
//! Money is scaled by the number of voters so that every voter's starting share is an integer;
//! the amounts that follow are exact rationals. Voters whose budgets are equal share one entry
//! of a value table, so that the rational arithmetic runs once per distinct budget rather than
//! once per voter.

use super::outcome::{Fraction, Share};
use super::{Round, TieOrder};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use std::cmp::Ordering;

/// The outcome of one run of equal shares.
pub(crate) struct Run {
    pub winners: Vec<usize>,
    pub shares: Vec<Option<Share>>,
    spent: u64,
    over_budget: bool,
}

/// The starting scaled share of the plain method: budget / voters, times voters.
pub(crate) fn initial_share(round: &Round) -> BigInt {
    BigInt::from(round.budget)
}

/// pabutools' `voter_budget_increment=1`: from budget/voters, raise every share by one currency
/// unit until the outcome is exhaustive, or return the last one that fit the budget.
pub(crate) fn add1_exhaustive(round: &Round, order: &TieOrder) -> Run {
    let mes = Mes::new(round, order);
    let mut share = initial_share(round);
    let mut current = mes.run(&share);
    while mes.voters > 0 && !mes.is_exhaustive(&current) {
        share += mes.step();
        let next = mes.run(&share);
        if next.over_budget {
            break;
        }
        current = next;
    }
    current
}

/// The completion used by cities (equalshares.net, Pabulib `equalshares/add1`): shares start
/// at a whole number of currency units, floor(budget/voters), and rise by one unit for as long
/// as the outcome fits the budget.
pub(crate) fn add1_while_fits(round: &Round, order: &TieOrder) -> Run {
    let mes = Mes::new(round, order);
    let step = mes.step();
    let mut share = if step.is_zero() {
        BigInt::zero()
    } else {
        BigInt::from(round.budget) / &step * &step
    };
    let mut current = mes.run(&share);
    while mes.voters > 0 && current.winners.len() < mes.free.len() + mes.candidates.len() {
        share += &step;
        let next = mes.run(&share);
        if next.over_budget {
            break;
        }
        current = next;
    }
    current
}

/// What stays the same between runs with different starting shares.
pub(crate) struct Mes<'a> {
    round: &'a Round,
    order: &'a TieOrder,
    voters: usize,
    /// Projects with supporters and a positive cost.
    candidates: Vec<usize>,
    /// Projects with supporters and no cost: funded first, at no one's expense.
    free: Vec<usize>,
    /// Per project, its supporters (voter, points) from `starts[p]` to `starts[p + 1]`.
    starts: Vec<usize>,
    supporters: Vec<(u32, u32)>,
    total_points: Vec<u64>,
}

const ZERO: u32 = 0;
const NONE: u32 = u32::MAX;

impl<'a> Mes<'a> {
    pub fn new(round: &'a Round, order: &'a TieOrder) -> Self {
        let count = round.projects.len();
        let mut starts = vec![0usize; count + 1];
        let mut total_points = vec![0u64; count];
        for (&project, &points) in round.ballots.project_indices().iter().zip(round.ballots.points()) {
            if points > 0 {
                starts[project as usize + 1] += 1;
                total_points[project as usize] += u64::from(points);
            }
        }
        for p in 0..count {
            starts[p + 1] += starts[p];
        }
        let mut fill = starts.clone();
        let mut supporters = vec![(0u32, 0u32); starts[count]];
        for (voter, (projects, points)) in round.ballots.iter().enumerate() {
            for (&project, &weight) in projects.iter().zip(points) {
                if weight > 0 {
                    // `tally` refuses rounds with more ballots than u32 counts.
                    supporters[fill[project as usize]] = (voter as u32, weight);
                    fill[project as usize] += 1;
                }
            }
        }
        let supported: Vec<usize> = (0..count).filter(|&p| total_points[p] > 0).collect();
        let (mut free, candidates): (Vec<usize>, Vec<usize>) =
            supported.into_iter().partition(|&p| round.projects[p].cost == 0);
        free.sort_by(|&a, &b| order.cmp(a, b));
        Mes {
            round,
            order,
            voters: round.ballots.len(),
            candidates,
            free,
            starts,
            supporters,
            total_points,
        }
    }

    /// One currency unit per voter, scaled.
    fn step(&self) -> BigInt {
        BigInt::from(self.round.currency_unit) * BigInt::from(self.voters)
    }

    /// Whether no candidate left out would still fit the budget.
    fn is_exhaustive(&self, run: &Run) -> bool {
        let left = self.round.budget.saturating_sub(run.spent);
        self.candidates
            .iter()
            .all(|&p| run.shares[p].is_some() || self.round.projects[p].cost > left)
    }

    fn supporters_of(&self, project: usize) -> &[(u32, u32)] {
        &self.supporters[self.starts[project]..self.starts[project + 1]]
    }

    /// Runs equal shares with every voter starting at `share / voters` money units; stops as
    /// soon as the selection exceeds the budget, since then only its being over budget matters.
    pub fn run(&self, share: &BigInt) -> Run {
        let count = self.round.projects.len();
        let mut run = Run {
            winners: self.free.clone(),
            shares: vec![None; count],
            spent: 0,
            over_budget: false,
        };
        for &p in &self.free {
            run.shares[p] = Some(Share {
                payers: 0,
                per_supporter: Fraction::from(&BigRational::zero()),
            });
        }
        if self.voters == 0 {
            run.winners.clear();
            return run;
        }
        let mut budgets = Budgets::new(self.voters, share);
        let voters = BigInt::from(self.voters);
        let scaled_cost = |p: usize| BigInt::from(self.round.projects[p].cost) * &voters;
        // Affordability of each candidate: the price per unit of satisfaction, never falling
        // between rounds, so a stale value is a lower bound that lets most projects be skipped.
        let mut affordability: Vec<Option<BigRational>> = vec![None; count];
        for &p in &self.candidates {
            affordability[p] = Some(BigRational::new(BigInt::from(1), BigInt::from(self.total_points[p])));
        }
        let mut remaining = self.candidates.clone();
        loop {
            remaining.sort_by(|&a, &b| affordability[a].cmp(&affordability[b]));
            let mut best: Option<(BigRational, BigRational, usize)> = None;
            let mut unaffordable = Vec::new();
            for &p in &remaining {
                if let (Some(previous), Some((rho, _, _))) = (&affordability[p], &best)
                    && previous > rho
                {
                    break;
                }
                let cost = scaled_cost(p);
                let Some(lambda) = budgets.payment_per_point(self.supporters_of(p), &cost) else {
                    unaffordable.push(p);
                    continue;
                };
                let rho = &lambda / &cost;
                let better = match &best {
                    None => true,
                    Some((best_rho, _, best_p)) => match rho.cmp(best_rho) {
                        Ordering::Less => true,
                        Ordering::Equal => self.order.cmp(p, *best_p) == Ordering::Less,
                        Ordering::Greater => false,
                    },
                };
                affordability[p] = Some(rho.clone());
                if better {
                    best = Some((rho, lambda, p));
                }
            }
            remaining.retain(|p| !unaffordable.contains(p));
            let Some((_, lambda, chosen)) = best else {
                return run;
            };
            remaining.retain(|&p| p != chosen);
            let payers = budgets.charge(self.supporters_of(chosen), &lambda);
            run.winners.push(chosen);
            run.shares[chosen] = Some(Share {
                payers,
                per_supporter: Fraction::from(&(lambda / &voters)),
            });
            run.spent = run.spent.saturating_add(self.round.projects[chosen].cost);
            if run.spent > self.round.budget {
                run.over_budget = true;
                return run;
            }
        }
    }
}

/// Every voter's remaining budget, as an index into a table of distinct values.
struct Budgets {
    values: Vec<BigRational>,
    of_voter: Vec<u32>,
    groups: Groups,
}

/// Voters with the same budget and the same points on the project at hand.
#[derive(Clone)]
struct Group {
    value: u32,
    points: u32,
    voters: u64,
    next: u32,
}

/// Groups supporters by (value, points) with a slot per value, in time linear in supporters.
struct Groups {
    head: Vec<u32>,
    list: Vec<Group>,
}

impl Groups {
    /// Groups `supporters`; leaves the slots linked until `unlink`, so that `find` works.
    fn build(&mut self, values: usize, of_voter: &[u32], supporters: &[(u32, u32)]) {
        self.head.resize(values, NONE);
        self.list.clear();
        for &(voter, points) in supporters {
            let value = of_voter[voter as usize];
            if value == ZERO {
                continue;
            }
            match self.find(value, points) {
                Some(at) => self.list[at].voters += 1,
                None => {
                    self.list.push(Group {
                        value,
                        points,
                        voters: 1,
                        next: self.head[value as usize],
                    });
                    // There are fewer groups than supporters, which are counted in u32.
                    self.head[value as usize] = (self.list.len() - 1) as u32;
                }
            }
        }
    }

    fn find(&self, value: u32, points: u32) -> Option<usize> {
        let mut at = self.head[value as usize];
        while at != NONE {
            let group = &self.list[at as usize];
            if group.points == points {
                return Some(at as usize);
            }
            at = group.next;
        }
        None
    }

    fn unlink(&mut self) {
        for group in &self.list {
            self.head[group.value as usize] = NONE;
        }
    }
}

impl Budgets {
    fn new(voters: usize, share: &BigInt) -> Self {
        Budgets {
            values: vec![BigRational::zero(), BigRational::from_integer(share.clone())],
            of_voter: vec![if share.is_positive() { 1 } else { ZERO }; voters],
            groups: Groups {
                head: Vec::new(),
                list: Vec::new(),
            },
        }
    }

    /// The payment per point that the supporters would each make, those who cannot afford it
    /// paying all they have, so that together they pay `cost`; `None` if they cannot.
    fn payment_per_point(&mut self, supporters: &[(u32, u32)], cost: &BigInt) -> Option<BigRational> {
        self.groups.build(self.values.len(), &self.of_voter, supporters);
        self.groups.unlink();
        let values = &self.values;
        let groups = &mut self.groups.list;
        let cost = BigRational::from_integer(cost.clone());
        groups.sort_by(|a, b| {
            let (va, vb) = (&values[a.value as usize], &values[b.value as usize]);
            if a.points == b.points {
                va.cmp(vb)
            } else {
                (va * BigInt::from(b.points)).cmp(&(vb * BigInt::from(a.points)))
            }
        });
        let mut paid = BigRational::zero();
        let mut points: u64 = groups.iter().map(|g| g.voters * u64::from(g.points)).sum();
        for group in groups.iter() {
            let value = &values[group.value as usize];
            let lambda = (&cost - &paid) / BigInt::from(points);
            if &lambda * BigInt::from(group.points) <= *value {
                return Some(lambda);
            }
            paid += value * BigInt::from(group.voters);
            points -= group.voters * u64::from(group.points);
        }
        None
    }

    /// Charges every supporter `lambda` per point, or all they have left; returns how many paid.
    fn charge(&mut self, supporters: &[(u32, u32)], lambda: &BigRational) -> u64 {
        self.groups.build(self.values.len(), &self.of_voter, supporters);
        let mut payers = 0;
        let mut new_value = Vec::with_capacity(self.groups.list.len());
        for group in &self.groups.list {
            payers += group.voters;
            let left = &self.values[group.value as usize] - lambda * BigInt::from(group.points);
            if left.is_positive() {
                // At most one value per supporter and selection: far below u32::MAX.
                new_value.push(self.values.len() as u32);
                self.values.push(left);
            } else {
                new_value.push(ZERO);
            }
        }
        for &(voter, points) in supporters {
            let value = self.of_voter[voter as usize];
            if value != ZERO
                && let Some(at) = self.groups.find(value, points)
            {
                self.of_voter[voter as usize] = new_value[at];
            }
        }
        self.groups.unlink();
        payers
    }
}
