//! The HTTP surface: pages and server functions, static files, health check,
//! language choice and the security headers every response carries.

use app::accounts::session::DbSessionStore;
use app::error::ApiError;
use app::i18n::{LANG_COOKIE, Lang};
use app::services::Services;
use app::shell::{App, Assets, shell};
use app::voting::cast::Casting;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, Multipart, Path, Query, State};
use axum::http::uri::PathAndQuery;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path as FsPath;
use std::sync::LazyLock;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub db: DatabaseConnection,
    pub services: Services,
    pub casting: Casting,
    /// Whether the site is served over HTTPS (cookies then get `Secure`).
    pub https: bool,
    /// The proxies whose `X-Forwarded-For` names the client (see `client_ip`).
    pub trusted_proxies: crate::client_ip::TrustedProxies,
    /// The stylesheet, font and recount engine the pages link.
    pub assets: Assets,
    /// The requests this process works on at once.
    pub in_flight: crate::busy::InFlight,
}

/// Sessions end after a week without a visit.
const SESSION_IDLE_DAYS: i64 = 7;
/// No answer takes longer: a request still unanswered then gets 503 and frees
/// what it held, instead of leaving the visitor waiting forever. Long enough for
/// the largest census upload.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

pub fn leptos_options(site_root: &FsPath, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(crate::assets::bundle_name(site_root))
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The pages' routes, listed once per process: listing them renders the app
/// with resource loading switched off process-wide (leptos#4773), so a page
/// another server in this process rendered meanwhile would wait forever.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

pub fn router(state: AppState) -> Router {
    let routes = ROUTES.clone();
    let (services, casting, assets) = (state.services.clone(), state.casting.clone(), state.assets.clone());
    let context = move || {
        provide_context(services.clone());
        provide_context(casting.clone());
        provide_context(assets.recount.clone());
        provide_context(assets.clone());
        // The nonce the CSP header of this response names (`headers::secure`),
        // in place of the one leptos_axum made up, for `HydrationScripts` and
        // the inline scripts of resolved resources.
        if let Some(nonce) = use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::headers::CspNonce>().cloned())
        {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0));
        }
    };
    let options = state.leptos.clone();
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.https)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(SESSION_IDLE_DAYS)));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{tag}", get(choose_language))
        .route(
            app::paths::CENSUS_UPLOAD,
            post(upload_census).layer(DefaultBodyLimit::max(crate::csrf::MAX_CENSUS_BYTES)),
        )
        .route(app::paths::CENSUS_TEMPLATE, get(census_template))
        .route(app::paths::PROPOSALS_EXPORT, get(export_proposals))
        .route(app::paths::BALLOT_FORM, post(crate::ballot_form::post_ballot))
        .route(app::paths::RESULT_DOWNLOAD, get(crate::downloads::download))
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
        // Inside every other layer, so that the answer to a panic gets the
        // security headers too.
        .layer(catch_panics())
        .layer(axum::middleware::map_response(error_status))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(state.https, crate::csrf::protect))
        // Outside the CSRF layer, so that it only ever reads a bounded body.
        .layer(axum::middleware::from_fn(crate::api_body::limit))
        // Before sessions and the body's checks, so that a refusal costs nothing.
        .layer(axum::middleware::from_fn_with_state(
            state.in_flight.clone(),
            crate::busy::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.trusted_proxies.clone(),
            crate::client_ip::record,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.https,
            crate::headers::secure,
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ))
        // The browser bundle shrinks to about 40% over a slow mobile connection.
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// What a handler that panicked answers.
pub type PanicAnswer = fn(Box<dyn std::any::Any + Send + 'static>) -> Response<String>;

/// Turns a panic in a handler into a 500 with the translated "internal error"
/// and logs it; the connection, the process and every other request go on.
pub fn catch_panics() -> CatchPanicLayer<PanicAnswer> {
    CatchPanicLayer::custom(answer_panic as PanicAnswer)
}

fn answer_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response<String> {
    let what = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "a request handler panicked");
    let mut response = Response::new(ApiError::Internal.message(Lang::default()));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
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

/// Server functions answer every error with 500; this gives each its own
/// status (401, 403, 409, 429…) from the error itself, decoded once here.
/// Plain form posts get a redirect back to the form instead, left as it is.
async fn error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<ApiError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(err.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The staff member signed in with `session`, and their district.
async fn staff_of(services: &Services, session: &Session) -> Result<(app::accounts::viewer::Viewer, i32), ApiError> {
    let account = app::accounts::auth::account_of(session).await?;
    let viewer = app::accounts::db::by_id(&services.db, account)
        .await?
        .ok_or(ApiError::NotSignedIn)?
        .viewer();
    match (viewer.role, viewer.district_id) {
        (app::accounts::viewer::Role::Staff, Some(district)) => Ok((viewer, district)),
        _ => Err(ApiError::Forbidden),
    }
}

/// Every proposal of a round of the office's district, as a CSV file in the
/// staff member's language.
async fn export_proposals(
    State(services): State<Services>,
    session: Session,
    Path(round): Path<i32>,
    headers: axum::http::HeaderMap,
) -> Response {
    let lang = crate::answers::lang_of(&headers);
    let file = async {
        let (_, district) = staff_of(&services, &session).await?;
        app::rounds::export::proposals_csv(&services.db, district, round, lang).await
    }
    .await;
    match file {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"round-{round}-proposals.csv\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => crate::answers::refusal(err, lang),
    }
}

/// The census upload of the office page: a multipart form, so that a plain
/// file input works without JavaScript. Answers with a redirect back to the
/// office page, carrying the count or the error.
async fn upload_census(State(services): State<Services>, session: Session, mut form: Multipart) -> Response {
    let upload = async {
        let (viewer, district) = staff_of(&services, &session).await?;
        let mut text = None;
        while let Some(field) = form.next_field().await.map_err(|_| ApiError::BadRequest)? {
            if field.name() == Some("census") {
                let bytes = field.bytes().await.map_err(|_| ApiError::BadRequest)?;
                text = Some(String::from_utf8(bytes.to_vec()).map_err(|_| ApiError::CensusLine {
                    line: 1,
                    problem: app::error::CensusProblem::Columns,
                })?);
            }
        }
        let text = text.ok_or(ApiError::CensusEmpty)?;
        Ok::<_, ApiError>((viewer.id, district, text))
    }
    .await;
    let result = match upload {
        Ok((actor, district, text)) => app::verification::census::import(&services, Some(actor), district, &text).await,
        Err(err) => Err(err.into()),
    };
    let target = match result {
        Ok(count) => format!("/office?imported={count}"),
        Err(refusal) => format!("/office?census_error={}", crate::form_redirect::param(&refusal)),
    };
    Redirect::to(&target).into_response()
}

/// An empty census file: a BOM, so that spreadsheet programs read the Persian,
/// and the column headings in the visitor's language (the import skips them).
async fn census_template(headers: axum::http::HeaderMap) -> Response {
    let lang = crate::answers::lang_of(&headers);
    let body = format!("\u{feff}{}\r\n", lang.text(app::i18n::Msg::CensusTemplateHeader));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"census.csv\""),
        ],
        body,
    )
        .into_response()
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
        .as_deref()
        .and_then(local_target)
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.tag()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}

/// Where the language switch may send the visitor back to: a path on this
/// site with its query, or nothing. Refused: anything not starting with one
/// `/` (`https://…`, `//evil.example`), backslashes (`/\evil.example`, which
/// browsers read as `//`), and control characters (browsers drop tabs and
/// newlines, so `/\t/evil.example` would become `//evil.example`; others make
/// no header value). What is left must parse as a path and query, unchanged;
/// characters beyond ASCII (a Persian search) travel percent-encoded, as the
/// browser itself would send them.
fn local_target(back: &str) -> Option<String> {
    if !back.starts_with('/') || back.starts_with("//") || back.contains(|c: char| c.is_control() || c == '\\') {
        return None;
    }
    let mut target = String::with_capacity(back.len());
    for c in back.chars() {
        if c.is_ascii() {
            target.push(c);
        } else {
            let mut utf8 = [0; 4];
            for byte in c.encode_utf8(&mut utf8).bytes() {
                target.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    let parsed: PathAndQuery = target.parse().ok()?;
    (parsed.as_str() == target && HeaderValue::from_str(&target).is_ok()).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::local_target;

    #[test]
    fn the_language_switch_only_returns_to_this_site() {
        let local = |back: &str| local_target(back).is_some();
        assert_eq!(local_target("/").as_deref(), Some("/"));
        assert_eq!(local_target("/?q=%D8%AA").as_deref(), Some("/?q=%D8%AA"));
        assert_eq!(
            local_target("/rounds/3?q=%D8%AA&sort=cost&page=2").as_deref(),
            Some("/rounds/3?q=%D8%AA&sort=cost&page=2")
        );
        assert_eq!(
            local_target("/rounds?q=ت").as_deref(),
            Some("/rounds?q=%D8%AA"),
            "a search typed in Persian, percent-encoded"
        );
        assert_eq!(
            local_target("/%2F/x").as_deref(),
            Some("/%2F/x"),
            "an encoded slash stays a path"
        );
        for refused in [
            "",
            "evil.example",
            "https://evil.example/",
            "//evil.example/",
            "///evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\u{b}/x",
            "/\u{7f}",
            "/\u{85}x",
            "/\0",
            "/ /evil.example",
            "/a#fragment",
        ] {
            assert!(!local(refused), "{refused:?}");
        }
    }
}
