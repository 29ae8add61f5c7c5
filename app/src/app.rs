//! The document shell, the router and the layout every page shares.

use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::pages::account::AccountPage;
use crate::pages::admin::AdminPage;
use crate::pages::ballot::BallotPage;
use crate::pages::office::OfficePage;
use crate::pages::office_rounds::{OfficeRoundPage, OfficeRoundsPage};
use crate::pages::results::{DistrictProjectsPage, ReceiptPage, ResultsPage};
use crate::pages::rounds::{ProposalPage, RoundPage, RoundsPage};
use crate::pages::sign_in::{LoginPage, LogoutButton, RegisterPage};
use crate::pages::{home::HomePage, not_found::NotFound};
use crate::viewer::{Role, Viewer};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{SsrMode, path};

/// The language of the page being rendered: on the server from the visitor's
/// cookie, in the browser from the `<html lang>` the server wrote.
pub(crate) fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(axum::http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document_lang().unwrap_or_default()
    }
}

#[cfg(not(feature = "ssr"))]
fn document_lang() -> Option<Lang> {
    #[cfg(feature = "hydrate")]
    {
        let tag = web_sys::window()?
            .document()?
            .document_element()?
            .get_attribute("lang")?;
        Some(Lang::from_tag(&tag))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// The language of the current page, provided by [`App`].
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = detect_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag() dir=lang.dir()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="preload" href="/fonts/Vazirmatn.woff2" r#as="font" r#type="font/woff2" crossorigin="" />
                <link rel="icon" href="/favicon.svg" r#type="image/svg+xml" />
                <link rel="stylesheet" href="/pkg/app.css" />
                <meta name="csrf-token" content=crate::csrf::token() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = detect_lang();
    provide_context(lang);
    view! {
        <Title text=lang.text(Msg::AppName) />
        <Router>
            <a class="skip-link" href="#main">{lang.text(Msg::SkipToContent)}</a>
            <Header />
            <main id="main">
                <Routes fallback=NotFound>
                    // Async: the whole page arrives in one piece, readable without JavaScript.
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/office") view=OfficePage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/rounds") view=RoundsPage ssr=SsrMode::Async />
                    <Route path=path!("/rounds/:id") view=RoundPage ssr=SsrMode::Async />
                    <Route path=path!("/rounds/:id/ballot") view=BallotPage ssr=SsrMode::Async />
                    <Route path=path!("/rounds/:id/results") view=ResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/check") view=ReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("/districts/:id/projects") view=DistrictProjectsPage ssr=SsrMode::Async />
                    <Route path=path!("/proposals/:id") view=ProposalPage ssr=SsrMode::Async />
                    <Route path=path!("/office/rounds") view=OfficeRoundsPage ssr=SsrMode::Async />
                    <Route path=path!("/office/rounds/:id") view=OfficeRoundPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let other = lang.other();
    let location = use_location();
    // A plain link: switching works without JavaScript and reloads the page in the
    // new direction, which a client-side swap could not do cleanly.
    let switch_href = move || {
        // The router gives the query without its leading `?`.
        let search = location.search.get();
        let back = match search.trim_start_matches('?') {
            "" => location.pathname.get(),
            query => format!("{}?{query}", location.pathname.get()),
        };
        format!("/lang/{}?back={}", other.tag(), encode_query_value(&back))
    };
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">{lang.text(Msg::AppName)}</A>
            <nav>
                <a href="/rounds">{lang.text(Msg::RoundsLink)}</a>
                <AccountLinks />
                <a
                    href=switch_href
                    hreflang=other.tag()
                    lang=other.tag()
                    title=lang.text(Msg::LanguageSwitchTitle)
                    rel="external"
                    class="lang-switch"
                >
                    {lang.text(Msg::LanguageSwitch)}
                </a>
            </nav>
        </header>
    }
}

/// The signed-in viewer, for the header.
#[leptos::server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Viewer>, ApiError> {
    crate::auth::viewer().await
}

#[component]
fn AccountLinks() -> impl IntoView {
    let lang = use_lang();
    let viewer = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match viewer.await.ok().flatten() {
                    Some(viewer) => view! {
                        {match viewer.role {
                            Role::Staff => Some(view! { <a href="/office">{lang.text(Msg::OfficeLink)}</a> }),
                            Role::Admin => Some(view! { <a href="/admin">{lang.text(Msg::AdminLink)}</a> }),
                            Role::Resident => None,
                        }}
                        <a href="/account">{lang.text(Msg::AccountLink)}</a>
                        <LogoutButton />
                    }.into_any(),
                    None => view! {
                        <a href="/login">{lang.text(Msg::LoginTitle)}</a>
                        <a href="/register">{lang.text(Msg::RegisterTitle)}</a>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Today's date in the visitor's language and calendar.
#[leptos::server(endpoint = "today")]
pub async fn today(lang: Lang) -> Result<String, ApiError> {
    use chrono::Datelike;
    let now = chrono::Local::now().date_naive();
    let month = u8::try_from(now.month()).map_err(|_| ApiError::Internal)?;
    let day = u8::try_from(now.day()).map_err(|_| ApiError::Internal)?;
    crate::format::date(lang, now.year(), month, day).ok_or(ApiError::Internal)
}

#[component]
fn Footer() -> impl IntoView {
    let lang = use_lang();
    let date = Resource::new(move || lang, today);
    view! {
        <footer class="site-footer">
            <p>{lang.text(Msg::FooterPublic)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    date.await
                        .ok()
                        .map(|d| view! { <p class="today">{lang.format(Msg::Today, &[("date", &d)])}</p> })
                })}
            </Suspense>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::encode_query_value;

    #[test]
    fn return_paths_are_percent_encoded() {
        assert_eq!(encode_query_value("/?q=تج&x=1"), "/%3Fq%3D%D8%AA%D8%AC%26x%3D1");
    }
}
