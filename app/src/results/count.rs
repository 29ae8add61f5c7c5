//! Counting a closed round and publishing its result. A count
//! writes the round's canonical ballot file, counts that file (off the async
//! runtime: a large round takes seconds) and stores the snapshot with its
//! digest. Publication and corrections are audit-logged; nothing stored is
//! ever changed.

use crate::accounts::audit;
use crate::accounts::audit::Entry;
use crate::accounts::audited::audited;
use crate::error::ApiError;
use crate::error::OrInternal;
use crate::geography::Name;
use crate::results::ballot_file::{BallotFile, FileProject, Written};
use crate::results::db as result;
use crate::results::snapshot::{CountError, Snapshot, TurnoutLine};
use crate::rounds::Phase;
use crate::rounds::db::Round;
use crate::services::Services;
use crate::tally::TallyError;
use crate::voting::ballot::Picks;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A published snapshot as pages read it.
pub struct Published {
    pub version: i32,
    pub snapshot: Snapshot,
    pub reason: String,
    pub published_at: chrono::DateTime<chrono::Utc>,
}

/// Every published snapshot of a round, newest first.
pub async fn published<C: ConnectionTrait>(db: &C, round_id: i32) -> Result<Vec<Published>, ApiError> {
    result::published(db, round_id)
        .await?
        .into_iter()
        .map(|(s, p)| {
            Ok(Published {
                version: s.version,
                snapshot: serde_json::from_str(&s.body)
                    .or_internal(|| format!("snapshot {} of round {round_id} does not decode", s.id))?,
                reason: s.reason,
                published_at: p.published_at,
            })
        })
        .collect()
}

/// Why a correction is made, and which ballots it sets aside.
pub struct Correction {
    pub reason: String,
    pub excluded: Vec<String>,
}

/// Holds a round as being counted (in `Services::counting`) until dropped, so
/// that repeated clicks on "count" or "correct" do not start one count each.
struct Counting(std::sync::Arc<std::sync::Mutex<Vec<i32>>>, i32);

impl Counting {
    fn start(services: &Services, round_id: i32) -> Result<Counting, ApiError> {
        let mut counting = services
            .counting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if counting.contains(&round_id) {
            return Err(ApiError::CountRunning);
        }
        counting.push(round_id);
        Ok(Counting(services.counting.clone(), round_id))
    }
}

impl Drop for Counting {
    fn drop(&mut self) {
        let mut counting = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        counting.retain(|&id| id != self.1);
    }
}

/// A round's ballot file and its count, ready to store.
struct Count {
    file: Written,
    snapshot: Snapshot,
}

/// Counts round `r` (closed or published) from its ballots, leaving out the
/// receipts in `excluded`. It reads and counts outside any write transaction,
/// so that other rounds' ballots go on being filed meanwhile.
async fn count(services: &Services, r: &Round, excluded: Vec<String>) -> Result<Count, ApiError> {
    let db = &services.db;
    let tally = r.tally;
    let ballot = r.ballot;
    let set_aside: std::collections::HashSet<&str> = excluded.iter().map(String::as_str).collect();
    let ballots = crate::voting::db::of_round(db, r.id)
        .await?
        .into_iter()
        .filter(|(receipt, _)| !set_aside.contains(receipt.as_str()))
        .map(|(receipt, choices)| {
            let picks =
                Picks::decode(&choices).or_internal(|| format!("round {}: ballot {receipt} does not decode", r.id))?;
            Ok((receipt, picks))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let projects = crate::rounds::proposal_db::projects(db, r.id)
        .await?
        .into_iter()
        .map(|p| {
            Ok(FileProject {
                id: p.id,
                cost_rial: p
                    .official_cost_rial
                    .and_then(|c| u64::try_from(c).ok())
                    .or_internal(|| format!("project {} of round {} has no official cost", p.id, r.id))?,
                title: p.title,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let district = crate::geography::db::by_id(db, r.district_id)
        .await?
        .or_internal(|| format!("district {} of round {} missing", r.district_id, r.id))?;
    let turnout = crate::results::turnout::turnout(db, r)
        .await?
        .into_iter()
        .map(|(n, voters, residents)| TurnoutLine {
            neighborhood: n.name(),
            voters: u64::try_from(voters).unwrap_or_default(),
            residents: u64::try_from(residents).unwrap_or_default(),
        })
        .collect();
    let title = Name {
        fa: r.title_fa.clone(),
        en: r.title_en.clone(),
    };
    let file = BallotFile {
        round_id: r.id,
        title: &r.title_fa,
        district: &district.name_fa,
        budget_rial: u64::try_from(r.budget_rial)
            .or_internal(|| format!("round {}: budget {}", r.id, r.budget_rial))?,
        ballot,
        tally,
        projects: &projects,
        ballots,
    }
    .write();
    let round_id = r.id;
    let limit = services.count_limit;
    let (file, snapshot) = within(limit, move |stop| {
        let snapshot = crate::results::snapshot::count_until(&file.text, tally, stop)
            .and_then(|counted| counted.snapshot(round_id, title, tally, turnout, excluded));
        (file, snapshot)
    })
    .await
    .or_internal(|| format!("counting round {round_id} stopped"))?;
    let snapshot = match snapshot {
        Err(CountError::Tally(TallyError::Stopped)) => {
            tracing::warn!(
                round = round_id,
                seconds = limit.as_secs(),
                "a count ran past its time limit"
            );
            return Err(ApiError::CountTooLong);
        }
        counted => counted.or_internal(|| format!("the ballot file of round {round_id} did not count"))?,
    };
    Ok(Count { file, snapshot })
}

/// Runs `work` on a blocking thread, handing it a flag that is raised once
/// `limit` has passed; the tally looks at it between its steps and stops.
async fn within<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce(&AtomicBool) -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let mut task = tokio::task::spawn_blocking(move || work(&flag));
    match tokio::time::timeout(limit, &mut task).await {
        Ok(done) => done,
        Err(_) => {
            stop.store(true, Ordering::Relaxed);
            task.await
        }
    }
}

/// Stores `count` as the next version of round `r`'s result, after
/// `previous` and for the reason given (none: the first count).
async fn store(
    db: &(impl ConnectionTrait + TransactionTrait),
    r: &Round,
    by: i32,
    count: Count,
    previous: Option<(&result::snapshot::Model, &str)>,
) -> Result<i32, ApiError> {
    let (version, supersedes, reason) = match previous {
        None => (1, None, ""),
        Some((previous, reason)) => (previous.version + 1, Some(previous.id), reason),
    };
    result::insert(
        db,
        result::New {
            round_id: r.id,
            version,
            supersedes,
            digest: &count.snapshot.digest,
            body: serde_json::to_string(&count.snapshot).or_internal(|| format!("snapshot of round {}", r.id))?,
            reason,
            created_by: by,
            file: count.file,
        },
    )
    .await
    .map_err(|err| {
        // Another count of the same version won the race; it stands.
        if crate::error::is_unique_violation(&err) {
            ApiError::AlreadyCounted
        } else {
            err.into()
        }
    })
}

/// The first count of a closed round, for staff to review before publishing.
pub async fn draft(services: &Services, r: &Round, by: i32) -> Result<(), ApiError> {
    if r.phase != Phase::Closed {
        return Err(ApiError::WrongPhase);
    }
    let _counting = Counting::start(services, r.id)?;
    if result::latest(&services.db, r.id).await?.is_some() {
        return Err(ApiError::AlreadyCounted);
    }
    let counted = count(services, r, Vec::new()).await?;
    store(&services.db, r, by, counted, None).await?;
    Ok(())
}

/// The draft of a closed round, if it was counted.
pub async fn latest_draft(db: &DatabaseConnection, round_id: i32) -> Result<Option<Snapshot>, ApiError> {
    match result::latest(db, round_id).await? {
        Some(s) => Ok(Some(serde_json::from_str(&s.body).or_internal(|| {
            format!("snapshot {} of round {round_id} does not decode", s.id)
        })?)),
        None => Ok(None),
    }
}

/// Publishes the counted draft of a closed round: the round moves to
/// published and the snapshot becomes public, in one audited transaction.
pub async fn publish(services: &Services, r: &Round, by: i32) -> Result<(), ApiError> {
    audited(
        &services.db,
        Entry::new(
            Some(by),
            audit::Action::PublishResult,
            Some(r.district_id),
            String::new(),
        ),
        async |txn, entry| {
            // The phase change comes first: on SQLite the transaction's first statement must write.
            if !crate::rounds::db::advance(txn, r.id, r.district_id, Phase::Closed, Phase::Published).await? {
                return Err(ApiError::WrongPhase);
            }
            let draft = result::latest(txn, r.id).await?.ok_or(ApiError::NotCounted)?;
            result::publish(txn, draft.id, by).await?;
            entry.subject = format!("round:{} version:{} digest:{}", r.id, draft.version, draft.digest);
            Ok(())
        },
    )
    .await?;
    Ok(())
}

/// Publishes a correction of a published round: a new count, without the
/// ballots `correction` sets aside, that supersedes the current result. The
/// old result stays public. The count runs before the write transaction.
pub async fn correct(services: &Services, r: &Round, by: i32, correction: Correction) -> Result<(), ApiError> {
    if r.phase != Phase::Published {
        return Err(ApiError::WrongPhase);
    }
    let _counting = Counting::start(services, r.id)?;
    let previous = result::latest(&services.db, r.id).await?.ok_or(ApiError::NotCounted)?;
    let counted = count(services, r, correction.excluded.clone()).await?;
    audited(
        &services.db,
        Entry::new(
            Some(by),
            audit::Action::CorrectResult,
            Some(r.district_id),
            // The receipts set aside are public in the snapshot itself; the
            // entry says how many, so it stays short however many there are.
            format!(
                "round:{} version:{} excluded:{}",
                r.id,
                previous.version + 1,
                correction.excluded.len()
            ),
        )
        .because(correction.reason.clone()),
        async |txn, _| {
            // Taking the round's lock first serialises corrections (and, on
            // SQLite, makes the first statement a write); a correction another
            // server stored meanwhile has taken this version, which then fails.
            if !crate::rounds::db::hold(txn, r.id, Phase::Published).await? {
                return Err(ApiError::WrongPhase);
            }
            let id = store(txn, r, by, counted, Some((&previous, &correction.reason))).await?;
            result::publish(txn, id, by).await?;
            Ok(())
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::within;
    use std::sync::atomic::Ordering;
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn work_past_its_limit_is_told_to_stop_and_quick_work_is_not() {
        let started = Instant::now();
        let stopped = within(Duration::from_millis(50), |stop| {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
            }
            "stopped"
        })
        .await
        .expect("joins");
        assert_eq!(stopped, "stopped");
        assert!(started.elapsed() >= Duration::from_millis(50));
        let quick = within(Duration::from_secs(60), |stop| stop.load(Ordering::Relaxed)).await;
        assert!(!quick.expect("joins"), "never told to stop");
    }
}
