//! Ballot secrecy against a dishonest office, on SQLite and PostgreSQL: staff
//! who revoke a resident's verification and bind the same person to another
//! account learn nothing of that person's ballot and cannot replace it; once
//! voting has closed nobody's page shows choices, only the receipt.

use crate::builders::{VotingRound, issue, move_to};
use crate::common;
use crate::voting::{cast, receipt};

use app::accounts::viewer::Viewer;
use app::error::ApiError;
use app::rounds::Phase;
use app::shell::header::Whoami;
use app::verification::account_page::RedeemCode;
use app::verification::office_page::RevokeVerification;
use app::voting::db::row as ballot_row;
use app::voting::page::{BallotData, BallotView};
use common::{Backend, TestApp, Visitor, error};
use sea_orm::EntityTrait;

/// A valid national code (its check digit is right).
const VICTIM: &str = "0499370899";

/// A new resident account that redeems `code`; returns it and its account id.
async fn redeemer(app: &TestApp, code: &str) -> (Visitor, i32) {
    let mut visitor = app.resident().await;
    let (status, body) = visitor.send(RedeemCode { code: code.to_owned() }).await;
    assert!(status < 400, "code not redeemed: {status} {body}");
    let (_, me) = visitor.send(Whoami {}).await;
    let id = serde_json::from_str::<Viewer>(&me).expect("viewer").id;
    (visitor, id)
}

async fn ballot_page(visitor: &mut Visitor, round: i32) -> (BallotData, String) {
    let (status, body) = visitor.send(BallotView { round_id: round }).await;
    assert_eq!(status, 200, "{body}");
    (serde_json::from_str(&body).expect("ballot data"), body)
}

async fn the_ballot(app: &TestApp) -> ballot_row::Model {
    let mut all = ballot_row::Entity::find().all(&app.db).await.expect("ballots");
    assert_eq!(all.len(), 1, "one person, one ballot");
    all.remove(0)
}

on_both_databases!(
    an_office_that_rebinds_a_person_learns_nothing_of_their_ballot_and_cannot_replace_it,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let VotingRound {
            mut office,
            round,
            projects,
            neighborhoods,
        } = app.voting_round().await;

        // The victim is verified at the desk and votes.
        let code = issue(&mut office, VICTIM, neighborhoods[0]).await;
        let (mut victim, victim_id) = redeemer(&app, &code).await;
        let (status, body) = cast(&mut victim, round, &projects[0].to_string()).await;
        assert_eq!(status, 200, "{body}");
        let victims_receipt = receipt(&body);
        let cast_ballot = the_ballot(&app).await;

        // The office revokes the victim's verification and binds the same
        // person to an account of its own.
        let (status, body) = office
            .send(RevokeVerification {
                account_id: victim_id,
                reason: "moved away".to_owned(),
            })
            .await;
        assert!(status < 400, "{status} {body}");
        let code = issue(&mut office, VICTIM, neighborhoods[0]).await;
        let (mut stooge, _) = redeemer(&app, &code).await;

        // Its ballot page shows neither the choices nor the receipt, only that
        // a ballot exists, and offers no form.
        let (page, body) = ballot_page(&mut stooge, round).await;
        assert_eq!(page.mine, None, "no choices, no receipt: {body}");
        assert_eq!(page.barrier, Some(ApiError::BallotCastElsewhere));
        assert!(!body.contains(&victims_receipt) && !body.contains(&cast_ballot.receipt));
        let html = stooge.page(&format!("/rounds/{round}/ballot")).await;
        assert!(!html.contains(&victims_receipt), "nor on the page itself");
        assert!(!html.contains(r#"class="ballot stack""#), "no ballot form");

        // It cannot replace the ballot, neither through the page's server
        // function nor through the plain form.
        let (status, body) = cast(&mut stooge, round, &projects[1].to_string()).await;
        assert_eq!((status, error(&body)), (409, ApiError::BallotCastElsewhere));
        let response = stooge
            .post(
                &format!("/rounds/{round}/ballot"),
                &[("project", &projects[2].to_string())],
            )
            .await;
        assert!(response.status().is_redirection());
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        assert!(location.contains("error="), "refused: {location}");
        assert_eq!(
            the_ballot(&app).await,
            cast_ballot,
            "the victim's ballot stands as cast"
        );

        // The administrators' audit log says that a person verified before on
        // another account was verified again.
        let audit = app::accounts::audit::recent(&app.db, &Default::default(), 20)
            .await
            .expect("audit");
        assert!(
            audit.iter().any(
                |e| e.action == "reverify-person" && e.subject.contains(&format!("previously:account:{victim_id}"))
            ),
            "{audit:?}"
        );
    }
);

on_both_databases!(
    once_voting_has_closed_the_voter_sees_the_receipt_and_no_choices,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let mut voting = app.voting_round().await;
        let (mut voter, body) = app.voter_who_cast(&voting, voting.projects[1]).await;
        let (office, round, projects) = (&mut voting.office, voting.round, voting.projects.clone());
        let shown = receipt(&body);
        let (page, _) = ballot_page(&mut voter, round).await;
        let mine = page.mine.expect("while voting, the voter sees their ballot");
        assert_eq!(mine.picks, vec![(projects[1], 1)]);

        move_to(office, round, &[Phase::Closed]).await;
        let (page, body) = ballot_page(&mut voter, round).await;
        let mine = page.mine.expect("the receipt stays");
        assert_eq!(mine.receipt, shown);
        assert!(mine.picks.is_empty(), "no choices once voting has closed: {body}");
    }
);
