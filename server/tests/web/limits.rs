//! The limits on attempts, on SQLite and PostgreSQL: a slot is taken before an
//! attempt is made, so a concurrent burst gets no further than the limit;
//! wrong passwords from one address slow that address, not the owner elsewhere;
//! census guesses are limited per national code whatever account makes them;
//! a taken login is not an unlimited oracle; ended windows are purged.

use crate::common;

use app::accounts::password_form::ChangePassword;
use app::accounts::sign_in::{Login, Register};
use app::accounts::throttle;
use app::accounts::viewer::Role;
use app::error::ApiError;
use app::verification::account_page::VerifyCensus;
use common::{Backend, PASSWORD, TestApp, Visitor, error};
use futures::future::join_all;
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::sync::atomic::{AtomicU32, Ordering};

/// Valid national codes (their check digits are right).
const CODE_A: &str = "0499370899";
const CODE_B: &str = "0013542419";

static LOGINS: AtomicU32 = AtomicU32::new(1);

fn login(login: &str, password: &str) -> Login {
    Login {
        login: login.to_owned(),
        password: password.to_owned(),
    }
}

fn census_check(national_code: &str, birth_year: i32) -> VerifyCensus {
    VerifyCensus {
        national_code: national_code.to_owned(),
        birth_year: birth_year.to_string(),
    }
}

fn change(current: &str) -> ChangePassword {
    ChangePassword {
        current: current.to_owned(),
        password: "new password 1".to_owned(),
        password_confirm: "new password 1".to_owned(),
    }
}

/// A signed-in resident of a login of their own.
async fn resident(app: &TestApp) -> Visitor {
    let login = format!("0936{:07}", LOGINS.fetch_add(1, Ordering::Relaxed));
    app.account(&login, PASSWORD, Role::Resident, None).await;
    let mut visitor = app.visitor();
    visitor.sign_in(&login, PASSWORD).await;
    visitor
}

/// `count` visitors, each with its anti-forgery token already, so that a burst
/// of their posts starts together.
async fn visitors(app: &TestApp, count: usize) -> Vec<Visitor> {
    let mut visitors: Vec<Visitor> = (0..count).map(|_| app.visitor()).collect();
    for visitor in &mut visitors {
        visitor.csrf().await;
    }
    visitors
}

/// How many answers had each status, and that every one is `expected` or 429.
fn tally(answers: &[(u16, String)], expected: (u16, ApiError)) -> (usize, usize) {
    for (status, body) in answers {
        let got = (*status, error(body));
        assert!(
            got == expected || got == (429, ApiError::TooManyAttempts),
            "unexpected answer {got:?}"
        );
    }
    let hits = answers.iter().filter(|(status, _)| *status == expected.0).count();
    (hits, answers.len() - hits)
}

on_both_databases!(a_burst_of_wrong_passwords_checks_five, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    app.account("09120000002", PASSWORD, Role::Resident, None).await;
    let mut burst = visitors(&app, 50).await;
    let answers = join_all(
        burst
            .iter_mut()
            .map(|visitor| visitor.send(login("09120000002", "guess guess"))),
    )
    .await;
    let (checked, refused) = tally(&answers, (401, ApiError::BadCredentials));
    assert_eq!(
        (checked, refused),
        (5, 45),
        "five passwords checked, the rest refused before any check"
    );
    let (status, body) = app.visitor().send(login("09120000002", PASSWORD)).await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "from the same address even the right password waits"
    );
});

on_both_databases!(
    wrong_passwords_from_one_address_leave_the_owner_in,
    |backend: Backend| async move {
        use app::accounts::sign_in::authenticate;
        let app = TestApp::spawn(backend).await;
        let district = app.districts().await[0].0;
        let id = app
            .account("staff@office.example", PASSWORD, Role::Staff, Some(district))
            .await;
        let stranger = "203.0.113.7";
        for _ in 0..5 {
            let err = authenticate(&app.services, "staff@office.example", "guess guess".into(), stranger)
                .await
                .expect_err("a wrong password");
            assert_eq!(err, ApiError::BadCredentials);
        }
        for password in ["guess guess", PASSWORD] {
            let err = authenticate(&app.services, "staff@office.example", password.into(), stranger)
                .await
                .expect_err("the stranger's address has used its attempts");
            assert_eq!(err, ApiError::TooManyAttempts);
        }
        let owner = authenticate(&app.services, "Staff@Office.example", PASSWORD.into(), "198.51.100.4")
            .await
            .expect("the owner, from another address, signs in");
        assert_eq!(owner.id, id);
        let err = authenticate(&app.services, "staff@office.example", PASSWORD.into(), stranger)
            .await
            .expect_err("the owner's success frees no attempts of the stranger's");
        assert_eq!(err, ApiError::TooManyAttempts);
    }
);

on_both_databases!(
    the_account_ceiling_holds_across_addresses,
    |backend: Backend| async move {
        use app::accounts::sign_in::authenticate;
        let app = TestApp::spawn(backend).await;
        app.account("09120000003", PASSWORD, Role::Resident, None).await;
        let per_pair = throttle::LOGIN_PER_ACCOUNT_AND_ADDRESS.failures;
        let addresses = throttle::LOGIN_PER_ACCOUNT.failures / per_pair;
        for a in 0..addresses {
            let address = format!("10.0.{a}.1");
            for _ in 0..per_pair {
                let err = authenticate(&app.services, "09120000003", "guess guess".into(), &address)
                    .await
                    .expect_err("a wrong password");
                assert_eq!(err, ApiError::BadCredentials, "from {address}");
            }
        }
        let err = authenticate(&app.services, "09120000003", PASSWORD.into(), "198.51.100.4")
            .await
            .expect_err("the account's ceiling is reached");
        assert_eq!(err, ApiError::TooManyAttempts);
    }
);

on_both_databases!(
    census_guesses_are_limited_per_national_code,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let districts = app.districts().await;
        let roll = format!("national_code,birth_year,neighborhood\n{CODE_A},1370,تجریش\n{CODE_B},1365,تجریش\n");
        app::verification::census::import(&app.services, None, districts[0].0, &roll)
            .await
            .expect("the roll imports");
        let mut accounts = Vec::new();
        for _ in 0..10 {
            accounts.push(resident(&app).await);
        }
        // Twenty guesses per account, all two hundred at once.
        let mut tokens = Vec::new();
        for visitor in &mut accounts {
            tokens.push(visitor.csrf().await);
        }
        let wrong_years: Vec<i32> = (1300..1420).filter(|year| *year != 1370).collect();
        let answers = join_all((0..200).map(|i| {
            let (visitor, token) = (&accounts[i % accounts.len()], &tokens[i % accounts.len()]);
            post(visitor, token, census_check(CODE_A, wrong_years[i % wrong_years.len()]))
        }))
        .await;
        assert_eq!(answers.len(), 200);
        let (tried, refused) = tally(&answers, (400, ApiError::CensusNoMatch));
        assert_eq!(
            (tried, refused),
            (5, 195),
            "five birth years tried for the national code, whatever the account"
        );

        let mut newcomer = resident(&app).await;
        let (status, body) = newcomer.send(census_check(CODE_A, 1370)).await;
        assert_eq!(
            (status, error(&body)),
            (429, ApiError::TooManyAttempts),
            "the right birth year waits too, from a fresh account"
        );
        let (status, body) = newcomer.send(census_check(CODE_B, 1365)).await;
        assert!(
            status < 400,
            "neither the account nor the address was stopped: {status} {body}"
        );
    }
);

/// Posts server function arguments as `Visitor::send` does, with the
/// visitor's token given, so that one visitor can make concurrent posts.
async fn post<T: ServerFn + Serialize>(visitor: &Visitor, token: &str, args: T) -> (u16, String) {
    let mut form = serde_urlencoded::to_string(&args).expect("the arguments make a form");
    form.push('&');
    form.push_str(&serde_urlencoded::to_string([("csrf_token", token)]).expect("the token makes a field"));
    let response = visitor
        .client
        .post(format!("{}{}", visitor.base, T::PATH))
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

on_both_databases!(taken_logins_count_before_they_are_told, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    app.account("09120000005", PASSWORD, Role::Resident, None).await;
    let register = |login: &str| Register {
        login: login.to_owned(),
        password: PASSWORD.to_owned(),
        password_confirm: PASSWORD.to_owned(),
    };
    let limit = throttle::REGISTER_PER_ADDRESS.failures as usize;
    let mut burst = visitors(&app, limit + 20).await;
    let answers = join_all(burst.iter_mut().map(|visitor| visitor.send(register("0912 000 0005")))).await;
    let (told, refused) = tally(&answers, (409, ApiError::LoginTaken));
    assert_eq!(
        (told, refused),
        (limit, 20),
        "every registration counts, a taken login too"
    );
    let (status, body) = app.visitor().send(register("09120000005")).await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "the limit used up, a taken login is not told"
    );
    let (status, body) = app.visitor().send(register("09120000006")).await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "nor is a free one: the answer is the same"
    );
});

on_both_databases!(
    a_wrong_current_password_counts_like_a_wrong_sign_in,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let mut owner = resident(&app).await;
        let login_id = owner.login().to_owned();
        for _ in 0..5 {
            let (status, body) = owner.send(change("guess guess")).await;
            assert_eq!((status, error(&body)), (401, ApiError::BadCredentials));
        }
        let (status, body) = owner.send(change(PASSWORD)).await;
        assert_eq!(
            (status, error(&body)),
            (429, ApiError::TooManyAttempts),
            "the right current password waits too"
        );
        let (status, body) = app.visitor().send(login(&login_id, PASSWORD)).await;
        assert_eq!(
            (status, error(&body)),
            (429, ApiError::TooManyAttempts),
            "and so does signing in: one limit for both"
        );

        let mut other = resident(&app).await;
        let mut burst = visitors(&app, 20).await;
        let other_login = other.login().to_owned();
        let answers = join_all(
            burst
                .iter_mut()
                .map(|visitor| visitor.send(login(&other_login, "guess guess"))),
        )
        .await;
        assert_eq!(tally(&answers, (401, ApiError::BadCredentials)).0, 5);
        let (status, body) = other.send(change(PASSWORD)).await;
        assert_eq!(
            (status, error(&body)),
            (429, ApiError::TooManyAttempts),
            "wrong sign-ins limit changing the password too"
        );
    }
);

on_both_databases!(a_window_that_ended_opens_anew, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let db = &app.db;
    let counters = throttle::census("a national code's keyed hash");
    let take = || throttle::reserve(db, &counters);
    for _ in 0..throttle::VERIFY_PER_NATIONAL_CODE.failures {
        assert!(take().await.expect("database"), "a slot");
    }
    assert!(!take().await.expect("database"), "the hour's slots are taken");
    let age = |key: &str, by: chrono::Duration| {
        let key = key.to_owned();
        async move {
            throttle::Entity::update_many()
                .col_expr(
                    throttle::Column::WindowStart,
                    sea_orm::sea_query::Expr::value(chrono::Utc::now() - by),
                )
                .filter(throttle::Column::Key.eq(key))
                .exec(db)
                .await
                .expect("database");
        }
    };
    age(&counters[0].key, chrono::Duration::minutes(61)).await;
    for _ in 0..throttle::VERIFY_PER_NATIONAL_CODE.failures {
        assert!(take().await.expect("database"), "a new hour, new slots");
    }
    assert!(!take().await.expect("database"));
    let rows = throttle::Entity::find().all(&app.db).await.expect("database");
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().all(|row| row.failures == 5 || row.failures == 10),
        "{rows:?}"
    );
    // The rows are counted first: once the hour ages again, the background purge may delete it.
    age(&counters[0].key, chrono::Duration::minutes(61)).await;
    assert!(
        !take().await.expect("database"),
        "the day's slots are taken, whatever the hour"
    );
});

on_both_databases!(ended_windows_are_purged, |backend: Backend| async move {
    use sea_orm::ActiveValue::Set;
    let app = TestApp::spawn(backend).await;
    settle_purge(&app).await;
    let now = chrono::Utc::now();
    let row = |key: String, age: chrono::Duration| throttle::ActiveModel {
        key: Set(key),
        window_start: Set(now - age),
        failures: Set(3),
    };
    let minutes = chrono::Duration::minutes;
    let sign_in = throttle::sign_in("09120000007", "203.0.113.7");
    let verify = throttle::verification(7, "203.0.113.7");
    let census = throttle::census("a national code's keyed hash");
    let rows = [
        (sign_in[0].key.clone(), minutes(16), false),
        (sign_in[1].key.clone(), minutes(14), true),
        (sign_in[2].key.clone(), minutes(20), false),
        (verify[0].key.clone(), minutes(20), true),
        (verify[1].key.clone(), minutes(61), false),
        (census[0].key.clone(), minutes(61), false),
        (census[1].key.clone(), minutes(61), true),
        (throttle::registration("203.0.113.7")[0].key.clone(), minutes(59), true),
        ("login:09120000007".to_owned(), minutes(20), true),
        ("login-ip:203.0.113.7".to_owned(), chrono::Duration::days(2), false),
    ];
    for (key, age, _) in &rows {
        throttle::Entity::insert(row(key.clone(), *age))
            .exec(&app.db)
            .await
            .expect("database");
    }
    let purged = throttle::purge_expired(&app.db).await.expect("database");
    let mut left: Vec<String> = throttle::Entity::find()
        .all(&app.db)
        .await
        .expect("database")
        .into_iter()
        .map(|row| row.key)
        .collect();
    left.sort();
    let mut kept: Vec<String> = rows
        .iter()
        .filter(|(_, _, kept)| *kept)
        .map(|(key, _, _)| key.clone())
        .collect();
    kept.sort();
    assert_eq!(left, kept, "rows whose window ended are gone, the others stay");
    assert_eq!(purged, (rows.len() - kept.len()) as u64);
});

/// Waits for the server's first hourly purge, which runs as it starts, to be
/// over: a row it would delete is gone, or two seconds have passed (it ran
/// before the row came).
async fn settle_purge(app: &TestApp) {
    use sea_orm::ActiveValue::Set;
    throttle::Entity::insert(throttle::ActiveModel {
        key: Set("canary".to_owned()),
        window_start: Set(chrono::Utc::now() - chrono::Duration::days(2)),
        failures: Set(1),
    })
    .exec(&app.db)
    .await
    .expect("database");
    for _ in 0..100 {
        let left = throttle::Entity::find_by_id("canary".to_owned())
            .one(&app.db)
            .await
            .expect("database");
        if left.is_none() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    throttle::clear(&app.db, "canary").await.expect("database");
}
