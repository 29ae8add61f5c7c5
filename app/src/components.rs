//! Small pieces every form page uses.

use crate::app::use_lang;
use crate::error::ApiError;
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
