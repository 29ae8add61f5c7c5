//! The files of a published result over HTTP, on SQLite and PostgreSQL: cached
//! for good, revalidated by their digest without being read again, served by
//! byte ranges, and, for a large round, streamed from the parts the file is
//! stored in, with receipts found in the one part that holds them.

use crate::builders::move_to;
use crate::common;

use app::results::db::{PartPlace, part_places, published_version};
use app::results::office_actions::PublishResult;
use app::results::receipt_page::CheckReceipt;
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

on_both_databases!(
    a_large_file_is_streamed_from_its_parts_and_receipts_are_found_in_them,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let mut voting = app.voting_round().await;
        let project = voting.projects[0];
        let receipts = app.ballots_written(&voting, project, 15_000).await;
        let (office, round) = (&mut voting.office, voting.round);
        move_to(office, round, &[Phase::Closed]).await;
        let (status, body) = office.send(PublishResult { id: round }).await;
        assert!(status < 400, "{status} {body}");

        let stored = published_version(&app.db, round, 1)
            .await
            .expect("db")
            .expect("published");
        let places: Vec<PartPlace> = part_places(&app.db, stored.id).await.expect("db");
        assert!(
            places.len() >= 3,
            "a head and several parts of ballots: {}",
            places.len()
        );

        let url = format!("{}/rounds/{round}/results/1/ballots.pb", app.url);
        let file = app
            .client
            .get(&url)
            .send()
            .await
            .expect("download")
            .bytes()
            .await
            .expect("body");
        let text = std::str::from_utf8(&file).expect("UTF-8");
        let votes: Vec<&str> = text.lines().skip_while(|l| *l != "VOTES").skip(2).collect();
        assert_eq!(votes.len(), 15_000);
        assert!(votes.iter().all(|l| l.ends_with(&format!(";{project}"))));
        assert_eq!(
            app::results::ballot_file::digest(text),
            stored.digest,
            "the bytes counted"
        );

        // A range across the boundary of two parts is the same bytes.
        let boundary = usize::try_from(places[2].byte_offset).expect("offset");
        let range = app
            .client
            .get(&url)
            .header("range", format!("bytes={}-{}", boundary - 7, boundary + 6))
            .send()
            .await
            .expect("range");
        assert_eq!(range.status(), 206);
        assert_eq!(
            range.bytes().await.expect("body"),
            file.slice(boundary - 7..boundary + 7)
        );

        // The first and last ballot of every part, and one in between, are found.
        let mut sorted = receipts.clone();
        sorted.sort();
        let mut anyone = app.visitor();
        let firsts: Vec<&str> = places.iter().filter_map(|p| p.first_receipt.as_deref()).collect();
        let mut probes = vec![
            sorted[0].as_str(),
            sorted[7_777].as_str(),
            sorted[sorted.len() - 1].as_str(),
        ];
        for first in &firsts[1..] {
            let at = sorted.partition_point(|r| r.as_str() < *first);
            probes.extend([sorted[at - 1].as_str(), sorted[at].as_str()]);
        }
        for receipt in probes {
            let (status, body) = anyone
                .send(CheckReceipt {
                    receipt: receipt.to_owned(),
                })
                .await;
            assert_eq!(status, 200, "{body}");
            assert!(body.contains("Counted"), "{receipt}: {body}");
        }
    }
);
