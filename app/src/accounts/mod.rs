//! Accounts: registration and sign-in, sessions, passwords (and their reset
//! with a code from the office), the limits on failed attempts, roles, the
//! audit log of staff actions, and the administrators' page.

pub mod admin;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod audited;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod db;
pub mod login_id;
pub mod password_form;
pub mod password_reset;
#[cfg(feature = "ssr")]
pub mod session;
pub mod sign_in;
#[cfg(feature = "ssr")]
pub mod throttle;
pub mod viewer;
