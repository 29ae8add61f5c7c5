//! The tally engine for the browser: the results page loads this bundle only
//! when a visitor asks for a recount, so that no other page downloads it.

use app::results::snapshot::{Snapshot, recount as count_again};
use wasm_bindgen::prelude::wasm_bindgen;

/// Recounts a downloaded ballot file against the published snapshot (both as
/// the server serves them) and answers what it found as JSON
/// (`app::results::snapshot::Recount`), or nothing when either cannot be read.
#[wasm_bindgen]
pub fn recount(ballots: &str, snapshot: &str) -> Option<String> {
    let published: Snapshot = serde_json::from_str(snapshot).ok()?;
    let found = count_again(ballots, &published).ok()?;
    serde_json::to_string(&found).ok()
}
