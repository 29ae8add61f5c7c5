//! Results over real HTTP, on SQLite and PostgreSQL: closing counts, staff
//! review and publish, nothing published can change, the downloads match their
//! digest and recount on the command line, receipts find their ballots,
//! corrections supersede without erasing, and funded projects report progress.

use crate::builders::{RoundOptions, advance};
use crate::common;
use crate::voting::{cast, receipt};

use app::error::ApiError;
use app::results::office_actions::{CorrectResult, CountRound, OfficeResult, PublishResult, RecordProgress};
use app::results::receipt_page::CheckReceipt;
use app::rounds::Phase;
use common::{Backend, TestApp, Visitor, error};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};

/// A published-ready round: three residents voted (project 0 by all three,
/// project 1 by two, project 2 by nobody); returns the app, the office, the
/// round, its projects and the three receipts.
async fn voted_round(backend: Backend) -> (TestApp, Visitor, i32, Vec<i32>, Vec<String>) {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let round = app.round_in(Phase::Voting, &mut office, RoundOptions::default()).await;
    let p = app.projects(round).await;
    let mut receipts = Vec::new();
    for (i, choices) in [
        format!("{},{}", p[0], p[1]),
        p[0].to_string(),
        format!("{},{}", p[1], p[0]),
    ]
    .iter()
    .enumerate()
    {
        let mut voter = app.verified_resident(neighborhoods[i % 2]).await;
        let (status, body) = cast(&mut voter, round, choices).await;
        assert_eq!(status, 200, "{body}");
        receipts.push(receipt(&body).replace('-', ""));
    }
    (app, office, round, p, receipts)
}

fn check(receipt: &str) -> CheckReceipt {
    CheckReceipt {
        receipt: receipt.to_owned(),
    }
}

async fn download(app: &TestApp, round: i32, version: i32, file: &str) -> (u16, String) {
    let response = app.get(&format!("/rounds/{round}/results/{version}/{file}")).await;
    let status = response.status().as_u16();
    // The bytes as sent: text() would drop a byte order mark.
    let body = response.bytes().await.expect("body");
    (status, String::from_utf8(body.to_vec()).expect("UTF-8"))
}

async fn public_page(app: &TestApp, path: &str) -> String {
    app.get(path).await.text().await.expect("page")
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn audit_count(app: &TestApp, action: &str) -> u64 {
    app::accounts::audit::Entity::find()
        .filter(app::accounts::audit::Column::Action.eq(action))
        .count(&app.db)
        .await
        .expect("audit")
}

/// Runs `server tally` on a downloaded ballot file, as anyone could, and
/// returns what it printed.
fn command_line(app: &TestApp, file: &str, args: &[&str]) -> String {
    let path = std::env::temp_dir().join(format!("{}-ballots.pb", app.url.replace([':', '/', '.'], "_")));
    std::fs::write(&path, file).expect("write the download");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("tally")
        .arg(&path)
        .args(args)
        .output()
        .expect("server tally runs");
    let _ = std::fs::remove_file(&path);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn command_line_json(app: &TestApp, file: &str, rule: &str, tie: &str) -> serde_json::Value {
    let printed = command_line(app, file, &["--rule", rule, "--tie", tie, "--json"]);
    serde_json::from_str(&printed).expect("one JSON object")
}

fn command_line_winners(app: &TestApp, file: &str, rule: &str, tie: &str) -> Vec<String> {
    command_line_json(app, file, rule, tie)["winners"]
        .as_array()
        .expect("winners")
        .iter()
        .map(|w| w.as_str().expect("ids as strings").to_owned())
        .collect()
}

on_both_databases!(
    closing_counts_and_publishing_freezes_the_result,
    |backend: Backend| async move {
        let (app, mut office, round, p, receipts) = voted_round(backend).await;
        let (other_district, _) = app.districts().await[1].clone();
        let mut stranger = app.staff_of(other_district).await;

        // Before voting closes nothing can be counted or published.
        let (status, body) = office.send(PublishResult { id: round }).await;
        assert_eq!((status, error(&body)), (409, ApiError::WrongPhase));
        let (status, body) = office.send(CountRound { id: round }).await;
        assert_eq!((status, error(&body)), (409, ApiError::WrongPhase));
        assert!(
            public_page(&app, &format!("/rounds/{round}/results"))
                .await
                .contains("هنوز منتشر نشده")
        );

        let (status, body) = advance(&mut office, round, "closed").await;
        assert!(status < 400, "{body}");
        // The draft exists for the office, and nowhere in public.
        let (status, body) = office.send(OfficeResult { id: round }).await;
        assert_eq!(status, 200, "{body}");
        let draft: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(draft["latest"]["ballots"], 3);
        assert_eq!(
            download(&app, round, 1, "ballots.pb").await.0,
            404,
            "drafts are not served"
        );
        let (status, body) = office.send(CountRound { id: round }).await;
        assert_eq!((status, error(&body)), (409, ApiError::AlreadyCounted));

        // Only the round's own office publishes.
        let (status, body) = stranger.send(PublishResult { id: round }).await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
        let mut voter = app.resident().await;
        let (status, body) = voter.send(PublishResult { id: round }).await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden));

        let (status, body) = office.send(PublishResult { id: round }).await;
        assert!(status < 400, "{body}");
        let (status, body) = office.send(PublishResult { id: round }).await;
        assert_eq!((status, error(&body)), (409, ApiError::WrongPhase), "published once");
        assert_eq!(audit_count(&app, "publish-result").await, 1);

        // The page, its digest and the downloads agree.
        let page = public_page(&app, &format!("/rounds/{round}/results")).await;
        let (status, file) = download(&app, round, 1, "ballots.pb").await;
        assert_eq!(status, 200);
        let digest = sha256_hex(&file);
        assert!(
            page.contains(&digest),
            "the page shows the SHA-256 of the downloaded file"
        );
        assert!(
            page.contains("<svg") && page.contains("Project number 0"),
            "chart and projects"
        );
        for r in &receipts {
            assert!(
                file.contains(&format!("\n{r};")),
                "receipt {r} is a voter id of the file"
            );
        }
        for account in app::accounts::db::Entity::find().all(&app.db).await.expect("accounts") {
            assert!(!file.contains(&account.login), "nothing about any person");
        }
        let (status, json) = download(&app, round, 1, "results.json").await;
        assert_eq!(status, 200);
        let json: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(json["result"]["digest"], digest);
        let winners: Vec<String> = json["result"]["winners"]
            .as_array()
            .expect("winners")
            .iter()
            .map(|w| w.to_string())
            .collect();
        assert_eq!(winners.len(), 2);
        assert!(winners.contains(&p[0].to_string()) && winners.contains(&p[1].to_string()));
        assert!(!winners.contains(&p[2].to_string()), "nobody voted for it");
        assert_eq!(
            command_line_winners(&app, &file, "equalshares-add1", "cost-votes"),
            winners,
            "the command line recounts the same winners in the same order"
        );
        // One figure for one cost: Toman in the text, as on the pages; the
        // file's own unit, Rial, in the JSON.
        let report = command_line(&app, &file, &["--rule", "equalshares-add1", "--tie", "cost-votes"]);
        assert!(report.contains(&format!("{}  cost 300000 Toman", p[0])), "{report}");
        assert!(
            report.contains("budget used: 500000 Toman of 1000000 Toman"),
            "{report}"
        );
        let json = command_line_json(&app, &file, "equalshares-add1", "cost-votes");
        assert_eq!(
            (json["budget_used"].as_u64(), json["budget"].as_u64()),
            (Some(5_000_000), Some(10_000_000))
        );
        let (status, csv) = download(&app, round, 1, "results.csv").await;
        assert_eq!(status, 200);
        assert_eq!(csv.lines().count(), 4, "a header and three projects: {csv}");
        assert!(csv.starts_with("\u{feff}project_id,title,cost_toman,"), "{csv}");
        assert!(csv.contains(",300000,"), "costs in Toman: {csv}");

        // Nothing stored can be changed, by any statement.
        for sql in [
            "UPDATE result_snapshot SET body = '{}'",
            "DELETE FROM result_snapshot",
            "UPDATE result_ballot_part SET body = ''",
            "DELETE FROM result_ballot_part",
            "DELETE FROM result_publication",
        ] {
            assert!(app.execute_sql(sql).await.is_err(), "{sql} was refused");
        }
        assert_eq!(download(&app, round, 1, "ballots.pb").await.1, file);
    }
);

on_both_databases!(
    receipts_find_their_ballots_and_corrections_supersede,
    |backend: Backend| async move {
        let (app, mut office, round, _, receipts) = voted_round(backend).await;
        let mut anyone = app.visitor();
        let (status, body) = anyone.send(check(&receipts[0])).await;
        assert_eq!(status, 200);
        assert_eq!(body, "\"NotYetPublished\"");
        advance(&mut office, round, "closed").await;
        office.send(PublishResult { id: round }).await;

        for (i, r) in receipts.iter().enumerate() {
            // Grouped, lower case, Persian digits: however the voter types it.
            let typed: String = app::code::display(r)
                .to_lowercase()
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32(0x06F0 + d).unwrap_or(c),
                    None => c,
                })
                .collect();
            let (status, body) = anyone.send(check(&typed)).await;
            assert_eq!(status, 200, "{body}");
            let found: serde_json::Value = serde_json::from_str(&body).expect("json");
            let choices = found["Counted"]["choices"].as_array().expect("counted").len();
            assert_eq!(choices, [2, 1, 2][i], "receipt {r} shows its ballot as cast");
        }
        let page = public_page(&app, &format!("/check?receipt={}", receipts[1])).await;
        assert!(
            page.contains("Project number 0") && page.contains("همان‌طور که دادید"),
            "works without JavaScript"
        );
        let (status, body) = anyone.send(check("ABCDEFGHJKMNPQRSTVWX")).await;
        assert_eq!((status, error(&body)), (404, ApiError::ReceiptUnknown));
        let (status, body) = anyone.send(check("not a receipt")).await;
        assert_eq!((status, error(&body)), (400, ApiError::ReceiptInvalid));

        // A correction sets one ballot aside; the first result stays public.
        let (_, first) = download(&app, round, 1, "ballots.pb").await;
        let set_aside = receipts[2].clone();
        let correct = |reason: &str, set_aside: &str| CorrectResult {
            id: round,
            reason: reason.to_owned(),
            set_aside: set_aside.to_owned(),
        };
        let (status, body) = office.send(correct(" ", &set_aside)).await;
        assert_eq!((status, error(&body)), (400, ApiError::ReasonRequired));
        let (status, body) = office.send(correct("رأی تکراری", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ")).await;
        assert_eq!(
            (status, error(&body)),
            (404, ApiError::ReceiptUnknown),
            "only this round's ballots"
        );
        let (status, body) = office.send(correct("رأی تکراری", &set_aside)).await;
        assert!(status < 400, "{body}");
        assert_eq!(audit_count(&app, "correct-result").await, 1);

        let (status, second) = download(&app, round, 2, "ballots.pb").await;
        assert_eq!(status, 200);
        assert!(!second.contains(&receipts[2]) && second.contains(&receipts[0]));
        assert_eq!(
            download(&app, round, 1, "ballots.pb").await.1,
            first,
            "the first result is kept"
        );
        let page = public_page(&app, &format!("/rounds/{round}/results")).await;
        assert!(
            page.contains("رأی تکراری") && page.contains(&sha256_hex(&second)) && page.contains(&sha256_hex(&first))
        );
        let (_, body) = anyone.send(check(&receipts[2])).await;
        assert!(body.contains("SetAside"), "{body}");
        let (_, body) = anyone.send(check(&receipts[0])).await;
        let found: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(found["Counted"]["version"], 2);
    }
);

on_both_databases!(
    funded_projects_report_progress_in_public,
    |backend: Backend| async move {
        let (app, mut office, round, p, _) = voted_round(backend).await;
        let (district, _) = app.districts().await[0];
        let (other_district, _) = app.districts().await[1].clone();
        let send = async |visitor: &mut Visitor, project: i32, stage: &str, percent: &str, note: &str| {
            visitor
                .send(RecordProgress {
                    project,
                    stage: stage.to_owned(),
                    percent: percent.to_owned(),
                    spent: "۲۵۰۰۰۰".to_owned(),
                    note: note.to_owned(),
                })
                .await
        };
        let (status, body) = send(&mut office, p[0], "in-progress", "10", "").await;
        assert_eq!(
            (status, error(&body)),
            (409, ApiError::NotFunded),
            "not before publication"
        );
        advance(&mut office, round, "closed").await;
        office.send(PublishResult { id: round }).await;

        let (status, body) = send(&mut office, p[2], "in-progress", "10", "").await;
        assert_eq!((status, error(&body)), (409, ApiError::NotFunded), "only winners");
        let mut stranger = app.staff_of(other_district).await;
        let (status, body) = send(&mut stranger, p[0], "in-progress", "10", "").await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
        let (status, body) = send(&mut office, p[0], "in-progress", "150", "").await;
        assert_eq!((status, error(&body)), (400, ApiError::ProgressInvalid));
        let (status, body) = send(&mut office, p[0], "cancelled", "0", " ").await;
        assert_eq!((status, error(&body)), (400, ApiError::ReasonRequired));
        let (status, body) = send(&mut office, p[0], "in-progress", "۴۰", "کلنگ‌زنی انجام شد").await;
        assert!(status < 400, "{body}");
        let (status, body) = send(&mut office, p[1], "cancelled", "0", "زمین در دسترس نیست").await;
        assert!(status < 400, "{body}");
        assert_eq!(audit_count(&app, "record-progress").await, 2);
        assert_eq!(
            app::results::progress_db::Entity::find()
                .count(&app.db)
                .await
                .expect("updates"),
            2,
            "refused updates changed nothing"
        );
        assert!(
            app.execute_sql("UPDATE progress_update SET percent = 100")
                .await
                .is_err()
        );

        let page = public_page(&app, &format!("/districts/{district}/projects")).await;
        for text in [
            "Project number 0",
            "در حال اجرا",
            "کلنگ‌زنی انجام شد",
            "لغوشده",
            "زمین در دسترس نیست",
            "۲۵۰٬۰۰۰ تومان",
        ] {
            assert!(page.contains(text), "the district's page shows {text}");
        }
        let elsewhere = public_page(&app, &format!("/districts/{other_district}/projects")).await;
        assert!(!elsewhere.contains("Project number 0"));
    }
);

on_both_databases!(
    a_correction_sets_a_thousand_ballots_aside_at_once,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let mut voting = app.voting_round().await;
        let receipts = app.ballots_written(&voting, voting.projects[0], 2_500).await;
        let (office, round) = (&mut voting.office, voting.round);
        crate::builders::move_to(office, round, &[Phase::Closed]).await;
        let (status, body) = office.send(PublishResult { id: round }).await;
        assert!(status < 400, "{status} {body}");

        // A thousand receipts, each listed twice (as printed and as typed).
        let listed: Vec<String> = receipts[..1_000]
            .iter()
            .flat_map(|r| [app::code::display(r), r.to_lowercase()])
            .collect();
        let (status, body) = office
            .send(CorrectResult {
                id: round,
                reason: "ballots of a closed polling desk".to_owned(),
                set_aside: listed.join("\n"),
            })
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, file) = download(&app, round, 2, "ballots.pb").await;
        assert_eq!(status, 200);
        let counted = file.lines().skip_while(|l| *l != "VOTES").skip(2).count();
        assert_eq!(counted, 1_500, "each set-aside ballot left out once");
        let mut anyone = app.visitor();
        let (_, body) = anyone.send(check(&receipts[0])).await;
        assert!(body.contains("SetAside"), "{body}");
        let (_, body) = anyone.send(check(&receipts[2_000])).await;
        assert!(body.contains("Counted"), "{body}");
    }
);

on_both_databases!(
    a_replaced_ballots_receipt_says_it_was_replaced,
    |backend: Backend| async move {
        let (app, _, round, p, _) = voted_round(backend).await;
        let neighborhood = app.districts().await[0].1[0];
        let mut voter = app.verified_resident(neighborhood).await;
        let mut receipt_of = async |choices: String| {
            let (status, body) = cast(&mut voter, round, &choices).await;
            assert_eq!(status, 200, "{body}");
            receipt(&body).replace('-', "")
        };
        let first = receipt_of(p[0].to_string()).await;
        assert_eq!(
            receipt_of(p[0].to_string()).await,
            first,
            "the same choices keep their receipt"
        );
        let second = receipt_of(p[1].to_string()).await;
        assert_ne!(second, first);

        let mut anyone = app.visitor();
        let (status, body) = anyone.send(check(&first)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, format!("{{\"Replaced\":{{\"round_id\":{round}}}}}"));
        let (_, body) = anyone.send(check(&second)).await;
        assert_eq!(body, "\"NotYetPublished\"", "the later ballot is the one on file");
        let page = public_page(&app, &format!("/check?receipt={first}")).await;
        assert!(page.contains("عوض کرده است"), "explained without JavaScript");
        assert!(
            !page.contains(&second) && !page.contains(&app::code::display(&second)),
            "nothing of the later ballot"
        );
    }
);
