//! Accounts and their roles.

use crate::accounts::viewer::{Role, Viewer};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub login: String,
    pub role: String,
    pub district_id: Option<i32>,
    pub password_hash: String,
    pub created_at: DateTimeUtc,
    /// When an administrator disabled this staff or administrator account.
    pub disabled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn viewer(&self) -> Viewer {
        Viewer {
            id: self.id,
            login: self.login.clone(),
            role: Role::from_tag(&self.role),
            district_id: self.district_id,
        }
    }
}

/// Creates an account; `None` when the login is taken (the unique index
/// decides, so two racing registrations cannot both win).
pub async fn create<C: ConnectionTrait>(
    db: &C,
    login: &str,
    role: Role,
    district_id: Option<i32>,
    password_hash: String,
) -> Result<Option<Model>, DbErr> {
    let model = ActiveModel {
        login: Set(login.to_owned()),
        role: Set(role.tag().to_owned()),
        district_id: Set(district_id),
        password_hash: Set(password_hash),
        created_at: Set(chrono::Utc::now()),
        disabled_at: Set(None),
        ..Default::default()
    };
    match model.insert(db).await {
        Ok(model) => Ok(Some(model)),
        Err(err) if crate::error::is_unique_violation(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

pub async fn by_login<C: ConnectionTrait>(db: &C, login: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Login.eq(login)).one(db).await
}

pub async fn by_id<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// The accounts of `ids`, in one query.
pub async fn by_ids<C: ConnectionTrait>(db: &C, ids: Vec<i32>) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::Id.is_in(ids)).all(db).await
}

/// The ids of accounts whose login contains `part`, at most `limit` of them.
pub async fn ids_with_login_containing<C: ConnectionTrait>(db: &C, part: &str, limit: u64) -> Result<Vec<i32>, DbErr> {
    use sea_orm::QuerySelect;
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Login.contains(part))
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

pub async fn set_password<C: ConnectionTrait>(db: &C, id: i32, password_hash: String) -> Result<(), DbErr> {
    ActiveModel {
        id: Set(id),
        password_hash: Set(password_hash),
        ..Default::default()
    }
    .update(db)
    .await
    .map(|_| ())
}

/// Staff and administrators, for the administrators' page.
pub async fn staff<C: ConnectionTrait>(db: &C) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Role.ne(Role::Resident.tag()))
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// Disables staff or administrator account `id`; false if there is no such
/// enabled account (residents are not disabled, their verification is revoked).
pub async fn disable<C: ConnectionTrait>(db: &C, id: i32) -> Result<bool, DbErr> {
    let disabled = Entity::update_many()
        .col_expr(Column::DisabledAt, sea_orm::sea_query::Expr::value(chrono::Utc::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Role.ne(Role::Resident.tag()))
        .filter(Column::DisabledAt.is_null())
        .exec(db)
        .await?;
    Ok(disabled.rows_affected == 1)
}
