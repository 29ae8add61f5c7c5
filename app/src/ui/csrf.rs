//! The anti-forgery token every form carries. The server keeps it in a
//! cookie of its own and refuses any state-changing request whose form field (or
//! `x-csrf-token` header) does not match it; another site can make a browser
//! post, but cannot read the token to put in the form.

use leptos::prelude::*;

/// The form field, the header and the cookie that carry the token.
pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";
pub const COOKIE: &str = "csrf";
/// The cookie's name over HTTPS: browsers keep a `__Host-` cookie only if it
/// is `Secure`, has `Path=/` and no `Domain`, so no subdomain and no plain
/// HTTP page can plant one.
pub const HTTPS_COOKIE: &str = "__Host-csrf";

/// The name of the cookie that carries the token (only the server reads it).
pub fn cookie_name(https: bool) -> &'static str {
    if https { HTTPS_COOKIE } else { COOKIE }
}

/// The token of the current request, put there by the server's CSRF layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrfToken(pub String);

/// The token for the page being rendered: on the server from the request, in
/// the browser from the `<meta name="csrf-token">` the server wrote.
pub fn token() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CsrfToken>().map(|t| t.0.clone()))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        meta_token().unwrap_or_default()
    }
}

#[cfg(not(feature = "ssr"))]
fn meta_token() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()?
            .document()?
            .query_selector("meta[name=csrf-token]")
            .ok()??
            .get_attribute("content")
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// The hidden field to put in every form that changes something.
#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name=FIELD value=token() /> }
}
