//! What the plain forms (without JavaScript) carry back to their page when
//! the server refuses them: the error, in the address of the redirect.

use app::error::ApiError;

/// An error as a plain form's redirect carries it in the address.
pub fn error_param(err: ApiError) -> String {
    param(&err)
}

/// Any refusal as a plain form's redirect carries it in the address.
pub fn param(refusal: &impl serde::Serialize) -> String {
    form_urlencoded::byte_serialize(serde_json::to_string(refusal).unwrap_or_default().as_bytes()).collect()
}
