//! The walking skeleton over real HTTP: pages, languages, health, headers and
//! the demo data, on SQLite and on PostgreSQL.

use crate::common;

use app::shell::home::ListCities;
use common::{Backend, TestApp};
use sea_orm::{EntityTrait, PaginatorTrait};

async fn text(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

on_both_databases!(
    home_page_is_persian_and_lists_the_demo_city,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.headers()["x-frame-options"], "DENY");
        let body = text(response).await;
        assert!(body.contains(r#"<html lang="fa" dir="rtl""#), "Persian, right to left");
        assert!(body.contains("۳ منطقه و ۱۲ محله در تهران"), "counts in Persian digits");
        for name in ["منطقه ۱", "منطقه ۲", "منطقه ۳", "تجریش", "گیشا", "امانیه"] {
            assert!(body.contains(name), "{name} is listed");
        }
        assert!(
            body.contains(r#"href="/pkg/app.css""#) && body.contains("/pkg/app.js"),
            "stylesheet and bundle linked"
        );
    }
);

on_both_databases!(english_is_chosen_with_a_cookie, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/lang/en?back=/%3Fq%3Dvan").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/?q=van");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii");
    assert!(cookie.starts_with("lang=en;") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    let body = text(app.get_with_cookie("/?q=van", "lang=en").await).await;
    assert!(body.contains(r#"<html lang="en" dir="ltr""#));
    assert!(body.contains("3 districts and 12 neighborhoods in Tehran"));
    assert!(
        body.contains("<li>Vanak</li>") && !body.contains("<li>Tajrish</li>"),
        "the search is applied on the server"
    );
});

on_both_databases!(
    language_switch_never_redirects_off_site,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        for back in ["//evil.example/", "https://evil.example/", "/%5Cevil.example"] {
            let response = app.get(&format!("/lang/fa?back={back}")).await;
            assert_eq!(response.headers()["location"], "/", "{back}");
        }
    }
);

on_both_databases!(
    unknown_pages_are_404_in_the_visitors_language,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let response = app.get("/no/such/page").await;
        assert_eq!(response.status(), 404);
        assert!(text(response).await.contains("صفحه پیدا نشد"));
        let response = app.get_with_cookie("/no/such/page", "lang=en").await;
        assert_eq!(response.status(), 404);
        assert!(text(response).await.contains("Page not found"));
    }
);

on_both_databases!(health_check_reports_the_database, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(text(response).await, "ok");
    app.db.clone().close().await.expect("close pool");
    assert_eq!(app.get("/healthz").await.status(), 503);
});

on_both_databases!(cities_server_function_answers_json, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (status, body) = app.visitor().send(ListCities {}).await;
    assert_eq!(status, 200);
    let cities: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(cities[0]["name"]["en"], "Tehran");
    assert_eq!(cities[0]["districts"].as_array().map(Vec::len), Some(3));
});

on_both_databases!(demo_data_loads_once, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    assert!(
        !server::demo::load(&app.db).await.expect("second load"),
        "already there"
    );
    let areas = app::geography::db::Entity::find().count(&app.db).await.expect("count");
    assert_eq!(areas, 1 + 3 + 12);
});
