//! Voting: the ballot rules (shared by the page and the server), casting a
//! checked ballot under the voter's pseudonym, the ballot box that files
//! ballots in groups on SQLite, the cache of voting rounds, and the ballot page.

pub mod ballot;
#[cfg(feature = "ssr")]
pub mod ballot_box;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod cast;
#[cfg(feature = "ssr")]
pub mod db;
pub mod mine;
pub mod page;
