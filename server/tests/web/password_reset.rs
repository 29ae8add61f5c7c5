//! Password resets at the desk, on SQLite and PostgreSQL: an office issues a
//! one-time code to a verified resident of its district whose ID card matches,
//! and the resident sets a new password with it, signed out everywhere. Codes
//! work once, for their own login, only the newest one, and cannot be guessed.

use crate::common;

use app::accounts::password_reset::{ResetPassword, db::row as reset_row};
use app::accounts::sign_in::Login;
use app::accounts::viewer::Viewer;
use app::error::ApiError;
use app::keys::Purpose;
use app::shell::header::Whoami;
use app::verification::db::person;
use app::verification::office_page::{IssuePasswordReset, OfficeData, OfficeOverview};
use common::{Backend, PASSWORD, TestApp, Visitor, error};
use leptos::server_fn::ServerFn;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const CARD_A: &str = "0499370899";
const CARD_B: &str = "0013542419";
const NEW_PASSWORD: &str = "a brand new password";

/// A signed-in resident of `neighborhood`, verified with national code `card`
/// (as the office's form stores it), and their account id.
async fn resident_with_card(app: &TestApp, neighborhood: i32, card: &str) -> (Visitor, i32) {
    let mut resident = app.verified_resident(neighborhood).await;
    let (_, me) = resident.send(Whoami {}).await;
    let id = serde_json::from_str::<Viewer>(&me).expect("signed in").id;
    person::Entity::update_many()
        .col_expr(
            person::Column::NationalHash,
            Expr::value(app.services.keys.hash(Purpose::NationalCode, card)),
        )
        .filter(person::Column::AccountId.eq(id))
        .exec(&app.db)
        .await
        .expect("database");
    (resident, id)
}

fn issue(login: &str, card: &str) -> IssuePasswordReset {
    IssuePasswordReset {
        login: login.to_owned(),
        national_code: card.to_owned(),
    }
}

/// Issues a reset code at `office` and returns it as the office page shows it, once.
async fn issued(office: &mut Visitor, login: &str, card: &str) -> String {
    let (status, body) = office.send(issue(login, card)).await;
    assert!(status < 400, "reset code refused: {status} {body}");
    let (_, overview) = office
        .send(OfficeOverview {
            q: String::new(),
            neighborhood: String::new(),
        })
        .await;
    let overview: OfficeData = serde_json::from_str(&overview).expect("office data");
    let shown = overview.reset.expect("the issued reset code is shown");
    assert_eq!(shown.login, login);
    let (_, again) = office
        .send(OfficeOverview {
            q: String::new(),
            neighborhood: String::new(),
        })
        .await;
    let again: OfficeData = serde_json::from_str(&again).expect("office data");
    assert_eq!(again.reset, None, "and only once");
    shown.code
}

fn reset(login: &str, code: &str) -> ResetPassword {
    ResetPassword {
        login: login.to_owned(),
        code: code.to_owned(),
        password: NEW_PASSWORD.to_owned(),
        password_confirm: NEW_PASSWORD.to_owned(),
    }
}

/// Posts the reset page's form as a browser without JavaScript does.
async fn plain_reset(visitor: &mut Visitor, login: &str, code: &str) -> reqwest::Response {
    let token = visitor.csrf().await;
    visitor
        .client
        .post(format!("{}{}", visitor.base, <ResetPassword as ServerFn>::PATH))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::REFERER, format!("{}/reset-password", visitor.base))
        .form(&[
            ("login", login),
            ("code", code),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .expect("request")
}

async fn codes_issued(app: &TestApp) -> u64 {
    reset_row::Entity::find().count(&app.db).await.expect("count")
}

async fn assert_refused(visitor: &mut Visitor, args: ResetPassword, why: &str) {
    let (status, body) = visitor.send(args).await;
    assert_eq!((status, error(&body)), (400, ApiError::ResetCodeInvalid), "{why}");
}

on_both_databases!(
    a_resident_resets_a_forgotten_password_with_a_code_from_the_desk,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let (mut resident, resident_id) = resident_with_card(&app, neighborhoods[0], CARD_A).await;
        let login = resident.login().to_owned();
        let mut laptop = app.visitor();
        laptop.sign_in(&login, PASSWORD).await;

        let page = app.visitor().page("/login").await;
        assert!(
            page.contains(r#"href="/reset-password""#),
            "the sign-in page links to the reset"
        );
        let page = app.visitor().page("/reset-password").await;
        assert!(page.contains(r#"name="code""#) && page.contains(r#"name="password_confirm""#));

        let desk = office.page("/office").await;
        assert!(
            desk.contains(r#"id="reset_login""#),
            "the office page has the desk form"
        );
        let code = issued(&mut office, &login, CARD_A).await;
        let mut forgetful = app.visitor();
        let refused = plain_reset(&mut forgetful, &login, "AAAA-AAAA").await;
        assert!(refused.status().is_redirection(), "{}", refused.status());
        let back = refused.headers()["location"].to_str().expect("location").to_owned();
        assert!(
            back.starts_with(&format!("{}/reset-password?", forgetful.base)),
            "back to the form: {back}"
        );
        let page = forgetful
            .client
            .get(&back)
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body");
        assert!(page.contains("کد بازنشانی جور نیست"), "with the translated error");
        let response = plain_reset(&mut forgetful, &login, &code).await;
        assert!(response.status().is_redirection(), "{}", response.status());
        assert_eq!(response.headers()["location"], "/reset-password?done");
        let page = forgetful.page("/reset-password?done").await;
        assert!(
            page.contains("گذرواژهٔ تازهٔ شما ثبت شد"),
            "the resident is told to sign in"
        );

        for (which, visitor) in [("the phone", &mut resident), ("the laptop", &mut laptop)] {
            let (_, me) = visitor.send(Whoami {}).await;
            assert_eq!(
                serde_json::from_str::<Option<Viewer>>(&me).expect("whoami"),
                None,
                "{which} is signed out"
            );
        }
        let (status, body) = app
            .visitor()
            .send(Login {
                login: login.clone(),
                password: PASSWORD.to_owned(),
            })
            .await;
        assert_eq!(
            (status, error(&body)),
            (401, ApiError::BadCredentials),
            "the old password is gone"
        );
        forgetful.sign_in(&login, NEW_PASSWORD).await;
        let (_, me) = forgetful.send(Whoami {}).await;
        assert_eq!(serde_json::from_str::<Viewer>(&me).expect("signed in").id, resident_id);

        let audit = app::accounts::audit::recent(&app.db, &Default::default(), 10)
            .await
            .expect("audit");
        let subject = format!("account:{resident_id}");
        assert!(
            audit
                .iter()
                .any(|e| e.action == "issue-password-reset" && e.subject == subject)
        );
        assert!(
            audit
                .iter()
                .any(|e| e.action == "reset-password" && e.subject == subject)
        );
    }
);

on_both_databases!(
    the_desk_refuses_a_card_that_does_not_match,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let (resident, _) = resident_with_card(&app, neighborhoods[0], CARD_A).await;
        let unverified = app.resident().await;

        let (status, body) = office.send(issue(resident.login(), CARD_B)).await;
        assert_eq!(
            (status, error(&body)),
            (400, ApiError::NationalCodeMismatch),
            "another card"
        );
        let (status, body) = office.send(issue(resident.login(), "0499370898")).await;
        assert_eq!((status, error(&body)), (400, ApiError::NationalCodeCheckDigit));
        for (who, login) in [("unknown", "09359999999"), ("unverified", unverified.login())] {
            let (status, body) = office.send(issue(login, CARD_A)).await;
            assert_eq!((status, error(&body)), (400, ApiError::NotVerified), "{who}");
        }
        assert_eq!(codes_issued(&app).await, 0, "nothing issued");
        let (_, overview) = office
            .send(OfficeOverview {
                q: String::new(),
                neighborhood: String::new(),
            })
            .await;
        let overview: OfficeData = serde_json::from_str(&overview).expect("office data");
        assert_eq!(overview.reset, None);
    }
);

on_both_databases!(
    only_staff_of_the_residents_district_issue_codes,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let districts = app.districts().await;
        let (resident, _) = resident_with_card(&app, districts[0].1[0], CARD_A).await;
        let login = resident.login().to_owned();
        let mut elsewhere = app.staff_of(districts[1].0).await;
        let (status, body) = elsewhere.send(issue(&login, CARD_A)).await;
        assert_eq!(
            (status, error(&body)),
            (403, ApiError::Forbidden),
            "staff of another district"
        );
        let (mut neighbor, _) = resident_with_card(&app, districts[0].1[0], CARD_B).await;
        let (status, body) = neighbor.send(issue(&login, CARD_A)).await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden), "a resident");
        let (status, body) = app.visitor().send(issue(&login, CARD_A)).await;
        assert_eq!((status, error(&body)), (401, ApiError::NotSignedIn), "a visitor");
        assert_eq!(codes_issued(&app).await, 0, "nothing issued");
    }
);

on_both_databases!(
    a_code_works_once_for_its_login_and_only_the_newest,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let (resident, resident_id) = resident_with_card(&app, neighborhoods[0], CARD_A).await;
        let (other, _) = resident_with_card(&app, neighborhoods[0], CARD_B).await;
        let login = resident.login().to_owned();
        let mut visitor = app.visitor();

        let first = issued(&mut office, &login, CARD_A).await;
        let newest = issued(&mut office, &login, CARD_A).await;
        assert_refused(&mut visitor, reset(&login, &first), "a newer code was issued").await;
        assert_refused(&mut visitor, reset(other.login(), &newest), "another login").await;
        assert_refused(&mut visitor, reset("09359999999", &newest), "an unknown login").await;

        // Two uses at once: exactly one wins.
        let mut twin = app.visitor();
        let (a, b) = tokio::join!(visitor.send(reset(&login, &newest)), twin.send(reset(&login, &newest)));
        let won = [&a, &b].iter().filter(|(status, _)| *status < 400).count();
        assert_eq!(won, 1, "{a:?} {b:?}");
        let lost = if a.0 < 400 { &b } else { &a };
        assert_eq!((lost.0, error(&lost.1)), (400, ApiError::ResetCodeInvalid));
        assert_refused(&mut visitor, reset(&login, &newest), "used already").await;

        let late = issued(&mut office, &login, CARD_A).await;
        reset_row::Entity::update_many()
            .col_expr(
                reset_row::Column::ExpiresAt,
                Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
            )
            .filter(reset_row::Column::AccountId.eq(resident_id))
            .exec(&app.db)
            .await
            .expect("database");
        assert_refused(&mut visitor, reset(&login, &late), "expired").await;
        visitor.sign_in(&login, NEW_PASSWORD).await;
    }
);

on_both_databases!(guessing_reset_codes_is_throttled, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let (resident, _) = resident_with_card(&app, neighborhoods[0], CARD_A).await;
    let login = resident.login().to_owned();
    let code = issued(&mut office, &login, CARD_A).await;
    let mut guesser = app.visitor();
    for guess in ["AAAA-AAAA", "AAAA-AAAB", "AAAA-AAAC", "not a code", "AAAA-AAAD"] {
        assert_refused(&mut guesser, reset(&login, guess), guess).await;
    }
    let (status, body) = guesser.send(reset(&login, &code)).await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "even the right code waits"
    );
    for guess in ["AAAA-AAAA", "AAAA-AAAB", "AAAA-AAAC", "AAAA-AAAD", "AAAA-AAAE"] {
        assert_refused(&mut guesser, reset("09359999999", guess), "an unknown login").await;
    }
    let (status, _) = guesser.send(reset("09359999999", "AAAA-AAAF")).await;
    assert_eq!(status, 429, "an unknown login is limited as a known one");
});

on_both_databases!(reset_codes_are_not_stored_in_clear, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let (resident, _) = resident_with_card(&app, neighborhoods[0], CARD_A).await;
    let shown = issued(&mut office, resident.login(), CARD_A).await;
    let bare = shown.replace('-', "");
    let stored = format!(
        "{:?} {:?} {:?}",
        reset_row::Entity::find().all(&app.db).await.expect("database"),
        app::accounts::audit::recent(&app.db, &Default::default(), 100)
            .await
            .expect("audit"),
        app::accounts::throttle::Entity::find()
            .all(&app.db)
            .await
            .expect("database"),
    );
    assert!(stored.contains("issue-password-reset"), "the tables were read");
    assert!(!stored.contains(&shown) && !stored.contains(&bare), "{stored}");
    let row = reset_row::Entity::find()
        .one(&app.db)
        .await
        .expect("database")
        .expect("a code");
    assert_eq!(row.code_hash, app.services.keys.hash(Purpose::PasswordReset, &bare));
});
