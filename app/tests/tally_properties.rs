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
            .prop_map(move |(budget, costs, raw_ballots)| {
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
            })
    })
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

/// `equalshares-add1` written plainly: whole shares from floor(budget/voters), raised by one
/// while the outcome fits the budget and leaves a supported project out.
fn plain_equalshares_add1(round: &Round) -> Vec<String> {
    let voters = round.ballots.len() as u64;
    if voters == 0 {
        return Vec::new();
    }
    let supported = (0..round.projects.len())
        .filter(|&p| {
            round
                .ballots
                .iter()
                .any(|(projects, points)| projects.iter().zip(points).any(|(&q, &w)| q as usize == p && w > 0))
        })
        .count();
    let cost = |winners: &[(String, String)]| -> u64 {
        winners
            .iter()
            .map(|(id, _)| round.projects.iter().find(|p| &p.id == id).map_or(0, |p| p.cost))
            .sum()
    };
    let run = |share: u64| plain_equal_shares_from(round, &BigRational::from_integer(BigInt::from(share)));
    let mut share = round.budget / voters;
    let mut current = run(share);
    while current.len() < supported {
        share += 1;
        let next = run(share);
        if cost(&next) > round.budget {
            break;
        }
        current = next;
    }
    current.into_iter().map(|(id, _)| id).collect()
}

proptest! {
    #[test]
    fn equalshares_add1_matches_a_plain_exact_computation(round in round_strategy()) {
        let outcome = tally(&round, Rule::EqualsharesAdd1, TieBreak::Lexico).expect("valid round");
        let ids: Vec<String> = outcome.winner_ids().map(str::to_owned).collect();
        prop_assert_eq!(ids, plain_equalshares_add1(&round));
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
