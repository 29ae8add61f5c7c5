//! Cross-site request forgery protection for every state-changing request:
//! the `Origin` (or `Referer`) must be this site, and the request must carry
//! the token of the visitor's CSRF cookie in a form field, the query (multipart
//! uploads) or the `x-csrf-token` header. The cookie is set on the first visit.

use app::csrf::{COOKIE, CsrfToken, FIELD, HEADER};
use app::i18n::{Lang, Msg};
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

/// Whether the request names this site as its origin. Browsers send `Origin`
/// on every cross-site POST; a request with neither header is not from a
/// browser form and is judged by its token alone.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match source {
        None => true,
        Some(source) => source
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or(rest))
            .is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host)),
    }
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
    let lang = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_cookie_header)
        .unwrap_or_default();
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        lang.text(Msg::ErrorCsrf),
    )
        .into_response()
}

pub async fn protect(mut request: Request, next: Next) -> Response {
    let existing = cookie_token(request.headers());
    let token = existing.clone().unwrap_or_else(new_token);
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let Some(expected) = existing.as_deref() else {
            return refuse(request.headers());
        };
        if !same_origin(request.headers()) {
            return refuse(request.headers());
        }
        let headers = request.headers();
        let mut supplied = headers
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| query_token(request.uri().query()));
        let is_form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if supplied.is_none() && is_form {
            let (parts, body) = request.into_parts();
            let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
                return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response();
            };
            supplied = form_urlencoded::parse(&bytes)
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.into_owned());
            request = Request::from_parts(parts, Body::from(bytes));
        }
        if !matches(supplied.as_deref(), expected) {
            return refuse(request.headers());
        }
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
        assert!(same_origin(&headers(&[("host", "a.ir"), ("origin", "https://a.ir")])));
        assert!(same_origin(&headers(&[
            ("host", "a.ir:3000"),
            ("referer", "http://a.ir:3000/login")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a.ir"),
            ("origin", "https://evil.ir")
        ])));
        assert!(!same_origin(&headers(&[("host", "a.ir"), ("origin", "null")])));
        assert!(same_origin(&headers(&[("host", "a.ir")])));
    }

    #[test]
    fn the_token_must_match_exactly() {
        assert!(matches(Some("abc"), "abc"));
        assert!(!matches(Some("abd"), "abc"));
        assert!(!matches(None, "abc"));
    }
}
