//! Cross-site request forgery protection for every state-changing request.
//! Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`): a
//! request from another site is refused, one from this site passes. A request
//! that says nothing (an old browser) must carry the token of the visitor's CSRF
//! cookie in a form field or the `x-csrf-token` header; every form has it as a
//! hidden field. The census upload is a multipart form: its token is its first
//! field, read from the start of the body alone (bounded) and the body passed
//! on whole. A token in the address is refused: addresses end up in logs and
//! in the `Referer` of the next page. The cookie is set on the first visit;
//! over HTTPS it is `__Host-csrf`, `Secure`.

use app::i18n::{Lang, Msg};
use app::ui::csrf::{CsrfToken, FIELD, HEADER, cookie_name};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use subtle::ConstantTimeEq;

/// Largest form body read to find the token; larger forms are refused.
const MAX_FORM_BYTES: usize = 1 << 20;
/// Most of a multipart body read to find the token field before the rest.
const MAX_MULTIPART_PREFIX: usize = 64 << 10;
/// Largest census file an office can upload.
pub(crate) const MAX_CENSUS_BYTES: usize = 16 << 20;

fn cookie_token(headers: &HeaderMap, cookie: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == cookie && value.len() == 43)
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

pub async fn protect(State(https): State<bool>, mut request: Request, next: Next) -> Response {
    let cookie = cookie_name(https);
    let existing = cookie_token(request.headers(), cookie);
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
        && let Ok(cookie) = set_cookie(cookie, &token, https).parse()
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

fn set_cookie(name: &str, token: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// The boundary of a `multipart/form-data` body, from its content type.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (kind, params) = value.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|param| {
        let (name, value) = param.trim().split_once('=')?;
        name.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_owned())
            .filter(|b| !b.is_empty())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What the start of a multipart body says about the token field.
#[derive(Debug, PartialEq, Eq)]
enum Scan {
    Found(String),
    /// The body ended without it.
    Absent,
    /// Not yet known: more of the body is needed.
    More,
}

/// Looks for the token field in the parts `buf` holds whole.
fn scan_multipart(buf: &[u8], boundary: &str) -> Scan {
    let delimiter = format!("\r\n--{boundary}");
    // The first delimiter has no line break before it.
    let Some(first) = find(buf, &delimiter.as_bytes()[2..]) else {
        return Scan::More;
    };
    let mut at = first + delimiter.len() - 2;
    loop {
        match buf.get(at..at + 2) {
            None => return Scan::More,
            Some(b"--") => return Scan::Absent,
            Some(_) => at += 2,
        }
        let Some(head_len) = find(&buf[at..], b"\r\n\r\n") else {
            return Scan::More;
        };
        let head = String::from_utf8_lossy(&buf[at..at + head_len]);
        let content = at + head_len + 4;
        let Some(content_len) = find(&buf[content..], delimiter.as_bytes()) else {
            return Scan::More;
        };
        let is_token = head.split("\r\n").any(|line| {
            line.split_once(':').is_some_and(|(name, value)| {
                name.trim().eq_ignore_ascii_case("content-disposition")
                    && value.split(';').any(|p| p.trim() == format!("name=\"{FIELD}\""))
            })
        });
        if is_token {
            return Scan::Found(String::from_utf8_lossy(&buf[content..content + content_len]).into_owned());
        }
        at = content + content_len + delimiter.len();
    }
}

/// The next piece of data of `body`, trailers skipped.
async fn next_chunk(body: &mut Body) -> Option<Result<Bytes, axum::Error>> {
    use axum::body::HttpBody;
    loop {
        match std::future::poll_fn(|cx| std::pin::Pin::new(&mut *body).poll_frame(cx)).await? {
            Ok(frame) => {
                if let Ok(data) = frame.into_data() {
                    return Some(Ok(data));
                }
            }
            Err(err) => return Some(Err(err)),
        }
    }
}

/// The token field of a multipart body, read from its first parts only (at
/// most `MAX_MULTIPART_PREFIX` bytes). Only when it matches `expected` is the
/// rest of the body read (at most `MAX_CENSUS_BYTES`) and the request given
/// back whole; a stranger's upload is never read beyond its start.
async fn multipart_token(
    request: Request,
    boundary: &str,
    expected: &str,
) -> Result<(Request, Option<String>), Response> {
    let (parts, mut body) = request.into_parts();
    let mut prefix = Vec::new();
    let found = loop {
        match scan_multipart(&prefix, boundary) {
            Scan::Found(token) => break Some(token),
            Scan::Absent => break None,
            Scan::More if prefix.len() >= MAX_MULTIPART_PREFIX => break None,
            Scan::More => {}
        }
        match next_chunk(&mut body).await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            Some(Err(_)) | None => break None,
        }
    };
    if !matches(found.as_deref(), expected) {
        return Ok((Request::from_parts(parts, Body::empty()), found));
    }
    let too_large = || answer(&parts.headers, StatusCode::PAYLOAD_TOO_LARGE, Msg::ErrorTooLarge);
    let Some(room) = MAX_CENSUS_BYTES.checked_sub(prefix.len()) else {
        return Err(too_large());
    };
    let Ok(rest) = to_bytes(body, room).await else {
        return Err(too_large());
    };
    prefix.extend_from_slice(&rest);
    Ok((Request::from_parts(parts, Body::from(prefix)), found))
}

/// The request back, if it carries the token of its cookie.
async fn check_token(request: Request, expected: Option<&str>) -> Result<Request, Response> {
    let Some(expected) = expected else {
        return Err(refuse(request.headers()));
    };
    let headers = request.headers();
    let supplied = headers.get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (request, supplied) = match supplied {
        Some(supplied) => (request, Some(supplied)),
        None if request.uri().path() == app::paths::CENSUS_UPLOAD
            && let Some(boundary) = multipart_boundary(headers) =>
        {
            multipart_token(request, &boundary, expected).await?
        }
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
    fn the_token_is_found_in_the_first_parts_of_a_multipart_body() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"census\"; filename=\"a.csv\"\r\n\r\n1,2\r\n--XyZ--\r\n";
        assert_eq!(scan_multipart(body.as_bytes(), "XyZ"), Scan::Found("abc".to_owned()));
        let cut = body.find("abc").expect("token") + 2;
        assert_eq!(scan_multipart(&body.as_bytes()[..cut], "XyZ"), Scan::More);
        let without =
            "--XyZ\r\nContent-Disposition: form-data; name=\"census\"; filename=\"csrf_token\"\r\n\r\n1\r\n--XyZ--\r\n";
        assert_eq!(scan_multipart(without.as_bytes(), "XyZ"), Scan::Absent);
        let headers = headers(&[("content-type", "multipart/form-data; boundary=\"XyZ\"")]);
        assert_eq!(multipart_boundary(&headers).as_deref(), Some("XyZ"));
    }

    #[test]
    fn over_https_the_cookie_is_secure_and_host_only() {
        assert_eq!(cookie_name(true), "__Host-csrf");
        assert_eq!(cookie_name(false), "csrf");
        let cookie = set_cookie(cookie_name(true), "t", true);
        assert!(
            cookie.starts_with("__Host-csrf=t; Path=/;") && cookie.contains("; Secure"),
            "{cookie}"
        );
        assert!(!cookie.contains("Domain"));
        assert!(!set_cookie("csrf", "t", false).contains("Secure"));
    }

    #[test]
    fn the_token_must_match_exactly() {
        assert!(matches(Some("abc"), "abc"));
        assert!(!matches(Some("abd"), "abc"));
        assert!(!matches(None, "abc"));
    }
}
