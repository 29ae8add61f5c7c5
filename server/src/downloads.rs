//! The files of a published result: the anonymous ballots in the Pabulib
//! format (the exact bytes its digest was taken of), and the result as CSV and
//! JSON. Drafts are never served. A published version never changes, so each
//! file is cached for good (`immutable`), named by an `ETag` made of the ballot
//! file's digest (a revalidation answers 304 without reading the file), and a
//! byte range of it can be fetched (`Range`, one range per request). The
//! ballot file is streamed from its stored parts, reading only the parts the
//! answer covers, so a city's file is never held whole in memory.

use app::error::ApiError;
use app::paths::{BALLOTS_FILE, CSV_FILE, JSON_FILE};
use app::results::db::PartPlace;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::{StreamExt, stream};
use sea_orm::DatabaseConnection;

const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

pub async fn download(
    State(db): State<DatabaseConnection>,
    Path((round, version, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    match answer(&db, &round, &version, &file, &headers).await {
        Ok(response) => response,
        Err(err) => crate::answers::refusal(err, crate::answers::lang_of(&headers)),
    }
}

async fn answer(
    db: &DatabaseConnection,
    round: &str,
    version: &str,
    file: &str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let round: i32 = round.parse().map_err(|_| ApiError::NotFound)?;
    let version: i32 = version.parse().map_err(|_| ApiError::NotFound)?;
    if ![BALLOTS_FILE, CSV_FILE, JSON_FILE].contains(&file) {
        return Err(ApiError::NotFound);
    }
    let published = app::results::db::published_version(db, round, version)
        .await?
        .ok_or(ApiError::NotFound)?;
    let etag = format!("\"{}-{file}\"", published.digest);
    let cached = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, CACHE_FOREVER.to_owned()),
        (header::ACCEPT_RANGES, "bytes".to_owned()),
    ];
    if revalidates(headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, cached).into_response());
    }
    let (content_type, body) = body(db, published.id, round, version, file).await?;
    let name = format!("round-{round}-result-{version}-{file}");
    let described = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
    ];
    let total = body.len();
    Ok(match headers.get(header::RANGE).map(|r| range(r, total)) {
        None | Some(Range::Whole) => (cached, described, body.bytes(db, 0, total)).into_response(),
        Some(Range::Part(start, end)) => (
            StatusCode::PARTIAL_CONTENT,
            cached,
            described,
            [(header::CONTENT_RANGE, format!("bytes {start}-{end}/{total}"))],
            body.bytes(db, start, end + 1),
        )
            .into_response(),
        Some(Range::Unsatisfiable) => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            cached,
            [(header::CONTENT_RANGE, format!("bytes */{total}"))],
        )
            .into_response(),
    })
}

/// What a download answers with: a file made in memory, or the stored parts
/// of a ballot file.
enum Source {
    Memory(Vec<u8>),
    Parts { snapshot_id: i32, places: Vec<PartPlace> },
}

impl Source {
    fn len(&self) -> usize {
        match self {
            Source::Memory(bytes) => bytes.len(),
            Source::Parts { places, .. } => places
                .iter()
                .map(|p| usize::try_from(p.byte_size).unwrap_or_default())
                .sum(),
        }
    }

    /// The bytes from `start` up to `end` (excluded), as a body; stored parts
    /// are read one at a time as the body is sent.
    fn bytes(self, db: &DatabaseConnection, start: usize, end: usize) -> Body {
        let (snapshot_id, places) = match self {
            Source::Memory(bytes) => return Body::from(bytes[start..end].to_vec()),
            Source::Parts { snapshot_id, places } => (snapshot_id, places),
        };
        let db = db.clone();
        let within = places.into_iter().filter_map(move |place| {
            let from = usize::try_from(place.byte_offset).ok()?;
            let to = from + usize::try_from(place.byte_size).ok()?;
            (from < end && to > start).then(|| (place.seq, start.max(from) - from, end.min(to) - from))
        });
        let parts = stream::iter(within).then(move |(seq, from, to)| {
            let db = db.clone();
            async move {
                let text = app::results::db::part_text(&db, snapshot_id, seq)
                    .await
                    .map_err(std::io::Error::other)?
                    .ok_or_else(|| {
                        std::io::Error::other(format!("part {seq} of ballot file {snapshot_id} is missing"))
                    })?;
                let bytes = Bytes::from(text.into_bytes());
                match to <= bytes.len() {
                    true => Ok(bytes.slice(from..to)),
                    false => Err(std::io::Error::other(format!(
                        "part {seq} of ballot file {snapshot_id} is short"
                    ))),
                }
            }
        });
        Body::from_stream(parts)
    }
}

/// Whether the visitor holds this very file already.
fn revalidates(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// No range this server serves (several, or malformed): the whole file.
    Whole,
    /// The bytes from the first to the second, both included.
    Part(usize, usize),
    /// A range wholly past the end of the file.
    Unsatisfiable,
}

/// Reads one `bytes=` range of a file of `total` bytes.
fn range(header: &HeaderValue, total: usize) -> Range {
    let Some(spec) = header.to_str().ok().and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Range::Whole;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Range::Whole;
    };
    if spec.contains(',') || total == 0 {
        return Range::Whole;
    }
    let (first, last) = (first.trim(), last.trim());
    let parsed = |n: &str| n.parse::<usize>().ok();
    let (start, end) = match (first.is_empty(), last.is_empty()) {
        // The last N bytes.
        (true, false) => match parsed(last) {
            Some(0) => return Range::Unsatisfiable,
            Some(n) => (total.saturating_sub(n), total - 1),
            None => return Range::Whole,
        },
        (false, true) => match parsed(first) {
            Some(start) => (start, total - 1),
            None => return Range::Whole,
        },
        (false, false) => match (parsed(first), parsed(last)) {
            (Some(start), Some(end)) if start <= end => (start, end.min(total - 1)),
            _ => return Range::Whole,
        },
        (true, true) => return Range::Whole,
    };
    if start >= total {
        Range::Unsatisfiable
    } else {
        Range::Part(start, end)
    }
}

async fn body(
    db: &DatabaseConnection,
    snapshot_id: i32,
    round: i32,
    version: i32,
    file: &str,
) -> Result<(&'static str, Source), ApiError> {
    if file == BALLOTS_FILE {
        let places = app::results::db::part_places(db, snapshot_id).await?;
        return Ok(("text/plain; charset=utf-8", Source::Parts { snapshot_id, places }));
    }
    let published = app::results::count::published(db, round)
        .await?
        .into_iter()
        .find(|p| p.version == version)
        .ok_or(ApiError::NotFound)?;
    if file == CSV_FILE {
        return Ok((
            "text/csv; charset=utf-8",
            Source::Memory(published.snapshot.csv().into_bytes()),
        ));
    }
    let json = serde_json::json!({
        "round_id": round,
        "version": version,
        "published_at": published.published_at.to_rfc3339(),
        "correction_reason": published.reason,
        "result": published.snapshot,
    });
    Ok(("application/json", Source::Memory(json.to_string().into_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Range {
        range(&HeaderValue::from_str(text).expect("header"), 100)
    }

    #[test]
    fn one_byte_range_is_served_and_the_rest_is_the_whole_file() {
        assert_eq!(of("bytes=0-9"), Range::Part(0, 9));
        assert_eq!(of("bytes=90-"), Range::Part(90, 99));
        assert_eq!(of("bytes=-10"), Range::Part(90, 99));
        assert_eq!(of("bytes=-1000"), Range::Part(0, 99));
        assert_eq!(of("bytes=50-5000"), Range::Part(50, 99));
        assert_eq!(of("bytes=100-"), Range::Unsatisfiable);
        assert_eq!(of("bytes=-0"), Range::Unsatisfiable);
        for whole in [
            "bytes=0-1,5-6",
            "bytes=9-1",
            "bytes=x-",
            "items=0-1",
            "bytes=-",
            "bytes=18446744073709551616-",
        ] {
            assert_eq!(of(whole), Range::Whole, "{whole}");
        }
    }
}
