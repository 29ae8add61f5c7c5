//! The footer every page shares, with today's date in the visitor's calendar.

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use crate::i18n::{Lang, Msg};
use crate::ui::use_lang;
use leptos::prelude::*;

/// Today's date in the visitor's language and calendar.
#[leptos::server(endpoint = "today")]
pub async fn today(lang: Lang) -> Result<String, ApiError> {
    use chrono::Datelike;
    let now = chrono::Local::now().date_naive();
    let month = u8::try_from(now.month()).or_internal(|| format!("month of {now}"))?;
    let day = u8::try_from(now.day()).or_internal(|| format!("day of {now}"))?;
    crate::format::date(lang, now.year(), month, day).or_internal(|| format!("{now} in the calendar of {lang:?}"))
}

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    let date = Resource::new(move || lang, today);
    view! {
        <footer class="site-footer">
            <p>{lang.text(Msg::FooterPublic)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    date.await
                        .ok()
                        .map(|d| view! { <p class="today">{lang.format(Msg::Today, &[("date", &d)])}</p> })
                })}
            </Suspense>
        </footer>
    }
}
