//! Budget rounds over real HTTP, on SQLite and PostgreSQL: the phase rules,
//! who may do what, and settings that are refused.

use crate::builders::{
    DESCRIPTION, RoundOptions, advance, latest_proposal, latest_round, move_to, proposal_count, propose,
};
use crate::common;

use app::accounts::audit;
use app::error::ApiError;
use app::results::office_actions::PublishResult;
use app::rounds::Phase;
use app::rounds::db::budget_round;
use app::rounds::office_actions::{AcceptProposal, CreateRound, EditRound};
use app::rounds::propose::{EditProposal, SubmitProposal};
use common::{Backend, TestApp, error};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_databases!(phases_move_forward_and_rules_freeze, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let options = RoundOptions {
        budget: "۱٬۰۰۰٬۰۰۰٬۰۰۰",
        ..Default::default()
    };
    let round = app.round_in(Phase::Draft, &mut office, options).await;
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
    let settings_page = office.page(&format!("/office/rounds/{round}")).await;
    for value in ["۱٬۰۰۰٬۰۰۰٬۰۰۰", "۳"] {
        assert!(
            settings_page.contains(&format!(r#"value="{value}""#)),
            "a Persian page fills the settings in Persian digits: {value}"
        );
    }
    let (status, body) = office
        .send(EditRound {
            id: round,
            title_fa: "بودجهٔ محله".to_owned(),
            title_en: "Neighborhood budget".to_owned(),
            budget: "۱٬۰۰۰٬۰۰۰٬۰۰۰".to_owned(),
            ballot_rule: "approval".to_owned(),
            ballot_param: "۳".to_owned(),
            tally_rule: "equal-shares".to_owned(),
            min_age: String::new(),
            max_proposals: "۳".to_owned(),
        })
        .await;
    assert!(status < 400, "the form sent back as shown is accepted: {status} {body}");
    assert_eq!(latest_round(&app).await.budget_rial, 10_000_000_000);
    let mut sara = app.verified_resident(neighborhoods[0]).await;

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

    move_to(&mut office, round, &[Phase::Proposals]).await;
    let (status, body) = advance(&mut office, round, "draft").await;
    assert_eq!((status, error(&body)), (409, ApiError::PhaseOrder), "no going back");
    let (status, body) = propose(&mut sara, round, "A new park bench", neighborhoods[0]).await;
    assert!(status < 400, "{status} {body}");
    let mine = latest_proposal(&app).await;
    assert_eq!((mine.estimate_rial, mine.status.tag()), (Some(500_000), "submitted"));

    let edit = EditProposal {
        id: mine.id,
        title: "A better park bench".to_owned(),
        description: DESCRIPTION.to_owned(),
        category: "sports".to_owned(),
        neighborhood_id: neighborhoods[0],
        location: "Corner of the square".to_owned(),
        estimate: String::new(),
    };
    let (status, body) = sara.send(edit.clone()).await;
    assert!(status < 400, "authors edit until review: {status} {body}");
    let edited = latest_proposal(&app).await;
    assert_eq!(
        (edited.title.as_str(), edited.category.tag(), edited.estimate_rial),
        ("A better park bench", "sports", None)
    );
    let mut reza = app.verified_resident(neighborhoods[0]).await;
    let (status, body) = reza.send(edit.clone()).await;
    assert_eq!(
        (status, error(&body)),
        (403, ApiError::Forbidden),
        "only the author edits"
    );

    move_to(&mut office, round, &[Phase::Review]).await;
    let (status, body) = propose(&mut sara, round, "Another park bench", neighborhoods[0]).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::WrongPhase),
        "no proposals in review"
    );
    let (status, body) = sara.send(edit).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::WrongPhase),
        "no edits once review began"
    );

    let settings = EditRound {
        id: round,
        title_fa: "بودجهٔ تازه".to_owned(),
        title_en: "New budget".to_owned(),
        budget: "2000000".to_owned(),
        ballot_rule: "knapsack".to_owned(),
        ballot_param: String::new(),
        tally_rule: "greedy".to_owned(),
        min_age: "18".to_owned(),
        max_proposals: "3".to_owned(),
    };
    let (status, body) = office.send(settings.clone()).await;
    assert!(status < 400, "settings change before voting: {status} {body}");
    let changed = latest_round(&app).await;
    assert_eq!(
        (changed.ballot_rule.as_str(), changed.tally_rule.tag(), changed.min_age),
        ("knapsack", "greedy", Some(18))
    );

    move_to(&mut office, round, &[Phase::Voting]).await;
    let (status, body) = office.send(settings).await;
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
    move_to(&mut office, round, &[Phase::Closed]).await;
    let (status, body) = advance(&mut office, round, "published").await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::PhaseOrder),
        "a round is published with its counted result, never by a bare phase move"
    );
    let (status, body) = office.send(PublishResult { id: round }).await;
    assert!(status < 400, "publication refused: {status} {body}");
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
    assert_eq!(moves, 4, "every phase move is in the audit log");
});

on_both_databases!(
    only_the_district_and_its_residents_take_part,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let districts = app.districts().await;
        let (district, neighborhoods) = districts[0].clone();
        let (other_district, other_neighborhoods) = districts[1].clone();
        let mut office = app.staff_of(district).await;
        let mut stranger = app.staff_of(other_district).await;

        let (status, body) = office
            .send(CreateRound {
                area_id: other_neighborhoods[0],
                title_fa: "بودجه".to_owned(),
                title_en: "Budget".to_owned(),
                budget: "1000".to_owned(),
                ballot_rule: "knapsack".to_owned(),
                ballot_param: String::new(),
                tally_rule: "greedy".to_owned(),
                min_age: String::new(),
                max_proposals: String::new(),
            })
            .await;
        assert_eq!((status, error(&body)), (400, ApiError::AreaInvalid));

        // A round of one neighborhood only.
        let options = RoundOptions {
            area: Some(neighborhoods[0]),
            max_proposals: "3",
            ..Default::default()
        };
        let round = app.round_in(Phase::Draft, &mut office, options).await;
        let (status, body) = advance(&mut stranger, round, "proposals").await;
        assert_eq!(
            (status, error(&body)),
            (403, ApiError::Forbidden),
            "staff of another district"
        );
        move_to(&mut office, round, &[Phase::Proposals]).await;

        let mut anonymous = app.visitor();
        let (status, body) = propose(&mut anonymous, round, "A new park bench", neighborhoods[0]).await;
        assert_eq!((status, error(&body)), (401, ApiError::NotSignedIn));
        let mut unverified = app.resident().await;
        let (status, body) = propose(&mut unverified, round, "A new park bench", neighborhoods[0]).await;
        assert_eq!((status, error(&body)), (400, ApiError::NotVerified));
        let mut neighbor = app.verified_resident(neighborhoods[1]).await;
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

        let mut sara = app.verified_resident(neighborhoods[0]).await;
        let (status, body) = propose(&mut sara, round, "A new park bench", neighborhoods[1]).await;
        assert_eq!(
            (status, error(&body)),
            (400, ApiError::NeighborhoodInvalid),
            "only a neighborhood the round covers"
        );
        let (status, body) = propose(&mut sara, round, "A new park bench", neighborhoods[0]).await;
        assert!(status < 400, "{status} {body}");
        move_to(&mut office, round, &[Phase::Review]).await;
        let accept = AcceptProposal {
            id: latest_proposal(&app).await.id,
            cost: "1000".to_owned(),
        };
        let (status, body) = stranger.send(accept.clone()).await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
        let (status, body) = sara.send(accept).await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
        assert_eq!(latest_proposal(&app).await.status.tag(), "submitted");
        assert_eq!(proposal_count(&app).await, 1);
    }
);

on_both_databases!(bad_input_changes_nothing, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let round_with = |budget: &str, rule: &str, param: &str, limit: &str| CreateRound {
        area_id: district,
        title_fa: "بودجه".to_owned(),
        title_en: "Budget".to_owned(),
        budget: budget.to_owned(),
        ballot_rule: rule.to_owned(),
        ballot_param: param.to_owned(),
        tally_rule: "equal-shares".to_owned(),
        min_age: String::new(),
        max_proposals: limit.to_owned(),
    };
    for (args, expected) in [
        (round_with("0", "knapsack", "", "3"), ApiError::AmountInvalid),
        (round_with("1000", "approval", "0", "3"), ApiError::BallotRuleInvalid),
        (round_with("1000", "ranked", "3", "3"), ApiError::BallotRuleInvalid),
        (
            round_with("1000", "cumulative", "10", "99"),
            ApiError::ProposalLimitInvalid,
        ),
    ] {
        let (status, body) = office.send(args).await;
        assert_eq!((status, error(&body)), (400, expected));
    }
    assert_eq!(budget_round::Entity::find().count(&app.db).await.expect("count"), 0);

    let round = app
        .round_in(Phase::Proposals, &mut office, RoundOptions::default())
        .await;
    let mut sara = app.verified_resident(neighborhoods[0]).await;
    let good = SubmitProposal {
        round_id: round,
        title: "A new park bench".to_owned(),
        description: DESCRIPTION.to_owned(),
        category: "green".to_owned(),
        neighborhood_id: neighborhoods[0],
        location: String::new(),
        estimate: String::new(),
    };
    let text = str::to_owned;
    for (field, args, expected) in [
        (
            "title",
            SubmitProposal {
                title: text("Park"),
                ..good.clone()
            },
            ApiError::ProposalTitleLength,
        ),
        (
            "description",
            SubmitProposal {
                description: text("Too short."),
                ..good.clone()
            },
            ApiError::ProposalDescriptionLength,
        ),
        (
            "description",
            SubmitProposal {
                description: "x".repeat(4001),
                ..good.clone()
            },
            ApiError::ProposalDescriptionLength,
        ),
        (
            "category",
            SubmitProposal {
                category: text("parking"),
                ..good.clone()
            },
            ApiError::CategoryInvalid,
        ),
        (
            "estimate",
            SubmitProposal {
                estimate: text("a lot"),
                ..good.clone()
            },
            ApiError::AmountInvalid,
        ),
        (
            "neighborhood_id",
            SubmitProposal {
                neighborhood_id: 999999,
                ..good.clone()
            },
            ApiError::NeighborhoodInvalid,
        ),
    ] {
        let (status, body) = sara.send(args).await;
        assert_eq!((status, error(&body)), (400, expected), "{field}");
    }
    let round = round.to_string();
    let (status, body) = sara.call::<SubmitProposal>(&[("round_id", round.as_str())]).await;
    assert_eq!((status, error(&body)), (400, ApiError::BadRequest), "missing fields");
    assert_eq!(proposal_count(&app).await, 0);
});
