//! The server over real HTTP, each test on SQLite and on PostgreSQL. One test
//! binary, so that the shared helpers compile once.

#[macro_use]
mod common;
mod accounts;
mod builders;
mod downloads;
mod hardening;
mod headers;
mod integrity;
mod limits;
mod password_reset;
mod platform;
mod proposals;
mod results;
mod robustness;
mod rounds;
mod secrecy;
mod staff_accounts;
mod verification;
mod voting;
