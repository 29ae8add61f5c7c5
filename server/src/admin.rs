//! The first city administrator, created from the command line (nobody can
//! sign in to create one in the browser before one exists).

use crate::ServerError;
use app::accounts::audit;
use app::accounts::db as account;
use app::accounts::login_id::{LoginId, password_acceptable};
use app::accounts::viewer::Role;
use app::services::Services;
use sea_orm::TransactionTrait;

/// Creates an administrator; returns the normalised login.
pub async fn create_admin(services: &Services, login: &str, password: String) -> Result<String, ServerError> {
    let refused = |msg: &str| ServerError::Refused(msg.to_owned());
    let login = LoginId::parse(login)
        .map_err(|_| refused("the login must be a mobile number (09xxxxxxxxx) or an email address"))?;
    if !password_acceptable(&password) {
        return Err(refused("the password must have 8 to 128 characters"));
    }
    let hash = services.hasher.hash(password).await.map_err(ServerError::Hasher)?;
    let txn = services.db.begin().await?;
    let created = account::create(&txn, login.as_str(), Role::Admin, None, hash)
        .await?
        .ok_or_else(|| refused("an account with this login exists already"))?;
    audit::record(
        &txn,
        audit::Entry {
            actor_id: None,
            action: audit::Action::CreateAdmin,
            district_id: None,
            subject: &format!("account:{}", created.id),
            reason: "command line",
        },
    )
    .await?;
    txn.commit().await?;
    Ok(login.as_str().to_owned())
}
