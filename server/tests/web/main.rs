//! The server over real HTTP, each test on SQLite and on PostgreSQL. One test
//! binary, so that the shared helpers compile once.

#[macro_use]
mod common;
mod accounts;
mod platform;
mod results;
mod rounds;
mod voting;
