use super::*;

fn round(budget: u64, costs: &[u64], ballots: &[&[u32]]) -> Round {
    let mut all = Ballots::new();
    for ballot in ballots {
        all.push_approval(ballot);
    }
    Round {
        budget,
        currency_unit: 1,
        kind: BallotKind::Approval,
        projects: costs
            .iter()
            .enumerate()
            .map(|(i, &cost)| Project {
                id: format!("p{i}"),
                cost,
            })
            .collect(),
        ballots: all,
    }
}

fn winners(round: &Round, rule: Rule, tie: TieBreak) -> Vec<String> {
    tally(round, rule, tie)
        .expect("valid round")
        .winner_ids()
        .map(str::to_owned)
        .collect()
}

#[test]
fn greedy_takes_most_votes_first_and_skips_what_no_longer_fits() {
    let r = round(10, &[6, 5, 4], &[&[0, 1], &[0, 1], &[0], &[2]]);
    assert_eq!(winners(&r, Rule::Greedy, TieBreak::Lexico), ["p0", "p2"]);
}

#[test]
fn greedy_ties_follow_the_tie_break() {
    let r = round(10, &[6, 5, 5], &[&[0, 1, 2]]);
    assert_eq!(winners(&r, Rule::Greedy, TieBreak::Lexico), ["p0"]);
    assert_eq!(winners(&r, Rule::Greedy, TieBreak::CostVotes), ["p1", "p2"]);
}

#[test]
fn equal_shares_funds_each_group_in_proportion() {
    // Two voters for p0 and p1, one for p2: p2's voter owns a third of the budget.
    let r = round(30, &[20, 20, 10], &[&[0, 1], &[0, 1], &[2]]);
    assert_eq!(first_share(&r), (vec!["p0".into(), "p2".into()], 2, "10/1".into()));
}

/// The winners by equal shares, and how many paid for the first and how much each.
fn first_share(round: &Round) -> (Vec<String>, u64, String) {
    let outcome = tally(round, Rule::Mes, TieBreak::Lexico).expect("valid round");
    let share = outcome.projects[outcome.winners[0]]
        .share
        .clone()
        .expect("funded by equal shares");
    let paid = format!("{}/{}", share.per_supporter.numerator, share.per_supporter.denominator);
    (outcome.winner_ids().map(str::to_owned).collect(), share.payers, paid)
}

#[test]
fn mes_ties_follow_the_tie_break() {
    let r = round(20, &[10, 10], &[&[0], &[1]]);
    assert_eq!(winners(&r, Rule::Mes, TieBreak::Lexico), ["p0", "p1"]);
    let r = round(10, &[10, 8], &[&[0, 1], &[0, 1]]);
    assert_eq!(winners(&r, Rule::Mes, TieBreak::CostVotes)[0], "p1");
}

#[test]
fn add1_completion_spends_what_plain_equal_shares_leaves() {
    // Alone, the voter of p1 cannot pay for it; raising shares lets p1 in.
    let r = round(100, &[50, 40], &[&[0], &[0], &[0], &[1]]);
    assert_eq!(winners(&r, Rule::Mes, TieBreak::Lexico), ["p0"]);
    assert_eq!(winners(&r, Rule::MesAdd1, TieBreak::Lexico), ["p0", "p1"]);
    assert_eq!(winners(&r, Rule::EqualsharesAdd1, TieBreak::CostVotes), ["p0", "p1"]);
}

#[test]
fn rules_and_tie_breaks_parse_by_name() {
    for rule in Rule::ALL {
        assert_eq!(rule.name().parse::<Rule>(), Ok(rule));
    }
    assert_eq!("cost-votes".parse::<TieBreak>(), Ok(TieBreak::CostVotes));
    assert!("best".parse::<Rule>().is_err());
}

#[test]
fn ballots_naming_a_project_twice_are_refused() {
    let r = round(10, &[5, 5], &[&[0], &[1, 0, 1]]);
    assert_eq!(
        tally(&r, Rule::Mes, TieBreak::Lexico),
        Err(TallyError::RepeatedChoice(1))
    );
}

#[test]
fn identical_ballots_in_any_order_count_once_each() {
    // 900 voters for {p0, p1} in two orders and 300 for p2, enough to be grouped: the payments
    // are those of one voter each.
    let ballots: Vec<&[u32]> = [&[0, 1][..], &[1, 0], &[0, 1], &[2]].repeat(300);
    let r = round(12_000, &[9_000, 9_000, 3_000], &ballots);
    assert_eq!(first_share(&r), (vec!["p0".into(), "p2".into()], 900, "10/1".into()));
}

#[test]
fn ballots_naming_unknown_projects_are_refused() {
    let r = round(10, &[5], &[&[3]]);
    assert_eq!(
        tally(&r, Rule::Greedy, TieBreak::Lexico),
        Err(TallyError::UnknownProject(3))
    );
}
