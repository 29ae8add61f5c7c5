//! The application: pages, server functions, translations and the pure domain
//! (geography, tally) shared by the server and the browser.

pub mod app;
pub mod error;
pub mod format;
pub mod geography;
pub mod i18n;
pub mod pages;
pub mod tally;

#[cfg(feature = "ssr")]
pub mod db;

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
