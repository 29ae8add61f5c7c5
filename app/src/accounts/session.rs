//! Sessions kept in the database, so that every server process sharing it sees
//! the same sign-ins. The table holds a SHA-256 of each session id, never the id
//! itself: a copy of the database does not let anyone take over a session.

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use sha2::{Digest, Sha256};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// The session key under which the signed-in account's id is kept.
pub const ACCOUNT_KEY: &str = "account";
/// The day of the session's last visit (see `auth::viewer`).
pub const SEEN_KEY: &str = "seen";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub account_id: Option<i32>,
    pub data: String,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        DbSessionStore { db }
    }
}

fn key(id: &Id) -> String {
    let digest = Sha256::digest(id.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn expires(record: &Record) -> Result<DateTimeUtc, session_store::Error> {
    chrono::DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0)
        .ok_or_else(|| backend("session expiry out of range"))
}

fn active_model(record: &Record) -> Result<ActiveModel, session_store::Error> {
    Ok(ActiveModel {
        id: Set(key(&record.id)),
        account_id: Set(record
            .data
            .get(ACCOUNT_KEY)
            .and_then(|v| v.as_i64())
            .and_then(|v| i32::try_from(v).ok())),
        data: Set(serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?),
        expires_at: Set(expires(record)?),
    })
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A 128-bit random id colliding is as good as impossible; still, never
        // overwrite someone else's session: pick another id instead.
        loop {
            let model = active_model(record)?;
            match Entity::insert(model).exec(&self.db).await {
                Ok(_) => return Ok(()),
                Err(err) if crate::error::is_unique_violation(&err) => record.id = Id::default(),
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        Entity::insert(active_model(record)?)
            .on_conflict(
                OnConflict::column(Column::Id)
                    .update_columns([Column::AccountId, Column::Data, Column::ExpiresAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(model) = Entity::find_by_id(key(id))
            .filter(Column::ExpiresAt.gt(chrono::Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&model.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(model.expires_at.timestamp()).map_err(backend)?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        Entity::delete_by_id(key(id))
            .exec(&self.db)
            .await
            .map(|_| ())
            .map_err(backend)
    }
}

/// Signs an account out everywhere but in the session `keep` (after a
/// password change, a stolen session must not survive).
pub async fn end_others<C: ConnectionTrait>(db: &C, account_id: i32, keep: Option<&Id>) -> Result<(), DbErr> {
    let mut delete = Entity::delete_many().filter(Column::AccountId.eq(account_id));
    if let Some(keep) = keep {
        delete = delete.filter(Column::Id.ne(key(keep)));
    }
    delete.exec(db).await.map(|_| ())
}

/// Removes expired sessions; run now and then so the table does not grow forever.
pub async fn purge_expired<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    Entity::delete_many()
        .filter(Column::ExpiresAt.lte(chrono::Utc::now()))
        .exec(db)
        .await
        .map(|r| r.rows_affected)
}
