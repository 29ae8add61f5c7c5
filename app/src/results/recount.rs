//! The recount in the browser: the published ballot file, downloaded and
//! counted with the same engine compiled to WebAssembly, against what is
//! published.

use crate::i18n::Msg;
use crate::results::snapshot::Snapshot;
use crate::ui::use_lang;
use leptos::prelude::*;
/// Fetches the ballot file and recounts it with the tally engine compiled to
/// WebAssembly: the visitor's own computer checks the published result.
#[component]
pub fn Recount(url: String, snapshot: Snapshot) -> impl IntoView {
    let lang = use_lang();
    let outcome = RwSignal::new(None::<Result<crate::results::snapshot::Recount, ()>>);
    let running = RwSignal::new(false);
    let command = format!(
        "server tally {} --rule {} --tie {}",
        crate::paths::BALLOTS_FILE,
        snapshot.rule,
        snapshot.tie_break
    );
    let start = move |_| {
        running.set(true);
        recount_in_browser(url.clone(), snapshot.clone(), outcome, running);
    };
    view! {
        <h3>{lang.text(Msg::RecountTitle)}</h3>
        <p>{lang.text(Msg::RecountIntro)}</p>
        <p><button type="button" class="recount" on:click=start disabled=move || running.get()>{lang.text(Msg::RecountButton)}</button></p>
        <p class="command">{lang.text(Msg::RecountCommand)} " " <code dir="ltr">{command}</code></p>
        <div class="recount-outcome" aria-live="polite">
            {move || outcome.get().map(|o| match o {
                Ok(r) if r.digest_matches && r.winners_match => view! {
                    <p class="ok recount-match">{lang.text(Msg::RecountMatches)}</p>
                    <p><code dir="ltr">{r.digest}</code></p>
                }.into_any(),
                Ok(r) => view! {
                    <p class="error recount-mismatch" role="alert">{lang.text(Msg::RecountDiffers)}</p>
                    <p><code dir="ltr">{r.digest}</code></p>
                }.into_any(),
                Err(()) => view! { <p class="error" role="alert">{lang.text(Msg::RecountFailed)}</p> }.into_any(),
            })}
        </div>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
fn recount_in_browser(
    url: String,
    snapshot: Snapshot,
    outcome: RwSignal<Option<Result<crate::results::snapshot::Recount, ()>>>,
    running: RwSignal<bool>,
) {
    leptos::task::spawn_local(async move {
        let result = match fetch_text(&url).await {
            Some(text) => crate::results::snapshot::recount(&text, &snapshot).map_err(|_| ()),
            None => Err(()),
        };
        outcome.set(Some(result));
        running.set(false);
    });
}

/// Only the browser recounts; on the server the button is inert markup.
#[cfg(not(feature = "hydrate"))]
fn recount_in_browser(
    _url: String,
    _snapshot: Snapshot,
    _outcome: RwSignal<Option<Result<crate::results::snapshot::Recount, ()>>>,
    _running: RwSignal<bool>,
) {
}

#[cfg(feature = "hydrate")]
async fn fetch_text(url: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}
