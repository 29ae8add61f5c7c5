use crate::i18n::Msg;
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=lang.text(Msg::NotFoundTitle) />
        <section class="not-found">
            <h1>{lang.text(Msg::NotFoundTitle)}</h1>
            <p>{lang.text(Msg::NotFoundBody)}</p>
            <a href="/">{lang.text(Msg::BackHome)}</a>
        </section>
    }
}
