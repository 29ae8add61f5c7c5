//! Cross-site request forgery protection for every state-changing request.
//! Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`): a
//! request from another site is refused, one from this site passes. A request
//! that says nothing (an old browser) must carry the token of the visitor's CSRF
//! cookie in a form field, the query (multipart uploads) or the `x-csrf-token`
//! header; every form has it as a hidden field. The cookie is set on the first visit.

use app::i18n::{Lang, Msg};
use app::ui::csrf::{COOKIE, CsrfToken, FIELD, HEADER};
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use subtle::ConstantTimeEq;

/// Largest form body read to find the token; larger forms are refused.
const MAX_FORM_BYTES: usize = 1 << 20;

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE && value.len() == 43)
        .map(|(_, value)| value.to_owned())
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Where the browser says the request comes from: `Some(true)` this site,
/// `Some(false)` another one, `None` when it does not say.
fn same_origin(headers: &HeaderMap) -> Option<bool> {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value(header::HeaderName::from_static("sec-fetch-site")) {
        return Some(site == "same-origin");
    }
    let source = value(header::ORIGIN).or_else(|| value(header::REFERER))?;
    let host = value(header::HOST)?;
    Some(
        source
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or(rest))
            .is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host)),
    )
}

fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned())
}

fn matches(supplied: Option<&str>, expected: &str) -> bool {
    supplied.is_some_and(|s| s.as_bytes().ct_eq(expected.as_bytes()).into())
}

fn refuse(headers: &HeaderMap) -> Response {
    answer(headers, StatusCode::FORBIDDEN, Msg::ErrorCsrf)
}

/// A refusal in the visitor's language.
fn answer(headers: &HeaderMap, status: StatusCode, msg: Msg) -> Response {
    let lang = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_cookie_header)
        .unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        lang.text(msg),
    )
        .into_response()
}

pub async fn protect(mut request: Request, next: Next) -> Response {
    let existing = cookie_token(request.headers());
    let token = existing.clone().unwrap_or_else(new_token);
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    match same_origin(request.headers()) {
        _ if safe => {}
        Some(true) => {}
        Some(false) => return refuse(request.headers()),
        None => match check_token(request, existing.as_deref()).await {
            Ok(checked) => request = checked,
            Err(refused) => return refused,
        },
    }
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if existing.is_none()
        && let Ok(cookie) = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict").parse()
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The request back, if it carries the token of its cookie.
async fn check_token(request: Request, expected: Option<&str>) -> Result<Request, Response> {
    let Some(expected) = expected else {
        return Err(refuse(request.headers()));
    };
    let headers = request.headers();
    let supplied = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| query_token(request.uri().query()));
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (request, supplied) = match supplied {
        Some(supplied) => (request, Some(supplied)),
        None if is_form => {
            let (parts, body) = request.into_parts();
            // Too large (or broken off): 413, never 500. The bytes need not be
            // UTF-8: the token is looked for in them as they are.
            let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
                return Err(answer(
                    &parts.headers,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    Msg::ErrorTooLarge,
                ));
            };
            let supplied = form_urlencoded::parse(&bytes)
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.into_owned());
            (Request::from_parts(parts, Body::from(bytes)), supplied)
        }
        None => (request, None),
    };
    if matches(supplied.as_deref(), expected) {
        Ok(request)
    } else {
        Err(refuse(request.headers()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .filter_map(|(k, v)| Some((header::HeaderName::from_static(k), v.parse().ok()?)))
            .collect()
    }

    #[test]
    fn tokens_are_43_url_safe_characters() {
        let token = new_token();
        assert_eq!(token.len(), 43);
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(token, new_token());
    }

    #[test]
    fn only_this_site_is_a_valid_origin() {
        let origin = |pairs: &[(&'static str, &str)]| same_origin(&headers(pairs));
        assert_eq!(origin(&[("host", "a.ir"), ("origin", "https://a.ir")]), Some(true));
        assert_eq!(
            origin(&[("host", "a.ir:3000"), ("referer", "http://a.ir:3000/login")]),
            Some(true)
        );
        assert_eq!(origin(&[("host", "a.ir"), ("origin", "https://evil.ir")]), Some(false));
        assert_eq!(origin(&[("host", "a.ir"), ("origin", "null")]), Some(false));
        assert_eq!(
            origin(&[("host", "a.ir"), ("sec-fetch-site", "cross-site")]),
            Some(false)
        );
        assert_eq!(
            origin(&[("host", "a.ir"), ("sec-fetch-site", "same-site")]),
            Some(false)
        );
        assert_eq!(
            origin(&[("sec-fetch-site", "same-origin"), ("origin", "https://a.ir")]),
            Some(true)
        );
        assert_eq!(
            origin(&[("host", "a.ir")]),
            None,
            "no word from the browser: the token decides"
        );
    }

    #[test]
    fn the_token_must_match_exactly() {
        assert!(matches(Some("abc"), "abc"));
        assert!(!matches(Some("abd"), "abc"));
        assert!(!matches(None, "abc"));
    }
}
