//! Findings of the security review, each on SQLite and PostgreSQL: behind the
//! trusted proxy every client has limits of its own and a forged
//! `X-Forwarded-For` escapes none; the language switch never sends a visitor
//! off the site nor answers 500; a body that is not UTF-8 or too large is a
//! 4xx server-function error and changes nothing.

use crate::common;

use app::accounts::sign_in::{Login, Register};
use app::error::ApiError;
use app::voting::page::CastBallot;
use common::{Backend, PASSWORD, TestApp, error};
use leptos::server_fn::ServerFn;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A second server in this process on `app`'s database and services, which
/// believes `X-Forwarded-For` from `trusted` (`MAHALLE_TRUSTED_PROXIES`): the
/// test itself, at 127.0.0.1, plays the TLS proxy. Stops when the sender drops.
async fn behind_proxy(app: &TestApp, trusted: &str) -> (String, oneshot::Sender<()>) {
    let config =
        server::config::Config::from_lookup(|key| (key == "MAHALLE_TRUSTED_PROXIES").then(|| trusted.to_owned()))
            .expect("valid configuration");
    second_server(app, config).await
}

/// A second server in this process on `app`'s database and services, set up
/// by `config`. Stops when the sender drops.
async fn second_server(app: &TestApp, config: server::config::Config) -> (String, oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("free port");
    let addr = listener.local_addr().expect("bound address");
    let state = server::web::AppState {
        leptos: server::web::leptos_options(&std::env::temp_dir().join("mahalle-no-site"), addr),
        db: app.db.clone(),
        services: app.services.clone(),
        casting: app::voting::cast::Casting::open(&app.db),
        https: false,
        trusted_proxies: config.trusted_proxies,
        assets: app::shell::Assets::default(),
        in_flight: server::busy::InFlight::new(config.max_in_flight),
    };
    let (stop, stopped) = oneshot::channel();
    tokio::spawn(server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    (format!("http://{addr}"), stop)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("HTTP client")
}

/// Posts `body` to server function `T` as the site's own scripts do (this
/// site's origin, so no CSRF token is needed), with `X-Forwarded-For` if given.
async fn post_raw<T: ServerFn>(
    client: &reqwest::Client,
    base: &str,
    forwarded_for: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, String) {
    let mut request = client
        .post(format!("{base}{}", T::PATH))
        .header("origin", base)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// Signs in as `login`, from `forwarded_for` as the proxy says.
async fn login_from(base: &str, forwarded_for: &str, login: &str, password: &str) -> (u16, String) {
    let form = serde_urlencoded::to_string([("login", login), ("password", password)]).expect("a form");
    post_raw::<Login>(&client(), base, Some(forwarded_for), form).await
}

/// A login nobody has, a new one each call: wrong logins count against the
/// address as wrong passwords do, and no account's own limit gets in the way.
fn nobody(n: usize) -> String {
    format!("0912555{n:04}")
}

on_both_databases!(
    through_the_trusted_proxy_each_client_has_its_own_limit,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account("09125550900", PASSWORD, app::accounts::viewer::Role::Resident, None)
            .await;
        let (proxy, _stop) = behind_proxy(&app, "127.0.0.1").await;
        let mut refused = 0;
        for n in 0..25 {
            // Half of them also write addresses of their own in front of the
            // one the proxy appends: those prove nothing and change nothing.
            let forwarded = if n % 2 == 0 {
                "203.0.113.7".to_owned()
            } else {
                format!("10.0.{n}.1, 198.51.100.9, 203.0.113.7")
            };
            let (status, body) = login_from(&proxy, &forwarded, &nobody(n), "guess guess").await;
            match status {
                401 => assert_eq!(refused, 0, "once limited, client A stays limited"),
                429 => {
                    assert_eq!(error(&body), ApiError::TooManyAttempts);
                    refused += 1;
                }
                other => panic!("attempt {n}: {other} {body}"),
            }
        }
        assert!(refused >= 5, "client A reached its limit: {refused} of 25 refused");
        let (status, body) = login_from(&proxy, "198.51.100.9", "09125550900", PASSWORD).await;
        assert!(
            status < 400,
            "client B, behind the same proxy, signs in: {status} {body}"
        );
        let (status, _) = login_from(&proxy, "203.0.113.7", "09125550900", PASSWORD).await;
        assert_eq!(status, 429, "client A still waits, even with the right password");
    }
);

on_both_databases!(
    ipv6_clients_behind_the_trusted_proxy_count_per_64,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        app.account("09125550901", PASSWORD, app::accounts::viewer::Role::Resident, None)
            .await;
        let (proxy, _stop) = behind_proxy(&app, "127.0.0.0/8, ::1").await;
        let mut refused = 0;
        for n in 0..22 {
            // A new address of the same /64 each time.
            let forwarded = format!("2001:db8:1:2::{:x}", n + 1);
            let (status, _) = login_from(&proxy, &forwarded, &nobody(100 + n), "guess guess").await;
            refused += usize::from(status == 429);
        }
        assert!(refused >= 1, "one /64 is one client");
        let (status, body) = login_from(&proxy, "2001:db8:1:3::1", "09125550901", PASSWORD).await;
        assert!(status < 400, "the next /64 is another client: {status} {body}");
    }
);

on_both_databases!(a_forged_forwarded_for_escapes_no_limit, |backend: Backend| async move {
    // No trusted proxy (the default): the header is the client's own word.
    let app = TestApp::spawn(backend).await;
    app.account("09125550902", PASSWORD, app::accounts::viewer::Role::Resident, None)
        .await;
    let mut refused = 0;
    for n in 0..22 {
        let forwarded = format!("203.0.113.{n}");
        let (status, _) = login_from(&app.url, &forwarded, &nobody(200 + n), "guess guess").await;
        refused += usize::from(status == 429);
    }
    assert!(refused >= 1, "a new address in the header each time changes nothing");
    let (status, _) = login_from(&app.url, "198.51.100.9", "09125550902", PASSWORD).await;
    assert_eq!(
        status, 429,
        "the connection's address is limited, whatever the header says"
    );

    // Behind a proxy that is trusted, a client that connects directly
    // (from an address not on the list) is not believed either.
    let (elsewhere, _stop) = behind_proxy(&app, "192.0.2.1").await;
    let (status, _) = login_from(&elsewhere, "198.51.100.10", "09125550902", PASSWORD).await;
    assert_eq!(status, 429, "a peer that is not a trusted proxy names no client");
});

on_both_databases!(
    the_language_switch_never_leaves_the_site,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = client();
        let location = |query: &'static str| {
            let client = client.clone();
            let url = format!("{}/lang/en?back={query}", app.url);
            async move {
                let response = client.get(&url).send().await.expect("request");
                assert_eq!(response.status(), 303, "{query}: {}", response.status());
                let location = response
                    .headers()
                    .get("location")
                    .unwrap_or_else(|| panic!("{query}: no Location"))
                    .to_str()
                    .unwrap_or_else(|_| panic!("{query}: Location is not text"))
                    .to_owned();
                assert!(
                    location.starts_with('/')
                        && !location.starts_with("//")
                        && !location.contains(|c: char| c.is_control() || c == '\\' || !c.is_ascii()),
                    "{query}: Location {location:?} may leave the site"
                );
                location
            }
        };
        for evil in [
            "/%09/evil.example",
            "/%0A/evil.example",
            "/%0D%0A/evil.example",
            "/%0B/x",
            "/%7F",
            "/%00",
            "//evil",
            "%2F%2Fevil",
            "/%5Cevil",
            "%2F%5Cevil",
            "https://x",
            "https%3A%2F%2Fx",
            "/%C2%85/evil.example",
            "",
        ] {
            assert_eq!(location(evil).await, "/", "{evil}");
        }
        assert_eq!(location("/rounds?q=%D8%AA").await, "/rounds?q=%D8%AA");
        assert_eq!(
            location("%2Frounds%3Fq%3D%25D8%25AA%26page%3D2").await,
            "/rounds?q=%D8%AA&page=2",
            "as the header's link sends it"
        );
        assert_eq!(location("/account").await, "/account");
        // A byte that is no text reads as the replacement character: a path here.
        location("/%FF").await;
    }
);

/// `field=value` pairs, `\xff` and all, as a body that is not UTF-8.
fn not_utf8(fields: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (n, (name, value)) in fields.iter().enumerate() {
        if n > 0 {
            body.push(b'&');
        }
        body.extend_from_slice(name.as_bytes());
        body.push(b'=');
        body.extend_from_slice(value);
    }
    body
}

on_both_databases!(
    bodies_that_are_not_utf8_are_bad_requests,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = client();
        let register = not_utf8(&[
            ("login", b"09125550903"),
            ("password", b"a long password \xff\xfe"),
            ("password_confirm", b"a long password \xff\xfe"),
        ]);
        let (status, body) = post_raw::<Register>(&client, &app.url, None, register).await;
        assert_eq!((status, error(&body)), (400, ApiError::BadRequest), "register");
        let stored = app::accounts::db::by_login(&app.db, "09125550903")
            .await
            .expect("database");
        assert!(stored.is_none(), "no account was created");

        app.account("09125550904", PASSWORD, app::accounts::viewer::Role::Resident, None)
            .await;
        let login = not_utf8(&[("login", b"09125550904"), ("password", b"\xc3\x28")]);
        let (status, body) = post_raw::<Login>(&client, &app.url, None, login).await;
        assert_eq!((status, error(&body)), (400, ApiError::BadRequest), "login");
        let (status, body) = post_raw::<CastBallot>(&client, &app.url, None, &b"round_id=1&\x80"[..]).await;
        assert_eq!((status, error(&body)), (400, ApiError::BadRequest), "cast-ballot");

        // Without the site's origin the CSRF layer reads the body for the
        // token: it does not mind the bytes, and the answer is the same.
        let mut visitor = app.visitor();
        let token = visitor.csrf().await;
        let mut form = not_utf8(&[("login", b"09125550903"), ("password", b"\xff")]);
        form.extend_from_slice(format!("&csrf_token={token}").as_bytes());
        let response = visitor
            .client
            .post(format!("{}{}", app.url, Register::PATH))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        assert_eq!(
            (status, error(&body)),
            (400, ApiError::BadRequest),
            "register with the token"
        );
        let stored = app::accounts::db::by_login(&app.db, "09125550903")
            .await
            .expect("database");
        assert!(stored.is_none(), "still no account");

        // Percent-encoded bytes that decode to no text are refused as well.
        let (status, _) = post_raw::<Login>(&client, &app.url, None, "login=09125550904&password=%FF").await;
        assert!((400..500).contains(&status), "login with %FF: {status}");
        // And the right password still works: nothing above counted as an attempt
        // that broke anything.
        let form = serde_urlencoded::to_string([("login", "09125550904"), ("password", PASSWORD)]).expect("a form");
        let (status, body) = post_raw::<Login>(&client, &app.url, None, form).await;
        assert!(status < 400, "{status} {body}");
    }
);

on_both_databases!(
    bodies_that_are_too_large_are_refused_with_413,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = client();
        let huge = format!("round_id=1&choices={}", "1,".repeat(10 << 20));
        let (status, body) = post_raw::<CastBallot>(&client, &app.url, None, huge.clone()).await;
        assert_eq!(
            (status, error(&body)),
            (413, ApiError::TooLarge),
            "20 MB to cast-ballot"
        );
        let (status, body) = post_raw::<Register>(&client, &app.url, None, huge).await;
        assert_eq!((status, error(&body)), (413, ApiError::TooLarge), "20 MB to register");

        // Just over the limit, and with the token in the body instead of this
        // site's origin (the CSRF layer would read it): 413 all the same.
        let mut visitor = app.visitor();
        let token = visitor.csrf().await;
        let over = format!(
            "login=09125550905&password={}&password_confirm=x&csrf_token={token}",
            "a".repeat(64 << 10)
        );
        let response = visitor
            .client
            .post(format!("{}{}", app.url, Register::PATH))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(over)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        assert_eq!((status, error(&body)), (413, ApiError::TooLarge), "just over 64 KiB");
        let stored = app::accounts::db::by_login(&app.db, "09125550905")
            .await
            .expect("database");
        assert!(stored.is_none(), "no account was created");

        // The ballot page's plain form (no server function): the CSRF layer,
        // reading the body for the token, refuses it in the visitor's language;
        // from this site's origin the form's own limit answers. Never 500.
        let ballot_form = format!("{}{}", app.url, app::paths::ballot_form(1));
        let huge = format!("csrf_token={token}&choice={}", "1".repeat(20 << 20));
        let response = visitor
            .client
            .post(&ballot_form)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(huge.clone())
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 413, "20 MB to the ballot form");
        let body = response.text().await.expect("body");
        assert!(body.contains("بیش از اندازه بزرگ"), "in Persian: {body}");
        let response = client
            .post(&ballot_form)
            .header("origin", &app.url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(huge)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 413, "20 MB to the ballot form from this site");

        // A large form under the limit is read as usual.
        let under = format!("login=09125550905&password=wrong&padding={}", "a".repeat(60 << 10));
        let (status, body) = post_raw::<Login>(&client, &app.url, None, under).await;
        assert_eq!((status, error(&body)), (401, ApiError::BadCredentials), "under 64 KiB");
    }
);

on_both_databases!(
    beyond_the_requests_in_flight_visitors_are_told_to_come_back,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let config =
            server::config::Config::from_lookup(|key| (key == "MAHALLE_MAX_IN_FLIGHT").then(|| "2".to_owned()))
                .expect("valid configuration");
        let (base, _stop) = second_server(&app, config).await;
        let client = client();
        let burst = (0..60).map(|i| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let body = format!("login=0912{i:07}&password=wrong+password+{i}");
                let answer = client
                    .post(format!("{base}{}", <Login as ServerFn>::PATH))
                    .header("origin", &base)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await
                    .expect("an answer, never a hang");
                let status = answer.status().as_u16();
                let retry = answer
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap_or_default().to_owned());
                (status, retry, answer.text().await.unwrap_or_default())
            }
        });
        let answers = futures::future::join_all(burst).await;
        let busy: Vec<_> = answers.iter().filter(|(status, ..)| *status == 503).collect();
        assert!(!busy.is_empty(), "two at a time: some of sixty are turned away");
        assert!(busy.len() < answers.len(), "and the others are worked on");
        for (_, retry, page) in &busy {
            assert_eq!(retry.as_deref(), Some("5"));
            assert!(page.contains("سرور شلوغ است"), "in the visitor's language: {page}");
        }
        let health = client.get(format!("{base}/healthz")).send().await.expect("health");
        assert_eq!(health.status(), 200, "a busy process is not a dead one");
        let home = client.get(format!("{base}/")).send().await.expect("home");
        assert_eq!(home.status(), 200, "once the burst is over, visitors are served");
    }
);
