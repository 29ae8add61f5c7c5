//! The server over real HTTP, each test on SQLite and on PostgreSQL. One test
//! binary, so that the shared helpers compile once.

#[macro_use]
mod common;
mod accounts;
mod builders;
mod hardening;
mod integrity;
mod limits;
mod platform;
mod proposals;
mod results;
mod rounds;
mod secrecy;
mod verification;
mod voting;
