//! The error that crosses the wire between server functions and pages. Each
//! variant names a translated message; the server never sends sentences.

use crate::i18n::Msg;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("bad request")]
    BadRequest,
    #[error("not found")]
    NotFound,
    #[error("service unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
}

impl ApiError {
    pub fn msg(self) -> Msg {
        match self {
            ApiError::BadRequest => Msg::ErrorBadRequest,
            ApiError::NotFound => Msg::ErrorNotFound,
            ApiError::Unavailable => Msg::ErrorUnavailable,
            ApiError::Internal => Msg::ErrorInternal,
        }
    }

    pub fn status(self) -> u16 {
        match self {
            ApiError::BadRequest => 400,
            ApiError::NotFound => 404,
            ApiError::Unavailable => 503,
            ApiError::Internal => 500,
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => ApiError::BadRequest,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => ApiError::Unavailable,
            _ => ApiError::Internal,
        }
    }
}

/// Database failures are logged here, once, with their detail; the visitor gets
/// only the translated message.
#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::DbErr;
        match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                tracing::error!(error = %err, "database unavailable");
                ApiError::Unavailable
            }
            DbErr::RecordNotFound(_) => ApiError::NotFound,
            _ => {
                tracing::error!(error = %err, "database error");
                ApiError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_failures_read_as_unavailable_and_bad_arguments_as_bad_requests() {
        let unavailable = ApiError::from_server_fn_error(ServerFnErrorErr::Request("timeout".into()));
        assert_eq!(unavailable, ApiError::Unavailable);
        let bad = ApiError::from_server_fn_error(ServerFnErrorErr::Args("q".into()));
        assert_eq!(bad.status(), 400);
    }
}
