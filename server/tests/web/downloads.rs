//! The files of a published result over HTTP, on SQLite and PostgreSQL: cached
//! for good, revalidated by their digest without being read again, and served
//! by byte ranges.

use crate::builders::move_to;
use crate::common;

use app::results::office_actions::PublishResult;
use app::rounds::Phase;
use common::{Backend, TestApp};

on_both_databases!(
    a_published_file_is_cached_for_good_and_served_by_ranges,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let mut voting = app.voting_round().await;
        app.voter_who_cast(&voting, voting.projects[0]).await;
        let (office, round) = (&mut voting.office, voting.round);
        move_to(office, round, &[Phase::Closed]).await;
        let (status, body) = office.send(PublishResult { id: round }).await;
        assert!(status < 400, "{status} {body}");

        let url = format!("{}/rounds/{round}/results/1/ballots.pb", app.url);
        let whole = app.client.get(&url).send().await.expect("download");
        assert_eq!(whole.status(), 200);
        let header = |r: &reqwest::Response, name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let etag = header(&whole, "etag");
        assert!(
            etag.starts_with('"') && etag.len() > 64,
            "the digest names the file: {etag}"
        );
        assert_eq!(header(&whole, "cache-control"), "public, max-age=31536000, immutable");
        assert_eq!(header(&whole, "accept-ranges"), "bytes");
        let file = whole.bytes().await.expect("body");

        let again = app
            .client
            .get(&url)
            .header("if-none-match", &etag)
            .send()
            .await
            .expect("revalidation");
        assert_eq!(again.status(), 304, "the visitor holds it already");
        assert!(again.bytes().await.expect("body").is_empty());

        let part = app
            .client
            .get(&url)
            .header("range", "bytes=0-9")
            .send()
            .await
            .expect("range");
        assert_eq!(part.status(), 206);
        assert_eq!(header(&part, "content-range"), format!("bytes 0-9/{}", file.len()));
        assert_eq!(part.bytes().await.expect("body"), file.slice(0..10));
        let tail = app
            .client
            .get(&url)
            .header("range", "bytes=-5")
            .send()
            .await
            .expect("range");
        assert_eq!(tail.bytes().await.expect("body"), file.slice(file.len() - 5..));
        let past = app
            .client
            .get(&url)
            .header("range", format!("bytes={}-", file.len()))
            .send()
            .await
            .expect("range");
        assert_eq!(past.status(), 416);
        assert_eq!(header(&past, "content-range"), format!("bytes */{}", file.len()));

        let draft = app
            .client
            .get(format!("{}/rounds/{round}/results/2/ballots.pb", app.url))
            .send()
            .await;
        assert_eq!(draft.expect("download").status(), 404, "no such version");
    }
);
