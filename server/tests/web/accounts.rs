//! Accounts, sessions, roles and verification over real HTTP, on SQLite and
//! PostgreSQL: the rules of "one person, one verified account".

use crate::common;

use app::accounts::viewer::Role;
use app::error::{ApiError, CensusProblem};
use app::verification::db::{census, person};
use common::{Backend, PASSWORD, TestApp, Visitor, error, staff};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Valid national codes (their check digits are right).
const CODE_A: &str = "0499370899";
const CODE_B: &str = "0013542419";

async fn resident(app: &TestApp, login: &str) -> Visitor {
    let mut visitor = app.visitor();
    let (status, body) = visitor
        .call(
            "register",
            &[("login", login), ("password", PASSWORD), ("password_confirm", PASSWORD)],
        )
        .await;
    assert!(status < 400, "registration refused: {status} {body}");
    visitor
}

/// Issues a one-time code at the office and returns it as shown to staff.
async fn issue(office: &mut Visitor, national_code: &str, neighborhood: i32) -> String {
    let neighborhood = neighborhood.to_string();
    let (status, body) = office
        .call(
            "issue-code",
            &[
                ("national_code", national_code),
                ("birth_year", "1370"),
                ("neighborhood_id", &neighborhood),
            ],
        )
        .await;
    assert!(status < 400, "code refused: {status} {body}");
    let (_, overview) = office.call("office", &[]).await;
    let overview: app::verification::office_page::OfficeData = serde_json::from_str(&overview).expect("office data");
    overview.issued.expect("the issued code is shown once").code
}

on_both_databases!(register_sign_in_and_out, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let mut visitor = app.visitor();
    let token = visitor.csrf().await;
    let response = visitor
        .client
        .post(format!("{}/api/register", app.url))
        .form(&[
            ("login", "+98 912 123 4567"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("request");
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

    let (_, me) = visitor.call("whoami", &[]).await;
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
    let (status, body) = again
        .call(
            "register",
            &[
                ("login", "09121234567"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!((status, error(&body)), (409, ApiError::LoginTaken));
    let (status, body) = again
        .call(
            "register",
            &[
                ("login", "0912"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::LoginInvalid));
    let (status, body) = again
        .call(
            "register",
            &[
                ("login", "a@b.ir"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::PasswordLength));

    let (status, body) = again
        .call("login", &[("login", "09121234567"), ("password", "wrong password")])
        .await;
    assert_eq!((status, error(&body)), (401, ApiError::BadCredentials));
    again.sign_in("۰۹۱۲۱۲۳۴۵۶۷", PASSWORD).await;

    visitor.call("logout", &[]).await;
    let (_, me) = visitor.call("whoami", &[]).await;
    assert_eq!(me, "null");
    let (_, me) = again.call("whoami", &[]).await;
    assert!(me.contains("09121234567"), "signing out ends one session only");
    app.finish().await;
});

on_both_databases!(
    changing_the_password_ends_other_sessions,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let mut phone = resident(&app, "sara@example.ir").await;
        let mut laptop = app.visitor();
        laptop.sign_in("sara@example.ir", PASSWORD).await;
        let (status, body) = phone
            .call(
                "change-password",
                &[
                    ("current", "not it at all"),
                    ("password", "new password 1"),
                    ("password_confirm", "new password 1"),
                ],
            )
            .await;
        assert_eq!((status, error(&body)), (401, ApiError::BadCredentials));
        let (status, _) = phone
            .call(
                "change-password",
                &[
                    ("current", PASSWORD),
                    ("password", "new password 1"),
                    ("password_confirm", "new password 1"),
                ],
            )
            .await;
        assert!(status < 400);
        assert_eq!(laptop.call("whoami", &[]).await.1, "null", "the other session ended");
        assert!(
            phone.call("whoami", &[]).await.1.contains("sara@example.ir"),
            "this session goes on"
        );
        let mut fresh = app.visitor();
        fresh.sign_in("sara@example.ir", "new password 1").await;
        app.finish().await;
    }
);

on_both_databases!(cross_site_posts_are_refused, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    app.account("09120000001", PASSWORD, Role::Resident, None).await;
    let mut visitor = app.visitor();
    let token = visitor.csrf().await;
    let url = format!("{}/api/login", app.url);
    let fields = [("login", "09120000001"), ("password", PASSWORD)];
    let mut with_token: Vec<(&str, &str)> = fields.to_vec();
    with_token.push(("csrf_token", &token));
    let mut forged: Vec<(&str, &str)> = fields.to_vec();
    forged.push(("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    let client = visitor.client.clone();
    let post = |headers: &[(&'static str, &str)], form: &[(&str, &str)]| {
        let mut request = client.post(&url).form(form);
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
    let no_cookie = app.client.post(&url).form(&with_token).send().await.expect("request");
    assert_eq!(no_cookie.status(), 403, "a token without its cookie proves nothing");
    assert_eq!(visitor.call("whoami", &[]).await.1, "null", "none of these signed in");

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
    assert!(visitor.call("whoami", &[]).await.1.contains("09120000001"));
    app.finish().await;
});

on_both_databases!(sign_in_attempts_are_limited, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    app.account("09120000002", PASSWORD, Role::Resident, None).await;
    let mut visitor = app.visitor();
    for _ in 0..5 {
        let (status, _) = visitor
            .call("login", &[("login", "09120000002"), ("password", "guess guess")])
            .await;
        assert_eq!(status, 401);
    }
    let (status, body) = visitor
        .call("login", &[("login", "09120000002"), ("password", PASSWORD)])
        .await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "even the right password waits"
    );
    let page = visitor.page("/login").await;
    assert!(page.contains("ورود"));
    app.finish().await;
});

on_both_databases!(a_code_from_the_office_verifies_once, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let districts = app.districts().await;
    let (district, neighborhoods) = &districts[0];
    let mut office = staff(&app, "office1@tehran.ir", *district).await;
    let code = issue(&mut office, CODE_A, neighborhoods[1]).await;
    assert_eq!(code.len(), 9, "shown as ABCD-EFGH: {code}");

    let mut sara = resident(&app, "09120000010").await;
    let (status, body) = sara.call("redeem-code", &[("code", &code.to_lowercase())]).await;
    assert!(status < 400, "{status} {body}");
    let page = sara.page("/account").await;
    assert!(
        page.contains("ساکن تأییدشدهٔ محلهٔ نیاوران، منطقه ۱"),
        "verified in Persian"
    );

    let mut reza = resident(&app, "09120000011").await;
    let (status, body) = reza.call("redeem-code", &[("code", &code)]).await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::VerificationCodeInvalid),
        "a code is spent once"
    );

    let second = issue(&mut office, CODE_A, neighborhoods[0]).await;
    let (status, body) = reza.call("redeem-code", &[("code", &second)]).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::NationalCodeTaken),
        "one person, one account"
    );
    let (status, body) = sara.call("redeem-code", &[("code", &second)]).await;
    assert_eq!((status, error(&body)), (409, ApiError::AlreadyVerified));
    assert_eq!(person::Entity::find().count(&app.db).await.expect("count"), 1);
    app.finish().await;
});

on_both_databases!(
    racing_verifications_of_one_person_leave_one,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let districts = app.districts().await;
        let (district, neighborhoods) = &districts[0];
        let mut office = staff(&app, "office1@tehran.ir", *district).await;
        let mut pairs = Vec::new();
        for i in 0..8 {
            let code = issue(&mut office, CODE_B, neighborhoods[0]).await;
            pairs.push((resident(&app, &format!("0912000010{i}")).await, code));
        }
        let results = futures::future::join_all(
            pairs
                .iter_mut()
                .map(|(visitor, code)| async move { visitor.call("redeem-code", &[("code", code)]).await }),
        )
        .await;
        let won = results.iter().filter(|(status, _)| *status < 400).count();
        assert_eq!(won, 1, "{results:?}");
        assert!(
            results
                .iter()
                .filter(|(status, _)| *status >= 400)
                .all(|(status, body)| *status == 409 && error(body) == ApiError::NationalCodeTaken),
            "{results:?}"
        );
        assert_eq!(person::Entity::find().count(&app.db).await.expect("count"), 1);
        app.finish().await;
    }
);

on_both_databases!(national_codes_are_checked, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let districts = app.districts().await;
    let (district, neighborhoods) = &districts[0];
    let mut office = staff(&app, "office1@tehran.ir", *district).await;
    let n = neighborhoods[0].to_string();
    for (input, expected) in [
        ("0499370898", ApiError::NationalCodeCheckDigit),
        ("049937089", ApiError::NationalCodeLength),
        ("۰۴۹۹۳۷۰۸۹۸", ApiError::NationalCodeCheckDigit),
    ] {
        let (status, body) = office
            .call(
                "issue-code",
                &[
                    ("national_code", input),
                    ("birth_year", "1370"),
                    ("neighborhood_id", &n),
                ],
            )
            .await;
        assert_eq!((status, error(&body)), (400, expected), "{input}");
    }
    let mut sara = resident(&app, "09120000020").await;
    let (status, body) = sara
        .call(
            "verify-census",
            &[("national_code", "1234567890"), ("birth_year", "1370")],
        )
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::NationalCodeCheckDigit));
    let issued = app::verification::db::code::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(issued, 0, "no code was issued");
    app.finish().await;
});

on_both_databases!(staff_act_on_their_own_district_only, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let districts = app.districts().await;
    let (a, a_neighborhoods) = &districts[0];
    let (b, b_neighborhoods) = &districts[1];
    let mut office_a = staff(&app, "a@tehran.ir", *a).await;
    let mut office_b = staff(&app, "b@tehran.ir", *b).await;

    let (status, body) = office_a
        .call(
            "issue-code",
            &[
                ("national_code", CODE_A),
                ("birth_year", "1370"),
                ("neighborhood_id", &b_neighborhoods[0].to_string()),
            ],
        )
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::NeighborhoodInvalid));

    let code = issue(&mut office_b, CODE_A, b_neighborhoods[0]).await;
    let mut sara = resident(&app, "09120000030").await;
    assert!(sara.call("redeem-code", &[("code", &code)]).await.0 < 400);
    let (_, me) = sara.call("whoami", &[]).await;
    let sara_id = serde_json::from_str::<app::accounts::viewer::Viewer>(&me)
        .expect("viewer")
        .id
        .to_string();

    let (status, body) = office_a
        .call("revoke-verification", &[("account_id", &sara_id), ("reason", "test")])
        .await;
    assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
    let (status, body) = office_a
        .call(
            "move-resident",
            &[
                ("account_id", &sara_id),
                ("neighborhood_id", &a_neighborhoods[0].to_string()),
                ("reason", "moved"),
            ],
        )
        .await;
    assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
    let (status, body) = office_b
        .call(
            "move-resident",
            &[
                ("account_id", &sara_id),
                ("neighborhood_id", &a_neighborhoods[0].to_string()),
                ("reason", "moved"),
            ],
        )
        .await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::NeighborhoodInvalid),
        "not into another district"
    );

    let (status, body) = sara.call("office", &[]).await;
    assert_eq!(
        (status, error(&body)),
        (403, ApiError::Forbidden),
        "residents have no office"
    );
    let (status, body) = office_a.call("admin", &[]).await;
    assert_eq!(
        (status, error(&body)),
        (403, ApiError::Forbidden),
        "staff are not administrators"
    );
    let (status, body) = app.visitor().call("office", &[]).await;
    assert_eq!((status, error(&body)), (401, ApiError::NotSignedIn));

    let (status, body) = office_b
        .call(
            "move-resident",
            &[
                ("account_id", &sara_id),
                ("neighborhood_id", &b_neighborhoods[1].to_string()),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::ReasonRequired));
    let (status, _) = office_b
        .call(
            "move-resident",
            &[
                ("account_id", &sara_id),
                ("neighborhood_id", &b_neighborhoods[1].to_string()),
                ("reason", "moved house"),
            ],
        )
        .await;
    assert!(status < 400);
    let (status, _) = office_b
        .call(
            "revoke-verification",
            &[("account_id", &sara_id), ("reason", "wrong person")],
        )
        .await;
    assert!(status < 400);
    assert_eq!(person::Entity::find().count(&app.db).await.expect("count"), 0);

    let audit = app::accounts::audit::recent(&app.db, 10).await.expect("audit");
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["revoke-verification", "move-resident", "issue-code"],
        "refused actions leave no entry"
    );
    assert_eq!(audit[0].reason, "wrong person");
    let tamper = app.execute_sql("UPDATE audit_log SET reason = 'nothing'").await;
    assert!(tamper.is_err(), "the audit log is append-only in the database");
    let tamper = app.execute_sql("DELETE FROM audit_log").await;
    assert!(tamper.is_err(), "the audit log is append-only in the database");
    app.finish().await;
});

on_both_databases!(census_rolls_import_whole_or_not_at_all, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let districts = app.districts().await;
    let (district, _) = &districts[0];
    let bad = "national_code,birth_year,neighborhood\n0499370899,1370,تجریش\n0013542418,1365,نیاوران\n";
    let err = app::verification::census::import(&app.services, None, *district, bad)
        .await
        .expect_err("line 3 is bad");
    assert_eq!(
        err,
        ApiError::CensusLine {
            line: 3,
            problem: CensusProblem::NationalCode
        }
    );
    assert_eq!(
        census::Entity::find().count(&app.db).await.expect("count"),
        0,
        "nothing half-imported"
    );

    let mut office = staff(&app, "office1@tehran.ir", *district).await;
    let token = office.csrf().await;
    let upload = |text: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "census",
            reqwest::multipart::Part::bytes(text.as_bytes()).file_name("roll.csv"),
        );
        office
            .client
            .post(format!("{}/office/census?csrf_token={token}", app.url))
            .multipart(form)
            .send()
    };
    let refused = upload("0499370899,1370,Vanak\n").await.expect("request");
    let location = refused.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.starts_with("/office?census_error="), "{location}");
    let page = office.page(&location).await;
    assert!(
        page.contains("سطر ۱: محله‌ای با این نام در این منطقه نیست"),
        "the line is named in Persian"
    );

    let imported = upload("0499370899,۱۳۷۰,تجریش\n0013542419,1365,Niavaran\n")
        .await
        .expect("request");
    assert_eq!(imported.headers()["location"], "/office?imported=2");
    assert_eq!(census::Entity::find().count(&app.db).await.expect("count"), 2);
    let in_clear = census::Entity::find()
        .filter(census::Column::NationalHash.contains(CODE_A))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(in_clear, 0, "national codes are never stored in clear");

    let mut sara = resident(&app, "09120000040").await;
    let (status, body) = sara
        .call("verify-census", &[("national_code", CODE_A), ("birth_year", "1371")])
        .await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::CensusNoMatch),
        "the birth year must match"
    );
    let (status, _) = sara
        .call(
            "verify-census",
            &[("national_code", "۰۴۹۹۳۷۰۸۹۹"), ("birth_year", "۱۳۷۰")],
        )
        .await;
    assert!(status < 400);
    assert!(sara.page("/account").await.contains("ساکن تأییدشدهٔ محلهٔ تجریش"));

    let mut reza = resident(&app, "09120000041").await;
    let (status, body) = reza
        .call("verify-census", &[("national_code", CODE_A), ("birth_year", "1370")])
        .await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::CensusNoMatch),
        "an entry is claimed once"
    );
    app.finish().await;
});

on_both_databases!(verification_attempts_are_limited, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let mut sara = resident(&app, "09120000050").await;
    for _ in 0..5 {
        let (status, _) = sara.call("redeem-code", &[("code", "ABCD-EFGH")]).await;
        assert_eq!(status, 400);
    }
    let (status, body) = sara.call("redeem-code", &[("code", "ABCD-EFGH")]).await;
    assert_eq!((status, error(&body)), (429, ApiError::TooManyAttempts));
    let (status, body) = sara
        .call("verify-census", &[("national_code", CODE_A), ("birth_year", "1370")])
        .await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "one budget for both ways"
    );
    for i in 0..5 {
        let mut other = resident(&app, &format!("0912000006{i}")).await;
        for _ in 0..5 {
            assert_eq!(other.call("redeem-code", &[("code", "ABCD-EFGH")]).await.0, 400);
        }
    }
    let mut fresh = resident(&app, "09120000070").await;
    let (status, body) = fresh.call("redeem-code", &[("code", "ABCD-EFGH")]).await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "thirty failures from one address stop new accounts too"
    );
    app.finish().await;
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

        let visit = visitor.post("/api/whoami", &[]).await;
        assert!(visit.status().is_success());
        assert!(session_cookie(&visit), "the cookie is renewed");
        let renewed = row().await;
        assert!(
            renewed.expires_at > chrono::Utc::now() + chrono::Duration::days(6),
            "a week from this visit"
        );

        let again = visitor.post("/api/whoami", &[]).await;
        assert!(!session_cookie(&again), "written once a day, not on every request");
        assert_eq!(row().await.expires_at, renewed.expires_at);
        app.finish().await;
    }
);
