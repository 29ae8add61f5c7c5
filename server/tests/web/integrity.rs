//! What keeps a count whole and bounded, on SQLite and PostgreSQL: a result
//! and its ballot file are stored both or neither, and no project can cost
//! more than the round's whole budget.

use crate::builders::{RoundOptions, latest_proposal, move_to};
use crate::common;

use app::error::ApiError;
use app::results::db::{ballot_part, snapshot};
use app::results::office_actions::CountRound;
use app::rounds::office_actions::AcceptProposal;
use app::rounds::{Phase, Status};
use common::{Backend, TestApp, error};
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait};

/// Makes the database refuse every new ballot file, as a crash between the
/// two writes of a count would leave it.
async fn refuse_ballot_files(app: &TestApp, refuse: bool) {
    let statements: &[&str] = match (app.db.get_database_backend(), refuse) {
        (DatabaseBackend::Sqlite, true) => &[
            "CREATE TRIGGER test_no_files BEFORE INSERT ON result_ballot_part BEGIN SELECT RAISE(ABORT, 'no files'); END",
        ],
        (DatabaseBackend::Sqlite, false) => &["DROP TRIGGER test_no_files"],
        (_, true) => &[
            "CREATE FUNCTION test_no_files() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no files'; END $$",
            "CREATE TRIGGER test_no_files BEFORE INSERT ON result_ballot_part FOR EACH ROW EXECUTE FUNCTION test_no_files()",
        ],
        (_, false) => &[
            "DROP TRIGGER test_no_files ON result_ballot_part",
            "DROP FUNCTION test_no_files()",
        ],
    };
    for sql in statements {
        app.execute_sql(sql).await.expect("test trigger");
    }
}

on_both_databases!(
    a_result_and_its_ballot_file_are_stored_both_or_neither,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let mut voting = app.voting_round().await;
        app.voter_who_cast(&voting, voting.projects[0]).await;
        let (office, round) = (&mut voting.office, voting.round);

        // Closing counts the round; the file cannot be written, so nothing is.
        refuse_ballot_files(&app, true).await;
        move_to(office, round, &[Phase::Closed]).await;
        assert_eq!(
            snapshot::Entity::find().count(&app.db).await.expect("count"),
            0,
            "no result without its file"
        );

        // Counting again, once the database takes files, stores both.
        refuse_ballot_files(&app, false).await;
        let (status, body) = office.send(CountRound { id: round }).await;
        assert_eq!(status, 200, "the round can still be counted: {body}");
        assert_eq!(snapshot::Entity::find().count(&app.db).await.expect("count"), 1);
        assert_eq!(
            ballot_part::Entity::find().count(&app.db).await.expect("count"),
            2,
            "the file's head and its one ballot line"
        );
    }
);

on_both_databases!(
    no_project_costs_more_than_the_whole_budget,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, _) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let options = RoundOptions {
            costs: &[100_000],
            ..RoundOptions::default()
        };
        app.round_in(Phase::Review, &mut office, options).await;
        let proposal = latest_proposal(&app).await;
        let accept = |cost: &str| AcceptProposal {
            id: proposal.id,
            cost: cost.to_owned(),
        };
        let (status, body) = office.send(accept("1000001")).await;
        assert_eq!(
            (status, error(&body)),
            (400, ApiError::CostOverBudget.in_review_row(proposal.id))
        );
        assert_eq!(latest_proposal(&app).await.status, Status::Submitted, "nothing changed");
        let (status, body) = office.send(accept("1000000")).await;
        assert!(status < 400, "the whole budget is allowed: {status} {body}");
        assert_eq!(latest_proposal(&app).await.status, Status::Accepted);
    }
);
