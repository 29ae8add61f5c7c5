//! The method of equal shares with cost satisfaction (a voter's satisfaction from a project is
//! its cost, times the points given on cumulative ballots), and its add1 completions.
//!
//! Money is scaled by the number of voters so that every voter's starting share is an integer.
//! Voters with identical ballots always have the same budget, so they are counted as one group;
//! groups are numbered so that the supporters of popular projects sit close together in memory.
//! Each group's budget is kept in floating point with a bound on its error, and a decision is
//! taken in floating point only when the bounds show that exact arithmetic would take the same
//! one. Otherwise, which happens only when two amounts are equal or nearly so, the amounts
//! involved are computed exactly: a voter's budget is the share less what it paid for the
//! winners on its ballot, and each payment follows from the project's cost and what the voters
//! who paid all they had had left. The winners are therefore those of exact arithmetic, at the
//! speed of floating point.

use super::outcome::{Fraction, Share};
use super::{Ballots, Round, TallyError, TieOrder};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use std::cmp::Ordering;
use std::sync::atomic::{self, AtomicBool};

/// Twice the unit roundoff: every error bound below uses it, so each bound has slack.
const ROUNDOFF: f64 = f64::EPSILON;

/// No payment: the project was not charged.
const UNPAID: u32 = u32::MAX;

/// Passes over a quote's supporters before the rest are sorted instead (see [`Mes::quote`]).
const PASSES_BEFORE_SORTING: usize = 4;

/// Rounds with fewer ballots than this count each ballot on its own (see [`Mes::new`]).
const SMALL_ROUND: usize = 1024;

/// How far above the last payment a quote first assumes the next one stays (see [`Mes::quote`]).
const CEILING: f64 = 1.5;

/// The outcome of one run of equal shares.
pub(crate) struct Run<'a> {
    pub winners: Vec<usize>,
    funded: Vec<bool>,
    spent: u64,
    over_budget: bool,
    /// Each project funded at its supporters' expense, with its payment in the ledger; free
    /// projects have none.
    payments: Vec<(usize, u32)>,
    ledger: Ledger<'a>,
    voters: usize,
    /// Every exact decision the run took, in order (see [`same_course`]).
    trace: Vec<u64>,
    /// Whether every project passed over was shown on its own to lose, so that the trace
    /// accounts for every decision.
    certain: bool,
}

impl Run<'_> {
    /// How the supporters paid for each project, exactly.
    pub fn into_shares(mut self) -> Vec<Option<Share>> {
        let mut shares = vec![None; self.funded.len()];
        for &p in &self.winners {
            shares[p] = Some(Share {
                payers: 0,
                per_supporter: Fraction::from(&BigRational::zero()),
            });
        }
        let voters = BigInt::from(self.voters);
        if let Some(&(_, last)) = self.payments.last() {
            self.ledger.solve(last as usize);
        }
        for &(p, payment) in &self.payments {
            let at = payment as usize;
            let denominator = &self.ledger.scales[at] * &voters;
            shares[p] = Some(Share {
                payers: self.ledger.payments[at].payers,
                per_supporter: lowest_terms(&self.ledger.numerators[at], &denominator),
            });
        }
        shares
    }
}

/// `numerator / denominator` in lowest terms, in machine integers when they fit, as they
/// mostly do, since the big-integer greatest common divisor is slow on small numbers.
fn lowest_terms(numerator: &BigInt, denominator: &BigInt) -> Fraction {
    match (numerator.to_u128(), denominator.to_u128()) {
        (Some(n), Some(d)) if d > 0 => {
            let divisor = gcd(n, d);
            Fraction {
                numerator: (n / divisor).to_string(),
                denominator: (d / divisor).to_string(),
            }
        }
        _ => Fraction::from(&BigRational::new(numerator.clone(), denominator.clone())),
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The starting scaled share of the plain method: budget / voters, times voters.
pub(crate) fn initial_share(round: &Round) -> u128 {
    u128::from(round.budget)
}

/// pabutools' `voter_budget_increment=1`: from budget/voters, raise every share by one currency
/// unit until the outcome is exhaustive, or return the last one that fit the budget.
pub(crate) fn add1_exhaustive<'m>(mes: &'m Mes, stop: &AtomicBool) -> Result<Run<'m>, TallyError> {
    climb(mes, initial_share(mes.round), stop, |run| mes.is_exhaustive(run))
}

/// The completion used by cities (equalshares.net, Pabulib `equalshares/add1`): shares start
/// at a whole number of currency units, floor(budget/voters), and rise by one unit for as long
/// as the outcome fits the budget.
pub(crate) fn add1_while_fits<'m>(mes: &'m Mes, stop: &AtomicBool) -> Result<Run<'m>, TallyError> {
    let step = mes.step();
    let share = match step {
        0 => 0,
        _ => u128::from(mes.round.budget) / step * step,
    };
    let all = mes.free.len() + mes.candidates.len();
    climb(mes, share, stop, |run| run.winners.len() >= all)
}

/// Raises every share from `share` one currency unit at a time until `done`, or until the
/// outcome exceeds the budget, and returns the last run that fit: the run stepping would
/// return. It runs far fewer times, since a project its few supporters cannot afford would
/// take cost / (supporters × unit) steps.
///
/// Within a run every voter's budget, every payment per point and every price per unit of
/// satisfaction is an affine function of the share, as long as the run takes the same
/// decisions: the same projects found unaffordable, quoted with the same voters paying all they
/// have, preferred, or passed over as their lowest possible price is above the best one, and
/// the same voters left with nothing. Each decision is an affine quantity lying in a half-line,
/// and a half-line holds every point between two of its points. So when the runs at two shares
/// took the same decisions, so does the run at every share between, by induction over its
/// steps, and they all choose the same winners (see [`same_course`]). The stride doubles while the decisions stay the same; when they differ
/// the change is sought by halving the distance, down to one step, which stepping takes anyway:
/// a few runs per change of decisions, however much money lies between them.
fn climb<'m>(
    mes: &'m Mes,
    mut share: u128,
    stop: &AtomicBool,
    done: impl Fn(&Run) -> bool,
) -> Result<Run<'m>, TallyError> {
    let step = mes.step();
    let mut current = mes.run(share, stop)?;
    // In steps.
    let mut stride: u128 = 1;
    // Runs further on whose decisions differed from those of the current run at the time,
    // with their shares, the nearest last: each is used once the climb gets there.
    let mut beyond: Vec<(u128, Run)> = Vec::new();
    while mes.voters > 0 && !done(&current) {
        let (target, next) = match beyond.pop() {
            Some((at, run)) if at - share <= step || same_course(&current, &run) => (at, run),
            Some((at, run)) => {
                let middle = share + (at - share) / step / 2 * step;
                beyond.push((at, run));
                (middle, mes.run(middle, stop)?)
            }
            None => {
                let target = share.saturating_add(stride.saturating_mul(step));
                (target, mes.run(target, stop)?)
            }
        };
        let same = same_course(&current, &next);
        if target - share > step && !same {
            // Something changed in between, at a share not known yet: look closer.
            beyond.push((target, next));
            continue;
        }
        // Reached either one step on, or with the same winners as every share before.
        if next.over_budget {
            break;
        }
        stride = if same { stride.saturating_mul(2) } else { 1 };
        (share, current) = (target, next);
    }
    Ok(current)
}

/// Whether two runs took the same decisions, every one of them recorded, so that the runs at
/// all the shares between took them too and chose the same winners.
fn same_course(a: &Run, b: &Run) -> bool {
    a.certain && b.certain && a.winners == b.winners && a.trace == b.trace
}

// The decisions a run records in its trace, each a tag followed by what it is about.

/// A project its supporters cannot pay for (then the project).
const UNAFFORDABLE: u64 = 0;
/// A project quoted: the project, the points of those who pay in full, how many groups pay all
/// they have and those groups in increasing order.
const QUOTED: u64 = 1;
/// The project just quoted is better than the best so far, or not.
const BETTER: u64 = 2;
const WORSE: u64 = 3;
/// The project chosen.
const CHOSEN: u64 = 4;
/// A group left with nothing after paying in full (then the group).
const EMPTIED: u64 = 5;

/// Records a quote: the project, the points of those who pay in full and, in increasing order
/// since their order follows floating point, the groups that pay all they have.
fn trace_quote(trace: &mut Vec<u64>, project: usize, quote: &Quote, entries: &[Entry]) {
    trace.extend([QUOTED, project as u64, quote.points, quote.paying as u64]);
    let start = trace.len();
    trace.extend(entries[..quote.paying].iter().map(|e| u64::from(e.group)));
    trace[start..].sort_unstable();
}

/// An amount in floating point and a bound on its distance from the exact amount.
#[derive(Clone, Copy, Debug)]
struct Approx {
    value: f64,
    error: f64,
}

impl Approx {
    fn exact(value: f64) -> Self {
        Approx { value, error: 0.0 }
    }

    fn of_integer(value: u128) -> Self {
        let value = value as f64;
        Approx {
            value,
            error: value * ROUNDOFF,
        }
    }

    fn of_rational(value: &BigRational) -> Self {
        match value.to_f64() {
            Some(value) if value.is_finite() => Approx {
                value,
                error: 2.0 * value.abs() * ROUNDOFF,
            },
            _ => Approx {
                value: 0.0,
                error: f64::INFINITY,
            },
        }
    }

    fn sub(self, other: Approx) -> Self {
        let value = self.value - other.value;
        Approx {
            value,
            error: self.error + other.error + (value.abs() + self.value.abs()) * ROUNDOFF,
        }
    }

    fn mul(self, factor: u32) -> Self {
        let value = self.value * f64::from(factor);
        Approx {
            value,
            error: self.error * f64::from(factor) + value.abs() * ROUNDOFF,
        }
    }

    fn div(self, divisor: f64) -> Self {
        let value = self.value / divisor;
        Approx {
            value,
            error: self.error / divisor + 2.0 * value.abs() * ROUNDOFF,
        }
    }

    /// The order of the exact amounts, if the bounds tell it.
    fn cmp(self, other: Approx) -> Option<Ordering> {
        let gap = self.value - other.value;
        if gap.abs() > 2.0 * (self.error + other.error) {
            Some(if gap < 0.0 { Ordering::Less } else { Ordering::Greater })
        } else {
            None
        }
    }
}

/// The budget of each voter of every group in one run, each with a bound on its error. A budget
/// is 0.0 exactly when the voters have nothing left, and only then.
struct Budgets {
    left: Vec<f64>,
    /// Kept apart from the budgets and read only when `max_error` cannot settle a comparison,
    /// so that most reads touch the budgets alone.
    error: Vec<f32>,
    max_error: f64,
}

impl Budgets {
    fn new(groups: usize, share: Approx) -> Self {
        let error = above(share.error);
        Budgets {
            left: vec![share.value; groups],
            error: vec![error; groups],
            max_error: f64::from(error),
        }
    }

    fn approx(&self, group: u32, value: f64) -> Approx {
        Approx {
            value,
            error: f64::from(self.error[group as usize]),
        }
    }

    /// The budget of each voter of the entry.
    fn of(&self, entry: &Entry) -> Approx {
        self.approx(entry.group, entry.budget)
    }

    /// The budgets of all the entry's voters together.
    fn all_of(&self, entry: &Entry) -> Approx {
        self.of(entry).mul(entry.voters)
    }

    /// `value` with the bound that holds for every voter.
    fn loose(&self, value: f64) -> Approx {
        Approx {
            value,
            error: self.max_error,
        }
    }

    fn set(&mut self, group: u32, budget: Approx) {
        let error = above(budget.error);
        self.left[group as usize] = budget.value;
        self.error[group as usize] = error;
        self.max_error = self.max_error.max(f64::from(error));
    }

    /// The order of `amount` and the entry's budget, if the bounds tell it: first the bound
    /// that holds for every voter, then the entry's own.
    fn cmp(&self, amount: Approx, entry: &Entry) -> Option<Ordering> {
        amount
            .cmp(self.loose(entry.budget))
            .or_else(|| amount.cmp(self.of(entry)))
    }
}

/// Groups identical ballots: per group, the ballot that stands for it and how many voters it
/// holds, and per ballot its group when it is the one that stands for it. Groups are numbered so
/// that the supporters of popular projects sit close together: by the set of the 64 most
/// supported projects on the ballot, most supported first.
fn group_ballots(ballots: &Ballots, total_points: &[u64]) -> (Vec<u32>, Vec<u32>, Vec<Option<u32>>) {
    let count = total_points.len();
    let mut by_support: Vec<usize> = (0..count).collect();
    by_support.sort_by_key(|&p| std::cmp::Reverse(total_points[p]));
    let mut bit = vec![0u64; count];
    for (rank, &p) in by_support.iter().enumerate().take(64) {
        bit[p] = 1u64 << (63 - rank);
    }
    let mut keyed: Vec<(u64, u64, u32)> = ballots
        .iter()
        .enumerate()
        .map(|(voter, (projects, points))| {
            let (mut key, mut hash, mut plain) = (0u64, 0u64, true);
            for (&project, &weight) in projects.iter().zip(points).filter(|&(_, &w)| w > 0) {
                key |= bit[project as usize];
                hash = hash.wrapping_add(mix(project, weight));
                plain &= bit[project as usize] != 0 && weight == 1;
            }
            // The last bit says whether the key alone tells the ballot: one point for each
            // of the projects it names, all among those with a bit. `tally` refuses rounds
            // with more ballots than u32 counts.
            (key, hash << 1 | u64::from(plain), voter as u32)
        })
        .collect();
    keyed.sort_unstable();
    // Identical ballots are now next to each other, and become one group.
    let mut ballot_of: Vec<u32> = Vec::new();
    let mut weights: Vec<u32> = Vec::new();
    // The group of each ballot that stands for its group.
    let mut group_of: Vec<Option<u32>> = vec![None; ballots.len()];
    for (at, &(key, hash, voter)) in keyed.iter().enumerate() {
        let joins = at > 0 && {
            let (previous_key, previous_hash, _) = keyed[at - 1];
            let first = ballot_of[ballot_of.len() - 1];
            (previous_key, previous_hash) == (key, hash)
                && (hash & 1 == 1 || same_choices(ballots.ballot(first as usize), ballots.ballot(voter as usize)))
        };
        let group = match (joins, weights.last_mut()) {
            (true, Some(weight)) => {
                *weight += 1;
                ballot_of.len() - 1
            }
            _ => {
                ballot_of.push(voter);
                weights.push(1);
                ballot_of.len() - 1
            }
        };
        group_of[voter as usize] = Some(group as u32).filter(|_| !joins);
    }
    (ballot_of, weights, group_of)
}

/// Sorts supporters by group, groups being below `groups`: a radix sort, 11 bits a pass, for
/// long lists.
fn sort_by_group(list: &mut [Supporter], scratch: &mut Vec<Supporter>, groups: usize) {
    const BITS: u32 = 11;
    const MASK: u32 = (1 << BITS) - 1;
    if list.len() < 1 << BITS {
        list.sort_unstable_by_key(|s| s.group);
        return;
    }
    let bits = usize::BITS - groups.leading_zeros();
    let mut shift = 0;
    while shift < bits {
        let mut starts = [0usize; 1 << BITS];
        for supporter in list.iter() {
            starts[(supporter.group >> shift & MASK) as usize] += 1;
        }
        let mut total = 0;
        for start in starts.iter_mut() {
            (*start, total) = (total, total + *start);
        }
        scratch.clear();
        scratch.resize(list.len(), Supporter::default());
        for &item in list.iter() {
            let digit = (item.group >> shift & MASK) as usize;
            scratch[starts[digit]] = item;
            starts[digit] += 1;
        }
        list.copy_from_slice(scratch);
        shift += BITS;
    }
}

/// A choice mixed into 64 bits; a ballot's hash is the sum over its choices, whatever their
/// order.
fn mix(project: u32, points: u32) -> u64 {
    let mut x = (u64::from(project) << 32 | u64::from(points)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ x >> 30).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ x >> 27).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ x >> 31
}

/// Whether two ballots make the same choices, in any order.
fn same_choices((projects_a, points_a): (&[u32], &[u32]), (projects_b, points_b): (&[u32], &[u32])) -> bool {
    let a = || projects_a.iter().zip(points_a).filter(|&(_, &w)| w > 0);
    let b = || projects_b.iter().zip(points_b).filter(|&(_, &w)| w > 0);
    // No ballot names a project twice, so the same number of choices, each found, is the same.
    a().count() == b().count() && a().all(|choice| b().any(|other| other == choice))
}

/// The smallest `f32` at least `value`, so that a bound stored as `f32` still bounds.
fn above(value: f64) -> f32 {
    let narrow = value as f32;
    if f64::from(narrow) < value {
        narrow.next_up()
    } else {
        narrow
    }
}

/// A project funded in the run: what its supporters paid per point.
struct Payment {
    /// Known from the start when the quote had to be exact; otherwise worked out when needed by
    /// [`Ledger::solve`] from the scaled cost and the budgets of the voters who paid all they
    /// had, since the payment per point is (cost - their budgets) / the others' points.
    exact: Option<BigRational>,
    cost: u128,
    exhausted: Vec<u32>,
    points_left: u64,
    payers: u64,
}

/// Every payment of one run, from which any budget can be computed exactly.
struct Ledger<'a> {
    ballots: &'a Ballots,
    /// Per group of voters, one of their ballots and how many they are.
    ballot_of: &'a [u32],
    weights: &'a [u32],
    share: u128,
    /// Per project, the index of its payment, or `UNPAID`.
    paid_for: Vec<u32>,
    payments: Vec<Payment>,
    /// The first payments solved exactly: payment j is `numerators[j] / scales[j]`, where each
    /// scale is the previous one times a factor, so that the sums in [`Ledger::solve`] need no
    /// common denominators.
    numerators: Vec<BigInt>,
    factors: Vec<BigInt>,
    scales: Vec<BigInt>,
}

impl<'a> Ledger<'a> {
    fn new(mes: &'a Mes, share: u128) -> Self {
        Ledger {
            ballots: &mes.round.ballots,
            ballot_of: &mes.ballot_of,
            weights: &mes.weights,
            share,
            paid_for: vec![UNPAID; mes.round.projects.len()],
            payments: Vec::new(),
            numerators: Vec::new(),
            factors: Vec::new(),
            scales: Vec::new(),
        }
    }

    fn exact_payment(&mut self, payment: usize) -> BigRational {
        self.solve(payment);
        self.payments[payment]
            .exact
            .get_or_insert_with(|| BigRational::new(self.numerators[payment].clone(), self.scales[payment].clone()))
            .clone()
    }

    /// Computes the payments up to `last` exactly. A voter who paid all it had at payment j had
    /// paid in full for every winner on its ballot before, so what those voters paid together is
    /// the share times their number less an integer combination of earlier payments: solving
    /// the payments in order takes a few big-integer products each, however many voters there
    /// are.
    fn solve(&mut self, last: usize) {
        let scale_one = BigInt::from(1u8);
        while self.numerators.len() <= last {
            let j = self.numerators.len();
            let previous = self.scales.last().unwrap_or(&scale_one).clone();
            let (numerator, factor) = match &self.payments[j].exact {
                Some(known) => {
                    let scaled = known * &previous;
                    (scaled.numer().clone(), scaled.denom().clone())
                }
                None => {
                    let mut coefficients = vec![0u128; j];
                    let mut voters: u128 = 0;
                    for &group in &self.payments[j].exhausted {
                        let weight = u128::from(self.weights[group as usize]);
                        for (payment, points) in self.paid_by(group) {
                            if (payment as usize) < j {
                                coefficients[payment as usize] += weight * u128::from(points);
                            }
                        }
                        voters += weight;
                    }
                    let mut earlier = BigInt::zero();
                    for (at, &coefficient) in coefficients.iter().enumerate() {
                        earlier *= &self.factors[at];
                        if coefficient > 0 {
                            earlier += &self.numerators[at] * BigInt::from(coefficient);
                        }
                    }
                    let own = BigInt::from(self.payments[j].cost) - BigInt::from(self.share) * BigInt::from(voters);
                    (own * &previous + earlier, BigInt::from(self.payments[j].points_left))
                }
            };
            let scale = &previous * &factor;
            self.numerators.push(numerator);
            self.factors.push(factor);
            self.scales.push(scale);
        }
    }

    /// The payments on the ballot of `group`'s voters so far, each with the points they gave.
    fn paid_by(&self, group: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (projects, points) = self.ballots.ballot(self.ballot_of[group as usize] as usize);
        projects
            .iter()
            .zip(points)
            .map(|(&project, &points)| (self.paid_for[project as usize], points))
            .filter(|&(payment, points)| payment != UNPAID && points > 0)
    }

    /// The exact budget of a voter of each of `groups`, none of which has run out of money, as
    /// numerators over one common denominator (returned last): the share less, for each payment
    /// so far, the points paid at it times its amount.
    fn exact_budgets(&mut self, groups: &[u32]) -> (Vec<BigInt>, BigInt) {
        let count = self.payments.len();
        if count == 0 {
            return (vec![BigInt::from(self.share); groups.len()], BigInt::from(1u8));
        }
        self.solve(count - 1);
        // Payment k over the last scale is its numerator times the factors after it.
        let mut over_last = vec![BigInt::zero(); count];
        let mut after = BigInt::from(1u8);
        for k in (0..count).rev() {
            over_last[k] = &self.numerators[k] * &after;
            after *= &self.factors[k];
        }
        let scale = self.scales[count - 1].clone();
        let start = BigInt::from(self.share) * &scale;
        let budgets = groups
            .iter()
            .map(|&group| {
                let mut budget = start.clone();
                for (payment, points) in self.paid_by(group) {
                    budget -= &over_last[payment as usize] * BigInt::from(points);
                }
                budget
            })
            .collect();
        (budgets, scale)
    }
}

/// A group of supporters with money left, as a quote reads it.
#[derive(Clone, Copy)]
struct Entry {
    /// Each voter's budget.
    budget: f64,
    group: u32,
    points: u32,
    voters: u32,
}

impl Entry {
    fn of(supporter: &Supporter, budget: f64) -> Self {
        Entry {
            budget,
            group: supporter.group,
            points: supporter.points,
            voters: supporter.voters,
        }
    }

    /// The points of all its voters.
    fn total_points(&self) -> u64 {
        u64::from(self.points) * u64::from(self.voters)
    }
}

/// What the supporters of a project would pay for it: the payment per point, paid in full by
/// the supporters from `paying` on in the quote's entries and partly, all they have, by those
/// before.
struct Quote {
    lambda: Approx,
    exact: Option<BigRational>,
    rho: Approx,
    paying: usize,
    /// The points of the supporters who pay in full.
    points: u64,
    /// The supporters with money left.
    payers: u64,
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
    /// Per project, its supporters from `starts[p]` to `starts[p + 1]`, in group order.
    starts: Vec<usize>,
    supporters: Vec<Supporter>,
    total_points: Vec<u64>,
    /// Per group of voters with identical ballots, the index of one of those ballots, and how
    /// many voters it holds.
    ballot_of: Vec<u32>,
    weights: Vec<u32>,
}

/// A group of voters with identical ballots, as a supporter of one project.
#[derive(Clone, Copy, Default)]
struct Supporter {
    group: u32,
    /// The points each of its voters gives the project.
    points: u32,
    voters: u32,
}

impl<'a> Mes<'a> {
    pub fn new(round: &'a Round, order: &'a TieOrder) -> Self {
        let count = round.projects.len();
        let ballots = &round.ballots;
        let mut total_points = vec![0u64; count];
        for (&project, &points) in ballots.project_indices().iter().zip(ballots.points()) {
            total_points[project as usize] += u64::from(points);
        }
        let (ballot_of, weights, group_of) = match ballots.len() < SMALL_ROUND {
            // A few ballots stay in cache however they are numbered, and grouping them would
            // cost more than it saves: each is a group of its own.
            true => (
                (0..ballots.len() as u32).collect(),
                vec![1; ballots.len()],
                (0..ballots.len() as u32).map(Some).collect(),
            ),
            false => group_ballots(ballots, &total_points),
        };
        // The ballot that stands for each group, read in ballot order, then each project's
        // supporters put in group order.
        let mut starts = vec![0usize; count + 1];
        let standing = || {
            ballots
                .iter()
                .zip(&group_of)
                .filter_map(|(ballot, group)| Some((ballot, (*group)?)))
        };
        for ((projects, points), _) in standing() {
            for (&project, _) in projects.iter().zip(points).filter(|&(_, &w)| w > 0) {
                starts[project as usize + 1] += 1;
            }
        }
        for p in 0..count {
            starts[p + 1] += starts[p];
        }
        let mut fill = starts.clone();
        let mut supporters = vec![Supporter::default(); starts[count]];
        for ((projects, points), group) in standing() {
            for (&project, &weight) in projects.iter().zip(points).filter(|&(_, &w)| w > 0) {
                supporters[fill[project as usize]] = Supporter {
                    group,
                    points: weight,
                    voters: weights[group as usize],
                };
                fill[project as usize] += 1;
            }
        }
        let mut scratch = Vec::new();
        for p in 0..count {
            sort_by_group(&mut supporters[starts[p]..starts[p + 1]], &mut scratch, ballot_of.len());
        }
        let supported: Vec<usize> = (0..count).filter(|&p| total_points[p] > 0).collect();
        let (mut free, candidates): (Vec<usize>, Vec<usize>) =
            supported.into_iter().partition(|&p| round.projects[p].cost == 0);
        free.sort_by(|&a, &b| order.cmp(a, b));
        Mes {
            round,
            order,
            voters: ballots.len(),
            candidates,
            free,
            starts,
            supporters,
            total_points,
            ballot_of,
            weights,
        }
    }

    /// One currency unit per voter, scaled.
    fn step(&self) -> u128 {
        u128::from(self.round.currency_unit) * self.voters as u128
    }

    /// Whether no candidate left out would still fit the budget.
    fn is_exhaustive(&self, run: &Run) -> bool {
        let left = self.round.budget.saturating_sub(run.spent);
        self.candidates
            .iter()
            .all(|&p| run.funded[p] || self.round.projects[p].cost > left)
    }

    fn supporters_of(&self, project: usize) -> &[Supporter] {
        &self.supporters[self.starts[project]..self.starts[project + 1]]
    }

    fn scaled_cost(&self, project: usize) -> u128 {
        u128::from(self.round.projects[project].cost) * self.voters as u128
    }

    /// Runs equal shares with every voter starting at `share / voters` money units; stops as
    /// soon as the selection exceeds the budget, since then only its being over budget matters,
    /// or with an error once `stop` is set.
    pub fn run(&self, share: u128, stop: &AtomicBool) -> Result<Run<'_>, TallyError> {
        let count = self.round.projects.len();
        let mut run = Run {
            winners: self.free.clone(),
            funded: vec![false; count],
            spent: 0,
            over_budget: false,
            payments: Vec::new(),
            ledger: Ledger::new(self, share),
            voters: self.voters,
            trace: Vec::new(),
            certain: true,
        };
        if self.voters == 0 {
            run.winners.clear();
            return Ok(run);
        }
        for &p in &self.free {
            run.funded[p] = true;
        }
        let mut budgets = Budgets::new(self.ballot_of.len(), Approx::of_integer(share));
        // Per candidate, a payment per point no quote can be below: budgets only fall, so the
        // last one quoted, and before any the cost over all the points. Over the cost it is a
        // price per unit of satisfaction no quote can be below either, which lets most projects
        // be skipped.
        let mut floors: Vec<Approx> = (0..count)
            .map(|p| Approx::of_integer(self.scaled_cost(p)).div(self.total_points[p].max(1) as f64))
            .collect();
        let affordability = |floors: &[Approx], p: usize| floors[p].div(self.scaled_cost(p) as f64);
        let mut remaining = self.candidates.clone();
        // The remaining candidates, each with its affordability, which only its own quote changes.
        let mut keyed: Vec<(Approx, usize)> = Vec::new();
        // The entries of the quote being made and of the best one so far.
        let mut entries = Vec::new();
        let mut best_entries = Vec::new();
        loop {
            if stop.load(atomic::Ordering::Relaxed) {
                return Err(TallyError::Stopped);
            }
            keyed.clear();
            keyed.extend(remaining.iter().map(|&p| (affordability(&floors, p), p)));
            keyed.sort_by(|a, b| a.0.value.total_cmp(&b.0.value));
            remaining.clear();
            remaining.extend(keyed.iter().map(|&(_, p)| p));
            let mut best: Option<(Quote, usize)> = None;
            let mut unaffordable = Vec::new();
            for (at, &(key, p)) in keyed.iter().enumerate() {
                if let Some((quote, _)) = &best
                    && key.cmp(quote.rho) == Some(Ordering::Greater)
                {
                    // Those after come later in floating point order only: each must be shown
                    // to lose on its own for the trace, which leaves them out, to account for
                    // them.
                    run.certain &= keyed[at..]
                        .iter()
                        .all(|&(key, _)| key.cmp(quote.rho) == Some(Ordering::Greater));
                    break;
                }
                let Some(mut quote) = self.quote(&mut run.ledger, &budgets, p, floors[p], &mut entries) else {
                    run.trace.extend([UNAFFORDABLE, p as u64]);
                    unaffordable.push(p);
                    continue;
                };
                trace_quote(&mut run.trace, p, &quote, &entries);
                floors[p] = quote.lambda;
                let better = match &mut best {
                    None => true,
                    Some((best_quote, best_p)) => {
                        let ours = (&mut quote, &mut entries, p);
                        match self.compare(
                            &mut run.ledger,
                            &budgets,
                            ours,
                            (best_quote, &mut best_entries, *best_p),
                        ) {
                            Ordering::Less => true,
                            Ordering::Equal => self.order.cmp(p, *best_p) == Ordering::Less,
                            Ordering::Greater => false,
                        }
                    }
                };
                if best.is_some() {
                    run.trace.push(if better { BETTER } else { WORSE });
                }
                if better {
                    best = Some((quote, p));
                    std::mem::swap(&mut entries, &mut best_entries);
                }
            }
            remaining.retain(|p| !unaffordable.contains(p));
            let Some((quote, chosen)) = best else {
                return Ok(run);
            };
            remaining.retain(|&p| p != chosen);
            run.trace.extend([CHOSEN, chosen as u64]);
            let payment = self.charge(&mut run, &mut budgets, chosen, &quote, &best_entries);
            run.winners.push(chosen);
            run.funded[chosen] = true;
            run.payments.push((chosen, payment));
            run.spent = run.spent.saturating_add(self.round.projects[chosen].cost);
            if run.spent > self.round.budget {
                run.over_budget = true;
                return Ok(run);
            }
        }
    }

    /// What the supporters of `project` would each pay per point so that together they pay its
    /// cost, those who cannot afford it paying all they have; `None` if they cannot pay it at
    /// all. Leaves the supporters with money left in `entries`, those paying all they have first.
    /// What the supporters of `project` would each pay per point so that together they pay its
    /// cost, those who cannot afford it paying all they have; `None` if they cannot pay it at
    /// all. `floor` is a payment per point the answer cannot be below: the last one quoted for
    /// the project in this run, since budgets only fall. Leaves in `entries` the supporters who
    /// pay all they have, first, and the others who had to be looked at.
    fn quote(
        &self,
        ledger: &mut Ledger,
        budgets: &Budgets,
        project: usize,
        floor: Approx,
        entries: &mut Vec<Entry>,
    ) -> Option<Quote> {
        // Most supporters can plainly pay a little more than the floor: they are counted, not
        // kept, and only if the payment then rises past that guess is the quote made again.
        self.quote_below(ledger, budgets, project, floor, Some(floor.value * CEILING), entries)
            .unwrap_or_else(|()| {
                self.quote_below(ledger, budgets, project, floor, None, entries)
                    .unwrap_or(None)
            })
    }

    /// [`Mes::quote`], assuming that supporters who can plainly pay `ceiling` per point pay in
    /// full; `Err` if the payment is not plainly below it after all.
    fn quote_below(
        &self,
        ledger: &mut Ledger,
        budgets: &Budgets,
        project: usize,
        floor: Approx,
        ceiling: Option<f64>,
        entries: &mut Vec<Entry>,
    ) -> Result<Option<Quote>, ()> {
        let cost = self.scaled_cost(project);
        let mut left = Approx::of_integer(cost);
        let mut points: u64 = 0;
        let mut payers: u64 = 0;
        // Entries before `paying` pay all they have; those plainly short of the floor go there
        // as they are read.
        let mut paying = 0;
        entries.clear();
        for supporter in self.supporters_of(project) {
            let budget = budgets.left[supporter.group as usize];
            if budget == 0.0 {
                continue;
            }
            let entry = Entry::of(supporter, budget);
            payers += u64::from(entry.voters);
            points += entry.total_points();
            if let Some(ceiling) = ceiling
                && Approx::exact(ceiling).mul(entry.points).cmp(budgets.loose(budget)) == Some(Ordering::Less)
            {
                continue;
            }
            entries.push(entry);
            if budgets.cmp(floor.mul(entry.points), &entry) == Some(Ordering::Greater) {
                let last = entries.len() - 1;
                entries.swap(paying, last);
                paying += 1;
                left = left.sub(budgets.all_of(&entry));
                points -= entry.total_points();
            }
        }
        // Each pass moves those who plainly cannot afford the current payment before `paying`,
        // which raises the payment; the payment is found when a pass moves no one. Passes are
        // few, as they start from a lower bound; should they not be, the rest are sorted,
        // poorest per point first, and taken in order.
        let mut passes = 0;
        loop {
            if points == 0 {
                return Ok(None);
            }
            if passes == PASSES_BEFORE_SORTING {
                entries[paying..].sort_unstable_by(|a, b| {
                    (a.budget / f64::from(a.points)).total_cmp(&(b.budget / f64::from(b.points)))
                });
                while let Some(entry) = entries.get(paying) {
                    let lambda = left.div(points as f64);
                    match budgets.cmp(lambda.mul(entry.points), entry) {
                        Some(Ordering::Less) => break,
                        Some(_) => {
                            left = left.sub(budgets.all_of(entry));
                            points -= entry.total_points();
                            paying += 1;
                        }
                        None => return Ok(self.exact_quote(ledger, budgets, project, entries)),
                    }
                }
                passes = 0;
                continue;
            }
            passes += 1;
            let lambda = left.div(points as f64);
            let mut short = paying;
            let mut unsure = false;
            for at in paying..entries.len() {
                let entry = entries[at];
                match budgets.cmp(lambda.mul(entry.points), &entry) {
                    Some(Ordering::Less) => {}
                    Some(_) => {
                        entries.swap(short, at);
                        short += 1;
                    }
                    None => unsure = true,
                }
            }
            if short == paying {
                if let Some(ceiling) = ceiling
                    && lambda.cmp(Approx::exact(ceiling)) != Some(Ordering::Less)
                {
                    return Err(());
                }
                return Ok(match unsure {
                    true => self.exact_quote(ledger, budgets, project, entries),
                    false => Some(Quote {
                        lambda,
                        exact: None,
                        rho: lambda.div(cost as f64),
                        paying,
                        points,
                        payers,
                    }),
                });
            }
            for entry in &entries[paying..short] {
                left = left.sub(budgets.all_of(entry));
                points -= entry.total_points();
            }
            paying = short;
        }
    }

    /// [`Mes::quote`] in exact arithmetic, for when rounding could change the answer.
    fn exact_quote(
        &self,
        ledger: &mut Ledger,
        budgets: &Budgets,
        project: usize,
        entries: &mut Vec<Entry>,
    ) -> Option<Quote> {
        entries.clear();
        for supporter in self.supporters_of(project) {
            let budget = budgets.left[supporter.group as usize];
            if budget > 0.0 {
                entries.push(Entry::of(supporter, budget));
            }
        }
        let groups: Vec<u32> = entries.iter().map(|e| e.group).collect();
        let (budgets, scale) = ledger.exact_budgets(&groups);
        let mut order: Vec<usize> = (0..entries.len()).collect();
        // Poorest per point first: b / p < b' / p' exactly when b p' < b' p.
        order.sort_by(|&a, &b| (&budgets[a] * entries[b].points).cmp(&(&budgets[b] * entries[a].points)));
        *entries = order.iter().map(|&at| entries[at]).collect();
        let cost = self.scaled_cost(project);
        // Amounts over the common denominator `scale`.
        let mut left = BigInt::from(cost) * &scale;
        let mut points: u64 = entries.iter().map(Entry::total_points).sum();
        for (paying, &at) in order.iter().enumerate() {
            let entry = entries[paying];
            // The payment per point left / (scale points) is within the budget per point.
            if &left * entry.points <= &budgets[at] * points {
                let lambda = BigRational::new(left, scale * BigInt::from(points));
                let approx = Approx::of_rational(&lambda);
                return Some(Quote {
                    lambda: approx,
                    rho: approx.div(cost as f64),
                    exact: Some(lambda),
                    paying,
                    points,
                    payers: entries.iter().map(|e| u64::from(e.voters)).sum(),
                });
            }
            left -= &budgets[at] * entry.voters;
            points -= entry.total_points();
        }
        None
    }

    /// Compares the price per unit of satisfaction of two quotes, exactly.
    fn compare(
        &self,
        ledger: &mut Ledger,
        budgets: &Budgets,
        a: (&mut Quote, &mut Vec<Entry>, usize),
        b: (&mut Quote, &mut Vec<Entry>, usize),
    ) -> Ordering {
        if let Some(order) = a.0.rho.cmp(b.0.rho) {
            return order;
        }
        if a.0.paying == 0 && b.0.paying == 0 {
            // Nobody is short of money: each price is one over the points, ties are common.
            return b.0.points.cmp(&a.0.points);
        }
        let (pa, pb) = (a.2, b.2);
        let lambda_a = self.exact_lambda(ledger, budgets, a);
        let lambda_b = self.exact_lambda(ledger, budgets, b);
        (lambda_a * BigInt::from(self.scaled_cost(pb))).cmp(&(lambda_b * BigInt::from(self.scaled_cost(pa))))
    }

    fn exact_lambda(
        &self,
        ledger: &mut Ledger,
        budgets: &Budgets,
        (quote, entries, project): (&mut Quote, &mut Vec<Entry>, usize),
    ) -> BigRational {
        if quote.exact.is_none() && quote.paying == 0 {
            quote.exact = Some(BigRational::new(
                BigInt::from(self.scaled_cost(project)),
                BigInt::from(quote.points),
            ));
        } else if quote.exact.is_none()
            && let Some(exact) = self.exact_quote(ledger, budgets, project, entries)
        {
            *quote = exact;
        }
        quote.exact.clone().unwrap_or_else(BigRational::zero)
    }

    /// Charges the supporters of `project` what `quote` says: the entries before `paying` all
    /// they have, the others the payment per point. Returns the payment's index in the ledger.
    fn charge(&self, run: &mut Run, budgets: &mut Budgets, project: usize, quote: &Quote, entries: &[Entry]) -> u32 {
        let ledger = &mut run.ledger;
        let payment = ledger.payments.len() as u32;
        let exhausted = &entries[..quote.paying];
        ledger.payments.push(Payment {
            exact: quote.exact.clone(),
            cost: self.scaled_cost(project),
            exhausted: match quote.exact {
                Some(_) => Vec::new(),
                None => exhausted.iter().map(|e| e.group).collect(),
            },
            points_left: quote.points,
            payers: quote.payers,
        });
        for entry in exhausted {
            budgets.set(entry.group, Approx::exact(0.0));
        }
        let mut unsure = Vec::new();
        for supporter in self.supporters_of(project) {
            let budget = budgets.left[supporter.group as usize];
            if budget == 0.0 {
                continue;
            }
            let left = budgets
                .approx(supporter.group, budget)
                .sub(quote.lambda.mul(supporter.points));
            if left.cmp(Approx::exact(0.0)) == Some(Ordering::Greater) {
                budgets.set(supporter.group, left);
            } else {
                unsure.push(*supporter);
            }
        }
        if !unsure.is_empty() {
            // Before `project` is marked paid, so these are the budgets before this payment.
            let groups: Vec<u32> = unsure.iter().map(|s| s.group).collect();
            let (exact, scale) = ledger.exact_budgets(&groups);
            let lambda = ledger.exact_payment(payment as usize);
            for (supporter, budget) in unsure.iter().zip(exact) {
                let left = BigRational::new(budget, scale.clone()) - &lambda * BigInt::from(supporter.points);
                let approx = match left > BigRational::zero() {
                    // Never 0.0, which would say the voter has nothing left.
                    true => {
                        let approx = Approx::of_rational(&left);
                        Approx {
                            value: approx.value.max(f64::MIN_POSITIVE),
                            error: approx.error.max(f64::MIN_POSITIVE),
                        }
                    }
                    false => {
                        run.trace.extend([EMPTIED, u64::from(supporter.group)]);
                        Approx::exact(0.0)
                    }
                };
                budgets.set(supporter.group, approx);
            }
        }
        ledger.paid_for[project] = payment;
        payment
    }
}
