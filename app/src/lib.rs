//! The application, one folder per feature: `accounts`, `verification`,
//! `geography`, `rounds`, `voting`, `results` and the `tally` engine. Each
//! holds its pure rules (compiled for the server and the browser), its
//! server-only queries and server functions, and its pages. Below them a small
//! kernel (errors, translations, formatting, digits, keys, codes, addresses);
//! above them `ui`, the pieces every page uses, and `shell`, the document and
//! router where the pages meet.
//!
//! Imports run one way: results → voting → rounds → verification → accounts →
//! geography → kernel; `tally` imports nothing of the app.

// Pages nest deeply typed views; the browser build needs more room to lay them out.
#![recursion_limit = "256"]

pub mod accounts;
pub mod code;
pub mod digits;
pub mod error;
pub mod format;
pub mod geography;
pub mod i18n;
pub mod paths;
pub mod results;
pub mod rounds;
pub mod shell;
pub mod tally;
pub mod ui;
pub mod verification;
pub mod voting;

#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod services;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Only the islands hydrate (the loader calls each one's export next); the
    // rest of the page is the server's HTML, whose links and forms work as they are.
    leptos::mount::hydrate_islands();
    // Lets tests and support staff see that the page's code has started.
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
