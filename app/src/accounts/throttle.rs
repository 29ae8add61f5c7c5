//! Counting failed attempts (sign-ins, verifications) in the database, so that
//! the limit holds across every server process sharing it.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, OnConflict};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "throttle")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub window_start: DateTimeUtc,
    pub failures: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// A limit: at most `failures` failed attempts per `window`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub failures: i32,
    pub window: chrono::Duration,
}

/// Five wrong passwords per account in 15 minutes.
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    failures: 5,
    window: chrono::Duration::minutes(15),
};
/// Twenty failed sign-ins per client address in 15 minutes (a shared office
/// or a mobile carrier's address serves many people).
pub const LOGIN_PER_ADDRESS: Limit = Limit {
    failures: 20,
    window: chrono::Duration::minutes(15),
};
/// Five failed verifications (census match or one-time code) per account per hour:
/// a birth year or an 8-character code cannot be guessed at that pace.
pub const VERIFY_PER_ACCOUNT: Limit = Limit {
    failures: 5,
    window: chrono::Duration::hours(1),
};
/// Failed verifications from one client address per hour: one person trying
/// many accounts is limited too.
pub const VERIFY_PER_ADDRESS: Limit = Limit {
    failures: 30,
    window: chrono::Duration::hours(1),
};
/// Registrations from one client address per hour.
pub const REGISTER_PER_ADDRESS: Limit = Limit {
    failures: 30,
    window: chrono::Duration::hours(1),
};

/// Whether `key` has used up its failures in the current window.
pub async fn exhausted<C: ConnectionTrait>(db: &C, key: &str, limit: Limit) -> Result<bool, DbErr> {
    let now = chrono::Utc::now();
    Ok(Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .is_some_and(|row| row.window_start + limit.window > now && row.failures >= limit.failures))
}

/// Counts one failure against `key`, opening a new window when the last one ended.
pub async fn fail<C: ConnectionTrait>(db: &C, key: &str, limit: Limit) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    let expired = Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .is_some_and(|row| row.window_start + limit.window <= now);
    let fresh = ActiveModel {
        key: Set(key.to_owned()),
        window_start: Set(now),
        failures: Set(1),
    };
    let on_conflict = if expired {
        OnConflict::column(Column::Key)
            .update_columns([Column::WindowStart, Column::Failures])
            .to_owned()
    } else {
        OnConflict::column(Column::Key)
            .value(Column::Failures, Expr::col((Entity, Column::Failures)).add(1))
            .to_owned()
    };
    Entity::insert(fresh)
        .on_conflict(on_conflict)
        .exec(db)
        .await
        .map(|_| ())
}

/// Forgets the failures of `key` (after a success).
pub async fn clear<C: ConnectionTrait>(db: &C, key: &str) -> Result<(), DbErr> {
    Entity::delete_by_id(key.to_owned()).exec(db).await.map(|_| ())
}
