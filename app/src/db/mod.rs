//! The data layer: sea-orm entities and the named queries the server functions
//! call. The same code runs on SQLite and PostgreSQL.

pub mod account;
pub mod area;
pub mod audit;
pub mod ballot;
pub mod progress;
pub mod result;
pub mod round;
pub mod session;
pub mod throttle;
pub mod verification;
