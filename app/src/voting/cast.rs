//! Casting ballots: who may vote in a round, and filing a
//! checked ballot under the voter's pseudonym. The ballot page's server
//! function and its plain form post both come here.

use crate::error::ApiError;
use crate::error::OrInternal;
use crate::geography::db as area;
use crate::keys::Purpose;
use crate::rounds::Phase;
use crate::rounds::db as round;
use crate::rounds::db::Round;
use crate::services::Services;
use crate::verification::db as verification;
use crate::verification::db::person;
use crate::voting::ballot::{self, Picks};
use crate::voting::ballot_box::BallotBox;
use crate::voting::cache::VotingRounds;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, TransactionTrait};

/// The ballot a voter has on file, as the account that cast it sees it.
pub struct Filed {
    pub receipt: String,
    /// Empty once voting has closed: from then on the receipt check shows
    /// what the published file holds.
    pub picks: Picks,
    /// Tehran's day it was last cast on.
    pub cast_on: Option<chrono::NaiveDate>,
}

/// What an account is shown of its person's ballot in a round.
pub enum OnFile {
    /// This account cast it.
    Mine(Filed),
    /// Another account bound to the same person cast it: it is not shown,
    /// and cannot be changed from here.
    Elsewhere,
}

/// The person behind `account_id` if they may vote in `r`, or why not.
pub async fn eligible(services: &Services, account_id: i32, r: &Round) -> Result<person::Model, ApiError> {
    let person = verification::of_account(&services.db, account_id)
        .await?
        .ok_or(ApiError::NotVerified)?;
    let covered = if r.area_id == r.district_id {
        area::district_of_neighborhood(&services.db, person.neighborhood_id).await? == Some(r.district_id)
    } else {
        person.neighborhood_id == r.area_id
    };
    if !covered {
        return Err(ApiError::OutsideRound);
    }
    if r.phase != Phase::Voting {
        return Err(ApiError::WrongPhase);
    }
    let now = chrono::Utc::now();
    let this_year = crate::format::solar_hijri_year(now).or_internal(|| format!("the Solar Hijri year of {now}"))?;
    if !ballot::old_enough(r.min_age, person.birth_year, this_year) {
        return Err(ApiError::TooYoung);
    }
    Ok(person)
}

/// The pseudonym of `person`'s ballots in round `round_id`: keyed with the
/// server secret, so the database alone cannot tie a ballot to anyone.
pub fn voter(services: &Services, round_id: i32, person: &person::Model) -> String {
    services
        .keys
        .hash(Purpose::Voter, &format!("{round_id}:{}", person.national_hash))
}

/// The keyed hash of round `round_id` and the account that casts in it.
fn caster(services: &Services, round_id: i32, account_id: i32) -> String {
    services.keys.hash(Purpose::Caster, &format!("{round_id}:{account_id}"))
}

/// What `account_id`, bound to `person`, is shown of the person's ballot in
/// round `r`, if there is one: only the account that cast it sees it, and its
/// choices only while the round votes.
pub async fn on_file(
    services: &Services,
    r: &Round,
    account_id: i32,
    person: &person::Model,
) -> Result<Option<OnFile>, ApiError> {
    let Some(row) = crate::voting::db::of_voter(&services.db, r.id, &voter(services, r.id, person)).await? else {
        return Ok(None);
    };
    if row.caster != caster(services, r.id, account_id) {
        return Ok(Some(OnFile::Elsewhere));
    }
    let picks = if r.phase == Phase::Voting {
        Picks::decode(&row.choices).or_internal(|| format!("round {}: ballot {} does not decode", r.id, row.receipt))?
    } else {
        Picks::default()
    };
    Ok(Some(OnFile::Mine(Filed {
        picks,
        cast_on: row.cast_on,
        receipt: row.receipt,
    })))
}

/// What casting keeps for the life of the process: on SQLite the queue that
/// files ballots in groups (`None` on PostgreSQL), and the rounds seen voting,
/// read once, so that casting a ballot reads no round and no project.
#[derive(Clone, Debug)]
pub struct Casting {
    pub ballot_box: Option<BallotBox>,
    pub rounds: VotingRounds,
}

impl Casting {
    /// Opens the ballot box on SQLite (on the current runtime).
    pub fn open(db: &DatabaseConnection) -> Casting {
        let sqlite = db.get_database_backend() == DatabaseBackend::Sqlite;
        Casting {
            ballot_box: sqlite.then(|| BallotBox::open(db.clone())),
            rounds: VotingRounds::default(),
        }
    }

    /// The casting state of the current request.
    pub fn current() -> Result<Casting, ApiError> {
        leptos::prelude::use_context::<Casting>().or_internal(|| "casting missing from the request context".to_owned())
    }
}

/// Checks and files the ballot of `account_id` in `round_id`; `chosen` pairs
/// project ids with points. The answer comes after the commit.
pub async fn cast(
    services: &Services,
    casting: &Casting,
    account_id: i32,
    round_id: i32,
    chosen: &[(i32, i32)],
) -> Result<Filed, ApiError> {
    let open = casting.rounds.get(&services.db, round_id).await?;
    let r = &open.round;
    let person = eligible(services, account_id, r).await?;
    let rule = r.ballot;
    let picks = ballot::check(rule, r.budget_rial, &open.offers, chosen)?;
    let choices = picks.encode();
    let receipt = crate::code::random(ballot::RECEIPT_LENGTH);
    let caster = caster(services, round_id, account_id);
    let filing = crate::voting::ballot_box::Filing {
        round_id,
        voter: voter(services, round_id, &person),
        neighborhood_id: person.neighborhood_id,
        choices,
        receipt,
        caster: caster.clone(),
    };
    let stored = match &casting.ballot_box {
        // The ballot table's trigger checks the phase under SQLite's write
        // lock, inside the group's transaction.
        Some(ballot_box) => ballot_box.file(filing).await?,
        // A shared lock keeps the round in voting until the commit, which the
        // answer waits for.
        None => {
            let txn = services.db.begin().await?;
            if !round::hold(&txn, round_id, Phase::Voting).await? {
                return Err(ApiError::WrongPhase);
            }
            let stored = crate::voting::db::cast(&txn, filing.cast()).await?;
            txn.commit().await?;
            stored
        }
    };
    if stored.caster != caster {
        // The person's ballot was cast from another account: it stands.
        return Err(ApiError::BallotCastElsewhere);
    }
    Ok(Filed {
        picks: Picks::decode(&stored.choices)
            .or_internal(|| format!("round {round_id}: ballot {} does not decode", stored.receipt))?,
        cast_on: stored.cast_on,
        receipt: stored.receipt,
    })
}
