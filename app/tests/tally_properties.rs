//! Properties that must hold for any round, on small random ones.

use app::tally::{BallotKind, Ballots, Project, Round, Rule, TieBreak, tally};
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

proptest! {
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
