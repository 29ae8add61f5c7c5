//! Budget rounds and proposals over real HTTP, on SQLite and PostgreSQL: the
//! phase rules, who may do what, the proposal limit, the office's review, and
//! the public list of proposals.

use crate::common;

use app::accounts::audit;
use app::accounts::viewer::Role;
use app::error::ApiError;
use app::rounds::Category;
use app::rounds::db as round;
use app::rounds::db::{budget_round, proposal};
use app::verification::db as verification;
use common::{Backend, PASSWORD, TestApp, Visitor, error, staff};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

const DESCRIPTION: &str = "A long enough description of what the neighborhood needs.";

/// A signed-in resident, verified in `neighborhood` when one is given.
pub(crate) async fn resident(app: &TestApp, login: &str, neighborhood: Option<i32>) -> Visitor {
    let id = app.account(login, PASSWORD, Role::Resident, None).await;
    if let Some(neighborhood) = neighborhood {
        verification::person::ActiveModel {
            account_id: Set(id),
            national_hash: Set(format!("{login:0>64}")),
            neighborhood_id: Set(neighborhood),
            birth_year: Set(1370),
            method: Set("in-person".to_owned()),
            verified_at: Set(sea_orm::prelude::DateTimeUtc::from(std::time::SystemTime::now())),
        }
        .insert(&app.db)
        .await
        .expect("verified");
    }
    let mut visitor = app.visitor();
    visitor.sign_in(login, PASSWORD).await;
    visitor
}

/// Opens a round on `area` with the given proposal limit; returns its id.
pub(crate) async fn open_round(app: &TestApp, office: &mut Visitor, area: i32, limit: &str) -> i32 {
    let area = area.to_string();
    let (status, body) = office
        .call(
            "create-round",
            &[
                ("area_id", &area),
                ("title_fa", "بودجهٔ محله ۱۴۰۵"),
                ("title_en", "Neighborhood budget 2026"),
                ("budget", "۱٬۰۰۰٬۰۰۰٬۰۰۰"),
                ("ballot_rule", "approval"),
                ("ballot_param", "5"),
                ("tally_rule", "equal-shares"),
                ("min_age", ""),
                ("max_proposals", limit),
            ],
        )
        .await;
    assert!(status < 400, "round refused: {status} {body}");
    latest_round(app).await.id
}

pub(crate) async fn latest_round(app: &TestApp) -> budget_round::Model {
    budget_round::Entity::find()
        .order_by_desc(budget_round::Column::Id)
        .one(&app.db)
        .await
        .expect("database")
        .expect("a round")
}

pub(crate) async fn advance(office: &mut Visitor, round: i32, to: &str) -> (u16, String) {
    office
        .call("advance-phase", &[("id", &round.to_string()), ("to", to)])
        .await
}

pub(crate) async fn move_to(office: &mut Visitor, round: i32, phases: &[&str]) {
    for to in phases {
        let (status, body) = advance(office, round, to).await;
        assert!(status < 400, "{to}: {status} {body}");
    }
}

pub(crate) async fn propose(visitor: &mut Visitor, round: i32, title: &str, neighborhood: i32) -> (u16, String) {
    let (round, neighborhood) = (round.to_string(), neighborhood.to_string());
    visitor
        .call(
            "submit-proposal",
            &[
                ("round_id", &round),
                ("title", title),
                ("description", DESCRIPTION),
                ("category", "green"),
                ("neighborhood_id", &neighborhood),
                ("location", ""),
                ("estimate", "50,000"),
            ],
        )
        .await
}

async fn proposal_count(app: &TestApp) -> u64 {
    proposal::Entity::find().count(&app.db).await.expect("count")
}

pub(crate) async fn latest_proposal(app: &TestApp) -> proposal::Model {
    proposal::Entity::find()
        .order_by_desc(proposal::Column::Id)
        .one(&app.db)
        .await
        .expect("database")
        .expect("a proposal")
}

on_both_databases!(phases_move_forward_and_rules_freeze, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = staff(&app, "09120000001", district).await;
    let round = open_round(&app, &mut office, district, "").await;
    let created = latest_round(&app).await;
    assert_eq!(
        (
            created.phase.tag(),
            created.budget_rial,
            created.max_proposals,
            created.tally_rule.tag()
        ),
        ("draft", 10_000_000_000, 3, "equal-shares"),
        "budget typed in Toman is kept in Rial; three proposals by default"
    );
    let mut sara = resident(&app, "09120000010", Some(neighborhoods[0])).await;

    let (status, body) = propose(&mut sara, round, "A new park bench", neighborhoods[0]).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::WrongPhase),
        "no proposals in draft"
    );
    let (status, body) = advance(&mut office, round, "review").await;
    assert_eq!((status, error(&body)), (409, ApiError::PhaseOrder), "no skipping");
    let (status, body) = advance(&mut office, round, "nonsense").await;
    assert_eq!((status, error(&body)), (409, ApiError::PhaseOrder));

    move_to(&mut office, round, &["proposals"]).await;
    let (status, body) = advance(&mut office, round, "draft").await;
    assert_eq!((status, error(&body)), (409, ApiError::PhaseOrder), "no going back");
    let (status, body) = propose(&mut sara, round, "A new park bench", neighborhoods[0]).await;
    assert!(status < 400, "{status} {body}");
    let mine = latest_proposal(&app).await;
    assert_eq!((mine.estimate_rial, mine.status.tag()), (Some(500_000), "submitted"));

    let (id, neighborhood) = (mine.id.to_string(), neighborhoods[0].to_string());
    let fields = [
        ("id", id.as_str()),
        ("title", "A better park bench"),
        ("description", DESCRIPTION),
        ("category", "sports"),
        ("neighborhood_id", neighborhood.as_str()),
        ("location", "Corner of the square"),
        ("estimate", ""),
    ];
    let (status, body) = sara.call("edit-proposal", &fields).await;
    assert!(status < 400, "authors edit until review: {status} {body}");
    let edited = latest_proposal(&app).await;
    assert_eq!(
        (edited.title.as_str(), edited.category.tag(), edited.estimate_rial),
        ("A better park bench", "sports", None)
    );
    let mut reza = resident(&app, "09120000011", Some(neighborhoods[0])).await;
    let (status, body) = reza.call("edit-proposal", &fields).await;
    assert_eq!(
        (status, error(&body)),
        (403, ApiError::Forbidden),
        "only the author edits"
    );

    move_to(&mut office, round, &["review"]).await;
    let (status, body) = propose(&mut sara, round, "Another park bench", neighborhoods[0]).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::WrongPhase),
        "no proposals in review"
    );
    let (status, body) = sara.call("edit-proposal", &fields).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::WrongPhase),
        "no edits once review began"
    );

    let round_id = round.to_string();
    let fields = [
        ("id", round_id.as_str()),
        ("title_fa", "بودجهٔ تازه"),
        ("title_en", "New budget"),
        ("budget", "2000000"),
        ("ballot_rule", "knapsack"),
        ("ballot_param", ""),
        ("tally_rule", "greedy"),
        ("min_age", "18"),
        ("max_proposals", "3"),
    ];
    let (status, body) = office.call("edit-round", &fields).await;
    assert!(status < 400, "settings change before voting: {status} {body}");
    let changed = latest_round(&app).await;
    assert_eq!(
        (changed.ballot_rule.as_str(), changed.tally_rule.tag(), changed.min_age),
        ("knapsack", "greedy", Some(18))
    );

    move_to(&mut office, round, &["voting"]).await;
    let (status, body) = office.call("edit-round", &fields).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::RulesFrozen),
        "rules freeze when voting opens"
    );
    // The database refuses it too, whatever code path tries.
    let bypass = app
        .execute_sql(&format!(
            "UPDATE budget_round SET ballot_rule = 'approval', ballot_param = 3 WHERE id = {round}"
        ))
        .await;
    assert!(bypass.is_err(), "the database keeps the rules frozen");
    let bypass = app
        .execute_sql(&format!("UPDATE budget_round SET budget_rial = 1 WHERE id = {round}"))
        .await;
    assert!(bypass.is_err(), "the budget is frozen as well");
    assert_eq!(latest_round(&app).await.ballot_rule, "knapsack");
    move_to(&mut office, round, &["closed", "published"]).await;
    let (status, body) = advance(&mut office, round, "published").await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::PhaseOrder),
        "nothing after publication"
    );
    let moves = audit::Entity::find()
        .filter(audit::Column::Action.eq("advance-phase"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(moves, 5, "every phase change is in the audit log");
    app.finish().await;
});

on_both_databases!(
    only_the_district_and_its_residents_take_part,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let districts = app.districts().await;
        let (district, neighborhoods) = districts[0].clone();
        let (other_district, other_neighborhoods) = districts[1].clone();
        let mut office = staff(&app, "09120000001", district).await;
        let mut stranger = staff(&app, "09120000002", other_district).await;

        let foreign_area = other_neighborhoods[0].to_string();
        let (status, body) = office
            .call(
                "create-round",
                &[
                    ("area_id", &foreign_area),
                    ("title_fa", "بودجه"),
                    ("title_en", "Budget"),
                    ("budget", "1000"),
                    ("ballot_rule", "knapsack"),
                    ("ballot_param", ""),
                    ("tally_rule", "greedy"),
                    ("min_age", ""),
                    ("max_proposals", ""),
                ],
            )
            .await;
        assert_eq!((status, error(&body)), (400, ApiError::AreaInvalid));

        // A round of one neighborhood only.
        let round = open_round(&app, &mut office, neighborhoods[0], "3").await;
        let (status, body) = advance(&mut stranger, round, "proposals").await;
        assert_eq!(
            (status, error(&body)),
            (403, ApiError::Forbidden),
            "staff of another district"
        );
        move_to(&mut office, round, &["proposals"]).await;

        let mut anonymous = app.visitor();
        let (status, body) = propose(&mut anonymous, round, "A new park bench", neighborhoods[0]).await;
        assert_eq!((status, error(&body)), (401, ApiError::NotSignedIn));
        let mut unverified = resident(&app, "09120000010", None).await;
        let (status, body) = propose(&mut unverified, round, "A new park bench", neighborhoods[0]).await;
        assert_eq!((status, error(&body)), (400, ApiError::NotVerified));
        let mut neighbor = resident(&app, "09120000011", Some(neighborhoods[1])).await;
        let (status, body) = propose(&mut neighbor, round, "A new park bench", neighborhoods[0]).await;
        assert_eq!(
            (status, error(&body)),
            (400, ApiError::OutsideRound),
            "another neighborhood"
        );
        let (status, body) = advance(&mut neighbor, round, "review").await;
        assert_eq!(
            (status, error(&body)),
            (403, ApiError::Forbidden),
            "residents move no phases"
        );

        let mut sara = resident(&app, "09120000012", Some(neighborhoods[0])).await;
        let (status, body) = propose(&mut sara, round, "A new park bench", neighborhoods[1]).await;
        assert_eq!(
            (status, error(&body)),
            (400, ApiError::NeighborhoodInvalid),
            "only a neighborhood the round covers"
        );
        let (status, body) = propose(&mut sara, round, "A new park bench", neighborhoods[0]).await;
        assert!(status < 400, "{status} {body}");
        move_to(&mut office, round, &["review"]).await;
        let id = latest_proposal(&app).await.id.to_string();
        let (status, body) = stranger.call("accept-proposal", &[("id", &id), ("cost", "1000")]).await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
        let (status, body) = sara.call("accept-proposal", &[("id", &id), ("cost", "1000")]).await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
        assert_eq!(latest_proposal(&app).await.status.tag(), "submitted");
        assert_eq!(proposal_count(&app).await, 1);
        app.finish().await;
    }
);

on_both_databases!(residents_propose_up_to_the_limit, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = staff(&app, "09120000001", district).await;
    let round = open_round(&app, &mut office, district, "2").await;
    move_to(&mut office, round, &["proposals"]).await;
    let mut sara = resident(&app, "09120000010", Some(neighborhoods[0])).await;
    for title in ["First proposal", "Second proposal"] {
        let (status, body) = propose(&mut sara, round, title, neighborhoods[0]).await;
        assert!(status < 400, "{status} {body}");
    }
    let (status, body) = propose(&mut sara, round, "Third proposal", neighborhoods[0]).await;
    assert_eq!((status, error(&body)), (409, ApiError::ProposalLimit));

    // Three sessions of another resident racing for two places: two win.
    let mut first = resident(&app, "09120000011", Some(neighborhoods[1])).await;
    let mut second = app.visitor();
    second.sign_in("09120000011", PASSWORD).await;
    let mut third = app.visitor();
    third.sign_in("09120000011", PASSWORD).await;
    for visitor in [&mut first, &mut second, &mut third] {
        visitor.csrf().await;
    }
    let results = tokio::join!(
        propose(&mut first, round, "Racing proposal one", neighborhoods[1]),
        propose(&mut second, round, "Racing proposal two", neighborhoods[1]),
        propose(&mut third, round, "Racing proposal three", neighborhoods[1]),
    );
    let refused = [results.0, results.1, results.2]
        .into_iter()
        .filter(|(status, _)| *status >= 400)
        .map(|(status, body)| (status, error(&body)))
        .collect::<Vec<_>>();
    assert_eq!(refused, vec![(409, ApiError::ProposalLimit)]);
    assert_eq!(proposal_count(&app).await, 4);
    app.finish().await;
});

on_both_databases!(offices_cost_accept_reject_and_merge, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = staff(&app, "09120000001", district).await;
    let round = open_round(&app, &mut office, district, "").await;
    move_to(&mut office, round, &["proposals"]).await;
    let mut sara = resident(&app, "09120000010", Some(neighborhoods[0])).await;
    let mut ids = Vec::new();
    for title in ["Trees on the avenue", "Benches in the park", "Trees along the avenue"] {
        let (status, body) = propose(&mut sara, round, title, neighborhoods[0]).await;
        assert!(status < 400, "{status} {body}");
        ids.push(latest_proposal(&app).await.id.to_string());
    }
    let (status, body) = office
        .call("accept-proposal", &[("id", &ids[0]), ("cost", "1000")])
        .await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::WrongPhase),
        "review comes first"
    );
    move_to(&mut office, round, &["review"]).await;

    let (status, body) = office
        .call("accept-proposal", &[("id", &ids[0]), ("cost", "zero")])
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::AmountInvalid));
    let (status, body) = office
        .call("accept-proposal", &[("id", &ids[0]), ("cost", "۲۵۰٬۰۰۰")])
        .await;
    assert!(status < 400, "{status} {body}");
    let (status, body) = office
        .call("reject-proposal", &[("id", &ids[1]), ("reason", " ")])
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::ReasonRequired));
    let (status, body) = office
        .call(
            "reject-proposal",
            &[("id", &ids[1]), ("reason", "The park is being rebuilt already.")],
        )
        .await;
    assert!(status < 400, "{status} {body}");
    let (status, body) = office
        .call("merge-proposal", &[("id", &ids[2]), ("into", &ids[1])])
        .await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::MergeTargetInvalid),
        "only into a project"
    );
    let (status, body) = office
        .call("merge-proposal", &[("id", &ids[2]), ("into", &ids[2])])
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::MergeTargetInvalid));
    let (status, body) = office
        .call("merge-proposal", &[("id", &ids[2]), ("into", &ids[0])])
        .await;
    assert!(status < 400, "{status} {body}");

    let statuses: Vec<(String, Option<i64>)> = proposal::Entity::find()
        .order_by_asc(proposal::Column::Id)
        .all(&app.db)
        .await
        .expect("proposals")
        .into_iter()
        .map(|p| (p.status.tag().to_owned(), p.official_cost_rial))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("accepted".to_owned(), Some(2_500_000)),
            ("rejected".to_owned(), None),
            ("merged".to_owned(), None),
        ]
    );
    let mut public = app.visitor();
    let (_, body) = public.call("proposal", &[("id", &ids[2])]).await;
    let merged: app::rounds::views::ProposalData = serde_json::from_str(&body).expect("proposal");
    assert_eq!(merged.merged_into.map(|(id, _)| id.to_string()), Some(ids[0].clone()));
    let (_, body) = public.call("proposal", &[("id", &ids[1])]).await;
    let rejected: app::rounds::views::ProposalData = serde_json::from_str(&body).expect("proposal");
    assert_eq!(
        rejected.reject_reason.as_deref(),
        Some("The park is being rebuilt already.")
    );
    let page = public.page(&format!("/proposals/{}", ids[0])).await;
    assert!(
        page.contains("۲۵۰٬۰۰۰ تومان"),
        "the official cost in Toman, Persian digits"
    );
    let page = public.page(&format!("/proposals/{}", ids[2])).await;
    assert!(
        page.contains(&format!("href=\"/proposals/{}\"", ids[0])),
        "a merged proposal points to its project"
    );

    let decisions = audit::Entity::find()
        .filter(audit::Column::Action.is_in(["accept-proposal", "reject-proposal", "merge-proposal"]))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(decisions, 3, "each decision is in the audit log, failed ones are not");
    app.finish().await;
});

on_both_databases!(bad_input_changes_nothing, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = staff(&app, "09120000001", district).await;
    let area = district.to_string();
    let round_fields = |budget: &'static str, rule: &'static str, param: &'static str, limit: &'static str| {
        vec![
            ("area_id", area.clone()),
            ("title_fa", "بودجه".to_owned()),
            ("title_en", "Budget".to_owned()),
            ("budget", budget.to_owned()),
            ("ballot_rule", rule.to_owned()),
            ("ballot_param", param.to_owned()),
            ("tally_rule", "equal-shares".to_owned()),
            ("min_age", "".to_owned()),
            ("max_proposals", limit.to_owned()),
        ]
    };
    for (fields, expected) in [
        (round_fields("0", "knapsack", "", "3"), ApiError::AmountInvalid),
        (round_fields("1000", "approval", "0", "3"), ApiError::BallotRuleInvalid),
        (round_fields("1000", "ranked", "3", "3"), ApiError::BallotRuleInvalid),
        (
            round_fields("1000", "cumulative", "10", "99"),
            ApiError::ProposalLimitInvalid,
        ),
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = office.call("create-round", &fields).await;
        assert_eq!((status, error(&body)), (400, expected));
    }
    assert_eq!(budget_round::Entity::find().count(&app.db).await.expect("count"), 0);

    let round = open_round(&app, &mut office, district, "").await;
    move_to(&mut office, round, &["proposals"]).await;
    let mut sara = resident(&app, "09120000010", Some(neighborhoods[0])).await;
    let (round, neighborhood) = (round.to_string(), neighborhoods[0].to_string());
    let long_description = "x".repeat(4001);
    let good = [
        ("round_id", round.as_str()),
        ("title", "A new park bench"),
        ("description", DESCRIPTION),
        ("category", "green"),
        ("neighborhood_id", neighborhood.as_str()),
        ("location", ""),
        ("estimate", ""),
    ];
    for (field, value, expected) in [
        ("title", "Park", ApiError::ProposalTitleLength),
        ("description", "Too short.", ApiError::ProposalDescriptionLength),
        (
            "description",
            long_description.as_str(),
            ApiError::ProposalDescriptionLength,
        ),
        ("category", "parking", ApiError::CategoryInvalid),
        ("estimate", "a lot", ApiError::AmountInvalid),
        ("neighborhood_id", "999999", ApiError::NeighborhoodInvalid),
    ] {
        let fields: Vec<(&str, &str)> = good
            .iter()
            .map(|(k, v)| if *k == field { (*k, value) } else { (*k, *v) })
            .collect();
        let (status, body) = sara.call("submit-proposal", &fields).await;
        assert_eq!((status, error(&body)), (400, expected), "{field}");
    }
    let (status, body) = sara.call("submit-proposal", &[("round_id", round.as_str())]).await;
    assert_eq!((status, error(&body)), (400, ApiError::BadRequest), "missing fields");
    assert_eq!(proposal_count(&app).await, 0);
    app.finish().await;
});

on_both_databases!(the_public_list_filters_sorts_and_pages, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = staff(&app, "09120000001", district).await;
    let round = open_round(&app, &mut office, district, "").await;
    let author = app.account("09120000010", PASSWORD, Role::Resident, None).await;
    // 45 proposals: every third about trees, every fifth in the second neighborhood.
    for n in 0..45_i64 {
        let title = if n % 3 == 0 {
            format!("Trees number {n:02}")
        } else {
            format!("Lights number {n:02}")
        };
        round::insert_proposal(
            &app.db,
            round,
            author,
            round::Draft {
                neighborhood_id: neighborhoods[usize::from(n % 5 == 0)],
                title,
                description: format!("{DESCRIPTION} 100% sure, case {n}."),
                category: if n % 2 == 0 { Category::Green } else { Category::Safety },
                location: String::new(),
                estimate_rial: (n % 4 != 0).then_some(1_000 * (50 - n)),
            },
        )
        .await
        .expect("proposal");
    }
    let mut public = app.visitor();
    let round_id = round.to_string();
    let list = |fields: Vec<(&'static str, String)>| {
        let mut all = vec![("id", round_id.clone())];
        all.extend(fields);
        all
    };
    async fn fetch(visitor: &mut Visitor, fields: Vec<(&'static str, String)>) -> app::rounds::views::RoundData {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = visitor.call("round", &fields).await;
        assert!(status < 400, "{status} {body}");
        serde_json::from_str(&body).expect("round data")
    }

    let all = fetch(&mut public, list(vec![])).await;
    assert_eq!((all.total, all.proposals.len()), (45, 20), "twenty per page");
    assert_eq!(all.proposals[0].title, "Lights number 44", "newest first");
    let last = fetch(&mut public, list(vec![("page", "3".to_owned())])).await;
    assert_eq!(last.proposals.len(), 5);
    assert_eq!(last.proposals[4].title, "Trees number 00");

    let trees = fetch(&mut public, list(vec![("q", "Trees".to_owned())])).await;
    assert_eq!(trees.total, 15);
    let percent = fetch(&mut public, list(vec![("q", "0% sure".to_owned())])).await;
    assert_eq!(percent.total, 45, "a % in the search is a plain character");
    let nothing = fetch(&mut public, list(vec![("q", "_ sure".to_owned())])).await;
    assert_eq!(nothing.total, 0, "so is an underscore");
    let green_trees = fetch(
        &mut public,
        list(vec![("q", "Trees".to_owned()), ("category", "green".to_owned())]),
    )
    .await;
    assert_eq!(green_trees.total, 8, "trees at even numbers: 0, 6, …, 42");
    let second = fetch(&mut public, list(vec![("neighborhood", neighborhoods[1].to_string())])).await;
    assert_eq!(second.total, 9);
    assert!(second.proposals.iter().all(|p| p.neighborhood_id == neighborhoods[1]));
    let accepted = fetch(&mut public, list(vec![("status", "accepted".to_owned())])).await;
    assert_eq!(accepted.total, 0);

    let by_title = fetch(&mut public, list(vec![("sort", "title".to_owned())])).await;
    assert_eq!(by_title.proposals[0].title, "Lights number 01");
    let by_cost = fetch(&mut public, list(vec![("sort", "cost".to_owned())])).await;
    let costs: Vec<Option<i64>> = by_cost.proposals.iter().map(|p| p.estimate_rial).collect();
    assert_eq!(costs[0], Some(7_000), "cheapest first");
    assert!(costs.windows(2).all(|w| w[0] <= w[1]));
    let by_cost_last = fetch(
        &mut public,
        list(vec![("sort", "cost".to_owned()), ("page", "3".to_owned())]),
    )
    .await;
    assert!(
        by_cost_last.proposals.iter().all(|p| p.estimate_rial.is_none()),
        "no cost: last"
    );
    let lenient = fetch(
        &mut public,
        list(vec![
            ("sort", "sideways".to_owned()),
            ("page", "-4".to_owned()),
            ("status", "x".to_owned()),
        ]),
    )
    .await;
    assert_eq!(lenient.total, 45, "unreadable filters are ignored");

    // Without JavaScript: the page itself, filtered by its address.
    let page = public
        .page(&format!("/rounds/{round}?q=Trees&category=green&sort=title&page=1"))
        .await;
    assert!(
        page.contains("Trees number 06") && !page.contains("Lights number"),
        "filtered on the server"
    );
    assert!(page.contains("پیشنهادهای یافته: ۸"), "counted in Persian");
    let listing = public.page("/rounds").await;
    assert!(listing.contains("بودجهٔ محله ۱۴۰۵") && listing.contains("۱٬۰۰۰٬۰۰۰٬۰۰۰ تومان"));
    app.finish().await;
});
