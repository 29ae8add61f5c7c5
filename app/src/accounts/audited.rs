//! Every audited change goes through here: the change and its entry in the
//! audit log are written in one transaction, both or neither.

use crate::accounts::audit::{self, Entry};
use crate::error::ApiError;
use sea_orm::{DatabaseTransaction, TransactionTrait};

/// Runs `change` and records `entry` in one transaction (a savepoint when `db`
/// is a transaction already). The change may fill in the entry (the subject
/// it created) before it is recorded.
pub async fn audited<T>(
    db: &impl TransactionTrait,
    mut entry: Entry,
    change: impl AsyncFnOnce(&DatabaseTransaction, &mut Entry) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let txn = db.begin().await?;
    // The change comes first: on SQLite the transaction's first statement must write.
    let value = change(&txn, &mut entry).await?;
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(value)
}
