//! Voting over real HTTP, on SQLite and PostgreSQL: who may vote, the ballot
//! rules, receipts and changed ballots, ballot secrecy from staff, and one
//! ballot per person under concurrent submissions, also through two server
//! processes sharing PostgreSQL.

use crate::builders::{RoundOptions, move_to};
use crate::common;

use app::error::ApiError;
use app::results::office_actions::OfficeResult;
use app::rounds::Phase;
use app::verification::db as verification;
use app::voting::db::{self as ballot, row as ballot_row};
use app::voting::page::{BallotView, CastBallot};
use common::{Backend, TestApp, Visitor, error};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryFilter};

pub(crate) async fn cast(visitor: &mut Visitor, round: i32, choices: &str) -> (u16, String) {
    visitor
        .send(CastBallot {
            round_id: round,
            choices: choices.to_owned(),
        })
        .await
}

pub(crate) fn receipt(body: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not a ballot: {body}"));
    value["receipt"].as_str().expect("a receipt").to_owned()
}

async fn ballots(app: &TestApp) -> Vec<ballot_row::Model> {
    ballot_row::Entity::find().all(&app.db).await.expect("ballots")
}

fn list(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

on_both_databases!(
    residents_vote_change_their_ballot_and_keep_a_receipt,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let round = app.round_in(Phase::Voting, &mut office, RoundOptions::default()).await;
        let p = app.projects(round).await;
        let mut sara = app.verified_resident(neighborhoods[1]).await;

        let page = sara.page(&format!("/rounds/{round}/ballot")).await;
        assert!(
            page.contains("Project number 2") && page.contains("۳۰۰٬۰۰۰ تومان"),
            "projects with their costs"
        );

        let (status, body) = cast(&mut sara, round, &format!("{},{}", p[1], p[0])).await;
        assert_eq!(status, 200, "{body}");
        let first = receipt(&body);
        let groups: Vec<&str> = first.split('-').collect();
        assert!(
            groups.len() == 5 && groups.iter().all(|g| g.len() == 4),
            "20 characters (99 bits) in groups of four: {first}"
        );
        let (_, again) = cast(&mut sara, round, &format!("{},{}", p[0], p[1])).await;
        assert_eq!(receipt(&again), first, "the same ballot again is the same ballot");

        let stored = ballots(&app).await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].choices, list(&[p[0], p[1]]));
        assert_eq!(stored[0].neighborhood_id, neighborhoods[1]);
        let person = verification::of_account(
            &app.db,
            app::accounts::db::by_login(&app.db, sara.login())
                .await
                .expect("db")
                .expect("account")
                .id,
        )
        .await
        .expect("db")
        .expect("verified");
        assert_ne!(
            stored[0].voter, person.national_hash,
            "ballots are filed under a pseudonym"
        );
        assert_eq!(stored[0].voter.len(), 64, "a keyed hash, not an account id");

        let (status, body) = cast(&mut sara, round, &p[2].to_string()).await;
        assert_eq!(status, 200, "{body}");
        let second = receipt(&body);
        assert_ne!(second, first, "a changed ballot gets a new receipt");
        let stored = ballots(&app).await;
        assert_eq!(
            (stored.len(), stored[0].choices.as_str()),
            (1, p[2].to_string().as_str()),
            "the last ballot counts"
        );
        let page = sara.page(&format!("/rounds/{round}/ballot")).await;
        assert!(page.contains(&second), "the ballot page shows the receipt");

        // Staff see how many voted where, and nothing of what anyone chose.
        let (status, body) = office.send(OfficeResult { id: round }).await;
        assert_eq!(status, 200, "{body}");
        let managed: serde_json::Value = serde_json::from_str(&body).expect("json");
        let row = managed["turnout"]
            .as_array()
            .expect("turnout")
            .iter()
            .find(|t| t["place"]["id"] == neighborhoods[1])
            .expect("the neighborhood");
        assert_eq!(
            (row["voters"].as_i64(), row["residents"].as_i64()),
            (Some(1), Some(1)),
            "Sara, the one resident there"
        );
        assert!(
            !body.contains(&second) && !body.contains("choices"),
            "no receipts or choices for staff"
        );
        let (status, _) = office.send(BallotView { round_id: round }).await;
        assert_eq!(status, 200);
        assert!(!office.page(&format!("/rounds/{round}/ballot")).await.contains(&second));

        // Without JavaScript: the plain form, answered with a redirect.
        let mut reza = app.verified_resident(neighborhoods[0]).await;
        let token = reza.csrf().await;
        let response = reza
            .client
            .post(format!("{}/rounds/{round}/ballot", app.url))
            .form(&[
                ("project", p[0].to_string()),
                ("project", p[2].to_string()),
                ("csrf_token", token.clone()),
            ])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], format!("/rounds/{round}/ballot?cast=1"));
        let page = reza.page(&format!("/rounds/{round}/ballot?cast=1")).await;
        assert!(page.contains("رأی شما ثبت شد"), "a Persian confirmation");
        assert_eq!(ballots(&app).await.len(), 2);

        let response = reza
            .client
            .post(format!("{}/rounds/{round}/ballot", app.url))
            .form(&[
                ("project", p[0].to_string()),
                ("project", p[1].to_string()),
                ("project", p[2].to_string()),
                ("csrf_token", token),
            ])
            .send()
            .await
            .expect("request");
        let location = response.headers()["location"].to_str().expect("ascii").to_owned();
        assert!(location.contains("error="), "{location}");
        let page = reza.page(&location).await;
        assert!(
            page.contains("بیش از تعدادی که این دوره اجازه می‌دهد"),
            "the rule's error in Persian"
        );
        assert!(
            page.contains(&format!(r#"value="{}" checked"#, p[1])),
            "the form comes back as it was sent"
        );
        assert_eq!(
            ballots(&app)
                .await
                .iter()
                .filter(|b| b.neighborhood_id == neighborhoods[0])
                .count(),
            1,
            "the refused ballot changed nothing"
        );
    }
);

on_both_databases!(ineligible_voters_are_refused, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let districts = app.districts().await;
    let (district, neighborhoods) = districts[0].clone();
    let mut office = app.staff_of(district).await;
    let options = RoundOptions {
        costs: &[100_000],
        ..Default::default()
    };
    let round = app.round_in(Phase::Voting, &mut office, options).await;
    let p = app.projects(round).await;
    let choice = p[0].to_string();

    let mut anonymous = app.visitor();
    let (status, body) = cast(&mut anonymous, round, &choice).await;
    assert_eq!((status, error(&body)), (401, ApiError::NotSignedIn));

    let mut unverified = app.resident().await;
    let (_, body) = cast(&mut unverified, round, &choice).await;
    assert_eq!(error(&body), ApiError::NotVerified);
    assert!(
        unverified
            .page(&format!("/rounds/{round}/ballot"))
            .await
            .contains("این حساب تأیید نشده است")
    );

    let mut elsewhere = app.verified_resident(districts[1].1[0]).await;
    let (_, body) = cast(&mut elsewhere, round, &choice).await;
    assert_eq!(error(&body), ApiError::OutsideRound);

    let mut young = app.verified_resident(neighborhoods[0]).await;
    let account = app::accounts::db::by_login(&app.db, young.login())
        .await
        .expect("db")
        .expect("account");
    let this_year = app::format::solar_hijri_year(chrono::Utc::now()).expect("year");
    verification::person::ActiveModel {
        account_id: Set(account.id),
        birth_year: Set(this_year - 17),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .expect("younger");
    let (status, body) = cast(&mut young, round, &choice).await;
    assert_eq!(
        (status, error(&body)),
        (403, ApiError::TooYoung),
        "17 is under the round's 18"
    );

    let mut sara = app.verified_resident(neighborhoods[0]).await;
    move_to(&mut office, round, &[Phase::Closed]).await;
    let (status, body) = cast(&mut sara, round, &choice).await;
    assert_eq!((status, error(&body)), (409, ApiError::WrongPhase), "voting has closed");

    assert!(ballots(&app).await.is_empty(), "no ballot was filed");
    let sql = format!(
        "INSERT INTO ballot (round_id, voter, neighborhood_id, choices, receipt) VALUES ({round}, '{}', {}, '{choice}', 'MADEUPRECEIPT2345678')",
        "f".repeat(64),
        neighborhoods[0]
    );
    assert!(
        app.execute_sql(&sql).await.is_err(),
        "the database refuses ballots outside voting"
    );
});

on_both_databases!(
    ballots_breaking_the_rule_are_refused_and_change_nothing,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let approval = app.round_in(Phase::Voting, &mut office, RoundOptions::default()).await;
        let options = RoundOptions {
            ballot: ("knapsack", ""),
            costs: &[600_000, 500_000, 100_000],
            ..Default::default()
        };
        let knapsack = app.round_in(Phase::Voting, &mut office, options).await;
        let options = RoundOptions {
            ballot: ("cumulative", "10"),
            costs: &[300_000, 200_000],
            ..Default::default()
        };
        let cumulative = app.round_in(Phase::Voting, &mut office, options).await;
        let (a, k, c) = (
            app.projects(approval).await,
            app.projects(knapsack).await,
            app.projects(cumulative).await,
        );
        let mut sara = app.verified_resident(neighborhoods[0]).await;

        let refused = [
            (approval, list(&a), ApiError::BallotTooMany),
            (approval, String::new(), ApiError::BallotEmpty),
            (approval, format!("{},{}", a[0], a[0]), ApiError::BallotDuplicate),
            (approval, format!("{},999999", a[0]), ApiError::BallotUnknownProject),
            (approval, k[0].to_string(), ApiError::BallotUnknownProject),
            (approval, format!("{}:2", a[0]), ApiError::BallotPointsInvalid),
            (approval, "1;2".to_owned(), ApiError::BadRequest),
            (knapsack, format!("{},{}", k[0], k[1]), ApiError::BallotOverBudget),
            (cumulative, format!("{}:6,{}:5", c[0], c[1]), ApiError::BallotPointsOver),
            (cumulative, format!("{}:0", c[0]), ApiError::BallotPointsInvalid),
            (
                cumulative,
                format!("{}:-4,{}:5", c[0], c[1]),
                ApiError::BallotPointsInvalid,
            ),
        ];
        for (round, choices, expected) in refused {
            let (status, body) = cast(&mut sara, round, &choices).await;
            assert_eq!((status, error(&body)), (400, expected), "{choices}");
        }
        assert!(ballots(&app).await.is_empty(), "nothing was filed");

        for (round, choices) in [
            (approval, list(&a[1..])),
            (knapsack, format!("{},{}", k[0], k[2])),
            (cumulative, format!("{}:6,{}:4", c[0], c[1])),
        ] {
            let (status, body) = cast(&mut sara, round, &choices).await;
            assert_eq!(status, 200, "{choices}: {body}");
        }
        assert_eq!(ballots(&app).await.len(), 3, "one valid ballot per round");
        let (_, body) = cast(&mut sara, knapsack, &list(&k)).await;
        assert_eq!(error(&body), ApiError::BallotOverBudget);
        let kept = ballot_row::Entity::find()
            .filter(sea_orm::ColumnTrait::eq(&ballot_row::Column::RoundId, knapsack))
            .one(&app.db)
            .await
            .expect("db")
            .expect("the ballot");
        assert_eq!(
            kept.choices,
            format!("{},{}", k[0], k[2]),
            "a refused change keeps the ballot"
        );
    }
);

on_both_databases!(concurrent_submissions_leave_one_ballot, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let round = app.round_in(Phase::Voting, &mut office, RoundOptions::default()).await;
    let p = app.projects(round).await;
    let mut sara = app.verified_resident(neighborhoods[0]).await;
    sara.csrf().await;

    // A double click, fifty times over: one ballot, one receipt for all.
    let same = list(&p[..2]);
    let answers = futures::future::join_all((0..50).map(|_| {
        let mut tab = sara.at(&app.url);
        let choices = same.clone();
        async move { cast(&mut tab, round, &choices).await }
    }))
    .await;
    let receipts: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 200, "{body}");
            receipt(body)
        })
        .collect();
    assert_eq!(receipts.len(), 1, "every answer names the same ballot");
    assert_eq!(ballots(&app).await.len(), 1);

    // Fifty different ballots at once: still one, and it is one of them.
    let answers = futures::future::join_all((0..50).map(|i| {
        let mut tab = sara.at(&app.url);
        let choices = p[i % 3].to_string();
        async move { cast(&mut tab, round, &choices).await }
    }))
    .await;
    let stored = ballots(&app).await;
    assert_eq!(stored.len(), 1);
    assert!(answers.iter().all(|(status, _)| *status == 200));
    assert!(
        answers
            .iter()
            .any(|(_, body)| receipt(body) == app::code::display(&stored[0].receipt))
    );
});

#[tokio::test]
async fn two_server_processes_on_one_postgresql_keep_one_ballot() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let round = app.round_in(Phase::Voting, &mut office, RoundOptions::default()).await;
    let p = app.projects(round).await;
    let mut sara = app.verified_resident(neighborhoods[0]).await;
    sara.csrf().await;
    let second = app.second_process().await;

    let answers = futures::future::join_all((0..40).map(|i| {
        let mut tab = sara.at(if i % 2 == 0 { &app.url } else { &second.url });
        let choices = if i < 20 { list(&p[..2]) } else { p[2].to_string() };
        async move { cast(&mut tab, round, &choices).await }
    }))
    .await;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    assert_eq!(
        ballot::count(&app.db, round).await.expect("count"),
        1,
        "one person, one ballot"
    );
    drop(second);
}

on_both_databases!(
    a_resident_finds_the_rounds_open_to_them_and_their_proposals_and_ballots,
    |backend: Backend| async move {
        use app::rounds::open::{MyProposals, OpenRound, OpenRounds};
        use app::voting::mine::{MyBallots, MyRoundBallot};
        let app = TestApp::spawn(backend).await;
        let mut voting = app.voting_round().await;
        let elsewhere = app
            .round_in(
                Phase::Proposals,
                &mut voting.office,
                RoundOptions {
                    area: Some(voting.neighborhoods[1]),
                    ..Default::default()
                },
            )
            .await;
        let open_to = async |visitor: &mut Visitor| -> Vec<(i32, Phase)> {
            let (status, body) = visitor.send(OpenRounds {}).await;
            assert_eq!(status, 200, "{body}");
            let open: Vec<OpenRound> = serde_json::from_str(&body).expect("rounds");
            open.into_iter().map(|r| (r.id, r.phase)).collect()
        };
        assert_eq!(
            open_to(&mut app.visitor()).await,
            [(elsewhere, Phase::Proposals), (voting.round, Phase::Voting)],
            "anyone sees every open round, newest first"
        );

        let (mut voter, body) = app.voter_who_cast(&voting, voting.projects[0]).await;
        assert_eq!(
            open_to(&mut voter).await,
            [(voting.round, Phase::Voting)],
            "a resident of the first neighborhood, only the round covering it"
        );
        let (_, mine) = voter.send(MyBallots {}).await;
        let mine: Vec<MyRoundBallot> = serde_json::from_str(&mine).expect("ballots");
        assert_eq!(
            mine.iter().map(|b| (b.round_id, b.receipt.clone())).collect::<Vec<_>>(),
            [(voting.round, receipt(&body))]
        );
        let today = app::format::naive_date(app::i18n::Lang::Fa, app::format::tehran_day(chrono::Utc::now()));
        assert_eq!(
            mine[0].cast_on.as_deref(),
            Some(today.as_str()),
            "the day it was cast, Tehran's"
        );
        let account = voter.page("/account").await;
        assert!(
            account.contains("رأی‌های من") && account.contains(&receipt(&body)),
            "the account page lists it"
        );
        assert!(
            account.contains(&format!(r#"href="/rounds/{}/ballot""#, voting.round)),
            "and where to vote"
        );

        let mut author = app.verified_resident(voting.neighborhoods[1]).await;
        let (status, body) =
            crate::builders::propose(&mut author, elsewhere, "A new park bench", voting.neighborhoods[1]).await;
        assert!(status < 400, "{body}");
        let (_, mine) = author.send(MyProposals {}).await;
        let mine: Vec<app::rounds::open::MyProposal> = serde_json::from_str(&mine).expect("proposals");
        assert_eq!(
            mine.iter().map(|p| (p.title.as_str(), p.status)).collect::<Vec<_>>(),
            [("A new park bench", app::rounds::Status::Submitted)]
        );
        let (_, none) = author.send(MyBallots {}).await;
        assert_eq!(none, "[]");
        let (status, body) = app.visitor().send(MyProposals {}).await;
        assert_eq!((status, error(&body)), (401, ApiError::NotSignedIn));
        let home = app.visitor().page("/").await;
        assert!(home.contains("دوره‌های باز") && home.contains(&format!(r#"href="/rounds/{}""#, elsewhere)));
    }
);
