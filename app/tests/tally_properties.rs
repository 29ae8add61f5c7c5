//! Properties that must hold for any round, on small random ones.

use app::tally::{BallotKind, Ballots, Project, Round, Rule, TieBreak, tally};
use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;

fn round_strategy() -> impl Strategy<Value = Round> {
    (1usize..8, any::<bool>()).prop_flat_map(|(projects, cumulative)| {
        (
            1u64..400,
            prop::collection::vec(1u64..150, projects),
            prop::collection::vec(prop::collection::vec((0..projects as u32, 1u32..4), 0..5), 0..25),
        )
            .prop_map(move |(budget, costs, raw_ballots)| build_round(budget, costs, raw_ballots, cumulative))
    })
}

/// Rounds whose projects cost far more than a voter's share: budgets up to 10^6 among a few
/// voters, so that the add1 completions raise the shares a long way before the outcome changes,
/// with a currency unit above one for large budgets (which also keeps the plain computations,
/// one run per unit, fast enough).
fn costly_round_strategy() -> impl Strategy<Value = Round> {
    (1usize..6, any::<bool>(), 1u64..1_000_000, 20u64..400).prop_flat_map(|(projects, cumulative, budget, units)| {
        (
            prop::collection::vec(1..=budget, projects),
            prop::collection::vec(prop::collection::vec((0..projects as u32, 1u32..4), 0..4), 1..6),
        )
            .prop_map(move |(costs, raw_ballots)| {
                let mut round = build_round(budget, costs, raw_ballots, cumulative);
                round.currency_unit = (budget / units).max(1);
                round
            })
    })
}

fn build_round(budget: u64, costs: Vec<u64>, raw_ballots: Vec<Vec<(u32, u32)>>, cumulative: bool) -> Round {
    let mut ballots = Ballots::new();
    for raw in raw_ballots {
        let mut seen = Vec::new();
        for (project, points) in raw {
            if !seen.contains(&project) {
                seen.push(project);
                ballots.push_choice(project, if cumulative { points } else { 1 });
            }
        }
        ballots.finish_ballot();
    }
    Round {
        budget,
        currency_unit: 1,
        kind: if cumulative {
            BallotKind::Cumulative
        } else {
            BallotKind::Approval
        },
        projects: costs
            .into_iter()
            .enumerate()
            .map(|(i, cost)| Project {
                id: i.to_string(),
                cost,
            })
            .collect(),
        ballots,
    }
}

/// Equal shares written plainly, voter by voter in exact rationals, to check the engine's
/// floating point with error bounds against. Returns the winners' ids in selection order, each
/// with what its supporters paid per point ("0/1" for free projects).
fn plain_equal_shares(round: &Round) -> Vec<(String, String)> {
    let voters = round.ballots.len();
    if voters == 0 {
        return Vec::new();
    }
    plain_equal_shares_from(
        round,
        &BigRational::new(BigInt::from(round.budget), BigInt::from(voters)),
    )
}

/// [`plain_equal_shares`] with every voter starting with `share`.
fn plain_equal_shares_from(round: &Round, share: &BigRational) -> Vec<(String, String)> {
    let voters = round.ballots.len();
    let mut budget = vec![share.clone(); voters];
    let mut supporters = vec![Vec::new(); round.projects.len()];
    for (voter, (projects, points)) in round.ballots.iter().enumerate() {
        for (&project, &weight) in projects.iter().zip(points) {
            if weight > 0 {
                supporters[project as usize].push((voter, BigInt::from(weight)));
            }
        }
    }
    let id = |p: usize| round.projects[p].id.as_str();
    let mut free: Vec<usize> = (0..round.projects.len())
        .filter(|&p| round.projects[p].cost == 0 && !supporters[p].is_empty())
        .collect();
    free.sort_by(|&a, &b| id(a).cmp(id(b)));
    let mut winners: Vec<(usize, BigRational)> = free
        .into_iter()
        .map(|p| (p, BigRational::from_integer(BigInt::from(0))))
        .collect();
    let zero = BigRational::from_integer(BigInt::from(0));
    loop {
        let mut best: Option<(BigRational, usize, BigRational)> = None;
        for p in
            (0..round.projects.len()).filter(|p| !winners.iter().any(|(w, _)| w == p) && !supporters[*p].is_empty())
        {
            let cost = BigRational::from_integer(BigInt::from(round.projects[p].cost));
            let mut paying: Vec<&(usize, BigInt)> = supporters[p].iter().filter(|(v, _)| budget[*v] > zero).collect();
            paying.sort_by(|a, b| (&budget[a.0] / &a.1).cmp(&(&budget[b.0] / &b.1)));
            let mut left = cost.clone();
            let mut points: BigInt = paying.iter().map(|(_, w)| w.clone()).sum();
            let mut lambda = None;
            for (voter, weight) in paying {
                let level = &left / &points;
                if &level * weight <= budget[*voter] {
                    lambda = Some(level);
                    break;
                }
                left -= &budget[*voter];
                points -= weight;
            }
            let Some(lambda) = lambda else { continue };
            let rho = &lambda / &cost;
            let better = match &best {
                None => true,
                Some((best_rho, best_p, _)) => rho < *best_rho || (rho == *best_rho && id(p) < id(*best_p)),
            };
            if better {
                best = Some((rho, p, lambda));
            }
        }
        let Some((_, chosen, lambda)) = best else {
            return winners
                .into_iter()
                .map(|(p, paid)| (id(p).to_owned(), format!("{}/{}", paid.numer(), paid.denom())))
                .collect();
        };
        for (voter, weight) in &supporters[chosen] {
            let pay = (&lambda * weight).min(budget[*voter].clone());
            budget[*voter] -= pay;
        }
        winners.push((chosen, lambda));
    }
}

/// Projects with supporters, by index.
fn supported(round: &Round) -> Vec<usize> {
    (0..round.projects.len())
        .filter(|&p| {
            round
                .ballots
                .iter()
                .any(|(projects, points)| projects.iter().zip(points).any(|(&q, &w)| q as usize == p && w > 0))
        })
        .collect()
}

/// What the winners, given by id, cost.
fn cost_of(round: &Round, winners: &[(String, String)]) -> u64 {
    winners
        .iter()
        .map(|(id, _)| round.projects.iter().find(|p| &p.id == id).map_or(0, |p| p.cost))
        .sum()
}

/// `equalshares-add1` written plainly: shares of whole currency units from
/// floor(budget/voters), raised by one unit while the outcome fits the budget and leaves a
/// supported project out.
fn plain_equalshares_add1(round: &Round) -> Vec<String> {
    let voters = round.ballots.len() as u64;
    if voters == 0 {
        return Vec::new();
    }
    let supported = supported(round).len();
    let unit = round.currency_unit;
    let run = |share: u64| plain_equal_shares_from(round, &BigRational::from_integer(BigInt::from(share)));
    let mut share = round.budget / voters / unit * unit;
    let mut current = run(share);
    while current.len() < supported {
        share += unit;
        let next = run(share);
        if cost_of(round, &next) > round.budget {
            break;
        }
        current = next;
    }
    current.into_iter().map(|(id, _)| id).collect()
}

/// `mes-add1` written plainly: shares from budget/voters, raised by one currency unit while
/// some supported project left out would fit in what is left, keeping the last outcome that
/// fit the budget; then the projects with most points that still fit, ties by id.
fn plain_mes_add1(round: &Round) -> Vec<String> {
    let voters = round.ballots.len() as u64;
    let mut winners: Vec<String> = Vec::new();
    if voters > 0 {
        let candidates: Vec<usize> = supported(round)
            .into_iter()
            .filter(|&p| round.projects[p].cost > 0)
            .collect();
        let exhaustive = |outcome: &[(String, String)]| {
            let left = round.budget - cost_of(round, outcome).min(round.budget);
            candidates
                .iter()
                .all(|&p| outcome.iter().any(|(id, _)| *id == round.projects[p].id) || round.projects[p].cost > left)
        };
        let unit = BigRational::from_integer(BigInt::from(round.currency_unit));
        let mut share = BigRational::new(BigInt::from(round.budget), BigInt::from(voters));
        let mut current = plain_equal_shares_from(round, &share);
        while !exhaustive(&current) {
            share += &unit;
            let next = plain_equal_shares_from(round, &share);
            if cost_of(round, &next) > round.budget {
                break;
            }
            current = next;
        }
        winners = current.into_iter().map(|(id, _)| id).collect();
    }
    let points = |p: usize| -> u64 {
        round
            .ballots
            .iter()
            .flat_map(|(projects, points)| projects.iter().zip(points))
            .filter(|&(&q, _)| q as usize == p)
            .map(|(_, &w)| u64::from(w))
            .sum()
    };
    let density = |p: usize| if round.projects[p].cost == 0 { 0 } else { points(p) };
    let mut rest: Vec<usize> = (0..round.projects.len())
        .filter(|&p| !winners.contains(&round.projects[p].id))
        .collect();
    rest.sort_by(|&a, &b| {
        density(b)
            .cmp(&density(a))
            .then_with(|| round.projects[a].id.cmp(&round.projects[b].id))
    });
    let mut spent: u64 = winners
        .iter()
        .map(|id| round.projects.iter().find(|p| &p.id == id).map_or(0, |p| p.cost))
        .sum();
    for p in rest {
        if spent + round.projects[p].cost <= round.budget {
            spent += round.projects[p].cost;
            winners.push(round.projects[p].id.clone());
        }
    }
    winners
}

/// Both add1 completions against their plain one-unit-at-a-time computations.
fn add1_rules_match_plain_steps(round: &Round) -> Result<(), TestCaseError> {
    for (rule, plain) in [
        (Rule::MesAdd1, plain_mes_add1(round)),
        (Rule::EqualsharesAdd1, plain_equalshares_add1(round)),
    ] {
        let outcome = tally(round, rule, TieBreak::Lexico).expect("valid round");
        let ids: Vec<String> = outcome.winner_ids().map(str::to_owned).collect();
        prop_assert_eq!(ids, plain, "{}", rule);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn add1_rules_match_plain_steps_when_costs_dwarf_the_shares(round in costly_round_strategy()) {
        add1_rules_match_plain_steps(&round)?;
    }
}

proptest! {
    #[test]
    fn add1_rules_match_a_plain_exact_computation(round in round_strategy()) {
        add1_rules_match_plain_steps(&round)?;
    }

    #[test]
    fn equal_shares_matches_a_plain_exact_computation(round in round_strategy()) {
        let outcome = tally(&round, Rule::Mes, TieBreak::Lexico).expect("valid round");
        let got: Vec<(String, String)> = outcome
            .winners
            .iter()
            .map(|&w| {
                let project = &outcome.projects[w];
                let paid = &project.share.as_ref().expect("funded by equal shares").per_supporter;
                (project.id.clone(), format!("{}/{}", paid.numerator, paid.denominator))
            })
            .collect();
        prop_assert_eq!(got, plain_equal_shares(&round));
    }

    #[test]
    fn many_copies_of_each_ballot_count_as_one_with_a_share_each(round in round_strategy()) {
        // Enough copies for the tally to group identical ballots, which it skips for a few;
        // with the budget and the costs multiplied alike, every payment stays the same.
        let copies = 1100 / round.ballots.len().max(1) as u64 + 1;
        let mut many = Round { budget: round.budget * copies, ballots: Ballots::new(), ..round.clone() };
        for project in &mut many.projects {
            project.cost *= copies;
        }
        for (projects, points) in round.ballots.iter() {
            for _ in 0..copies {
                for (&project, &weight) in projects.iter().zip(points) {
                    many.ballots.push_choice(project, weight);
                }
                many.ballots.finish_ballot();
            }
        }
        // The winners, each with how many paid and how much, payers counted `times` over.
        let paid = |outcome: &app::tally::Outcome, times: u64| -> Vec<String> {
            outcome
                .winners
                .iter()
                .map(|&w| {
                    let project = &outcome.projects[w];
                    match &project.share {
                        Some(s) => format!(
                            "{} paid by {} at {}/{}",
                            project.id,
                            s.payers * times,
                            s.per_supporter.numerator,
                            s.per_supporter.denominator
                        ),
                        None => project.id.clone(),
                    }
                })
                .collect()
        };
        for rule in [Rule::Mes, Rule::MesAdd1, Rule::EqualsharesAdd1] {
            let one = paid(&tally(&round, rule, TieBreak::Lexico).expect("valid round"), copies);
            let all = paid(&tally(&many, rule, TieBreak::Lexico).expect("valid round"), 1);
            prop_assert_eq!(all, one, "{}", rule);
        }
    }

    #[test]
    fn no_rule_exceeds_the_budget(round in round_strategy()) {
        for rule in Rule::ALL {
            for tie in TieBreak::ALL {
                let outcome = tally(&round, rule, tie).expect("valid round");
                prop_assert!(outcome.budget_used <= round.budget, "{rule}");
                let cost: u64 = outcome.winners.iter().map(|&w| round.projects[w].cost).sum();
                prop_assert_eq!(cost, outcome.budget_used);
            }
        }
    }

    #[test]
    fn shares_are_never_negative(round in round_strategy()) {
        for rule in [Rule::Mes, Rule::MesAdd1, Rule::EqualsharesAdd1] {
            let outcome = tally(&round, rule, TieBreak::Lexico).expect("valid round");
            for project in outcome.projects.iter().filter_map(|p| p.share.as_ref().map(|s| (p, s))) {
                let (project, share) = project;
                prop_assert!(!share.per_supporter.numerator.starts_with('-'));
                prop_assert!(share.payers <= project.votes);
            }
        }
    }

    #[test]
    fn more_support_never_makes_a_greedy_winner_lose(round in round_strategy(), pick in any::<prop::sample::Index>()) {
        let outcome = tally(&round, Rule::Greedy, TieBreak::Lexico).expect("valid round");
        prop_assume!(!outcome.winners.is_empty());
        let winner = outcome.winners[pick.index(outcome.winners.len())];
        let mut more = round.clone();
        more.ballots.push_approval(&[winner as u32]);
        let again = tally(&more, Rule::Greedy, TieBreak::Lexico).expect("valid round");
        prop_assert!(again.projects[winner].funded);
    }
}
