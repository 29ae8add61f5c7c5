//! The headers of the answers: the Content-Security-Policy and its nonce, no
//! caching of what is meant for one visitor, a panic answered with 500, and the
//! census upload's token kept out of its address.

use crate::common;
use app::accounts::sign_in::Login;
use common::{Backend, PASSWORD, TestApp};

/// The nonce the CSP header names for its scripts.
fn csp_nonce(response: &reqwest::Response) -> (String, String) {
    let csp = response
        .headers()
        .get("content-security-policy")
        .expect("a Content-Security-Policy")
        .to_str()
        .expect("ascii")
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("a nonce in {csp}"))
        .to_owned();
    (csp, nonce)
}

on_both_databases!(
    pages_allow_only_their_own_inline_scripts,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let visitor = app.visitor();
        let mut nonces = Vec::new();
        for path in ["/", "/rounds", "/login", "/no-such-page"] {
            let response = visitor.get(path).await;
            let (csp, nonce) = csp_nonce(&response);
            for directive in [
                "frame-ancestors 'none'",
                "object-src 'none'",
                "base-uri 'self'",
                "'wasm-unsafe-eval'",
                "script-src 'self'",
                "style-src 'self'",
            ] {
                assert!(csp.contains(directive), "{directive} in {csp}");
            }
            assert!(
                response.headers().get("strict-transport-security").is_none(),
                "no HSTS over plain HTTP"
            );
            let page = response.text().await.expect("body");
            let scripts: Vec<&str> = page.split("<script").skip(1).collect();
            assert!(!scripts.is_empty(), "{path} has the hydration script");
            for script in scripts {
                let tag = script.split('>').next().unwrap_or_default();
                assert!(
                    tag.contains(&format!("nonce=\"{nonce}\"")),
                    "{path}: every inline script carries the response's nonce: <script{tag}>"
                );
            }
            assert!(
                !page.contains(" style=\""),
                "{path}: no inline style the policy would block"
            );
            nonces.push(nonce);
        }
        nonces.sort();
        nonces.dedup();
        assert_eq!(nonces.len(), 4, "a new nonce for every response");
    }
);

on_both_databases!(
    a_signed_in_visitors_answers_are_not_stored,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, _) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let page = office.get("/office").await;
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["cache-control"], "no-store");
        let answer = office
            .post_args(Login {
                login: office.login().to_owned(),
                password: PASSWORD.to_owned(),
            })
            .await;
        assert_eq!(
            answer.headers()["cache-control"],
            "no-store",
            "a server function's answer to a signed-in visitor"
        );
    }
);

on_both_databases!(
    the_census_form_keeps_its_token_out_of_its_address,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, _) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let token = office.csrf().await;
        let page = office.page("/office").await;
        let form = page
            .split("enctype=\"multipart/form-data\"")
            .nth(1)
            .and_then(|rest| rest.split("</form>").next())
            .expect("the census form")
            .to_owned();
        let action = form
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("an action");
        assert_eq!(action, app::paths::CENSUS_UPLOAD, "no token in the address");
        assert!(!page.contains(&format!("csrf_token={token}")), "nowhere in an address");
        let hidden = form.find("name=\"csrf_token\"").expect("the token is a field");
        assert!(
            hidden < form.find("name=\"census\"").expect("the file field"),
            "before the file, so that the server finds it first"
        );

        // As a browser without JavaScript (and without origin headers) sends it.
        let upload = |token: Option<String>| {
            let mut form = reqwest::multipart::Form::new();
            if let Some(token) = token {
                form = form.text("csrf_token", token);
            }
            let form = form.part(
                "census",
                reqwest::multipart::Part::bytes("0499370899,1370,تجریش\n".as_bytes()).file_name("roll.csv"),
            );
            office
                .client
                .post(format!("{}{}", app.url, app::paths::CENSUS_UPLOAD))
                .multipart(form)
                .send()
        };
        let refused = upload(None).await.expect("request");
        assert_eq!(refused.status(), 403, "no token, no upload");
        let refused = upload(Some("x".repeat(43))).await.expect("request");
        assert_eq!(refused.status(), 403, "a wrong token, no upload");
        let imported = upload(Some(token)).await.expect("request");
        assert_eq!(imported.headers()["location"], "/office?imported=1");
    }
);

async fn boom() -> &'static str {
    panic!("injected panic")
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_goes_on() {
    use tower::ServiceExt;
    let router = axum::Router::new()
        .route("/boom", axum::routing::get(boom))
        .route("/fine", axum::routing::get(|| async { "fine" }))
        .layer(server::web::catch_panics());
    let request = |path: &str| {
        axum::http::Request::builder()
            .uri(path)
            .body(axum::body::Body::empty())
            .expect("request")
    };
    let response = router.clone().oneshot(request("/boom")).await.expect("an answer");
    assert_eq!(response.status(), 500);
    let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.expect("body");
    assert_eq!(
        String::from_utf8_lossy(&body),
        app::error::ApiError::Internal.message(app::i18n::Lang::default())
    );
    let response = router.oneshot(request("/fine")).await.expect("an answer");
    assert_eq!(response.status(), 200, "the next request is served");
}
