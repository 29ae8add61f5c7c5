//! Ballot throughput through the real HTTP server: N verified residents, each
//! signed in, cast one ballot each through C concurrent clients. Prints
//! ballots/s, latency percentiles and the number of ballots in the database
//! afterwards, which must equal N. Then the office's part of the same round:
//! closing and counting (writing the ballot file, counting it, storing the
//! snapshot), publishing, and the public results page and ballot download.
//!
//! `cargo bench -p server --bench ballots [-- VOTERS CLIENTS sqlite|postgres]`;
//! PostgreSQL uses a fresh database on `BENCH_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`), dropped afterwards.

mod rounds;
mod support;

use app::accounts::db as account;
use app::accounts::session::{ACCOUNT_KEY, DbSessionStore, SEEN_KEY};
use app::accounts::viewer::Role;
use app::rounds::Phase;
use app::verification::db as verification;
use app::voting::db as ballot;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{arg, fresh_server, latency_summary, serve};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

const PROJECTS: i32 = 10;
/// Residents are created in batches of this many rows per statement.
const BATCH: usize = 500;

/// A round in its voting phase on the demo's first district, approval of 3
/// out of [`PROJECTS`]; returns its id and its project ids.
async fn voting_round(
    db: &sea_orm::DatabaseConnection,
    office: i32,
    district: i32,
    neighborhood: i32,
) -> (i32, Vec<i32>) {
    let round = rounds::round(db, office, district, app::rounds::Phase::Voting).await;
    let mut projects = Vec::new();
    for i in 0..PROJECTS {
        let mut project = rounds::proposal(round, office, neighborhood, i as usize);
        project.status = Set(app::rounds::Status::Accepted);
        project.official_cost_rial = Set(Some(1_000_000_000 + i64::from(i) * 100_000_000));
        projects.push(project.insert(db).await.expect("project").id);
    }
    (round, projects)
}

/// `voters` verified, signed-in residents of `neighborhood`; returns their session cookies.
async fn residents(db: &sea_orm::DatabaseConnection, voters: usize, neighborhood: i32) -> Vec<String> {
    let now = chrono::Utc::now();
    let store = DbSessionStore::new(db.clone());
    let today = {
        use chrono::Datelike;
        now.date_naive().num_days_from_ce()
    };
    let mut cookies = Vec::with_capacity(voters);
    for start in (0..voters).step_by(BATCH) {
        let batch = start..(start + BATCH).min(voters);
        let logins: Vec<String> = batch.clone().map(|i| format!("voter{i}@bench.example")).collect();
        account::Entity::insert_many(logins.iter().map(|login| account::ActiveModel {
            login: Set(login.clone()),
            role: Set(Role::Resident.tag().to_owned()),
            district_id: Set(None),
            // Nobody signs in with a password here: sessions are made directly.
            password_hash: Set("-".to_owned()),
            created_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(db)
        .await
        .expect("accounts");
        let mut ids = Vec::with_capacity(logins.len());
        for login in &logins {
            ids.push(account::by_login(db, login).await.expect("db").expect("account").id);
        }
        verification::person::Entity::insert_many(ids.iter().map(|&id| verification::person::ActiveModel {
            account_id: Set(id),
            national_hash: Set(format!("{id:0>64}")),
            neighborhood_id: Set(neighborhood),
            birth_year: Set(1370),
            method: Set("census".to_owned()),
            verified_at: Set(now),
        }))
        .exec_without_returning(db)
        .await
        .expect("verified persons");
        for id in ids {
            let mut record = Record {
                id: Id::default(),
                // As a sign-in today leaves it.
                data: [
                    (ACCOUNT_KEY.to_owned(), serde_json::json!(id)),
                    (SEEN_KEY.to_owned(), serde_json::json!(today)),
                ]
                .into_iter()
                .collect(),
                expiry_date: time::OffsetDateTime::now_utc() + time::Duration::days(1),
            };
            store.create(&mut record).await.expect("session");
            cookies.push(format!("session={}", record.id));
        }
    }
    cookies
}

#[tokio::main]
async fn main() {
    let (voters, clients): (usize, usize) = (arg(0, 20_000), arg(1, 200));
    let kind: String = arg(2, "sqlite".to_owned());
    let (state, fresh) = fresh_server("ballot", &kind, true).await;
    let db = state.db.clone();
    let services = state.services.clone();
    let districts = app::geography::db::cities(&db).await.expect("demo city")[0]
        .districts
        .clone();
    let (district, neighborhood) = (districts[0].id, districts[0].neighborhoods[0].id);
    let office = account::create(&db, "office@bench.example", Role::Staff, Some(district), "-".to_owned())
        .await
        .expect("db")
        .expect("office account")
        .id;
    let (round, projects) = voting_round(&db, office, district, neighborhood).await;
    let prepared = Instant::now();
    let cookies = Arc::new(residents(&db, voters, neighborhood).await);
    println!(
        "{kind}: {voters} verified residents with sessions prepared in {:.1} s",
        prepared.elapsed().as_secs_f64()
    );

    let base = serve(state).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .expect("client");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, base, cookies, next) = (client.clone(), base.clone(), cookies.clone(), next.clone());
            let projects = projects.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(cookie) = cookies.get(i) else { break };
                    let choices = (0..3)
                        .map(|j| projects[(i + j * 3) % projects.len()].to_string())
                        .collect::<Vec<_>>()
                        .join(",");
                    let sent = Instant::now();
                    let response = client
                        .post(format!("{base}/api/cast-ballot"))
                        .header("cookie", cookie)
                        // What a browser says of a request from the site's own page.
                        .header("sec-fetch-site", "same-origin")
                        .form(&[("round_id", round.to_string()), ("choices", choices)])
                        .send()
                        .await
                        .expect("ballot request");
                    let status = response.status();
                    let body = response.text().await.unwrap_or_default();
                    assert!(status.is_success(), "ballot refused: {status} {body}");
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client task"));
    }
    let elapsed = started.elapsed();
    let stored = ballot::count(&db, round).await.expect("count");
    println!(
        "{kind}: {} ballots from {clients} concurrent clients in {:.2} s: {:.0} ballots/s; latency {}; ballots in the database: {stored}{}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        latency_summary(&mut latencies),
        if stored == voters as u64 { "" } else { " (MISMATCH)" },
    );
    if stored == voters as u64 {
        results(&db, &services, &client, &base, round, office).await;
    }
    drop(db);
    fresh.remove().await;
    if stored != voters as u64 {
        std::process::exit(1);
    }
}

/// Closes the round and times what follows: the count, the publication, and
/// a visitor's results page and ballot file.
async fn results(
    db: &sea_orm::DatabaseConnection,
    services: &app::services::Services,
    client: &reqwest::Client,
    base: &str,
    round: i32,
    office: i32,
) {
    let voting = app::rounds::db::by_id(db, round).await.expect("db").expect("round");
    let closed = app::rounds::db::advance(db, round, voting.district_id, Phase::Voting, Phase::Closed)
        .await
        .expect("close");
    assert!(closed, "the round was voting");
    let r = app::rounds::db::by_id(db, round).await.expect("db").expect("round");
    let counted = Instant::now();
    app::results::count::draft(services, &r, office).await.expect("count");
    let counting = counted.elapsed();
    let r = app::rounds::db::by_id(db, round).await.expect("db").expect("round");
    let published = Instant::now();
    app::results::count::publish(services, &r, office)
        .await
        .expect("publish");
    let publishing = published.elapsed();
    let timed_get = async |path: &str| {
        let sent = Instant::now();
        let response = client.get(format!("{base}{path}")).send().await.expect("request");
        assert!(response.status().is_success(), "{path}: {}", response.status());
        let body = response.text().await.expect("body");
        (sent.elapsed(), body.len())
    };
    let (page, page_bytes) = timed_get(&format!("/rounds/{round}/results")).await;
    let (file, file_bytes) = timed_get(&format!("/rounds/{round}/results/1/ballots.pb")).await;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "results: count and store {:.0} ms, publish {:.0} ms; results page {:.0} ms ({} KB); ballot file {:.0} ms ({} KB)",
        ms(counting),
        ms(publishing),
        ms(page),
        page_bytes / 1024,
        ms(file),
        file_bytes / 1024
    );
}
