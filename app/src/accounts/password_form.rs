//! Changing one's password: the current one first; every other session of
//! the account ends. And the new password's two fields, as every form that
//! sets one asks for them.

use crate::error::ApiError;
use crate::i18n::Msg;
use leptos::prelude::*;

/// The new password, typed twice.
#[component]
pub fn NewPasswordFields() -> impl IntoView {
    let lang = crate::ui::use_lang();
    view! {
        <label for="password">{lang.text(Msg::NewPasswordLabel)}</label>
        <input id="password" name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
        <label for="password_confirm">{lang.text(Msg::PasswordConfirmLabel)}</label>
        <input id="password_confirm" name="password_confirm" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
    }
}

#[leptos::server(endpoint = "change-password")]
pub async fn change_password(current: String, password: String, password_confirm: String) -> Result<(), ApiError> {
    use crate::accounts::db as account;
    use crate::accounts::session;
    let viewer = crate::accounts::auth::require_signed_in().await?;
    if !crate::accounts::login_id::password_acceptable(&password) {
        return Err(ApiError::PasswordLength);
    }
    if password != password_confirm {
        return Err(ApiError::PasswordsDiffer);
    }
    let services = crate::services::services()?;
    // The current password is checked as a sign-in is, under the same limits.
    let checked = crate::accounts::sign_in::authenticate(
        &services,
        &viewer.login,
        current,
        &crate::accounts::auth::client_address(),
    )
    .await?;
    if checked.id != viewer.id {
        return Err(ApiError::NotSignedIn);
    }
    let hash = services.hash_password(password).await?;
    account::set_password(&services.db, viewer.id, hash).await?;
    let keep = crate::accounts::auth::session_id().await?;
    session::end_others(&services.db, viewer.id, keep.as_ref()).await?;
    leptos_axum::redirect("/account?password=changed");
    Ok(())
}
