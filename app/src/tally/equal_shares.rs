//! The method of equal shares with cost satisfaction (a voter's satisfaction from a project is
//! its cost, times the points given on cumulative ballots), and its add1 completions.
//!
//! Money is scaled by the number of voters so that every voter's starting share is an integer.
//! Voters whose remaining budgets are equal form a class, so that the arithmetic runs once per
//! class rather than once per voter. Every amount is computed in floating point together with a
//! bound on its rounding error; a decision is taken in floating point only when the bound shows
//! that exact arithmetic would take the same one. Otherwise, which happens only when two amounts
//! are equal or nearly so, the amounts involved are computed exactly as rationals, from a record
//! of every class and payment that is kept for that purpose. The winners are therefore those of
//! exact arithmetic, at the speed of floating point.

use super::outcome::{Fraction, Share};
use super::{Round, TieOrder};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Twice the unit roundoff: every error bound below uses it, so each bound has slack.
const ROUNDOFF: f64 = f64::EPSILON;

/// The outcome of one run of equal shares.
pub(crate) struct Run {
    pub winners: Vec<usize>,
    funded: Vec<bool>,
    spent: u64,
    over_budget: bool,
    /// Each project funded at its supporters' expense, with its payment in the ledger; free
    /// projects have none.
    payments: Vec<(usize, u32)>,
    ledger: Ledger,
    voters: usize,
}

impl Run {
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
pub(crate) fn add1_exhaustive(round: &Round, order: &TieOrder) -> Run {
    let mes = Mes::new(round, order);
    let mut memo = Memo::default();
    let mut share = initial_share(round);
    let mut current = mes.run(share, &mut memo);
    while mes.voters > 0 && !mes.is_exhaustive(&current) {
        share += mes.step();
        let next = mes.run(share, &mut memo);
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
    let mut share = match step {
        0 => 0,
        _ => u128::from(round.budget) / step * step,
    };
    let mut memo = Memo::default();
    let mut current = mes.run(share, &mut memo);
    while mes.voters > 0 && current.winners.len() < mes.free.len() + mes.candidates.len() {
        share += step;
        let next = mes.run(share, &mut memo);
        if next.over_budget {
            break;
        }
        current = next;
    }
    current
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

    fn mul(self, factor: u64) -> Self {
        let value = self.value * factor as f64;
        Approx {
            value,
            error: self.error * factor as f64 + value.abs() * ROUNDOFF,
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

/// How each class of budgets came about, so that its exact amount can be computed when needed.
#[derive(Clone, Copy)]
enum Origin {
    Empty,
    Start,
    /// What was left after paying `points` times the payment per point of a project.
    Paid {
        from: u32,
        payment: u32,
        points: u32,
    },
}

/// A project funded in the run: what its supporters paid per point.
struct Payment {
    approx: Approx,
    /// Known from the start when the quote had to be exact; otherwise filled in when needed
    /// from [`Ledger::solve`], which works it out from the scaled cost and the groups who paid
    /// all they had, since the payment per point is (cost - their budgets) / the others' points.
    exact: Option<BigRational>,
    cost: u128,
    exhausted: Vec<Group>,
    points_left: u64,
    payers: u64,
}

/// Every class of budgets and every payment of one run.
struct Ledger {
    share: u128,
    approx: Vec<Approx>,
    origin: Vec<Origin>,
    /// The classes computed exactly so far: few, while a run has up to millions of classes.
    exact: HashMap<u32, BigRational>,
    payments: Vec<Payment>,
    /// The first payments solved exactly: payment j is `numerators[j] / scales[j]`, where each
    /// scale is the previous one times a factor, so that the sums in [`Ledger::solve`] need no
    /// common denominators.
    numerators: Vec<BigInt>,
    factors: Vec<BigInt>,
    scales: Vec<BigInt>,
}

/// The class of voters with nothing left.
const EMPTY: u32 = 0;
const NONE: u32 = u32::MAX;

impl Ledger {
    fn new(share: u128) -> Self {
        let start = Approx::of_integer(share);
        Ledger {
            share,
            approx: vec![Approx::exact(0.0), start],
            origin: vec![Origin::Empty, Origin::Start],
            exact: HashMap::new(),
            payments: Vec::new(),
            numerators: Vec::new(),
            factors: Vec::new(),
            scales: Vec::new(),
        }
    }

    fn add_class(&mut self, approx: Approx, origin: Origin, exact: Option<BigRational>) -> u32 {
        self.approx.push(approx);
        self.origin.push(origin);
        // At most one class per supporter and selection, each a voter's index: within u32.
        let class = (self.approx.len() - 1) as u32;
        if let Some(exact) = exact {
            self.exact.insert(class, exact);
        }
        class
    }

    fn exact_class(&mut self, class: u32) -> BigRational {
        if let Some(value) = self.exact.get(&class) {
            return value.clone();
        }
        let value = match self.origin[class as usize] {
            Origin::Empty => BigRational::zero(),
            Origin::Start => BigRational::from_integer(BigInt::from(self.share)),
            Origin::Paid { from, payment, points } => {
                self.exact_class(from) - self.exact_payment(payment as usize) * BigInt::from(points)
            }
        };
        self.exact.insert(class, value.clone());
        value
    }

    fn exact_payment(&mut self, payment: usize) -> BigRational {
        self.solve(payment);
        self.payments[payment]
            .exact
            .get_or_insert_with(|| BigRational::new(self.numerators[payment].clone(), self.scales[payment].clone()))
            .clone()
    }

    /// Computes the payments up to `last` exactly. Every budget is the share less payments
    /// before, so what the groups who paid all they had paid together is the share times
    /// their number less an integer combination of earlier payments: solving the payments in
    /// order takes a few big-integer products each, however many classes there are.
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
                    let mut voters: u128 = 0;
                    let mut coefficients = vec![0u128; j];
                    for group in &self.payments[j].exhausted {
                        let mut class = group.class;
                        while let Origin::Paid { from, payment, points } = self.origin[class as usize] {
                            coefficients[payment as usize] += u128::from(group.voters) * u128::from(points);
                            class = from;
                        }
                        voters += u128::from(group.voters);
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
}

/// Supporters of a project with the same budget class and the same points.
#[derive(Clone, Copy)]
struct Group {
    class: u32,
    points: u32,
    voters: u64,
    /// Where [`Grouping::build`] put the group, which stays its name however the groups are
    /// then ordered.
    index: u32,
    /// The class's budget in the current run, kept here so that sorting and scanning the
    /// groups reads them in order rather than all over the ledger.
    budget: Approx,
}

/// What the supporters of a project would pay for it: the payment per point, paid in full by
/// the groups from `paying` on and partly, all they have, by the groups before.
struct Quote {
    lambda: Approx,
    exact: Option<BigRational>,
    rho: Approx,
    groups: Vec<Group>,
    paying: usize,
    /// The points of the groups that pay in full.
    points: u64,
    /// The group (its [`Group::index`]) of each supporter, `NONE` for those with nothing left,
    /// as read to make the quote; empty when the groups were remembered from a previous run.
    members: Vec<u32>,
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

    fn supporters_of(&self, project: usize) -> &[(u32, u32)] {
        &self.supporters[self.starts[project]..self.starts[project + 1]]
    }

    fn scaled_cost(&self, project: usize) -> u128 {
        u128::from(self.round.projects[project].cost) * self.voters as u128
    }

    /// Runs equal shares with every voter starting at `share / voters` money units; stops as
    /// soon as the selection exceeds the budget, since then only its being over budget matters.
    /// `memo` holds what the previous run grouped, and is left holding what this one did.
    pub fn run(&self, share: u128, memo: &mut Memo) -> Run {
        let mut trace = Memo {
            started: Some(share > 0),
            ..Memo::default()
        };
        let run = self.run_tracing(share, memo, &mut trace);
        *memo = trace;
        run
    }

    fn run_tracing(&self, share: u128, memo: &mut Memo, trace: &mut Memo) -> Run {
        // Until this run charges differently from the previous one, every voter is in the
        // same class as then, so the supporters of a project group as they did then.
        let mut matching = memo.started == trace.started;
        let count = self.round.projects.len();
        let mut run = Run {
            winners: self.free.clone(),
            funded: vec![false; count],
            spent: 0,
            over_budget: false,
            payments: Vec::new(),
            ledger: Ledger::new(share),
            voters: self.voters,
        };
        if self.voters == 0 {
            run.winners.clear();
            return run;
        }
        for &p in &self.free {
            run.funded[p] = true;
        }
        let mut of_voter = vec![if share > 0 { 1 } else { EMPTY }; self.voters];
        let mut grouping = Grouping::default();
        // Affordability of each candidate: the price per unit of satisfaction, never falling
        // between rounds, so a stale value is a lower bound that lets most projects be skipped.
        let mut affordability: Vec<Approx> = (0..count)
            .map(|p| Approx::exact(1.0).div(self.total_points[p].max(1) as f64))
            .collect();
        let mut remaining = self.candidates.clone();
        loop {
            remaining.sort_by(|&a, &b| affordability[a].value.total_cmp(&affordability[b].value));
            let mut best: Option<(Quote, usize)> = None;
            let mut unaffordable = Vec::new();
            for &p in &remaining {
                if let Some((quote, _)) = &best
                    && affordability[p].cmp(quote.rho) == Some(Ordering::Greater)
                {
                    break;
                }
                let key = (trace.charges.len(), p);
                let (groups, built) = match memo.groups.remove(&key).filter(|_| matching) {
                    Some(mut groups) => {
                        for group in &mut groups {
                            group.budget = run.ledger.approx[group.class as usize];
                        }
                        (groups, false)
                    }
                    None => (grouping.build(&run.ledger, &of_voter, self.supporters_of(p)), true),
                };
                // Remembering is worth it only when there are far fewer groups than supporters.
                let remembered = (groups.len() * 4 <= self.supporters_of(p).len()).then(|| groups.clone());
                let quote = self.quote(&mut run.ledger, p, groups);
                if let Some(groups) = remembered {
                    trace.groups.insert(key, groups);
                }
                let Some(mut quote) = quote else {
                    unaffordable.push(p);
                    continue;
                };
                if built {
                    quote.members = std::mem::take(&mut grouping.members);
                }
                affordability[p] = quote.rho;
                let better = match &mut best {
                    None => true,
                    Some((best_quote, best_p)) => {
                        match self.compare(&mut run.ledger, &mut quote, p, best_quote, *best_p) {
                            Ordering::Less => true,
                            Ordering::Equal => self.order.cmp(p, *best_p) == Ordering::Less,
                            Ordering::Greater => false,
                        }
                    }
                };
                if better {
                    if let Some((replaced, _)) = best.replace((quote, p)) {
                        grouping.recycle(replaced.members);
                    }
                } else {
                    grouping.recycle(quote.members);
                }
            }
            remaining.retain(|p| !unaffordable.contains(p));
            let Some((quote, chosen)) = best else {
                return run;
            };
            remaining.retain(|&p| p != chosen);
            let (payment, charge) = self.charge(&mut run.ledger, &mut grouping, &mut of_voter, chosen, quote);
            matching = matching && memo.charges.get(trace.charges.len()) == Some(&charge);
            trace.charges.push(charge);
            run.winners.push(chosen);
            run.funded[chosen] = true;
            run.payments.push((chosen, payment));
            run.spent = run.spent.saturating_add(self.round.projects[chosen].cost);
            if run.spent > self.round.budget {
                run.over_budget = true;
                return run;
            }
        }
    }

    /// What the supporters of `project`, grouped in `groups`, would each pay per point so that
    /// together they pay its cost, those who cannot afford it paying all they have; `None` if
    /// they cannot pay it at all.
    fn quote(&self, ledger: &mut Ledger, project: usize, mut groups: Vec<Group>) -> Option<Quote> {
        let cost = self.scaled_cost(project);
        let mut left = Approx::of_integer(cost);
        let mut points: u64 = groups.iter().map(|g| g.voters * u64::from(g.points)).sum();
        // Groups before `paying` pay all they have. Only the groups that might not afford the
        // current payment are sorted, poorest per point first, and taken in that order until
        // one affords it; as the payment then rises, the others are checked again. This is
        // the order of a full sort, which most groups, plainly able to pay, are spared.
        let mut paying = 0;
        loop {
            if paying == groups.len() {
                return None;
            }
            let lambda = left.div(points as f64);
            let short = |g: &Group| lambda.mul(u64::from(g.points)).cmp(g.budget) != Some(Ordering::Less);
            let batch_end = paying + partition(&mut groups[paying..], short);
            if batch_end == paying {
                return Some(Quote {
                    lambda,
                    exact: None,
                    rho: lambda.div(cost as f64),
                    groups,
                    paying,
                    points,
                    members: Vec::new(),
                });
            }
            groups[paying..batch_end].sort_unstable_by(|a, b| {
                let per_point = |g: &Group| g.budget.value / f64::from(g.points);
                per_point(a).total_cmp(&per_point(b))
            });
            while paying < batch_end {
                let group = groups[paying];
                let lambda = left.div(points as f64);
                match lambda.mul(u64::from(group.points)).cmp(group.budget) {
                    Some(Ordering::Less) => break,
                    Some(_) => {
                        left = left.sub(group.budget.mul(group.voters));
                        points -= group.voters * u64::from(group.points);
                        paying += 1;
                    }
                    None => return self.exact_quote(ledger, project, groups),
                }
            }
        }
    }

    /// [`Mes::quote`] in exact arithmetic, for when rounding could change the answer.
    fn exact_quote(&self, ledger: &mut Ledger, project: usize, mut groups: Vec<Group>) -> Option<Quote> {
        let mut keyed: Vec<(BigRational, Group)> = groups
            .iter()
            .map(|&g| (ledger.exact_class(g.class) / BigInt::from(g.points), g))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        groups.clear();
        groups.extend(keyed.iter().map(|(_, g)| *g));
        let cost = self.scaled_cost(project);
        let mut left = BigRational::from_integer(BigInt::from(cost));
        let mut points: u64 = groups.iter().map(|g| g.voters * u64::from(g.points)).sum();
        for (at, (per_point, group)) in keyed.iter().enumerate() {
            let lambda = &left / BigInt::from(points);
            if lambda <= *per_point {
                let approx = Approx::of_rational(&lambda);
                return Some(Quote {
                    lambda: approx,
                    rho: approx.div(cost as f64),
                    exact: Some(lambda),
                    groups,
                    paying: at,
                    points,
                    members: Vec::new(),
                });
            }
            left -= per_point * BigInt::from(u64::from(group.points) * group.voters);
            points -= group.voters * u64::from(group.points);
        }
        None
    }

    /// Compares the price per unit of satisfaction of two quotes, exactly.
    fn compare(&self, ledger: &mut Ledger, a: &mut Quote, pa: usize, b: &mut Quote, pb: usize) -> Ordering {
        if let Some(order) = a.rho.cmp(b.rho) {
            return order;
        }
        if a.paying == 0 && b.paying == 0 {
            // Nobody is short of money: each price is one over the points, ties are common.
            return b.points.cmp(&a.points);
        }
        let lambda_a = self.exact_lambda(ledger, a, pa);
        let lambda_b = self.exact_lambda(ledger, b, pb);
        (lambda_a * BigInt::from(self.scaled_cost(pb))).cmp(&(lambda_b * BigInt::from(self.scaled_cost(pa))))
    }

    fn exact_lambda(&self, ledger: &mut Ledger, quote: &mut Quote, project: usize) -> BigRational {
        if quote.exact.is_none() && quote.paying == 0 {
            quote.exact = Some(BigRational::new(
                BigInt::from(self.scaled_cost(project)),
                BigInt::from(quote.points),
            ));
        } else if quote.exact.is_none() {
            let groups = std::mem::take(&mut quote.groups);
            if let Some(exact) = self.exact_quote(ledger, project, groups) {
                let members = std::mem::take(&mut quote.members);
                *quote = Quote { members, ..exact };
            }
        }
        quote.exact.clone().unwrap_or_else(BigRational::zero)
    }

    /// Charges the supporters of `project` what `quote` says: the groups before `paying` all
    /// they have, the others the payment per point. Returns the payment's index in the ledger
    /// and where each group's voters went.
    fn charge(
        &self,
        ledger: &mut Ledger,
        grouping: &mut Grouping,
        of_voter: &mut [u32],
        project: usize,
        quote: Quote,
    ) -> (u32, Charge) {
        let payment = ledger.payments.len() as u32;
        let payers = quote.groups.iter().map(|g| g.voters).sum();
        ledger.payments.push(Payment {
            approx: quote.lambda,
            exact: quote.exact.clone(),
            cost: self.scaled_cost(project),
            exhausted: match quote.exact {
                Some(_) => Vec::new(),
                None => quote.groups[..quote.paying].to_vec(),
            },
            points_left: quote.points,
            payers,
        });
        let lambda = ledger.payments[payment as usize].approx;
        let mut new_class = vec![EMPTY; quote.groups.len()];
        // New classes are numbered in the order of the old ones, not of the budgets, so that
        // the next run, charging the same groups alike, numbers them alike and can reuse them.
        // No two groups share a class and points, so this order also sorts the moves.
        let mut order: Vec<usize> = (0..quote.groups.len()).collect();
        order.sort_unstable_by_key(|&at| (quote.groups[at].class, quote.groups[at].points));
        for &at in order.iter().filter(|&&at| at >= quote.paying) {
            let group = quote.groups[at];
            let origin = Origin::Paid {
                from: group.class,
                payment,
                points: group.points,
            };
            let left = group.budget.sub(lambda.mul(u64::from(group.points)));
            new_class[at] = match left.cmp(Approx::exact(0.0)) {
                Some(Ordering::Greater) => ledger.add_class(left, origin, None),
                _ => {
                    let exact = ledger.exact_class(group.class)
                        - ledger.exact_payment(payment as usize) * BigInt::from(group.points);
                    if exact > BigRational::zero() {
                        ledger.add_class(Approx::of_rational(&exact), origin, Some(exact))
                    } else {
                        EMPTY
                    }
                }
            };
        }
        let supporters = self.supporters_of(project);
        let mut members = quote.members;
        if members.len() != supporters.len() {
            members = grouping.assign(of_voter, supporters, &quote.groups);
        }
        let mut by_index = vec![EMPTY; quote.groups.len()];
        for (group, &class) in quote.groups.iter().zip(&new_class) {
            by_index[group.index as usize] = class;
        }
        for (&member, &(voter, _)) in members.iter().zip(supporters) {
            if member != NONE {
                of_voter[voter as usize] = by_index[member as usize];
            }
        }
        grouping.recycle(members);
        let moves = order
            .iter()
            .map(|&at| (quote.groups[at].class, quote.groups[at].points, new_class[at]))
            .collect();
        (payment, Charge { project, moves })
    }
}

/// Moves the items for which `first` holds to the front; returns how many there are.
fn partition<T>(items: &mut [T], first: impl Fn(&T) -> bool) -> usize {
    let mut count = 0;
    for at in 0..items.len() {
        if first(&items[at]) {
            items.swap(count, at);
            count += 1;
        }
    }
    count
}

/// What one run grouped and charged, for the next run to reuse while it charges alike.
#[derive(Default)]
pub(crate) struct Memo {
    /// Whether the voters started with money at all.
    started: Option<bool>,
    charges: Vec<Charge>,
    /// The supporters of a project grouped after a number of charges: (charges, project).
    groups: HashMap<(usize, usize), Vec<Group>>,
}

/// A project charged, and the class each group of its supporters (class, points) moved to.
#[derive(PartialEq, Eq)]
struct Charge {
    project: usize,
    moves: Vec<(u32, u32, u32)>,
}

/// Groups supporters by (class, points). Their classes are first read in a pass of their own,
/// so that these reads, scattered over all the voters, overlap instead of each waiting for the
/// one before; the groups are then found through a small open-addressing table sized to the
/// groups, not to the classes, so that it stays in cache.
#[derive(Default)]
struct Grouping {
    /// Per supporter, its class, then its group; kept from quote to charge, so that charging
    /// does not read the classes again.
    members: Vec<u32>,
    /// Group indices, `NONE` for a free slot; the length is a power of two.
    slots: Vec<u32>,
}

impl Grouping {
    /// Groups `supporters` by their class and points, leaving each one's group in `members`.
    fn build(&mut self, ledger: &Ledger, of_voter: &[u32], supporters: &[(u32, u32)]) -> Vec<Group> {
        self.gather(of_voter, supporters);
        self.clear(0);
        let mut members = std::mem::take(&mut self.members);
        let mut list: Vec<Group> = Vec::new();
        for (member, &(_, points)) in members.iter_mut().zip(supporters) {
            let class = *member;
            if class == EMPTY {
                *member = NONE;
                continue;
            }
            *member = match find(&self.slots, &list, class, points) {
                Ok(at) => {
                    list[at].voters += 1;
                    at as u32
                }
                Err(slot) => {
                    // There are fewer groups than supporters, which are counted in u32.
                    let index = list.len() as u32;
                    self.slots[slot] = index;
                    list.push(Group {
                        class,
                        points,
                        voters: 1,
                        index,
                        budget: ledger.approx[class as usize],
                    });
                    if list.len() * 2 > self.slots.len() {
                        self.link(&list);
                    }
                    index
                }
            };
        }
        self.members = members;
        list
    }

    /// The group of each of `supporters` among `groups`, as [`Grouping::build`] leaves them;
    /// no group has the empty class.
    fn assign(&mut self, of_voter: &[u32], supporters: &[(u32, u32)], groups: &[Group]) -> Vec<u32> {
        self.link(groups);
        self.gather(of_voter, supporters);
        let mut members = std::mem::take(&mut self.members);
        for (member, &(_, points)) in members.iter_mut().zip(supporters) {
            *member = match find(&self.slots, groups, *member, points) {
                Ok(at) => groups[at].index,
                _ => NONE,
            };
        }
        members
    }

    /// Reads the class of each of `supporters` into `members`.
    fn gather(&mut self, of_voter: &[u32], supporters: &[(u32, u32)]) {
        self.members.clear();
        self.members
            .extend(supporters.iter().map(|&(voter, _)| of_voter[voter as usize]));
    }

    /// Takes back a buffer of members, keeping the larger, so that quotes reuse their memory.
    fn recycle(&mut self, members: Vec<u32>) {
        if members.capacity() > self.members.capacity() {
            self.members = members;
        }
    }

    /// Empties the table, making room for twice `groups` at least.
    fn clear(&mut self, groups: usize) {
        let size = (2 * groups).next_power_of_two().max(64);
        self.slots.clear();
        self.slots.resize(size, NONE);
    }

    /// Fills the table with `groups`, in whatever order they now are, so that [`find`] works.
    fn link(&mut self, groups: &[Group]) {
        self.clear(groups.len());
        for (at, group) in groups.iter().enumerate() {
            if let Err(slot) = find(&self.slots, groups, group.class, group.points) {
                self.slots[slot] = at as u32;
            }
        }
    }
}

/// The index of the group (`class`, `points`) in `groups`, or the free slot where it belongs.
fn find(slots: &[u32], groups: &[Group], class: u32, points: u32) -> Result<usize, usize> {
    let mask = slots.len() - 1;
    let key = (u64::from(class) << 32 | u64::from(points)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut slot = (key >> 32) as usize & mask;
    loop {
        match slots[slot] {
            NONE => return Err(slot),
            at if groups[at as usize].class == class && groups[at as usize].points == points => {
                return Ok(at as usize);
            }
            _ => slot = (slot + 1) & mask,
        }
    }
}
