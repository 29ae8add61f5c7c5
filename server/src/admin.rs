//! The first city administrator, created from the command line (nobody can
//! sign in to create one in the browser before one exists).

use crate::ServerError;
use app::accounts::audit::{Action, Entry};
use app::accounts::audited::audited;
use app::accounts::db as account;
use app::accounts::login_id::{LoginId, password_acceptable};
use app::accounts::viewer::Role;
use app::error::ApiError;
use app::services::Services;

/// Creates an administrator; returns the normalised login.
pub async fn create_admin(services: &Services, login: &str, password: String) -> Result<String, ServerError> {
    let refused = |msg: &str| ServerError::Refused(msg.to_owned());
    let login = LoginId::parse(login)
        .map_err(|_| refused("the login must be a mobile number (09xxxxxxxxx) or an email address"))?;
    if !password_acceptable(&password) {
        return Err(refused("the password must have 8 to 128 characters"));
    }
    let hash = services.hasher.hash(password).await.map_err(ServerError::Hasher)?;
    audited(
        &services.db,
        Entry::new(None, Action::CreateAdmin, None, String::new()),
        async |txn, entry| {
            let created = account::create(txn, login.as_str(), Role::Admin, None, hash)
                .await?
                .ok_or(ApiError::LoginTaken)?;
            entry.subject = format!("account:{}", created.id);
            Ok(())
        },
    )
    .await
    .map_err(|err| match err {
        ApiError::LoginTaken => refused("an account with this login exists already"),
        // Logged where it happened.
        other => ServerError::Refused(other.to_string()),
    })?;
    Ok(login.as_str().to_owned())
}
