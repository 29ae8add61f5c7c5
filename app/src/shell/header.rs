//! The header every page shares: the site's name, the rounds, the visitor's
//! account links and the language switch.

use crate::accounts::sign_in::LogoutButton;
use crate::accounts::viewer::{Role, Viewer};
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let other = lang.other();
    let location = use_location();
    // A plain link: switching works without JavaScript and reloads the page in the
    // new direction, which a client-side swap could not do cleanly.
    let switch_href = move || {
        // The router gives the query without its leading `?`.
        let search = location.search.get();
        let back = match search.trim_start_matches('?') {
            "" => location.pathname.get(),
            query => format!("{}?{query}", location.pathname.get()),
        };
        format!("/lang/{}?back={}", other.tag(), encode_query_value(&back))
    };
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">{lang.text(Msg::AppName)}</A>
            <nav>
                <a href="/rounds">{lang.text(Msg::RoundsLink)}</a>
                <AccountLinks />
                <a
                    href=switch_href
                    hreflang=other.tag()
                    lang=other.tag()
                    title=lang.text(Msg::LanguageSwitchTitle)
                    rel="external"
                    class="lang-switch"
                >
                    {lang.text(Msg::LanguageSwitch)}
                </a>
            </nav>
        </header>
    }
}

/// The signed-in viewer, for the header.
#[leptos::server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Viewer>, ApiError> {
    crate::accounts::auth::viewer().await
}

#[component]
fn AccountLinks() -> impl IntoView {
    let lang = use_lang();
    let viewer = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match viewer.await.ok().flatten() {
                    Some(viewer) => view! {
                        {match viewer.role {
                            Role::Staff => Some(view! { <a href="/office">{lang.text(Msg::OfficeLink)}</a> }),
                            Role::Admin => Some(view! { <a href="/admin">{lang.text(Msg::AdminLink)}</a> }),
                            Role::Resident => None,
                        }}
                        <a href="/account">{lang.text(Msg::AccountLink)}</a>
                        <LogoutButton />
                    }.into_any(),
                    None => view! {
                        <a href="/login">{lang.text(Msg::LoginTitle)}</a>
                        <a href="/register">{lang.text(Msg::RegisterTitle)}</a>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::encode_query_value;

    #[test]
    fn return_paths_are_percent_encoded() {
        assert_eq!(encode_query_value("/?q=تج&x=1"), "/%3Fq%3D%D8%AA%D8%AC%26x%3D1");
    }
}
