//! `TestApp`: the real server on a free port, against a fresh database of
//! either kind. SQLite gets a temporary file; PostgreSQL a database of its own,
//! created for the test and dropped with the `TestApp` (even when the test
//! panics), so runs never collide and leave nothing behind.

use app::accounts::db as account;
use app::accounts::sign_in::Login;
use app::accounts::viewer::Role;
use app::geography::db as area;
use app::services::Services;
use leptos::server_fn::ServerFn;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde::Serialize;
use server::config::Config;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A request that takes longer has hung: the test fails naming it.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// How long clean-up waits for the app's connections to close. Idle ones close
/// at once; one the test's runtime was still handing back to the pool never
/// does, as that runtime has stopped: `DROP DATABASE … WITH (FORCE)` ends it.
const CLOSE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(50);

pub const PASSWORD: &str = "a long password";

/// The error a server function answered with.
pub fn error(body: &str) -> app::error::ApiError {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not an error: {body}"))
}

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub url: String,
    pub db: DatabaseConnection,
    pub services: Services,
    pub client: reqwest::Client,
    database_url: String,
    dir: PathBuf,
    pg_database: Option<String>,
    stop: Option<oneshot::Sender<()>>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "mahalle_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn with_database(url: &str, database: &str) -> String {
    match url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{database}"),
        None => format!("{url}/{database}"),
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        let name = unique_name();
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let (database_url, pg_database) = match backend {
            Backend::Sqlite => (format!("sqlite://{}", dir.join("mahalle.db").display()), None),
            Backend::Postgres => {
                let admin = Database::connect(admin_url())
                    .await
                    .expect("PostgreSQL at TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                (with_database(&admin_url(), &name), Some(name.clone()))
            }
        };
        let config = Config::from_lookup(|key| match key {
            "DATABASE_URL" => Some(database_url.clone()),
            "MAHALLE_SECRET_FILE" => Some(dir.join("secret.key").display().to_string()),
            "MAHALLE_SITE_ROOT" => Some(dir.join("site").display().to_string()),
            _ => None,
        })
        .expect("valid test configuration");
        let state = server::prepare(&config, true).await.expect("server prepares");
        let db = state.db.clone();
        let services = state.services.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("free port");
        let url = format!("http://{}", listener.local_addr().expect("bound address"));
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .expect("HTTP client");
        TestApp {
            url,
            db,
            services,
            client,
            database_url,
            dir,
            pg_database,
            stop: Some(stop),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request")
    }

    /// Runs SQL as the application runs its own statements (prepared), so that
    /// an error raised by a trigger comes back like any other.
    pub async fn execute_sql(&self, sql: &str) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.db
            .execute(sea_orm::Statement::from_string(self.db.get_database_backend(), sql))
            .await
    }

    /// A browser of its own: a cookie jar, no redirects followed.
    pub fn visitor(&self) -> Visitor {
        Visitor {
            base: self.url.clone(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(REQUEST_TIMEOUT)
                .build()
                .expect("HTTP client"),
            csrf: None,
            login: None,
            district: None,
        }
    }

    /// Creates an account directly in the database.
    pub async fn account(&self, login: &str, password: &str, role: Role, district: Option<i32>) -> i32 {
        let hash = self.services.hasher.hash(password.to_owned()).await.expect("hash");
        account::create(&self.db, login, role, district, hash)
            .await
            .expect("database")
            .expect("login is free")
            .id
    }

    /// The demo's districts, in order, with their neighborhoods.
    pub async fn districts(&self) -> Vec<(i32, Vec<i32>)> {
        let cities = area::cities(&self.db).await.expect("database");
        cities[0]
            .districts
            .iter()
            .map(|d| (d.id, d.neighborhoods.iter().map(|n| n.id).collect()))
            .collect()
    }

    /// Runs one of the server binary's operator commands on this platform's
    /// database and secret, and returns what it printed.
    pub fn command(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("MAHALLE_SECRET_FILE", self.dir.join("secret.key"))
            .env("MAHALLE_LOG", "debug")
            .output()
            .expect("the server binary runs")
    }

    /// The server binary as a second process on the same database and secret,
    /// as when several servers share one PostgreSQL. Killed when dropped.
    pub async fn second_process(&self) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("serve")
            .env("MAHALLE_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &self.database_url)
            .env("MAHALLE_SECRET_FILE", self.dir.join("secret.key"))
            .env("MAHALLE_SITE_ROOT", self.dir.join("site"))
            .env("MAHALLE_LOG", "warn")
            .spawn()
            .expect("server binary starts");
        // Made at once, so that the process is killed even if it never answers.
        let server = ServerProcess {
            url: format!("http://127.0.0.1:{port}"),
            child,
        };
        for _ in 0..300 {
            if let Ok(r) = self.client.get(format!("{}/healthz", server.url)).send().await
                && r.status().is_success()
            {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the second server did not become healthy at {}", server.url);
    }
}

/// Stops the server, closes what it can of its connections, drops its
/// PostgreSQL database and removes its folder: when the test ends, and when it
/// panics too. Drop cannot wait on the test's runtime, so the database work
/// runs on a thread of its own with a runtime of its own.
impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let db = self.db.clone();
        let pg_database = self.pg_database.take();
        let cleanup = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async move {
                let _ = tokio::time::timeout(CLOSE_TIMEOUT, db.close()).await;
                if let Some(name) = pg_database
                    && let Ok(admin) = Database::connect(admin_url()).await
                {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = cleanup.join();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct ServerProcess {
    pub url: String,
    child: std::process::Child,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Visitor {
    pub base: String,
    pub client: reqwest::Client,
    csrf: Option<String>,
    /// The login this visitor signed in with, as typed.
    login: Option<String>,
    /// The district of a staff member made by `TestApp::staff_of`.
    pub(crate) district: Option<i32>,
}

impl Visitor {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    /// The same visitor (cookies and all) talking to another server.
    pub fn at(&self, base: &str) -> Visitor {
        Visitor {
            base: base.to_owned(),
            client: self.client.clone(),
            csrf: self.csrf.clone(),
            login: self.login.clone(),
            district: self.district,
        }
    }

    /// The login this visitor signed in with.
    pub fn login(&self) -> &str {
        self.login.as_deref().expect("a visitor who signed in")
    }

    pub async fn page(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("body")
    }

    /// The anti-forgery token the site gave this visitor (visiting a page first).
    pub async fn csrf(&mut self) -> String {
        if let Some(token) = &self.csrf {
            return token.clone();
        }
        let page = self.page("/").await;
        let token = page
            .split(r#"<meta name="csrf-token" content=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page carries a CSRF token")
            .to_owned();
        self.csrf = Some(token.clone());
        token
    }

    /// Posts a form as the site's own pages do without JavaScript in a browser
    /// that sends no origin headers: with the token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.client
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .expect("request")
    }

    /// Calls server function `T` at its own path with fields as given, even
    /// malformed or missing ones, and returns its status and body.
    pub async fn call<T: ServerFn>(&mut self, fields: &[(&str, &str)]) -> (u16, String) {
        answer(self.post(T::PATH, fields).await).await
    }

    /// Calls the server function whose arguments `args` are, sent as the form
    /// its own pages post, and returns its status and body.
    pub async fn send<T: ServerFn + Serialize>(&mut self, args: T) -> (u16, String) {
        answer(self.post_args(args).await).await
    }

    /// Posts server function arguments as `send` does, for a test that looks at
    /// more of the response than its status and body.
    pub async fn post_args<T: ServerFn + Serialize>(&mut self, args: T) -> reqwest::Response {
        let token = self.csrf().await;
        let mut form = serde_urlencoded::to_string(&args).expect("the arguments make a form");
        if !form.is_empty() {
            form.push('&');
        }
        form.push_str(&serde_urlencoded::to_string([("csrf_token", token)]).expect("the token makes a field"));
        self.client
            .post(format!("{}{}", self.base, T::PATH))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn sign_in(&mut self, login: &str, password: &str) {
        let (status, body) = self
            .send(Login {
                login: login.to_owned(),
                password: password.to_owned(),
            })
            .await;
        assert!(status < 400, "sign-in refused: {status} {body}");
        self.login = Some(login.to_owned());
    }
}

async fn answer(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// Runs one async test body against SQLite and against PostgreSQL, the test and
/// its server on one thread: requests still interleave at every await and the
/// databases' connections still race.
macro_rules! on_both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                ($body)(common::Backend::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                ($body)(common::Backend::Postgres).await;
            }
        }
    };
}
