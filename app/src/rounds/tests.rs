use super::*;

#[test]
fn phases_move_one_step_forward_only() {
    assert!(Phase::Draft.can_move_to(Phase::Proposals));
    assert!(Phase::Voting.can_move_to(Phase::Closed));
    assert!(
        !Phase::Closed.can_move_to(Phase::Published),
        "only publishing a count publishes"
    );
    assert!(!Phase::Draft.can_move_to(Phase::Review));
    assert!(!Phase::Review.can_move_to(Phase::Proposals));
    assert!(!Phase::Voting.can_move_to(Phase::Voting));
    assert_eq!(Phase::Published.next(), None);
    for phase in Phase::ALL {
        assert_eq!(Phase::from_tag(phase.tag()), Some(phase));
    }
}

#[test]
fn rules_freeze_when_voting_opens() {
    assert!(!Phase::Review.rules_frozen());
    assert!(Phase::Voting.rules_frozen());
    assert!(Phase::Published.rules_frozen());
}

#[test]
fn ballot_rules_need_a_sensible_number() {
    assert_eq!(BallotRule::parse("approval", "۵"), Ok(BallotRule::Approval(5)));
    assert_eq!(BallotRule::parse("knapsack", ""), Ok(BallotRule::Knapsack));
    assert_eq!(BallotRule::parse("cumulative", "10"), Ok(BallotRule::Cumulative(10)));
    assert_eq!(BallotRule::parse("approval", "0"), Err(ApiError::BallotRuleInvalid));
    assert_eq!(BallotRule::parse("approval", ""), Err(ApiError::BallotRuleInvalid));
    assert_eq!(BallotRule::parse("cumulative", "x"), Err(ApiError::BallotRuleInvalid));
    assert_eq!(BallotRule::parse("ranked", "3"), Err(ApiError::BallotRuleInvalid));
    let rule = BallotRule::Cumulative(7);
    assert_eq!(BallotRule::new(rule.tag(), rule.param()), Some(rule));
}

#[test]
fn equal_shares_is_the_default_tally() {
    assert_eq!(TallyRule::default(), TallyRule::EqualShares);
    assert_eq!(TallyRule::from_tag("greedy"), Some(TallyRule::Greedy));
    assert_eq!(TallyRule::from_tag("borda"), None);
}

#[test]
fn amounts_are_typed_in_toman_and_kept_in_rial() {
    assert_eq!(parse_toman("۱٬۲۰۰٬۰۰۰"), Ok(Some(12_000_000)));
    assert_eq!(parse_toman("1,500"), Ok(Some(15_000)));
    assert_eq!(parse_toman("  "), Ok(None));
    assert_eq!(parse_toman("0"), Err(ApiError::AmountInvalid));
    assert_eq!(parse_toman("-5"), Err(ApiError::AmountInvalid));
    assert_eq!(parse_toman("9999999999999999999"), Err(ApiError::AmountInvalid));
    assert_eq!(required_toman(""), Err(ApiError::AmountInvalid));
    assert_eq!(toman(Lang::Fa, 12_000_000), "۱٬۲۰۰٬۰۰۰ تومان");
    assert_eq!(toman(Lang::En, 12_000_000), "1,200,000 toman");
}

#[test]
fn proposal_texts_have_bounded_lengths() {
    assert_eq!(proposal_title("  پارک  ").unwrap_err(), ApiError::ProposalTitleLength);
    assert_eq!(proposal_title(" نیمکت پارک ").as_deref(), Ok("نیمکت پارک"));
    assert!(proposal_title(&"ب".repeat(121)).is_err());
    assert!(proposal_description(&"ب".repeat(19)).is_err());
    assert!(proposal_description(&"ب".repeat(4000)).is_ok());
    assert_eq!(location(""), Ok(String::new()));
}

#[test]
fn filters_come_from_the_address_and_go_back_into_it() {
    let query = |key: &str| match key {
        "q" => Some(" پارک ".to_owned()),
        "category" => Some("green".to_owned()),
        "neighborhood" => Some("۱۲".to_owned()),
        "status" => Some("bogus".to_owned()),
        "sort" => Some("cost".to_owned()),
        "page" => Some("0".to_owned()),
        _ => None,
    };
    let filter = ProposalFilter::from_query(query);
    assert_eq!(filter.q, "پارک");
    assert_eq!(filter.category, Some(Category::Green));
    assert_eq!(filter.neighborhood, Some(12));
    assert_eq!(filter.status, None);
    assert_eq!(filter.page, 1);
    assert_eq!(
        filter.query(3),
        "q=%D9%BE%D8%A7%D8%B1%DA%A9&category=green&neighborhood=12&sort=cost&page=3"
    );
    assert_eq!(ProposalFilter::default().query(1), "");
    assert_eq!(page_count(0), 1);
    assert_eq!(page_count(41), 3);
}

#[test]
fn counts_are_optional_and_bounded() {
    let err = ApiError::MinAgeInvalid;
    assert_eq!(parse_count("", 1..=5, err), Ok(None));
    assert_eq!(parse_count("۳", 1..=5, err), Ok(Some(3)));
    assert_eq!(parse_count("6", 1..=5, err), Err(err));
    assert_eq!(Sort::from_tag("cost"), Sort::Cost);
    assert_eq!(Sort::from_tag("nonsense"), Sort::Newest);
    assert_eq!(Category::from_tag("green"), Some(Category::Green));
    assert_eq!(Status::from_tag("merged"), Some(Status::Merged));
}
