//! Addresses and inputs out of the ordinary, on SQLite and PostgreSQL: unknown
//! rounds, proposals and districts answer 404 with the not-found page, page
//! numbers beyond any page answer a page, a NUL character is refused before it
//! reaches the database, a huge plain ballot comes back in a short address,
//! and logs in a pipe carry no colours.

use crate::builders::{DESCRIPTION, RoundOptions, VotingRound, proposal_count};
use crate::common;

use app::error::ApiError;
use app::rounds::Phase;
use app::rounds::propose::SubmitProposal;
use app::voting::db::row as ballot_row;
use common::{Backend, TestApp, error};
use sea_orm::EntityTrait;

/// The not-found page's text in Persian, the default language.
const NOT_FOUND_FA: &str = "صفحه‌ای که دنبالش هستید وجود ندارد یا جابه‌جا شده است.";

on_both_databases!(
    unknown_things_answer_the_not_found_page,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let visitor = app.visitor();
        for path in [
            "/no-such-page",
            "/rounds/999999",
            "/proposals/999999",
            "/rounds/999999/results",
            "/rounds/999999/ballot",
            "/districts/999999/projects",
        ] {
            let response = visitor.get(path).await;
            assert_eq!(response.status().as_u16(), 404, "{path}");
            let body = response.text().await.expect("body");
            assert!(body.contains(NOT_FOUND_FA), "{path} shows the not-found page: {body}");
        }
    }
);

on_both_databases!(
    page_numbers_beyond_any_page_answer_a_page,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, _) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let round = app
            .round_in(Phase::Proposals, &mut office, RoundOptions::default())
            .await;
        let visitor = app.visitor();
        for page in ["18446744073709551615", "99999999999999999999", "0", "-1", "100001"] {
            let response = visitor.get(&format!("/rounds/{round}?page={page}")).await;
            assert_eq!(response.status().as_u16(), 200, "page={page}");
        }
    }
);

#[test]
fn logs_in_a_pipe_carry_no_colours() {
    let dir = std::env::temp_dir().join(format!("mahalle-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("migrate")
        .env("DATABASE_URL", format!("sqlite://{}", dir.join("log.db").display()))
        .env("MAHALLE_SECRET_FILE", dir.join("secret.key"))
        .env("MAHALLE_LOG", "debug")
        .output()
        .expect("run server migrate");
    let _ = std::fs::remove_dir_all(&dir);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "migrate: {text}");
    assert!(!text.trim().is_empty(), "something is logged");
    assert!(!text.contains("\x1b["), "no colour codes: {text:?}");
}

#[test]
fn an_operator_command_run_elsewhere_makes_no_empty_database() {
    let dir = std::env::temp_dir().join(format!("mahalle-elsewhere-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let database = dir.join("data").join("mahalle.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["admin", "create", "admin@tehran.ir"])
        .env("DATABASE_URL", format!("sqlite://{}", database.display()))
        .env("MAHALLE_SECRET_FILE", dir.join("secret.key"))
        .env("MAHALLE_LOG", "debug")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run server admin create");
    use std::io::Write;
    let _ = child.stdin.take().expect("stdin").write_all(b"a long password\n");
    let output = child.wait_with_output().expect("it ends");
    let made = database.exists();
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "refused");
    assert!(!made, "no empty database was made");
    assert_eq!(
        stderr.trim(),
        format!(
            "error: there is no database at {}: run this in the platform's folder (where scripts/start ran), \
             or set DATABASE_URL to the platform's database (a new one is made by `server migrate`)",
            database.display()
        ),
        "one line in the operator's words, no log lines"
    );
}

on_both_databases!(
    a_nul_character_is_refused_and_stores_nothing,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let round = app
            .round_in(Phase::Proposals, &mut office, RoundOptions::default())
            .await;
        let mut author = app.verified_resident(neighborhoods[0]).await;
        for (title, description) in [
            ("Park\0benches", DESCRIPTION),
            ("Park benches", "A description with a \0 in it."),
        ] {
            let (status, body) = author
                .send(SubmitProposal {
                    round_id: round,
                    title: title.to_owned(),
                    description: description.to_owned(),
                    category: "green".to_owned(),
                    neighborhood_id: neighborhoods[0],
                    location: String::new(),
                    estimate: String::new(),
                })
                .await;
            assert_eq!((status, error(&body)), (400, ApiError::BadRequest));
        }
        assert_eq!(proposal_count(&app).await, 0, "nothing stored");
        let search = app.visitor().get(&format!("/rounds/{round}?q=%00park")).await;
        assert_eq!(search.status(), 200, "a NUL in the search is dropped");
    }
);

on_both_databases!(
    a_huge_plain_ballot_comes_back_in_a_short_address,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let VotingRound {
            round, neighborhoods, ..
        } = app.voting_round().await;
        let mut voter = app.verified_resident(neighborhoods[0]).await;
        let unknown = "99999999".to_owned();
        let fields: Vec<(&str, &str)> = std::iter::repeat_n(("project", unknown.as_str()), 60_000).collect();
        let response = voter.post(&format!("/rounds/{round}/ballot"), &fields).await;
        assert!(response.status().is_redirection(), "{}", response.status());
        let location = response.headers()["location"].to_str().expect("location").to_owned();
        assert!(location.len() < 4096, "a Location of {} bytes", location.len());
        assert!(location.contains("error="), "the error is carried back: {location}");
        assert!(
            ballot_row::Entity::find()
                .all(&app.db)
                .await
                .expect("ballots")
                .is_empty()
        );
    }
);
