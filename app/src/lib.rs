//! The application: pages, server functions, translations and the pure domain
//! (geography, national codes, verification rules, tally) shared by the server
//! and the browser.

// Pages nest deeply typed views; the browser build needs more room to lay them out.
#![recursion_limit = "256"]

pub mod app;
pub mod ballot;
pub mod code;
pub mod components;
pub mod csrf;
pub mod digits;
pub mod error;
pub mod format;
pub mod geography;
pub mod i18n;
pub mod login_id;
pub mod national_code;
pub mod pages;
pub mod progress;
pub mod result;
pub mod round;
pub mod tally;
pub mod verification;
pub mod viewer;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod ballot_box;
#[cfg(feature = "ssr")]
pub mod census;
#[cfg(feature = "ssr")]
pub mod count;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod voting;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets tests and support staff see that the page became interactive.
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
