//! The public list of a round's proposals with thousands of them: N
//! proposals spread over the demo district's neighborhoods and every category,
//! then R requests of each kind of list page (plain, search, filters and
//! order, a deep page) through the real HTTP server from C concurrent
//! clients. Prints each kind's p50/p99 and the size of its page.
//!
//! `cargo bench -p server --bench proposals [-- PROPOSALS REQUESTS CLIENTS sqlite|postgres]`

mod rounds;
mod support;

use app::accounts::db as account;
use app::accounts::viewer::Role;
use app::rounds::proposal_db::proposal;
use sea_orm::EntityTrait;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{arg, fresh_server, latency_summary, serve};

/// Proposals are inserted this many rows per statement.
const BATCH: usize = 500;

#[tokio::main]
async fn main() {
    let (count, requests, clients): (usize, usize, usize) = (arg(0, 5_000), arg(1, 200), arg(2, 4));
    let kind: String = arg(3, "sqlite".to_owned());
    let (state, fresh) = fresh_server("proposals", &kind, true).await;
    let db = state.db.clone();
    let district = app::geography::db::cities(&db).await.expect("demo city")[0].districts[0].clone();
    let neighborhoods: Vec<i32> = district.neighborhoods.iter().map(|n| n.id).collect();
    let office = account::create(
        &db,
        "office@bench.example",
        Role::Staff,
        Some(district.id),
        "-".to_owned(),
    )
    .await
    .expect("db")
    .expect("office account")
    .id;
    let round = rounds::round(&db, office, district.id, app::rounds::Phase::Review).await;
    for start in (0..count).step_by(BATCH) {
        let batch = (start..(start + BATCH).min(count))
            .map(|i| rounds::proposal(round, office, neighborhoods[i % neighborhoods.len()], i));
        proposal::Entity::insert_many(batch)
            .exec_without_returning(&db)
            .await
            .expect("proposals");
    }
    let base = Arc::new(serve(state).await);
    let client = reqwest::Client::new();
    let last_page = count.div_ceil(20);
    let pages = [
        ("newest first, page 1", format!("/rounds/{round}")),
        ("search a title word", format!("/rounds/{round}?q=4217")),
        (
            "category, cheapest first",
            format!("/rounds/{round}?category=green&sort=cost"),
        ),
        (
            "neighborhood and status, page 20",
            format!(
                "/rounds/{round}?neighborhood={}&status=submitted&page=20",
                neighborhoods[0]
            ),
        ),
        (
            "by title, last page",
            format!("/rounds/{round}?sort=title&page={last_page}"),
        ),
    ];
    println!("{kind}: {count} proposals; {requests} requests of each page from {clients} clients");
    for (name, path) in pages {
        let started = Instant::now();
        let tasks: Vec<_> = (0..clients)
            .map(|c| {
                let (client, base, path) = (client.clone(), base.clone(), path.clone());
                let share = requests / clients + usize::from(c < requests % clients);
                tokio::spawn(async move {
                    let mut timed = Vec::with_capacity(share);
                    for _ in 0..share {
                        let sent = Instant::now();
                        let response = client.get(format!("{base}{path}")).send().await.expect("request");
                        assert!(response.status().is_success(), "{path}: {}", response.status());
                        let bytes = response.bytes().await.expect("body").len();
                        timed.push((sent.elapsed(), bytes));
                    }
                    timed
                })
            })
            .collect();
        let mut latencies: Vec<Duration> = Vec::new();
        let mut bytes = 0;
        for task in tasks {
            for (latency, size) in task.await.expect("client task") {
                latencies.push(latency);
                bytes = size;
            }
        }
        println!(
            "{name}: {:.0} pages/s; latency {}; {} KB",
            latencies.len() as f64 / started.elapsed().as_secs_f64(),
            latency_summary(&mut latencies),
            bytes / 1024
        );
    }
    drop(db);
    fresh.remove().await;
}
