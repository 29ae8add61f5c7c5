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
}

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
    #[error("MAHALLE_COUNT_SECONDS must be a whole number of seconds from 1, not {0:?}")]
    CountSeconds(String),
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
            count_limit: match get("MAHALLE_COUNT_SECONDS") {
                None => Duration::from_secs(600),
                Some(value) => match value.trim().parse::<u64>() {
                    Ok(seconds) if seconds > 0 => Duration::from_secs(seconds),
                    _ => return Err(ConfigError::CountSeconds(value)),
                },
            },
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
        for bad in ["0", "ten", "-5"] {
            let err = Config::from_lookup(|n| (n == "MAHALLE_COUNT_SECONDS").then(|| bad.to_owned()))
                .expect_err("not a time limit");
            assert!(err.to_string().contains("MAHALLE_COUNT_SECONDS"), "{err}");
        }
        let config = Config::from_lookup(|n| (n == "MAHALLE_COUNT_SECONDS").then(|| "90".to_owned())).expect("valid");
        assert_eq!(config.count_limit, Duration::from_secs(90));
    }
}
