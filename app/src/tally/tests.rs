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

/// One voter approves only a project costing nearly the whole budget of 10^13 money units,
/// fifty others approve five cheap ones: stepping a currency unit at a time would take about
/// 10^12 runs before the voter's share reached the project's cost.
fn one_voter_for_the_expensive_project(expensive: u64, currency_unit: u64) -> Round {
    let cheap: &[u32] = &[1, 2, 3, 4, 5];
    let mut ballots: Vec<&[u32]> = vec![&[0]];
    ballots.extend(std::iter::repeat_n(cheap, 50));
    let mut r = round(
        10_000_000_000_000,
        &[expensive, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000],
        &ballots,
    );
    r.currency_unit = currency_unit;
    r
}

#[test]
fn an_expensive_project_with_one_supporter_is_counted_at_once() {
    let budget = 10_000_000_000_000;
    for currency_unit in [1, 10] {
        // Each cheap project costs each of its fifty voters about a ten-millionth of its share:
        // they are funded at once, each at 1/50 per unit of satisfaction, ties in id order.
        // p0 costs its one voter 1 per unit, more than any cheap project, so it comes last,
        // and only once that voter's share has risen to its cost. Costing exactly what the
        // cheap ones leave, it then fits: both completions end with all six.
        let fits = one_voter_for_the_expensive_project(budget - 5_000_000, currency_unit);
        // A million more, it never fits with them: mes-add1 is exhaustive from the start, and
        // equalshares-add1 keeps the last share before p0 would overspend, with the cheap ones.
        let never = one_voter_for_the_expensive_project(budget - 4_000_000, currency_unit);
        let cheap = ["p1", "p2", "p3", "p4", "p5"];
        let all = ["p1", "p2", "p3", "p4", "p5", "p0"];
        for (r, rule, want) in [
            (&fits, Rule::MesAdd1, &all[..]),
            (&fits, Rule::EqualsharesAdd1, &all[..]),
            (&never, Rule::MesAdd1, &cheap[..]),
            (&never, Rule::EqualsharesAdd1, &cheap[..]),
        ] {
            let started = std::time::Instant::now();
            let got = winners(r, rule, TieBreak::Lexico);
            let took = started.elapsed();
            assert_eq!(got, want, "{rule}, unit {currency_unit}");
            assert!(took.as_secs_f64() < 1.0, "{rule}, unit {currency_unit}: {took:?}");
        }
    }
}

#[test]
fn add1_completions_stop_at_the_share_where_the_outcome_changes() {
    // Two voters with 50 million each fund p0 for 30 million each. Voter 0 alone can pay for
    // p1 once its share reaches 65 million, and voter 1 for p2 one money unit later, at the
    // next step, which would overspend: both completions must stop at exactly 65 million,
    // 15 million units on, with p0 and p1; one step less leaves p1 out, one more is over
    // budget.
    for currency_unit in [1, 1_000_000] {
        let mut r = round(100_000_000, &[60_000_000, 35_000_000, 35_000_001], &[&[0, 1], &[0, 2]]);
        r.currency_unit = currency_unit;
        for rule in [Rule::MesAdd1, Rule::EqualsharesAdd1] {
            assert_eq!(
                winners(&r, rule, TieBreak::Lexico),
                ["p0", "p1"],
                "{rule}, unit {currency_unit}"
            );
        }
    }
}

#[test]
fn a_count_already_stopped_ends_with_an_error() {
    let r = round(100, &[50, 40], &[&[0], &[0], &[0], &[1]]);
    let stop = std::sync::atomic::AtomicBool::new(true);
    for rule in [Rule::Mes, Rule::MesAdd1, Rule::EqualsharesAdd1] {
        assert_eq!(
            tally_until(&r, rule, TieBreak::Lexico, &stop),
            Err(TallyError::Stopped),
            "{rule}"
        );
    }
    assert!(tally_until(&r, Rule::Greedy, TieBreak::Lexico, &stop).is_ok());
}
