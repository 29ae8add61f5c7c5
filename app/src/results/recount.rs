//! The recount in the browser: the published ballot file, downloaded and
//! counted with the same engine compiled to WebAssembly, against what is
//! published. The engine is a bundle of its own (`app/recount`), fetched only
//! when a visitor asks for a recount: no other page pays for it.

use crate::i18n::Msg;
use crate::results::snapshot::Snapshot;
use crate::ui::use_lang;
use leptos::prelude::*;

/// Where the recount engine is served: `{engine}.js` and `{engine}.wasm`.
/// A built site names it after its content (the server provides the name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecountEngine(pub String);

impl Default for RecountEngine {
    fn default() -> Self {
        RecountEngine("/pkg/recount".to_owned())
    }
}

/// The recount's section: what it does, the command that does the same on
/// a computer, and the button.
#[component]
pub fn Recount(url: String, snapshot: Snapshot) -> impl IntoView {
    let lang = use_lang();
    let command = format!(
        "server tally {} --rule {} --tie {}",
        crate::paths::BALLOTS_FILE,
        snapshot.rule,
        snapshot.tie_break
    );
    let engine = use_context::<RecountEngine>().unwrap_or_default().0;
    // The engine reads the snapshot as the server stores it.
    let snapshot = serde_json::to_string(&snapshot).unwrap_or_default();
    view! {
        <h3>{lang.text(Msg::RecountTitle)}</h3>
        <p>{lang.text(Msg::RecountIntro)}</p>
        <RecountButton url snapshot engine />
        <p class="command">{lang.text(Msg::RecountCommand)} " " <code dir="ltr">{command}</code></p>
    }
}

/// The button and what the recount found. Without JavaScript the button
/// does nothing; the command above still works.
#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
fn RecountButton(url: String, snapshot: String, engine: String) -> impl IntoView {
    let lang = use_lang();
    let outcome = RwSignal::new(None::<Option<crate::results::snapshot::Recount>>);
    let running = RwSignal::new(false);
    let start = move |_| {
        running.set(true);
        let (url, snapshot, engine) = (url.clone(), snapshot.clone(), engine.clone());
        leptos::task::spawn_local(async move {
            outcome.set(Some(recount_in_browser(&url, &snapshot, &engine).await));
            running.set(false);
        });
    };
    view! {
        <p><button type="button" class="recount" on:click=start disabled=move || running.get()>{lang.text(Msg::RecountButton)}</button></p>
        <div class="recount-outcome" aria-live="polite">
            {move || outcome.get().map(|o| match o {
                Some(r) if r.digest_matches && r.winners_match => view! {
                    <p class="ok recount-match">{lang.text(Msg::RecountMatches)}</p>
                    <p><code dir="ltr">{r.digest}</code></p>
                }.into_any(),
                Some(r) => view! {
                    <p class="error recount-mismatch" role="alert">{lang.text(Msg::RecountDiffers)}</p>
                    <p><code dir="ltr">{r.digest}</code></p>
                }.into_any(),
                None => view! { <p class="error" role="alert">{lang.text(Msg::RecountFailed)}</p> }.into_any(),
            })}
        </div>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "
export async function recount_with(engine, ballots, snapshot) {
    const module = await import(`${engine}.js`);
    await module.default({ module_or_path: `${engine}.wasm` });
    return module.recount(ballots, snapshot);
}")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn recount_with(
        engine: &str,
        ballots: &str,
        snapshot: &str,
    ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
}

/// Downloads the ballot file, loads the engine and recounts; `None` when any
/// of it failed.
#[cfg(feature = "hydrate")]
async fn recount_in_browser(url: &str, snapshot: &str, engine: &str) -> Option<crate::results::snapshot::Recount> {
    let ballots = fetch_text(url).await?;
    let found = recount_with(engine, &ballots, snapshot).await.ok()?.as_string()?;
    serde_json::from_str(&found).ok()
}

/// Only the browser recounts.
#[cfg(not(feature = "hydrate"))]
async fn recount_in_browser(_url: &str, _snapshot: &str, _engine: &str) -> Option<crate::results::snapshot::Recount> {
    None
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
