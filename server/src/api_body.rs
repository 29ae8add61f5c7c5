//! What a server function may be sent. Every one takes a URL-encoded form, the
//! longest (a proposal's description of 4,000 Persian characters) some 25 KiB
//! once encoded, so a body over [`MAX_API_BODY`] is refused with 413, and a body
//! that is not UTF-8 text (no form of this site) with 400, both as the
//! translated error every server function answers with, before anything runs.
//! Read here, whole and bounded, the body is then handed on as it came, so
//! neither the CSRF layer nor the server function meets a huge or undecodable
//! one (the server functions' own decoding would answer 500). The census
//! upload, a multipart form outside `/api/`, has its own, larger limit.

use app::error::ApiError;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Where the server functions live (leptos's default prefix).
const API_PREFIX: &str = "/api/";

/// Largest body a server function is sent: generous for every form.
pub const MAX_API_BODY: usize = 64 << 10;

pub async fn limit(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !path.starts_with(API_PREFIX) {
        return next.run(request).await;
    }
    let path = path.to_owned();
    if declared_length(request.headers()).is_some_and(|n| n > MAX_API_BODY as u64) {
        return refuse(&path, ApiError::TooLarge);
    }
    let (parts, body) = request.into_parts();
    let bytes = match read(body, MAX_API_BODY).await {
        Ok(bytes) => bytes,
        Err(err) => return refuse(&path, err),
    };
    if !is_multipart(&parts.headers) && !is_storable_text(&bytes) {
        return refuse(&path, ApiError::BadRequest);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// UTF-8 without a NUL character, raw or percent-encoded: PostgreSQL stores no
/// NUL in text, and no form of this site sends one.
fn is_storable_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| !text.contains('\0') && !text.to_ascii_lowercase().contains("%00"))
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// A multipart body carries bytes, not text (no server function takes one yet).
fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/"))
}

/// The whole body, or [`ApiError::TooLarge`] as soon as it passes `max` bytes
/// (a body sent without a length is read no further), or
/// [`ApiError::BadRequest`] when the connection breaks off.
async fn read(mut body: Body, max: usize) -> Result<Bytes, ApiError> {
    let mut bytes = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(data) = frame.map_err(|_| ApiError::BadRequest)?.into_data() else {
            continue; // trailers
        };
        if bytes.len() + data.len() > max {
            return Err(ApiError::TooLarge);
        }
        bytes.extend_from_slice(&data);
    }
    Ok(bytes.into())
}

/// The answer a server function gives for `err`: its status, the error as
/// JSON, and the header by which leptos's client knows a server-function error.
fn refuse(path: &str, err: ApiError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(&err).unwrap_or_default(),
    )
        .into_response();
    if let Ok(path) = HeaderValue::from_str(path) {
        response.headers_mut().insert(
            HeaderName::from_static(leptos::server_fn::error::SERVER_FN_ERROR_HEADER),
            path,
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_is_read_whole_up_to_the_limit_and_no_further() {
        let small = read(Body::from("login=a&password=b"), 64).await;
        assert_eq!(small.as_deref(), Ok(&b"login=a&password=b"[..]));
        assert_eq!(read(Body::from(vec![b'a'; 64]), 64).await.map(|b| b.len()), Ok(64));
        assert_eq!(read(Body::from(vec![b'a'; 65]), 64).await, Err(ApiError::TooLarge));
        assert_eq!(read(Body::empty(), 64).await.map(|b| b.len()), Ok(0));
    }

    #[test]
    fn refusals_carry_the_error_as_server_functions_do() {
        let response = refuse("/api/login", ApiError::TooLarge);
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(response.headers()["serverfnerror"], "/api/login");
        assert_eq!(
            refuse("/api/login", ApiError::BadRequest).status(),
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn only_multipart_bodies_are_exempt_from_being_text() {
        let headers =
            |value: &'static str| HeaderMap::from_iter([(header::CONTENT_TYPE, HeaderValue::from_static(value))]);
        assert!(is_multipart(&headers("multipart/form-data; boundary=x")));
        assert!(!is_multipart(&headers("application/x-www-form-urlencoded")));
        assert!(!is_multipart(&HeaderMap::new()));
    }

    #[test]
    fn a_nul_character_is_no_text_to_store() {
        assert!(is_storable_text("title=Park+benches&description=%D8%A8".as_bytes()));
        assert!(!is_storable_text(b"title=Park\0benches"));
        assert!(!is_storable_text(b"title=Park%00benches"));
        assert!(!is_storable_text(b"title=Park%00"));
        assert!(!is_storable_text(&[0x74, 0xff]));
    }
}
