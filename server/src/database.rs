//! Opening the database: SQLite (embedded default) or PostgreSQL, same code.

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Connects with `pool` connections (8 on SQLite, 20 on PostgreSQL when not
/// given), creating the SQLite file and its folder when they do not exist yet.
pub async fn connect(url: &str, pool: Option<u32>) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    if let Some(path) = sqlite_path(url) {
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
        }
        // WAL lets readers proceed during a write; the busy timeout makes writers
        // queue instead of failing with "database is locked".
        // A file on this machine does not drop connections: checking each one
        // before use would only add a round trip to every query.
        options
            .max_connections(pool.unwrap_or(8))
            .test_before_acquire(false)
            .map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
    } else {
        options.max_connections(pool.unwrap_or(20));
    }
    Database::connect(options).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// The file of a `sqlite:` URL, if it names one.
/// The SQLite file `url` names, when there is no such file yet.
pub fn missing_sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(sqlite_path(url)?);
    (!path.exists()).then(|| std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_path("sqlite://data/mahalle.db"), Some("data/mahalle.db"));
        assert_eq!(sqlite_path("sqlite:///tmp/x.db?mode=rwc"), Some("/tmp/x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/test"), None);
    }
}
