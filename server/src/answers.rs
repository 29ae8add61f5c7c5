//! What the server's own routes (files, exports, the language switch) share:
//! the visitor's language and a refusal in it.

use app::error::ApiError;
use app::i18n::Lang;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The language chosen in the request's cookie, Persian when none is.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::COOKIE)
        .and_then(|c| c.to_str().ok())
        .map_or(Lang::Fa, Lang::from_cookie_header)
}

/// `err` as its status and its translated sentence.
pub fn refusal(err: ApiError, lang: Lang) -> Response {
    (
        StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        err.message(lang),
    )
        .into_response()
}
