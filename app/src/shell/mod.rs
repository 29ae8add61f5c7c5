//! The document, the router and the layout every page shares. Each page
//! lives in its feature's folder; this is where they meet.

pub mod footer;
pub mod header;
pub mod home;
pub mod not_found;

use crate::accounts::admin::AdminPage;
use crate::accounts::password_reset::PasswordResetPage;
use crate::accounts::sign_in::{LoginPage, RegisterPage};
use crate::i18n::Msg;
use crate::results::office_panel::OfficePhasePanel;
use crate::results::page::ResultsPage;
use crate::results::progress_page::DistrictProjectsPage;
use crate::results::receipt_page::ReceiptPage;
use crate::results::recount::RecountEngine;
use crate::rounds::office_page::{OfficeRoundPage, OfficeRoundsPage};
use crate::rounds::open::{MyProposalsSection, OpenRoundsSection};
use crate::rounds::proposal_page::ProposalPage;
use crate::rounds::public_page::{RoundPage, RoundsPage};
use crate::ui::detect_lang;
use crate::verification::account_page::AccountPage;
use crate::verification::office_page::OfficePage;
use crate::voting::mine::MyBallotsSection;
use crate::voting::page::BallotPage;
use footer::Footer;
use header::Header;
use home::HomePage;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};
use not_found::NotFound;

/// Where the stylesheet, the font and the recount engine are served. A built
/// site names them after their content (the server finds the names at
/// start-up and provides them); without that, as `cargo leptos watch` serves them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assets {
    pub stylesheet: String,
    pub font: String,
    pub recount: RecountEngine,
}

impl Default for Assets {
    fn default() -> Self {
        Assets {
            stylesheet: "/pkg/app.css".to_owned(),
            font: "/fonts/Vazirmatn.woff2".to_owned(),
            recount: RecountEngine::default(),
        }
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = detect_lang();
    let assets = use_context::<Assets>().unwrap_or_default();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag() dir=lang.dir()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="preload" href=assets.font r#as="font" r#type="font/woff2" crossorigin="" />
                <link rel="icon" href="/favicon.svg" r#type="image/svg+xml" />
                <link rel="stylesheet" href=assets.stylesheet />
                <meta name="csrf-token" content=crate::ui::csrf::token() />
                <HydrationScripts options islands=true />
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
    let app_name = lang.text(Msg::AppName);
    // A page names itself with its heading (ui::PageHeading); a page that does
    // not is titled with the platform's name alone.
    let formatter = move |page: String| {
        if page == app_name {
            page
        } else {
            format!("{page} · {app_name}")
        }
    };
    view! {
        <Title formatter text=app_name />
        <Router>
            <a class="skip-link" href="#main">{lang.text(Msg::SkipToContent)}</a>
            <Header />
            <main id="main">
                <Routes fallback=NotFound>
                    // Async: the whole page arrives in one piece, readable without JavaScript.
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/reset-password") view=PasswordResetPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=Account ssr=SsrMode::Async />
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
                    <Route path=path!("/office/rounds/:id") view=OfficeRound ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// The account page with what the rounds and voting features show a verified resident.
#[component]
fn Account() -> impl IntoView {
    view! {
        <AccountPage resident_sections=|| view! {
            <OpenRoundsSection />
            <MyProposalsSection />
            <MyBallotsSection />
        } />
    }
}

/// The office's round page, with the results' panel of its phases.
#[component]
fn OfficeRound() -> impl IntoView {
    view! { <OfficeRoundPage phase_panel=|| view! { <OfficePhasePanel /> } /> }
}
