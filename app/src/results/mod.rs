//! Results: counting a closed round into an immutable snapshot, publishing
//! and correcting it, receipts, turnout, progress reports on funded projects,
//! and the pages that show them.

pub mod ballot_file;
pub mod chart;
#[cfg(feature = "ssr")]
pub mod count;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod load;
pub mod office_actions;
pub mod office_panel;
pub mod page;
pub mod progress;
#[cfg(feature = "ssr")]
pub mod progress_db;
pub mod progress_page;
pub mod receipt_page;
#[cfg(feature = "ssr")]
pub mod receipts;
pub mod recount;
pub mod snapshot;
#[cfg(feature = "ssr")]
pub mod turnout;
pub mod views;
