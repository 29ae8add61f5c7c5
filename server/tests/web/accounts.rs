//! Accounts and sessions over real HTTP, on SQLite and PostgreSQL: registering,
//! signing in and out, passwords, forged posts and how long a session lasts.

use crate::common;

use app::accounts::password_form::ChangePassword;
use app::accounts::sign_in::{Login, Logout, Register};
use app::accounts::viewer::Role;
use app::error::ApiError;
use app::shell::header::Whoami;
use common::{Backend, PASSWORD, TestApp, error};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn register(login: &str, password: &str) -> Register {
    Register {
        login: login.to_owned(),
        password: password.to_owned(),
        password_confirm: password.to_owned(),
    }
}

fn login(login: &str, password: &str) -> Login {
    Login {
        login: login.to_owned(),
        password: password.to_owned(),
    }
}

on_both_databases!(register_sign_in_and_out, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let mut visitor = app.visitor();
    let response = visitor.post_args(register("+98 912 123 4567", PASSWORD)).await;
    assert!(response.status().as_u16() < 400);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("session="))
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");

    let (_, me) = visitor.send(Whoami {}).await;
    assert!(
        me.contains("09121234567") && me.contains("Resident"),
        "normalised login: {me}"
    );
    let page = visitor.page("/account").await;
    assert!(
        page.contains("حساب شما هنوز تأیید نشده است"),
        "the account page asks for verification"
    );

    let mut again = app.visitor();
    let (status, body) = again.send(register("09121234567", PASSWORD)).await;
    assert_eq!((status, error(&body)), (409, ApiError::LoginTaken));
    let (status, body) = again.send(register("0912", PASSWORD)).await;
    assert_eq!((status, error(&body)), (400, ApiError::LoginInvalid));
    let (status, body) = again.send(register("a@b.ir", "short")).await;
    assert_eq!((status, error(&body)), (400, ApiError::PasswordLength));

    let (status, body) = again.send(login("09121234567", "wrong password")).await;
    assert_eq!((status, error(&body)), (401, ApiError::BadCredentials));
    again.sign_in("۰۹۱۲۱۲۳۴۵۶۷", PASSWORD).await;

    visitor.send(Logout {}).await;
    let (_, me) = visitor.send(Whoami {}).await;
    assert_eq!(me, "null");
    let (_, me) = again.send(Whoami {}).await;
    assert!(me.contains("09121234567"), "signing out ends one session only");
});

on_both_databases!(
    changing_the_password_ends_other_sessions,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let mut phone = app.resident().await;
        let sara = phone.login().to_owned();
        let mut laptop = app.visitor();
        laptop.sign_in(&sara, PASSWORD).await;
        let change = |current: &str| ChangePassword {
            current: current.to_owned(),
            password: "new password 1".to_owned(),
            password_confirm: "new password 1".to_owned(),
        };
        let (status, body) = phone.send(change("not it at all")).await;
        assert_eq!((status, error(&body)), (401, ApiError::BadCredentials));
        let (status, _) = phone.send(change(PASSWORD)).await;
        assert!(status < 400);
        assert_eq!(laptop.send(Whoami {}).await.1, "null", "the other session ended");
        assert!(phone.send(Whoami {}).await.1.contains(&sara), "this session goes on");
        let mut fresh = app.visitor();
        fresh.sign_in(&sara, "new password 1").await;
    }
);

on_both_databases!(cross_site_posts_are_refused, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    app.account("09120000001", PASSWORD, Role::Resident, None).await;
    let mut visitor = app.visitor();
    let token = visitor.csrf().await;
    let url = format!("{}{}", app.url, Login::PATH);
    let fields = serde_urlencoded::to_string(login("09120000001", PASSWORD)).expect("form");
    let token_field = serde_urlencoded::to_string([("csrf_token", token.as_str())]).expect("form");
    let with_token = format!("{fields}&{token_field}");
    let forged = format!("{fields}&csrf_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let client = visitor.client.clone();
    let form_post = |client: &reqwest::Client, form: &str| {
        client
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form.to_owned())
    };
    let post = |headers: &[(&'static str, &str)], form: &str| {
        let mut request = form_post(&client, form);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };

    let without = post(&[], &fields).await.expect("request");
    assert_eq!(without.status(), 403, "no origin and no token");
    assert!(
        without.text().await.expect("body").contains("این فرم منقضی شده"),
        "translated refusal"
    );
    assert_eq!(
        post(&[], &forged).await.expect("request").status(),
        403,
        "a wrong token"
    );
    for cross_site in [
        vec![("origin", "https://evil.example")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site"), ("origin", "https://sub.evil.example")],
    ] {
        let response = post(&cross_site, &with_token).await.expect("request");
        assert_eq!(response.status(), 403, "{cross_site:?}: even with the token");
    }
    let no_cookie = form_post(&app.client, &with_token).send().await.expect("request");
    assert_eq!(no_cookie.status(), 403, "a token without its cookie proves nothing");
    assert_eq!(visitor.send(Whoami {}).await.1, "null", "none of these signed in");

    let same_site = post(
        &[("origin", app.url.as_str()), ("sec-fetch-site", "same-origin")],
        &fields,
    )
    .await
    .expect("request");
    assert_eq!(
        same_site.status(),
        200,
        "the site's own scripts post without the form field"
    );
    assert!(visitor.send(Whoami {}).await.1.contains("09120000001"));
});

on_both_databases!(sign_in_attempts_are_limited, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    app.account("09120000002", PASSWORD, Role::Resident, None).await;
    let mut visitor = app.visitor();
    for _ in 0..5 {
        let (status, _) = visitor.send(login("09120000002", "guess guess")).await;
        assert_eq!(status, 401);
    }
    let (status, body) = visitor.send(login("09120000002", PASSWORD)).await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "even the right password waits"
    );
    let page = visitor.page("/login").await;
    assert!(page.contains("ورود"));
});

on_both_databases!(
    a_visit_keeps_the_session_for_another_week,
    |backend: Backend| async move {
        use app::accounts::session;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let app = TestApp::spawn(backend).await;
        let id = app.account("09121112233", PASSWORD, Role::Resident, None).await;
        let mut visitor = app.visitor();
        visitor.sign_in("09121112233", PASSWORD).await;
        let row = || async {
            session::Entity::find()
                .filter(session::Column::AccountId.eq(id))
                .one(&app.db)
                .await
                .expect("db")
                .expect("the session")
        };
        let session_cookie = |response: &reqwest::Response| {
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|c| c.starts_with("session="))
        };

        // Six days later: last seen long ago, one day left.
        let stale = row().await;
        let mut data: serde_json::Value = serde_json::from_str(&stale.data).expect("json");
        data[session::SEEN_KEY] = serde_json::json!(0);
        let mut aged: session::ActiveModel = stale.into();
        aged.data = Set(data.to_string());
        aged.expires_at = Set(chrono::Utc::now() + chrono::Duration::days(1));
        aged.update(&app.db).await.expect("age the session");

        let visit = visitor.post(Whoami::PATH, &[]).await;
        assert!(visit.status().is_success());
        assert!(session_cookie(&visit), "the cookie is renewed");
        let renewed = row().await;
        assert!(
            renewed.expires_at > chrono::Utc::now() + chrono::Duration::days(6),
            "a week from this visit"
        );

        let again = visitor.post(Whoami::PATH, &[]).await;
        assert!(!session_cookie(&again), "written once a day, not on every request");
        assert_eq!(row().await.expires_at, renewed.expires_at);
    }
);
