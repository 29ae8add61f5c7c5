//! Verification over real HTTP, on SQLite and PostgreSQL: the rules of "one
//! person, one verified account", one-time codes from the office, census rolls,
//! national codes, and what staff may do in their own district only.

use crate::builders::issue;
use crate::common;

use app::accounts::admin::AdminOverview;
use app::error::{ApiError, CensusProblem};
use app::shell::header::Whoami;
use app::verification::account_page::{RedeemCode, VerifyCensus};
use app::verification::db::{census, person};
use app::verification::office_page::{IssueCode, MoveResident, OfficeOverview, RevokeVerification};
use common::{Backend, TestApp, error};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Valid national codes (their check digits are right).
const CODE_A: &str = "0499370899";
const CODE_B: &str = "0013542419";

fn issue_code(national_code: &str, neighborhood: i32) -> IssueCode {
    IssueCode {
        national_code: national_code.to_owned(),
        birth_year: "1370".to_owned(),
        neighborhood_id: neighborhood,
    }
}

fn redeem(code: &str) -> RedeemCode {
    RedeemCode { code: code.to_owned() }
}

fn census_check(national_code: &str, birth_year: &str) -> VerifyCensus {
    VerifyCensus {
        national_code: national_code.to_owned(),
        birth_year: birth_year.to_owned(),
    }
}

on_both_databases!(a_code_from_the_office_verifies_once, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let districts = app.districts().await;
    let (district, neighborhoods) = &districts[0];
    let mut office = app.staff_of(*district).await;
    let code = issue(&mut office, CODE_A, neighborhoods[1]).await;
    assert_eq!(code.len(), 9, "shown as ABCD-EFGH: {code}");
    // Issued before the first is redeemed, as at two desks.
    let second = issue(&mut office, CODE_A, neighborhoods[0]).await;

    let mut sara = app.resident().await;
    let (status, body) = sara.send(redeem(&code.to_lowercase())).await;
    assert!(status < 400, "{status} {body}");
    let page = sara.page("/account").await;
    assert!(
        page.contains("ساکن تأییدشدهٔ محلهٔ نیاوران، منطقه ۱"),
        "verified in Persian"
    );

    let mut reza = app.resident().await;
    let (status, body) = reza.send(redeem(&code)).await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::VerificationCodeInvalid),
        "a code is spent once"
    );

    let (status, body) = reza.send(redeem(&second)).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::NationalCodeTaken),
        "one person, one account"
    );
    let (status, body) = sara.send(redeem(&second)).await;
    assert_eq!((status, error(&body)), (409, ApiError::AlreadyVerified));
    assert_eq!(person::Entity::find().count(&app.db).await.expect("count"), 1);

    // Once the person is verified the desk is told at once, not the resident later.
    let (status, body) = office.send(issue_code(CODE_A, neighborhoods[0])).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::PersonVerified),
        "no code that could never be redeemed"
    );
    let (status, body) = office.send(issue_code(CODE_B, neighborhoods[0])).await;
    assert!(status < 400, "another person still gets a code: {status} {body}");
});

on_both_databases!(
    racing_verifications_of_one_person_leave_one,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let districts = app.districts().await;
        let (district, neighborhoods) = &districts[0];
        let mut office = app.staff_of(*district).await;
        let mut pairs = Vec::new();
        for _ in 0..8 {
            let code = issue(&mut office, CODE_B, neighborhoods[0]).await;
            pairs.push((app.resident().await, code));
        }
        let results = futures::future::join_all(
            pairs
                .iter_mut()
                .map(|(visitor, code)| async move { visitor.send(redeem(code)).await }),
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
    }
);

on_both_databases!(national_codes_are_checked, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let districts = app.districts().await;
    let (district, neighborhoods) = &districts[0];
    let mut office = app.staff_of(*district).await;
    for (input, expected) in [
        ("0499370898", ApiError::NationalCodeCheckDigit),
        ("049937089", ApiError::NationalCodeLength),
        ("۰۴۹۹۳۷۰۸۹۸", ApiError::NationalCodeCheckDigit),
    ] {
        let (status, body) = office.send(issue_code(input, neighborhoods[0])).await;
        assert_eq!((status, error(&body)), (400, expected), "{input}");
    }
    let mut sara = app.resident().await;
    let (status, body) = sara.send(census_check("1234567890", "1370")).await;
    assert_eq!((status, error(&body)), (400, ApiError::NationalCodeCheckDigit));
    let issued = app::verification::db::code::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(issued, 0, "no code was issued");
});

on_both_databases!(staff_act_on_their_own_district_only, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let districts = app.districts().await;
    let (a, a_neighborhoods) = &districts[0];
    let (b, b_neighborhoods) = &districts[1];
    let mut office_a = app.staff_of(*a).await;
    let mut office_b = app.staff_of(*b).await;

    let (status, body) = office_a.send(issue_code(CODE_A, b_neighborhoods[0])).await;
    assert_eq!((status, error(&body)), (400, ApiError::NeighborhoodInvalid));

    let code = issue(&mut office_b, CODE_A, b_neighborhoods[0]).await;
    let mut sara = app.resident().await;
    assert!(sara.send(redeem(&code)).await.0 < 400);
    let (_, me) = sara.send(Whoami {}).await;
    let sara_id = serde_json::from_str::<app::accounts::viewer::Viewer>(&me)
        .expect("viewer")
        .id;
    let revoke = |reason: &str| RevokeVerification {
        account_id: sara_id,
        reason: reason.to_owned(),
    };
    let move_to = |neighborhood: i32, reason: &str| MoveResident {
        account_id: sara_id,
        neighborhood_id: neighborhood,
        reason: reason.to_owned(),
    };

    let (status, body) = office_a.send(revoke("test")).await;
    assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
    let (status, body) = office_a.send(move_to(a_neighborhoods[0], "moved")).await;
    assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
    let (status, body) = office_b.send(move_to(a_neighborhoods[0], "moved")).await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::NeighborhoodInvalid),
        "not into another district"
    );

    let (status, body) = sara
        .send(OfficeOverview {
            q: String::new(),
            neighborhood: String::new(),
        })
        .await;
    assert_eq!(
        (status, error(&body)),
        (403, ApiError::Forbidden),
        "residents have no office"
    );
    let (status, body) = office_a
        .send(AdminOverview {
            who: String::new(),
            what: String::new(),
            days: String::new(),
        })
        .await;
    assert_eq!(
        (status, error(&body)),
        (403, ApiError::Forbidden),
        "staff are not administrators"
    );
    let (status, body) = app
        .visitor()
        .send(OfficeOverview {
            q: String::new(),
            neighborhood: String::new(),
        })
        .await;
    assert_eq!((status, error(&body)), (401, ApiError::NotSignedIn));

    let (status, body) = office_b.send(move_to(b_neighborhoods[1], " ")).await;
    assert_eq!((status, error(&body)), (400, ApiError::ReasonRequired));
    let (status, _) = office_b.send(move_to(b_neighborhoods[1], "moved house")).await;
    assert!(status < 400);
    let (status, _) = office_b.send(revoke("wrong person")).await;
    assert!(status < 400);
    assert_eq!(person::Entity::find().count(&app.db).await.expect("count"), 0);

    let audit = app::accounts::audit::recent(&app.db, &Default::default(), 10)
        .await
        .expect("audit");
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
        err.errors,
        [ApiError::CensusLine {
            line: 3,
            problem: CensusProblem::NationalCode
        }]
    );
    assert_eq!(
        census::Entity::find().count(&app.db).await.expect("count"),
        0,
        "nothing half-imported"
    );

    let mut office = app.staff_of(*district).await;
    let token = office.csrf().await;
    let roll = |text: &'static str| reqwest::multipart::Part::bytes(text.as_bytes()).file_name("roll.csv");
    let in_address = office
        .client
        .post(format!("{}/office/census?csrf_token={token}", app.url))
        .multipart(reqwest::multipart::Form::new().part("census", roll("0013542419,1365,Niavaran\n")))
        .send()
        .await
        .expect("request");
    assert_eq!(in_address.status(), 403, "a token in the address is refused");
    let upload = |text: &'static str| {
        // As the office page's form sends it: the token first, then the file.
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token.clone())
            .part("census", roll(text));
        office
            .client
            .post(format!("{}/office/census", app.url))
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
    let refused = upload("0499370899,1370,تجریش\n0499370898,1370,تجریش\n0013542419,90,Niavaran\n")
        .await
        .expect("request");
    let page = office
        .page(refused.headers()["location"].to_str().expect("ascii"))
        .await;
    for line in ["سطر ۲: کد ملی معتبر نیست", "سطر ۳: سال تولد"] {
        assert!(page.contains(line), "every bad line is named: {line}");
    }
    assert_eq!(census::Entity::find().count(&app.db).await.expect("count"), 0);

    let template = office.get("/office/census-template.csv").await;
    assert_eq!(template.headers()["content-type"], "text/csv; charset=utf-8");
    let template = template.text().await.expect("body");
    assert_eq!(template, "\u{feff}کد ملی,سال تولد,محله\r\n", "a BOM and the headings");
    let filled = format!("{template}0499370899,1370,تجریش\r\n");
    assert_eq!(
        app::verification::parse_census(&filled, |n| (n == "تجریش").then_some(1)).map(|rows| rows.len()),
        Ok(1),
        "the template, filled in, imports"
    );
    assert!(
        office.page("/office").await.contains("تجریش، "),
        "the office page names the district's neighborhoods for the file"
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

    let mut sara = app.resident().await;
    let (status, body) = sara.send(census_check(CODE_A, "1371")).await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::CensusNoMatch),
        "the birth year must match"
    );
    let (status, _) = sara.send(census_check("۰۴۹۹۳۷۰۸۹۹", "۱۳۷۰")).await;
    assert!(status < 400);
    assert!(sara.page("/account").await.contains("ساکن تأییدشدهٔ محلهٔ تجریش"));

    let mut reza = app.resident().await;
    let (status, body) = reza.send(census_check(CODE_A, "1370")).await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::CensusNoMatch),
        "an entry is claimed once"
    );
});

on_both_databases!(verification_attempts_are_limited, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let mut sara = app.resident().await;
    for _ in 0..5 {
        let (status, _) = sara.send(redeem("ABCD-EFGH")).await;
        assert_eq!(status, 400);
    }
    let (status, body) = sara.send(redeem("ABCD-EFGH")).await;
    assert_eq!((status, error(&body)), (429, ApiError::TooManyAttempts));
    let (status, body) = sara.send(census_check(CODE_A, "1370")).await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "one budget for both ways"
    );
    for _ in 0..5 {
        let mut other = app.resident().await;
        for _ in 0..5 {
            assert_eq!(other.send(redeem("ABCD-EFGH")).await.0, 400);
        }
    }
    let mut fresh = app.resident().await;
    let (status, body) = fresh.send(redeem("ABCD-EFGH")).await;
    assert_eq!(
        (status, error(&body)),
        (429, ApiError::TooManyAttempts),
        "thirty failures from one address stop new accounts too"
    );
});

on_both_databases!(
    an_issued_code_is_shown_once_and_never_stored_in_clear,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let code = issue(&mut office, CODE_A, neighborhoods[0]).await;
        let plain = code.replace('-', "");
        for row in app::accounts::session::Entity::find()
            .all(&app.db)
            .await
            .expect("sessions")
        {
            assert!(
                !row.data.contains(&code) && !row.data.contains(&plain),
                "a session keeps the code"
            );
        }
        let (_, overview) = office
            .send(OfficeOverview {
                q: String::new(),
                neighborhood: String::new(),
            })
            .await;
        let overview: app::verification::office_page::OfficeData =
            serde_json::from_str(&overview).expect("office data");
        assert_eq!(overview.issued, None, "shown once");
        let mut sara = app.resident().await;
        assert!(sara.send(redeem(&code)).await.0 < 400, "the code works");
    }
);

on_both_databases!(
    the_office_finds_residents_by_login_and_neighborhood,
    |backend: Backend| async move {
        use app::verification::office_page::{OfficeData, RESIDENTS_SHOWN};
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let sara = app.verified_resident(neighborhoods[0]).await;
        let reza = app.verified_resident(neighborhoods[1]).await;
        let mut search = async |q: &str, neighborhood: &str| -> Vec<String> {
            let (status, body) = office
                .send(OfficeOverview {
                    q: q.to_owned(),
                    neighborhood: neighborhood.to_owned(),
                })
                .await;
            assert_eq!(status, 200, "{body}");
            let data: OfficeData = serde_json::from_str(&body).expect("office data");
            data.residents.into_iter().map(|r| r.login).collect()
        };
        assert_eq!(search("", "").await.len(), 2);
        let tail = &sara.login()[6..];
        let persian_tail: String = tail
            .chars()
            .map(|c| char::from_u32('۰' as u32 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
            .collect();
        assert_eq!(search(tail, "").await, [sara.login()], "part of a mobile number");
        assert_eq!(
            search(&persian_tail, "").await,
            [sara.login()],
            "typed in Persian digits"
        );
        assert_eq!(
            search("", &neighborhoods[1].to_string()).await,
            [reza.login()],
            "one neighborhood"
        );
        assert!(
            search(tail, &neighborhoods[1].to_string()).await.is_empty(),
            "both at once"
        );
        assert_eq!(search("nobody", "nonsense").await, Vec::<String>::new());
        assert_eq!(
            search("", "nonsense").await.len(),
            2,
            "a neighborhood that is not one filters nothing"
        );

        for _ in 0..RESIDENTS_SHOWN {
            app.verified_resident(neighborhoods[0]).await;
        }
        assert_eq!(search("", "").await.len() as u64, RESIDENTS_SHOWN, "a long list is cut");
        let page = office.page("/office?q=nobody").await;
        assert!(
            page.contains("هیچ ساکنی با این جست‌وجو پیدا نشد."),
            "an empty search says so"
        );
        let page = office.page("/office").await;
        assert!(page.contains("برای یافتن دیگران جست‌وجو کنید"), "a cut list says so");
        assert!(page.contains(r#"class="resident-actions""#) && page.contains("data-label="));
    }
);

on_both_databases!(
    the_census_command_names_every_bad_line_and_imports_a_good_file,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, _) = app.districts().await[0].clone();
        // Named after this test's own server (its port), so that the runs on
        // both databases never share a file.
        let port = app.url.rsplit(':').next().unwrap_or_default().to_owned();
        let file = std::env::temp_dir().join(format!("census-{}-{port}.csv", std::process::id()));
        let run = |text: &str| {
            std::fs::write(&file, text).expect("census file");
            let output = app.command(&[
                "census",
                "import",
                &file.display().to_string(),
                "--district",
                &district.to_string(),
            ]);
            (
                output.status.success(),
                String::from_utf8_lossy(&output.stdout).trim().to_owned(),
                String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            )
        };
        let refused = run("national_code,birth_year,neighborhood\n0499370898,1370,Tajrish\n0013542419,90,Tajrish\n");
        assert_eq!(
            refused,
            (
                false,
                String::new(),
                "error: Line 2: the national code is not valid.\nLine 3: the birth year is not a Solar Hijri year."
                    .to_owned()
            ),
            "every bad line, one a line, no log lines"
        );
        assert_eq!(
            census::Entity::find().count(&app.db).await.expect("count"),
            0,
            "nothing imported"
        );
        let imported = run("0499370899,1370,Tajrish\n0013542419,1365,تجریش\n");
        let _ = std::fs::remove_file(&file);
        assert_eq!(
            imported,
            (
                true,
                format!("2 residents imported into the roll of district {district}"),
                String::new()
            )
        );
        assert_eq!(census::Entity::find().count(&app.db).await.expect("count"), 2);
    }
);
