//! The files of a published result: the anonymous ballots in the Pabulib
//! format (the exact bytes its digest was taken of), and the result as CSV and
//! JSON. Drafts are never served.

use app::error::ApiError;
use app::i18n::Lang;
use app::paths::{BALLOTS_FILE, CSV_FILE, JSON_FILE};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::DatabaseConnection;

pub async fn download(
    State(db): State<DatabaseConnection>,
    Path((round, version, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let lang = headers
        .get(header::COOKIE)
        .and_then(|c| c.to_str().ok())
        .map_or(Lang::Fa, Lang::from_cookie_header);
    match body(&db, &round, &version, &file).await {
        Ok((content_type, body)) => {
            let name = format!("round-{round}-result-{version}-{file}");
            (
                [
                    (header::CONTENT_TYPE, content_type.to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                ],
                body,
            )
                .into_response()
        }
        Err(err) => (
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            err.message(lang),
        )
            .into_response(),
    }
}

async fn body(
    db: &DatabaseConnection,
    round: &str,
    version: &str,
    file: &str,
) -> Result<(&'static str, String), ApiError> {
    let round: i32 = round.parse().map_err(|_| ApiError::NotFound)?;
    let version: i32 = version.parse().map_err(|_| ApiError::NotFound)?;
    if file == BALLOTS_FILE {
        let text = app::results::db::published_file(db, round, version)
            .await?
            .ok_or(ApiError::NotFound)?;
        return Ok(("text/plain; charset=utf-8", text));
    }
    let published = app::results::count::published(db, round)
        .await?
        .into_iter()
        .find(|p| p.version == version)
        .ok_or(ApiError::NotFound)?;
    match file {
        CSV_FILE => Ok(("text/csv; charset=utf-8", published.snapshot.csv())),
        JSON_FILE => {
            let json = serde_json::json!({
                "round_id": round,
                "version": version,
                "published_at": published.published_at.to_rfc3339(),
                "correction_reason": published.reason,
                "result": published.snapshot,
            });
            Ok(("application/json", json.to_string()))
        }
        _ => Err(ApiError::NotFound),
    }
}
