use crate::ui::NotFoundSection;
use leptos::prelude::*;

/// The page of an address nothing answers; 404.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <NotFoundSection /> }
}
