//! The headers that depend on the request or the configuration: the
//! Content-Security-Policy with a nonce of its own per response, HSTS over
//! HTTPS, and `Cache-Control: no-store` on what is meant for one visitor only.
//! The fixed ones (`nosniff`, `X-Frame-Options`…) are set in `web.rs`.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

/// The nonce of this response's inline scripts, in the request's extensions
/// for the page renderer (see `web::router`'s context) and in the CSP header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 random bits, URL-safe base64: a valid CSP nonce and HTML attribute.
    pub fn new() -> CspNonce {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        CspNonce(URL_SAFE_NO_PAD.encode(bytes))
    }
}

impl Default for CspNonce {
    fn default() -> Self {
        CspNonce::new()
    }
}

/// The policy of a response whose inline scripts carry `nonce`.
///
/// - scripts: this site's files and the inline scripts Leptos writes (the
///   hydration loader, the resolved resources), which carry the nonce;
///   `'wasm-unsafe-eval'` lets the browser compile the WebAssembly bundle
///   (it allows no JavaScript `eval`);
/// - styles, fonts, images, connections (server functions, the `.wasm` fetch):
///   this site only. The pages have no inline style, neither `<style>` nor
///   `style=` attributes (the charts are SVG attributes), so no
///   `'unsafe-inline'` is needed;
/// - no plugins, no framing by anyone, no `<base>` elsewhere, forms post here.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// `Strict-Transport-Security`, only when visitors come over HTTPS: sent over
/// plain HTTP it would be ignored at best, and lock a mis-set site out at worst.
pub fn strict_transport_security(https: bool) -> Option<HeaderValue> {
    https.then(|| HeaderValue::from_static("max-age=31536000"))
}

/// The session cookie's name (`web::router` sets it).
const SESSION_COOKIE: &str = "session";

fn has_session(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| name == SESSION_COOKIE && !value.is_empty())
}

/// How long a browser may keep a static file: for good when its name carries
/// the hash of its content (a new build has new names), otherwise only while
/// the server confirms it is unchanged.
fn static_cache(path: &str) -> Option<&'static str> {
    let name = path.strip_prefix("/pkg/").or_else(|| path.strip_prefix("/fonts/"))?;
    Some(match name.split('.').any(crate::assets::is_fingerprint) {
        true => "public, max-age=31536000, immutable",
        false => "no-cache",
    })
}

/// Whether the response must not be stored by the browser or a proxy: HTML
/// pages (they carry the visitor's anti-forgery token and what only they may
/// see) and a signed-in visitor's server-function answers. The static files
/// under `/pkg/` and `/fonts/` keep their own caching.
fn no_store(path: &str, signed_in: bool, response: &HeaderMap) -> bool {
    if path.starts_with("/pkg/") || path.starts_with("/fonts/") {
        return false;
    }
    let html = response
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    html || (signed_in && path.starts_with("/api/"))
}

/// Creates the response's nonce, hands it to the renderer as a request
/// extension and writes the headers of this module on the response.
pub async fn secure(State(https): State<bool>, mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    let path = request.uri().path().to_owned();
    let signed_in = has_session(request.headers());
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce.0)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    if let Some(hsts) = strict_transport_security(https) {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts);
    }
    if no_store(&path, signed_in, headers) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if let Some(cache) = static_cache(&path) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_named_by_their_content_are_kept_for_good() {
        let forever = Some("public, max-age=31536000, immutable");
        assert_eq!(static_cache("/pkg/app.0123456789abcdef.wasm"), forever);
        assert_eq!(static_cache("/fonts/Vazirmatn.fedcba9876543210.woff2"), forever);
        assert_eq!(static_cache("/pkg/app.wasm"), Some("no-cache"));
        assert_eq!(static_cache("/pkg/app.0123456789ABCDEF.js"), Some("no-cache"));
        assert_eq!(static_cache("/rounds/1"), None);
    }

    #[test]
    fn hsts_only_over_https() {
        assert_eq!(
            strict_transport_security(true),
            Some(HeaderValue::from_static("max-age=31536000"))
        );
        assert_eq!(strict_transport_security(false), None);
    }

    #[test]
    fn the_policy_names_the_nonce_and_forbids_framing() {
        let csp = content_security_policy("abc");
        assert!(
            csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        for directive in [
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "style-src 'self'",
        ] {
            assert!(csp.contains(directive), "{directive} in {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(HeaderValue::from_str(&csp).is_ok());
    }

    #[test]
    fn nonces_are_random_and_url_safe() {
        let nonce = CspNonce::new().0;
        assert_eq!(nonce.len(), 22);
        assert!(
            nonce
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(nonce, CspNonce::new().0);
    }

    #[test]
    fn only_pages_and_a_signed_in_visitors_answers_are_not_stored() {
        let html: HeaderMap = [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )]
        .into_iter()
        .collect();
        let json: HeaderMap = [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))]
            .into_iter()
            .collect();
        assert!(no_store("/rounds", false, &html));
        assert!(no_store("/api/login", true, &json));
        assert!(!no_store("/api/login", false, &json));
        assert!(!no_store("/pkg/app.js", true, &json));
        assert!(!no_store("/fonts/Vazirmatn.woff2", true, &html));
    }
}
