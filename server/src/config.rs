//! Configuration: one typed struct, read once at start-up from the environment.
//! Every setting has a default so that the embedded mode needs none.

use crate::client_ip::TrustedProxies;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `MAHALLE_ADDR`: where to listen.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://…` (default, a file under `./data/`) or `postgres://…`.
    pub database_url: String,
    /// `MAHALLE_SECRET_FILE`: the server secret (keyed hashes, tokens); created on first start.
    pub secret_file: PathBuf,
    /// `MAHALLE_LOG`: a tracing filter such as `info` or `debug,sqlx=warn`.
    pub log: String,
    /// `MAHALLE_SITE_ROOT`: the built browser bundle, stylesheet and fonts.
    pub site_root: PathBuf,
    /// `MAHALLE_HTTPS`: `true` when visitors reach the site over HTTPS (through a
    /// TLS-terminating proxy); session cookies are then marked `Secure`.
    pub https: bool,
    /// `MAHALLE_TRUSTED_PROXIES`: the proxies in front (addresses and CIDR
    /// ranges, comma-separated; none by default) whose `X-Forwarded-For` names
    /// the client that the per-address limits count.
    pub trusted_proxies: TrustedProxies,
    /// `MAHALLE_COUNT_SECONDS`: how long a count of a round may run before it is
    /// stopped with an error (600 by default; a city's round counts in seconds).
    pub count_limit: Duration,
    /// `MAHALLE_DB_POOL`: how many database connections each server process
    /// keeps (8 on SQLite, 20 on PostgreSQL unless set).
    pub db_pool: Option<u32>,
    /// `MAHALLE_MAX_IN_FLIGHT`: how many requests one process works on at once;
    /// beyond it visitors are told to try again in a moment.
    pub max_in_flight: usize,
}

/// Requests one process works on at once unless configured.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} must be an address such as 127.0.0.1:3000, not {value:?}")]
    Address { name: &'static str, value: String },
    #[error("DATABASE_URL must start with sqlite: or postgres://, not {0:?}")]
    DatabaseUrl(String),
    #[error("MAHALLE_HTTPS must be true or false, not {0:?}")]
    Https(String),
    #[error(
        "MAHALLE_TRUSTED_PROXIES must list addresses or CIDR ranges separated by commas \
         (such as 127.0.0.1, 10.0.0.0/8, fd00::/8); {0:?} is neither"
    )]
    TrustedProxy(String),
    #[error("{name} must be a whole number from 1, not {value:?}")]
    Positive { name: &'static str, value: String },
}

/// The whole number from 1 that `name` is set to, if it is set.
fn positive(get: &impl Fn(&str) -> Option<String>, name: &'static str) -> Result<Option<u64>, ConfigError> {
    get(name)
        .map(|value| match value.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ConfigError::Positive { name, value }),
        })
        .transpose()
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mahalle.db";

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let addr = match get("MAHALLE_ADDR") {
            Some(value) => value.parse().map_err(|_| ConfigError::Address {
                name: "MAHALLE_ADDR",
                value,
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::DatabaseUrl(database_url));
        }
        Ok(Config {
            addr,
            database_url,
            secret_file: get("MAHALLE_SECRET_FILE").map_or_else(|| PathBuf::from("data/secret.key"), PathBuf::from),
            log: get("MAHALLE_LOG").unwrap_or_else(|| "info".to_owned()),
            site_root: get("MAHALLE_SITE_ROOT").map_or_else(|| PathBuf::from("target/site"), PathBuf::from),
            https: match get("MAHALLE_HTTPS").as_deref() {
                None | Some("false" | "0") => false,
                Some("true" | "1") => true,
                Some(other) => return Err(ConfigError::Https(other.to_owned())),
            },
            trusted_proxies: TrustedProxies::parse(&get("MAHALLE_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(ConfigError::TrustedProxy)?,
            count_limit: Duration::from_secs(positive(&get, "MAHALLE_COUNT_SECONDS")?.unwrap_or(600)),
            db_pool: positive(&get, "MAHALLE_DB_POOL")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            max_in_flight: positive(&get, "MAHALLE_MAX_IN_FLIGHT")?
                .map_or(DEFAULT_MAX_IN_FLIGHT, |n| usize::try_from(n).unwrap_or(usize::MAX)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_configuration_means_the_embedded_default() {
        let config = Config::from_lookup(|_| None).expect("defaults are valid");
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.secret_file, PathBuf::from("data/secret.key"));
        assert_eq!(config.count_limit, Duration::from_secs(600));
        assert_eq!((config.db_pool, config.max_in_flight), (None, DEFAULT_MAX_IN_FLIGHT));
        assert!(
            config.trusted_proxies.is_empty(),
            "no proxy is trusted unless configured"
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let config = Config::from_lookup(|n| {
            (n == "MAHALLE_TRUSTED_PROXIES").then(|| "127.0.0.1, 10.0.0.0/8, fd00::/8".to_owned())
        })
        .expect("a valid list");
        assert!(config.trusted_proxies.contains("10.1.2.3".parse().expect("an address")));
        assert!(config.trusted_proxies.contains("fd00::1".parse().expect("an address")));
        assert!(
            !config
                .trusted_proxies
                .contains("203.0.113.7".parse().expect("an address"))
        );
        let err =
            Config::from_lookup(|n| (n == "MAHALLE_TRUSTED_PROXIES").then(|| "127.0.0.1, proxy.local".to_owned()))
                .expect_err("not an address");
        assert!(err.to_string().contains("MAHALLE_TRUSTED_PROXIES"));
        assert!(err.to_string().contains("\"proxy.local\""), "{err}");
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        let err =
            Config::from_lookup(|n| (n == "MAHALLE_ADDR").then(|| "nowhere".to_owned())).expect_err("not an address");
        assert!(err.to_string().contains("MAHALLE_ADDR"));
        let err = Config::from_lookup(|n| (n == "DATABASE_URL").then(|| "mysql://x".to_owned()))
            .expect_err("unsupported database");
        assert!(err.to_string().contains("DATABASE_URL"));
        for name in ["MAHALLE_COUNT_SECONDS", "MAHALLE_DB_POOL", "MAHALLE_MAX_IN_FLIGHT"] {
            for bad in ["0", "ten", "-5"] {
                let err =
                    Config::from_lookup(|n| (n == name).then(|| bad.to_owned())).expect_err("not a number from 1");
                assert!(err.to_string().contains(name), "{err}");
            }
        }
        let config = Config::from_lookup(|n| match n {
            "MAHALLE_COUNT_SECONDS" => Some("90".to_owned()),
            "MAHALLE_DB_POOL" => Some("40".to_owned()),
            "MAHALLE_MAX_IN_FLIGHT" => Some(" 300 ".to_owned()),
            _ => None,
        })
        .expect("valid");
        assert_eq!(config.count_limit, Duration::from_secs(90));
        assert_eq!((config.db_pool, config.max_in_flight), (Some(40), 300));
    }
}
