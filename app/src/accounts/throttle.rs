//! Limits on attempts (sign-ins, verifications, registrations), counted in the
//! database so that they hold across every server process sharing it.
//!
//! An attempt takes a slot from each of its counters *before* it is made: one
//! conditional upsert per counter (a new window, or a slot left in the current
//! one, or nothing), all of an attempt's counters in one transaction, so that
//! either each had room and gave a slot or none changed and the attempt is
//! refused. Concurrent attempts therefore get no more slots than the limit has;
//! a refused attempt counts nothing. A success gives its slots back (or clears
//! the counter it proved, see [`OnSuccess`]); a failure keeps them.

use crate::error::ApiError;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{Condition, DatabaseTransaction, TransactionTrait};

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

/// A limit: at most `failures` failed attempts per `window`, counted under
/// keys that start with `name` and a colon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub failures: i32,
    pub window: chrono::Duration,
}

/// Five wrong passwords per account *from one address* in 15 minutes: a
/// stranger guessing is slowed, the owner elsewhere is not.
pub const LOGIN_PER_ACCOUNT_AND_ADDRESS: Limit = Limit {
    name: "sign-in-pair",
    failures: 5,
    window: chrono::Duration::minutes(15),
};
/// A hundred wrong passwords per account from all addresses together in 15
/// minutes: the ceiling for guessing from many addresses. No single address can
/// reach it (it has five), so only a spread-out attack locks the owner out.
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    name: "sign-in-account",
    failures: 100,
    window: chrono::Duration::minutes(15),
};
/// Twenty failed sign-ins per client address in 15 minutes, whatever the
/// accounts (a shared office or a mobile carrier's address serves many people).
pub const LOGIN_PER_ADDRESS: Limit = Limit {
    name: "sign-in-address",
    failures: 20,
    window: chrono::Duration::minutes(15),
};
/// Five failed verifications (census match or one-time code) per account per hour:
/// a birth year or an 8-character code cannot be guessed at that pace.
pub const VERIFY_PER_ACCOUNT: Limit = Limit {
    name: "verify-account",
    failures: 5,
    window: chrono::Duration::hours(1),
};
/// Failed verifications from one client address per hour: one person trying
/// many accounts is limited too.
pub const VERIFY_PER_ADDRESS: Limit = Limit {
    name: "verify-address",
    failures: 30,
    window: chrono::Duration::hours(1),
};
/// Five census attempts per national code per hour, whatever the accounts and
/// addresses they come from: the birth years of a known national code cannot be
/// tried by many accounts at once.
pub const VERIFY_PER_NATIONAL_CODE: Limit = Limit {
    name: "census-code",
    failures: 5,
    window: chrono::Duration::hours(1),
};
/// Ten census attempts per national code per day: trying the ~140 possible
/// birth years takes two weeks, not a day of hourly windows.
pub const VERIFY_PER_NATIONAL_CODE_DAILY: Limit = Limit {
    name: "census-code-day",
    failures: 10,
    window: chrono::Duration::days(1),
};
/// Registrations from one client address per hour, a taken login included: the
/// answer "taken" is no faster an oracle than this.
pub const REGISTER_PER_ADDRESS: Limit = Limit {
    name: "register-address",
    failures: 30,
    window: chrono::Duration::hours(1),
};

/// Five wrong password reset codes per login per hour: an 8-character code
/// (31^8 possibilities) valid for an hour cannot be guessed at that pace.
pub const RESET_PER_LOGIN: Limit = Limit {
    name: "reset-login",
    failures: 5,
    window: chrono::Duration::hours(1),
};
/// Failed password resets from one client address per hour, whatever the logins.
pub const RESET_PER_ADDRESS: Limit = Limit {
    name: "reset-address",
    failures: 20,
    window: chrono::Duration::hours(1),
};

// One address cannot lock an account out: it has five of the hundred, so
// locking the owner out takes twenty addresses or more.
const _: () = assert!(LOGIN_PER_ACCOUNT_AND_ADDRESS.failures * 20 <= LOGIN_PER_ACCOUNT.failures);
const _: () = assert!(LOGIN_PER_ACCOUNT_AND_ADDRESS.failures < LOGIN_PER_ADDRESS.failures);

/// Every limit, for purging the windows that ended.
const LIMITS: [Limit; 10] = [
    LOGIN_PER_ACCOUNT_AND_ADDRESS,
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_ADDRESS,
    VERIFY_PER_ACCOUNT,
    VERIFY_PER_ADDRESS,
    VERIFY_PER_NATIONAL_CODE,
    VERIFY_PER_NATIONAL_CODE_DAILY,
    REGISTER_PER_ADDRESS,
    RESET_PER_LOGIN,
    RESET_PER_ADDRESS,
];

/// What a success does to a counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnSuccess {
    /// Forgets the counter: the success proved what it guarded (the password,
    /// from this address).
    Clear,
    /// Gives the slot back: successes do not count against it.
    GiveBack,
}

/// One counter an attempt draws on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    pub key: String,
    pub limit: Limit,
    pub on_success: OnSuccess,
}

fn counter(limit: Limit, parts: &[&str], on_success: OnSuccess) -> Counter {
    Counter {
        key: format!("{}:{}", limit.name, digest(parts)),
        limit,
        on_success,
    }
}

/// A SHA-256 of the parts, each prefixed by its length: unambiguous, and of
/// fixed length whatever the login or address (the key column holds 200).
fn digest(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The counters of a sign-in (or of a change of password, which checks the
/// same password) for a normalised `login` from `address`: the pair's tight
/// limit, the account's ceiling over all addresses, and the address's own.
/// Keyed by the login as typed, not the account, so that an unknown login
/// behaves as a known one.
pub fn sign_in(login: &str, address: &str) -> [Counter; 3] {
    [
        counter(LOGIN_PER_ACCOUNT_AND_ADDRESS, &[login, address], OnSuccess::Clear),
        counter(LOGIN_PER_ACCOUNT, &[login], OnSuccess::GiveBack),
        counter(LOGIN_PER_ADDRESS, &[address], OnSuccess::GiveBack),
    ]
}

/// The counters of a verification attempt (census or one-time code) by
/// `account_id` from `address`.
pub fn verification(account_id: i32, address: &str) -> [Counter; 2] {
    [
        counter(VERIFY_PER_ACCOUNT, &[&account_id.to_string()], OnSuccess::Clear),
        counter(VERIFY_PER_ADDRESS, &[address], OnSuccess::GiveBack),
    ]
}

/// The counters of a census attempt for the national code whose keyed hash is
/// `national_hash`, on top of those of [`verification`].
pub fn census(national_hash: &str) -> [Counter; 2] {
    [
        counter(VERIFY_PER_NATIONAL_CODE, &[national_hash], OnSuccess::GiveBack),
        counter(VERIFY_PER_NATIONAL_CODE_DAILY, &[national_hash], OnSuccess::GiveBack),
    ]
}

/// The counter of a registration from `address`; every registration keeps its slot.
pub fn registration(address: &str) -> [Counter; 1] {
    [counter(REGISTER_PER_ADDRESS, &[address], OnSuccess::GiveBack)]
}

/// The counters of a password reset for a normalised `login` from `address`,
/// keyed by the login as typed so that an unknown login behaves as a known one.
pub fn password_reset(login: &str, address: &str) -> [Counter; 2] {
    [
        counter(RESET_PER_LOGIN, &[login], OnSuccess::Clear),
        counter(RESET_PER_ADDRESS, &[address], OnSuccess::GiveBack),
    ]
}

/// The counters in key order, each once: every transaction locks the rows it
/// needs in the same order, so that two of them never wait on each other.
fn in_lock_order(counters: &[Counter]) -> Vec<&Counter> {
    let mut sorted: Vec<&Counter> = counters.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    sorted.dedup_by(|a, b| a.key == b.key);
    sorted
}

/// Takes a slot from every counter, or from none: `false` when one of them has
/// no slot left in its window (the attempt must not be made).
pub async fn reserve<C: TransactionTrait>(db: &C, counters: &[Counter]) -> Result<bool, DbErr> {
    let now = chrono::Utc::now();
    let txn = db.begin().await?;
    for counter in in_lock_order(counters) {
        if !take(&txn, counter, now).await? {
            txn.rollback().await?;
            return Ok(false);
        }
    }
    txn.commit().await?;
    Ok(true)
}

/// [`reserve`], answering `TooManyAttempts` when there is no slot.
pub async fn admit<C: TransactionTrait>(db: &C, counters: &[Counter]) -> Result<(), ApiError> {
    if reserve(db, counters).await? {
        Ok(())
    } else {
        Err(ApiError::TooManyAttempts)
    }
}

/// One statement: a new row with one slot taken; or, if the row's window
/// ended, a new window with one slot taken; or, if a slot is left, one more
/// taken; otherwise nothing, and no row comes back. The same SQL on SQLite and
/// PostgreSQL (`INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`).
async fn take(txn: &DatabaseTransaction, counter: &Counter, now: DateTimeUtc) -> Result<bool, DbErr> {
    let start = || Expr::col((Entity, Column::WindowStart));
    let failures = || Expr::col((Entity, Column::Failures));
    let ended = || start().lte(now - counter.limit.window);
    let upsert = Query::insert()
        .into_table(Entity)
        .columns([Column::Key, Column::WindowStart, Column::Failures])
        .values_panic([counter.key.clone().into(), now.into(), 1.into()])
        .on_conflict(
            OnConflict::column(Column::Key)
                .value(Column::WindowStart, Expr::case(ended(), now).finally(start()))
                .value(Column::Failures, Expr::case(ended(), 1).finally(failures().add(1)))
                .action_and_where(ended().or(failures().lt(counter.limit.failures)))
                .to_owned(),
        )
        .returning_col(Column::Failures)
        .to_owned();
    let statement = txn.get_database_backend().build(&upsert);
    Ok(txn.query_one(statement).await?.is_some())
}

/// After a success: clears or gives back each counter's slot (see [`OnSuccess`]).
pub async fn succeeded<C: TransactionTrait>(db: &C, counters: &[Counter]) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    for counter in in_lock_order(counters) {
        match counter.on_success {
            OnSuccess::Clear => {
                Entity::delete_by_id(counter.key.clone()).exec(&txn).await?;
            }
            OnSuccess::GiveBack => {
                Entity::update_many()
                    .col_expr(Column::Failures, Expr::col(Column::Failures).sub(1))
                    .filter(Column::Key.eq(counter.key.clone()))
                    .filter(Column::Failures.gt(0))
                    .exec(&txn)
                    .await?;
            }
        }
    }
    txn.commit().await
}

/// Forgets the failures of `key`.
pub async fn clear<C: ConnectionTrait>(db: &C, key: &str) -> Result<(), DbErr> {
    Entity::delete_by_id(key.to_owned()).exec(db).await.map(|_| ())
}

/// Deletes the rows whose window has ended, each by its own limit's window;
/// a row of no known limit (an older kind of key) once the longest window has
/// passed. Returns how many were deleted.
pub async fn purge_expired<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    let now = chrono::Utc::now();
    let longest = LIMITS.iter().map(|limit| limit.window).max().unwrap_or_default();
    let ended = LIMITS.iter().fold(
        Condition::any().add(Column::WindowStart.lte(now - longest)),
        |ended, limit| {
            ended.add(
                Condition::all()
                    .add(Column::Key.starts_with(format!("{}:", limit.name)))
                    .add(Column::WindowStart.lte(now - limit.window)),
            )
        },
    );
    Entity::delete_many()
        .filter(ended)
        .exec(db)
        .await
        .map(|result| result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_pair_with_an_account() {
        let [pair_a, account_a, address_a] = sign_in("09120000001", "203.0.113.7");
        let [pair_b, account_b, address_b] = sign_in("09120000001", "198.51.100.4");
        assert_ne!(pair_a.key, pair_b.key, "another address, another pair");
        assert_eq!(account_a.key, account_b.key, "one ceiling per account");
        assert_ne!(address_a.key, address_b.key);
        let [pair_c, account_c, address_c] = sign_in("09120000002", "203.0.113.7");
        assert_ne!(pair_a.key, pair_c.key, "another account, another pair");
        assert_ne!(account_a.key, account_c.key);
        assert_eq!(address_a.key, address_c.key, "one limit per address");
        assert_eq!(
            (pair_a.limit, account_a.limit, address_a.limit),
            (LOGIN_PER_ACCOUNT_AND_ADDRESS, LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS)
        );
        assert_eq!(
            pair_a.on_success,
            OnSuccess::Clear,
            "the owner's success frees the pair"
        );
        assert_eq!(account_a.on_success, OnSuccess::GiveBack);
    }

    #[test]
    fn the_ceiling_counts_over_the_pairs_window() {
        assert_eq!(LOGIN_PER_ACCOUNT.window, LOGIN_PER_ACCOUNT_AND_ADDRESS.window);
    }

    #[test]
    fn keys_are_unambiguous_and_fit_the_column() {
        assert_ne!(sign_in("ab", "c")[0].key, sign_in("a", "bc")[0].key);
        let email = format!("{}@example.com", "a".repeat(242));
        let address = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
        let keys = sign_in(&email, address)
            .into_iter()
            .chain(verification(i32::MAX, address))
            .chain(census(&"f".repeat(64)))
            .chain(registration(address))
            .chain(password_reset(&email, address));
        for counter in keys {
            assert!(counter.key.len() <= 200, "{}", counter.key);
            let owners: Vec<&str> = LIMITS
                .iter()
                .filter(|limit| counter.key.starts_with(&format!("{}:", limit.name)))
                .map(|limit| limit.name)
                .collect();
            assert_eq!(owners, [counter.limit.name], "purged by its own limit only");
        }
    }

    #[test]
    fn locks_are_taken_in_one_order() {
        let mut counters: Vec<Counter> = census("x").into_iter().chain(verification(1, "a")).collect();
        let forward: Vec<String> = in_lock_order(&counters).into_iter().map(|c| c.key.clone()).collect();
        counters.reverse();
        counters.push(counters[0].clone());
        let backward: Vec<String> = in_lock_order(&counters).into_iter().map(|c| c.key.clone()).collect();
        assert_eq!(forward, backward);
        assert_eq!(forward.len(), 4, "each counter once");
    }
}
