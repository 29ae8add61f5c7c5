pub mod account;
pub mod admin;
pub mod ballot;
pub mod home;
pub mod not_found;
pub mod office;
pub mod office_results;
pub mod office_rounds;
pub mod results;
pub mod rounds;
pub mod sign_in;

use leptos::prelude::{Memo, Read};

/// The `:id` of the page's address; 0, which names nothing, when it is not a number.
pub fn id_param() -> Memo<i32> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    })
}
