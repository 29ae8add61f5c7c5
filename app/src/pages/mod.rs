pub mod account;
pub mod admin;
pub mod home;
pub mod not_found;
pub mod office;
pub mod office_rounds;
pub mod rounds;
pub mod sign_in;
