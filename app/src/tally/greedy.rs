//! The greedy rule: projects by decreasing satisfaction per unit of cost, which with cost
//! satisfaction is simply their votes (points); a project that no longer fits is skipped.

use super::{Round, Support, TieOrder};
use std::cmp::Ordering;

/// Projects chosen so far, in selection order, and the money they take.
pub(crate) struct Selection {
    pub winners: Vec<usize>,
    funded: Vec<bool>,
    spent: u64,
}

impl Selection {
    pub fn empty(round: &Round) -> Self {
        Self::of(round, &[])
    }

    pub fn of(round: &Round, winners: &[usize]) -> Self {
        let mut funded = vec![false; round.projects.len()];
        let mut spent = 0u64;
        for &project in winners {
            funded[project] = true;
            spent = spent.saturating_add(round.projects[project].cost);
        }
        Selection {
            winners: winners.to_vec(),
            funded,
            spent,
        }
    }
}

/// Adds projects greedily to `selection` until nothing more fits.
pub(crate) fn complete(round: &Round, support: &Support, order: &TieOrder, selection: &mut Selection) {
    let mut candidates: Vec<usize> = (0..round.projects.len()).filter(|&p| !selection.funded[p]).collect();
    candidates.sort_by(|&a, &b| denser(round, support, b, a).then_with(|| order.cmp(a, b)));
    for project in candidates {
        let cost = round.projects[project].cost;
        if selection
            .spent
            .checked_add(cost)
            .is_some_and(|total| total <= round.budget)
        {
            selection.spent += cost;
            selection.funded[project] = true;
            selection.winners.push(project);
        }
    }
}

/// Compares the satisfaction per cost of two projects. Satisfaction is the cost times the
/// points, so this is the points; a free project brings no satisfaction and scores nothing.
fn denser(round: &Round, support: &Support, a: usize, b: usize) -> Ordering {
    let density = |p: usize| match round.projects[p].cost {
        0 => 0,
        _ => support.points[p],
    };
    density(a).cmp(&density(b))
}
