//! Changing one's password: the current one first; every other session of
//! the account ends.

use crate::error::ApiError;
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
    let stored = account::by_id(&services.db, viewer.id)
        .await?
        .ok_or(ApiError::NotSignedIn)?;
    if !services.password_matches(current, Some(stored.password_hash)).await? {
        return Err(ApiError::BadCredentials);
    }
    let hash = services.hash_password(password).await?;
    account::set_password(&services.db, viewer.id, hash).await?;
    let keep = crate::accounts::auth::session_id().await?;
    session::end_others(&services.db, viewer.id, keep.as_ref()).await?;
    leptos_axum::redirect("/account?password=changed");
    Ok(())
}
