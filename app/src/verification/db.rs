//! Verified persons, one-time codes and census rolls. The unique index on
//! `verified_person.national_hash` is what makes a national code verifiable on
//! one account only, whatever races the application code loses.

use crate::verification::CensusRow;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect, QueryTrait};
use serde::{Deserialize, Serialize};

pub mod person {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "verified_person")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: i32,
        pub national_hash: String,
        pub neighborhood_id: i32,
        pub birth_year: i32,
        pub method: String,
        pub verified_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod code {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "verification_code")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub code_hash: String,
        pub national_hash: String,
        pub neighborhood_id: i32,
        pub birth_year: i32,
        pub issued_by: i32,
        pub expires_at: DateTimeUtc,
        pub used_by: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod census {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "census_entry")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub district_id: i32,
        pub national_hash: String,
        pub birth_year: i32,
        pub neighborhood_id: i32,
        pub claimed_by: Option<i32>,
        pub imported_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod former {
    use sea_orm::entity::prelude::*;

    /// A verification that an office ended, kept so that verifying the same
    /// person again on another account shows in the audit log.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "former_verification")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub national_hash: String,
        pub account_id: i32,
        pub ended_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A person tied to an account: where they live, and the other account the
/// same person was verified on before, if an office ended that verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tied {
    pub neighborhood_id: i32,
    pub previously: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Census,
    InPerson,
}

impl Method {
    fn tag(self) -> &'static str {
        match self {
            Method::Census => "census",
            Method::InPerson => "in-person",
        }
    }
}

/// Why a person could not be tied to an account.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("the account is verified already")]
    AlreadyVerified,
    #[error("the national code is verified on another account")]
    NationalCodeTaken,
    #[error("the person a code would be issued for is verified already")]
    PersonVerified,
    #[error("the one-time code is unknown, used or expired")]
    CodeInvalid,
    #[error("no unclaimed census entry matches")]
    NoCensusMatch,
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl From<VerifyError> for crate::error::ApiError {
    fn from(err: VerifyError) -> Self {
        use crate::error::ApiError;
        match err {
            VerifyError::AlreadyVerified => ApiError::AlreadyVerified,
            VerifyError::NationalCodeTaken => ApiError::NationalCodeTaken,
            VerifyError::PersonVerified => ApiError::PersonVerified,
            VerifyError::CodeInvalid => ApiError::VerificationCodeInvalid,
            VerifyError::NoCensusMatch => ApiError::CensusNoMatch,
            VerifyError::Database(err) => err.into(),
        }
    }
}

/// A person to tie to an account.
pub struct Person<'a> {
    pub national_hash: &'a str,
    pub neighborhood_id: i32,
    pub birth_year: i32,
    pub method: Method,
}

pub async fn of_account<C: ConnectionTrait>(db: &C, account_id: i32) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find_by_id(account_id).one(db).await
}

/// Ties `person` to `account_id`. Run inside the caller's transaction.
async fn tie<C: ConnectionTrait>(db: &C, account_id: i32, person: Person<'_>) -> Result<Tied, VerifyError> {
    let row = person::ActiveModel {
        account_id: Set(account_id),
        national_hash: Set(person.national_hash.to_owned()),
        neighborhood_id: Set(person.neighborhood_id),
        birth_year: Set(person.birth_year),
        method: Set(person.method.tag().to_owned()),
        verified_at: Set(chrono::Utc::now()),
    };
    // A conflict on either unique key (the account, the person) writes
    // nothing and, unlike a failed statement, leaves a PostgreSQL transaction
    // usable, so a read can tell the two apart.
    let inserted = person::Entity::insert(row)
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        let previously = former::Entity::find()
            .filter(former::Column::NationalHash.eq(person.national_hash))
            .filter(former::Column::AccountId.ne(account_id))
            .order_by_desc(former::Column::Id)
            .one(db)
            .await?
            .map(|f| f.account_id);
        Ok(Tied {
            neighborhood_id: person.neighborhood_id,
            previously,
        })
    } else if of_account(db, account_id).await?.is_some() {
        Err(VerifyError::AlreadyVerified)
    } else {
        Err(VerifyError::NationalCodeTaken)
    }
}

/// Records a one-time code for `person`, unless the person is verified on an
/// account already: that code could never be redeemed, so the desk is told at
/// once (not on which account).
pub async fn issue_code<C: ConnectionTrait>(
    db: &C,
    issued_by: i32,
    code_hash: &str,
    person: Person<'_>,
) -> Result<(), VerifyError> {
    let verified = person::Entity::find()
        .filter(person::Column::NationalHash.eq(person.national_hash))
        .count(db)
        .await?;
    if verified > 0 {
        return Err(VerifyError::PersonVerified);
    }
    code::ActiveModel {
        code_hash: Set(code_hash.to_owned()),
        national_hash: Set(person.national_hash.to_owned()),
        neighborhood_id: Set(person.neighborhood_id),
        birth_year: Set(person.birth_year),
        issued_by: Set(issued_by),
        expires_at: Set(chrono::Utc::now() + chrono::Duration::hours(crate::verification::CODE_VALID_HOURS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Redeems a one-time code for `account_id`: the code is spent and the person
/// it names is tied to the account, both or neither.
pub async fn redeem_code<C: ConnectionTrait>(db: &C, account_id: i32, code_hash: &str) -> Result<Tied, VerifyError> {
    // Spent first, conditional on being unused and unexpired: of two concurrent
    // redemptions exactly one wins.
    let spent = code::Entity::update_many()
        .col_expr(code::Column::UsedBy, Expr::value(account_id))
        .filter(code::Column::CodeHash.eq(code_hash))
        .filter(code::Column::UsedBy.is_null())
        .filter(code::Column::ExpiresAt.gt(chrono::Utc::now()))
        .exec(db)
        .await?;
    if spent.rows_affected != 1 {
        return Err(VerifyError::CodeInvalid);
    }
    let code = code::Entity::find()
        .filter(code::Column::CodeHash.eq(code_hash))
        .one(db)
        .await?
        .ok_or(VerifyError::CodeInvalid)?;
    tie(
        db,
        account_id,
        Person {
            national_hash: &code.national_hash,
            neighborhood_id: code.neighborhood_id,
            birth_year: code.birth_year,
            method: Method::InPerson,
        },
    )
    .await
}

/// Claims the unclaimed census entry of this person and birth year for
/// `account_id`.
pub async fn claim_census<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    national_hash: &str,
    birth_year: i32,
) -> Result<Tied, VerifyError> {
    let matching = || {
        census::Entity::find()
            .filter(census::Column::NationalHash.eq(national_hash))
            .filter(census::Column::BirthYear.eq(birth_year))
    };
    // Claimed first, conditional on being unclaimed: of two concurrent claims
    // exactly one wins. A person can be on the rolls of two districts (after a
    // move); the newest entry counts.
    let newest = matching()
        .select_only()
        .column(census::Column::Id)
        .filter(census::Column::ClaimedBy.is_null())
        .order_by_desc(census::Column::ImportedAt)
        .order_by_desc(census::Column::Id)
        .limit(1)
        .into_query();
    let claimed = census::Entity::update_many()
        .col_expr(census::Column::ClaimedBy, Expr::value(account_id))
        .filter(census::Column::Id.in_subquery(newest))
        .filter(census::Column::ClaimedBy.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(VerifyError::NoCensusMatch);
    }
    let entry = matching()
        .filter(census::Column::ClaimedBy.eq(account_id))
        .one(db)
        .await?
        .ok_or(VerifyError::NoCensusMatch)?;
    tie(
        db,
        account_id,
        Person {
            national_hash,
            neighborhood_id: entry.neighborhood_id,
            birth_year,
            method: Method::Census,
        },
    )
    .await
}

/// Adds or updates the census roll of a district, row by row, in the caller's
/// transaction. Entries already claimed keep their claim.
pub async fn import_census<C: ConnectionTrait>(
    db: &C,
    district_id: i32,
    rows: &[CensusRow],
    hash: impl Fn(&str) -> String,
) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    for chunk in rows.chunks(500) {
        let models = chunk.iter().map(|row| census::ActiveModel {
            district_id: Set(district_id),
            national_hash: Set(hash(row.national_code.as_str())),
            birth_year: Set(row.birth_year),
            neighborhood_id: Set(row.neighborhood_id),
            claimed_by: Set(None),
            imported_at: Set(now),
            ..Default::default()
        });
        census::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([census::Column::DistrictId, census::Column::NationalHash])
                    .update_columns([
                        census::Column::BirthYear,
                        census::Column::NeighborhoodId,
                        census::Column::ImportedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Moves a verified resident to another neighborhood; false if not verified.
pub async fn move_to<C: ConnectionTrait>(db: &C, account_id: i32, neighborhood_id: i32) -> Result<bool, DbErr> {
    let moved = person::Entity::update_many()
        .col_expr(person::Column::NeighborhoodId, Expr::value(neighborhood_id))
        .filter(person::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(moved.rows_affected == 1)
}

/// Ends a verification; the person's census entry becomes claimable again (by
/// the right account, when the wrong one had claimed it). False if not verified.
pub async fn revoke<C: ConnectionTrait>(db: &C, account_id: i32) -> Result<bool, DbErr> {
    census::Entity::update_many()
        .col_expr(census::Column::ClaimedBy, Expr::value(Option::<i32>::None))
        .filter(census::Column::ClaimedBy.eq(account_id))
        .exec(db)
        .await?;
    let Some(ended) = of_account(db, account_id).await? else {
        return Ok(false);
    };
    former::ActiveModel {
        national_hash: Set(ended.national_hash),
        account_id: Set(account_id),
        ended_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let revoked = person::Entity::delete_by_id(account_id).exec(db).await?;
    Ok(revoked.rows_affected == 1)
}

/// The verified residents living in the given neighborhoods (and, if given,
/// on one of `accounts`), newest first, at most `limit`.
pub async fn residents_in<C: ConnectionTrait>(
    db: &C,
    neighborhoods: Vec<i32>,
    accounts: Option<Vec<i32>>,
    limit: u64,
) -> Result<Vec<person::Model>, DbErr> {
    person::Entity::find()
        .filter(person::Column::NeighborhoodId.is_in(neighborhoods))
        .apply_if(accounts, |query, ids| {
            query.filter(person::Column::AccountId.is_in(ids))
        })
        .order_by_desc(person::Column::VerifiedAt)
        .limit(limit)
        .all(db)
        .await
}

/// How many verified residents live in each of the given neighborhoods.
pub async fn count_by_neighborhood<C: ConnectionTrait>(
    db: &C,
    neighborhoods: Vec<i32>,
) -> Result<Vec<(i32, i64)>, DbErr> {
    person::Entity::find()
        .select_only()
        .column(person::Column::NeighborhoodId)
        .column_as(person::Column::AccountId.count(), "residents")
        .filter(person::Column::NeighborhoodId.is_in(neighborhoods))
        .group_by(person::Column::NeighborhoodId)
        .into_tuple()
        .all(db)
        .await
}
