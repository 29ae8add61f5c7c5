//! What the benchmarks share: arguments, a fresh server, latency figures.

use sea_orm::ConnectionTrait;
use std::path::PathBuf;
use std::time::Duration;

/// A fresh database for a benchmark, and where it lives.
pub struct Fresh {
    pub dir: PathBuf,
    /// The PostgreSQL server and database to drop afterwards.
    postgres: Option<(String, String)>,
}

/// A prepared server (with the demo city when `demo`) on a fresh database:
/// a SQLite file in a temporary folder of its own, or with `kind` "postgres" a
/// database of its own on `BENCH_POSTGRES_URL` (default
/// `postgres://postgres@127.0.0.1:5432/test`).
pub async fn fresh_server(name: &str, kind: &str, demo: bool) -> (server::web::AppState, Fresh) {
    let dir = std::env::temp_dir().join(format!("mahalle-{name}-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let (url, postgres) = if kind == "postgres" {
        let admin = std::env::var("BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let database = format!("mahalle_bench_{}", std::process::id());
        sea_orm::Database::connect(&admin)
            .await
            .expect("PostgreSQL")
            .execute_unprepared(&format!("CREATE DATABASE {database}"))
            .await
            .expect("create database");
        let url = match admin.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{database}"),
            None => format!("{admin}/{database}"),
        };
        (url, Some((admin, database)))
    } else {
        (format!("sqlite://{}", dir.join("bench.db").display()), None)
    };
    let config = server::config::Config::from_lookup(|key| match key {
        "DATABASE_URL" => Some(url.clone()),
        "MAHALLE_SECRET_FILE" => Some(dir.join("secret.key").display().to_string()),
        _ => None,
    })
    .expect("configuration");
    let state = server::prepare(&config, demo).await.expect("server prepares");
    (state, Fresh { dir, postgres })
}

impl Fresh {
    /// Removes the folder and drops the PostgreSQL database.
    pub async fn remove(self) {
        if let Some((admin, database)) = self.postgres
            && let Ok(admin) = sea_orm::Database::connect(&admin).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                .await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Serves `state` on a free port of this machine; returns its address.
pub async fn serve(state: server::web::AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    base
}

/// The `n`th positional argument, or `default`.
pub fn arg<T: std::str::FromStr>(n: usize, default: T) -> T {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// "p50 … ms, p99 … ms, max … ms" of latencies (sorted here).
pub fn latency_summary(latencies: &mut [Duration]) -> String {
    latencies.sort();
    let at = |p: f64| {
        let index = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies.get(index).copied().unwrap_or_default().as_secs_f64() * 1e3
    };
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        at(0.50),
        at(0.99),
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    )
}
