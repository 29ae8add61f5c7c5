//! What every page uses: the page's language, the `:id` of its address, the
//! anti-forgery field and the translated error note.

pub mod csrf;

use crate::error::ApiError;
use crate::i18n::Lang;
use crate::i18n::Msg;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The error of the last run of `action`, if it failed. Without JavaScript the
/// server puts it in the address it redirects back to, and the action reads it
/// from there.
pub fn error_of<S>(action: ServerAction<S>) -> Signal<Option<ApiError>>
where
    S: ServerFn<Error = ApiError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// A translated error, announced to screen readers.
#[component]
pub fn ErrorNote(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        error
            .get()
            .map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })
    }
}

/// The page's main heading, which also names the page in the browser's tab
/// and history (the shell adds the platform's name after it). `written`: the
/// text is what people wrote, in either language (see [`written_lang`]).
#[component]
pub fn PageHeading(#[prop(into)] text: String, #[prop(optional)] written: bool) -> impl IntoView {
    let (dir, lang) = if written {
        (Some("auto"), written_lang(&text))
    } else {
        (None, None)
    };
    view! {
        <leptos_meta::Title text=text.clone() />
        <h1 dir=dir lang=lang>{text}</h1>
    }
}

/// The language of text people wrote, as far as its script tells: Persian for
/// Arabic-script letters, English for Latin letters alone, nothing for neither.
/// With `dir="auto"` it puts punctuation on the right side and lets screen
/// readers pick the voice.
pub fn written_lang(text: &str) -> Option<&'static str> {
    let mut latin = false;
    for c in text.chars() {
        if c.is_alphabetic() && ('\u{0600}'..='\u{06FF}').contains(&c) {
            return Some("fa");
        }
        latin |= c.is_ascii_alphabetic();
    }
    latin.then_some("en")
}

/// A titled part of a page that lists something, or says `empty` when
/// there is nothing to list; `id` names its heading.
#[component]
pub fn ListSection(id: &'static str, title: Msg, empty: Msg, is_empty: bool, children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class=id aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>{lang.text(title)}</h2>
            {if is_empty {
                view! { <p class="empty">{lang.text(empty)}</p> }.into_any()
            } else {
                children().into_any()
            }}
        </section>
    }
}

/// The translated not-found page: what an unknown address shows, answered
/// with 404 while the server renders it.
#[component]
pub fn NotFoundSection() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <section class="not-found">
            <PageHeading text=lang.text(Msg::NotFoundTitle) />
            <p>{lang.text(Msg::NotFoundBody)}</p>
            <a href="/">{lang.text(Msg::BackHome)}</a>
        </section>
    }
}

/// What a page shows when loading it failed: the not-found page (and 404) for
/// something that does not exist, the translated error otherwise.
#[component]
pub fn ErrorPage(error: ApiError) -> impl IntoView {
    let lang = use_lang();
    match error {
        ApiError::NotFound => view! { <NotFoundSection /> }.into_any(),
        err => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
    }
}

/// The language of the page being rendered: on the server from the visitor's
/// cookie, in the browser from the `<html lang>` the server wrote.
pub fn detect_lang() -> Lang {
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

/// The language of the current page, provided by [`App`] on the server; an
/// island in the browser has no such context and reads the document's.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(detect_lang)
}

/// The `:id` of the page's address; 0, which names nothing, when it is not a number.
pub fn id_param() -> Memo<i32> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    })
}

/// A counter of the changes made on a page by any of its parts, so that the
/// parts that show what changed (another feature's panel on the same page)
/// load again. The page provides it; its parts follow their actions with it.
#[derive(Clone, Copy, Debug)]
pub struct PageChanges(RwSignal<usize>);

impl PageChanges {
    /// A new counter, provided to the page's parts.
    pub fn provide() -> PageChanges {
        let changes = PageChanges(RwSignal::new(0));
        provide_context(changes);
        changes
    }

    /// The page's counter, or one of this part's own when it stands alone.
    pub fn expect() -> PageChanges {
        use_context::<PageChanges>().unwrap_or_else(|| PageChanges(RwSignal::new(0)))
    }

    /// How many changes were made; reading it makes a resource load again on the next.
    pub fn get(self) -> usize {
        self.0.get()
    }

    /// Counts every run of `action`, once it has finished.
    pub fn follow<S>(self, action: ServerAction<S>)
    where
        S: ServerFn + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
        S::Error: Clone + Send + Sync + 'static,
    {
        Effect::new(move |seen: Option<usize>| {
            let version = action.version().get();
            if seen.is_some_and(|seen| seen != version) {
                self.0.update(|n| *n += 1);
            }
            version
        });
    }
}

#[cfg(test)]
mod tests {
    use super::written_lang;

    #[test]
    fn the_script_of_written_text_names_its_language() {
        assert_eq!(written_lang("کاشت درخت، در خیابان"), Some("fa"));
        assert_eq!(written_lang("Trees on Pasdaran (پاسداران) street"), Some("fa"));
        assert_eq!(written_lang("Trees on the main street."), Some("en"));
        assert_eq!(written_lang("۱۲۳ - 456"), None, "digits alone tell nothing");
    }
}
