//! The ballot page's plain form post, for browsers without JavaScript: the
//! same checks as the page's server function, answered with a redirect back
//! to the ballot page carrying either success or the error and the choices,
//! so the form comes back filled in.

use app::services::Services;
use app::voting::ballot::Picks;
use app::voting::cast::Casting;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// Longest choices carried back to the form after a refusal (a ballot of every
/// project of a large round fits).
const MAX_CHOICES_BACK: usize = 2048;

pub async fn post_ballot(
    State(services): State<Services>,
    State(casting): State<Casting>,
    session: Session,
    Path(round_id): Path<i32>,
    body: Bytes,
) -> Response {
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let chosen = Picks::from_form(fields.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    let result = async {
        let account = app::accounts::auth::account_of(&session).await?;
        app::voting::cast::cast(
            &services,
            &casting,
            account,
            round_id,
            chosen.as_deref().map_err(|err| *err)?,
        )
        .await
    }
    .await;
    let back = app::paths::ballot_form(round_id);
    let target = match result {
        Ok(_) => format!("{back}?cast=1"),
        Err(err) => {
            // The form comes back filled in, unless what was sent is too long
            // to carry back in an address.
            let choices = Some(app::voting::ballot::encode(&chosen.unwrap_or_default()))
                .filter(|c| c.len() <= MAX_CHOICES_BACK)
                .unwrap_or_default();
            format!(
                "{back}?error={}&choices={}",
                crate::form_redirect::error_param(err),
                form_urlencoded::byte_serialize(choices.as_bytes()).collect::<String>()
            )
        }
    };
    Redirect::to(&target).into_response()
}
