//! The HTTP surface: pages and server functions, static files, health check,
//! language choice and the security headers every response carries.

use app::app::{App, shell};
use app::i18n::{LANG_COOKIE, Lang};
use axum::Router;
use axum::extract::{FromRef, Path, Query, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path as FsPath;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub db: DatabaseConnection,
}

pub fn leptos_options(site_root: &FsPath, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("app")
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let db = state.db.clone();
    let context = move || provide_context(db.clone());
    let options = state.leptos.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{tag}", get(choose_language))
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ))
        // The browser bundle shrinks to about 40% over a slow mobile connection.
        .layer(CompressionLayer::new())
        .with_state(state)
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn healthz(State(db): State<DatabaseConnection>) -> Response {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// Keeps the chosen language in a cookie and returns to the page the visitor was on.
async fn choose_language(Path(tag): Path<String>, Query(query): Query<Back>) -> Response {
    let lang = Lang::from_tag(&tag);
    let back = query
        .back
        .filter(|b| is_local_path(b))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.tag()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}

/// Only paths on this site: `//evil.example` or `https://…` would be an open redirect.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") && !path.contains(['\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn the_language_switch_only_returns_to_this_site() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/?q=%D8%AA"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path(""));
    }
}
