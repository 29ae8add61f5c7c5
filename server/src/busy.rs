//! Back-pressure: each process works on at most `MAHALLE_MAX_IN_FLIGHT`
//! requests at once. One more is answered at once with 503, `Retry-After` and a
//! short translated page, never left to wait; requests already being worked on
//! (a ballot being filed among them) finish as usual.

use app::i18n::Msg;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// How long a refused visitor is asked to wait, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// The requests one process may work on at once.
#[derive(Clone, Debug)]
pub struct InFlight(Arc<Semaphore>);

impl InFlight {
    pub fn new(limit: usize) -> InFlight {
        InFlight(Arc::new(Semaphore::new(limit.min(Semaphore::MAX_PERMITS))))
    }
}

/// Works on the request if a place is free, else answers "busy". The health
/// check is always answered, so that a load balancer does not take a busy
/// process for a dead one.
pub async fn limit(State(in_flight): State<InFlight>, request: Request, next: Next) -> Response {
    if request.uri().path() == "/healthz" {
        return next.run(request).await;
    }
    match in_flight.0.clone().try_acquire_owned() {
        Ok(_place) => next.run(request).await,
        Err(_) => busy(crate::answers::lang_of(request.headers())),
    }
}

fn busy(lang: app::i18n::Lang) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{}\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><h1>{}</h1><p>{}</p></html>",
        lang.tag(),
        lang.dir(),
        lang.text(Msg::BusyTitle),
        lang.text(Msg::BusyTitle),
        lang.text(Msg::BusyBody),
    );
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, page).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
