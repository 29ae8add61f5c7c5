//! Addresses and inputs out of the ordinary, on SQLite and PostgreSQL: unknown
//! rounds, proposals and districts answer 404 with the not-found page, page
//! numbers beyond any page answer a page, and logs in a pipe carry no colours.

use crate::builders::RoundOptions;
use crate::common;

use app::rounds::Phase;
use common::{Backend, TestApp};

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
