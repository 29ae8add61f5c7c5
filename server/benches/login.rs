//! Sign-in throughput through the real HTTP server: N accounts, C concurrent
//! clients each signing in repeatedly; prints logins/s and latency percentiles.
//! `cargo bench -p server --bench login [-- ACCOUNTS CLIENTS LOGINS]`.

mod support;

use app::accounts::db as account;
use app::accounts::viewer::Role;
use std::time::{Duration, Instant};
use support::{arg, fresh_server, latency_summary, serve};

async fn sign_in(base: &str, login: &str) -> Duration {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let html = client
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    let token = html
        .split(r#"<meta name="csrf-token" content=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("token")
        .to_owned();
    let start = Instant::now();
    let response = client
        .post(format!("{base}/api/login"))
        .form(&[("login", login), ("password", "bench password"), ("csrf_token", &token)])
        .send()
        .await
        .expect("sign-in");
    assert!(
        response.status().as_u16() < 400,
        "sign-in refused: {}",
        response.status()
    );
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let (accounts, clients, logins): (usize, usize, usize) = (arg(0, 200), arg(1, 16), arg(2, 400));
    let (state, fresh) = fresh_server("login", "sqlite", false).await;
    let hash = state.services.hasher.hash("bench password".into()).await.expect("hash");
    for i in 0..accounts {
        account::create(&state.db, &format!("0912{i:07}"), Role::Resident, None, hash.clone())
            .await
            .expect("account");
    }
    let base = serve(state).await;

    println!(
        "argon2id m={} KiB, t={}, p={}; {accounts} accounts, {clients} concurrent clients, {logins} sign-ins",
        app::password::MEMORY_KIB,
        app::password::ITERATIONS,
        app::password::LANES
    );
    let per_client = logins.div_ceil(clients);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let base = base.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    let login = format!("0912{:07}", (c * per_client + i) % accounts);
                    latencies.push(sign_in(&base, &login).await);
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client task"));
    }
    let elapsed = started.elapsed();
    println!(
        "{} sign-ins in {:.2} s: {:.1} logins/s; latency {}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        latency_summary(&mut latencies),
    );
    fresh.remove().await;
}
