//! Filing ballots on SQLite with group commit. SQLite lets one writer in at a
//! time, and every commit waits for the disk (`synchronous=FULL`: an answered
//! ballot survives a power cut). So ballots queue here, and those that queued
//! while the previous group was written go in together: one transaction, one
//! wait for the disk, then every voter of the group gets their answer. On
//! PostgreSQL, whose row locks let writers proceed side by side, ballots are
//! filed one by one instead.

use crate::error::ApiError;
use crate::voting::db::{Cast, row};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

/// Most ballots filed in one transaction.
const GROUP: usize = 64;
/// Ballots that may wait for their group before casting waits for room.
const WAITING: usize = 4096;

/// A ballot to file, owned so that it can wait in the queue.
pub struct Filing {
    pub round_id: i32,
    pub voter: String,
    pub neighborhood_id: i32,
    pub choices: String,
    pub receipt: String,
    pub caster: String,
}

impl Filing {
    pub fn cast(&self) -> Cast<'_> {
        Cast {
            round_id: self.round_id,
            voter: &self.voter,
            neighborhood_id: self.neighborhood_id,
            choices: &self.choices,
            receipt: &self.receipt,
            caster: &self.caster,
        }
    }
}

struct Waiting {
    filing: Filing,
    answer: oneshot::Sender<Result<row::Model, ApiError>>,
}

/// The queue in front of the ballot table; cloning it shares the queue.
#[derive(Clone, Debug)]
pub struct BallotBox(mpsc::Sender<Waiting>);

impl BallotBox {
    /// Starts the task that files queued ballots into `db`, on the current
    /// runtime, and starts it again should it ever end by a panic: the queue
    /// outlives the task, so ballots waiting in it are filed by the next one.
    /// A ballot whose group was being written when the task died is answered
    /// `Unavailable` (its answer is dropped with the task), never left waiting.
    pub fn open(db: DatabaseConnection) -> BallotBox {
        let (sender, receiver) = mpsc::channel(WAITING);
        let queue = Arc::new(Mutex::new(receiver));
        tokio::spawn(supervise("ballot box", move || file_groups(db.clone(), queue.clone())));
        BallotBox(sender)
    }

    /// Files `filing` and returns the ballot now stored for its voter, once
    /// it is committed.
    pub async fn file(&self, filing: Filing) -> Result<row::Model, ApiError> {
        let (answer, answered) = oneshot::channel();
        self.0
            .send(Waiting { filing, answer })
            .await
            .map_err(|_| ApiError::Unavailable)?;
        answered.await.map_err(|_| ApiError::Unavailable)?
    }
}

/// Runs the task `make` returns until it ends without a panic; a task that
/// panics is logged and started anew by calling `make` again.
pub async fn supervise<F>(name: &'static str, make: impl Fn() -> F)
where
    F: Future<Output = ()> + Send + 'static,
{
    loop {
        match tokio::spawn(make()).await {
            Ok(()) => return,
            Err(err) if err.is_panic() => {
                tracing::error!(task = name, error = %err, "task panicked; starting it again");
            }
            // Cancelled: the runtime is shutting down.
            Err(_) => return,
        }
    }
}

async fn file_groups(db: DatabaseConnection, queue: Arc<Mutex<mpsc::Receiver<Waiting>>>) {
    // A tokio mutex is not poisoned: the guard of a task that panicked is
    // dropped while unwinding, and the next task takes the queue.
    let mut queue = queue.lock().await;
    let mut group = Vec::with_capacity(GROUP);
    while queue.recv_many(&mut group, GROUP).await > 0 {
        let answers = file_group(&db, &group).await;
        for (waiting, answer) in group.drain(..).zip(answers) {
            // A voter who stopped waiting has their ballot filed all the same.
            let _ = waiting.answer.send(answer);
        }
    }
}

/// Files a group in one transaction. A ballot the database refuses (its round
/// closed) fails alone: SQLite undoes only the refused statement.
async fn file_group(db: &DatabaseConnection, group: &[Waiting]) -> Vec<Result<row::Model, ApiError>> {
    let failed = |err: ApiError| group.iter().map(|_| Err(err)).collect();
    let txn = match db.begin().await {
        Ok(txn) => txn,
        Err(err) => return failed(err.into()),
    };
    let mut answers = Vec::with_capacity(group.len());
    for waiting in group {
        answers.push(
            crate::voting::db::cast(&txn, waiting.filing.cast())
                .await
                .map_err(refusal),
        );
    }
    match txn.commit().await {
        Ok(()) => answers,
        Err(err) => failed(err.into()),
    }
}

/// The ballot table's trigger refusing a round that is not voting, or else a
/// database failure.
pub fn refusal(err: DbErr) -> ApiError {
    if crate::error::is_refusal(&err, migrations::BALLOT_OUTSIDE_VOTING) {
        ApiError::WrongPhase
    } else {
        err.into()
    }
}

#[cfg(test)]
mod tests {
    use super::supervise;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_task_that_panics_is_started_again() {
        let starts = Arc::new(AtomicUsize::new(0));
        let counted = starts.clone();
        let supervised = supervise("test", move || {
            let start = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                if start < 2 {
                    panic!("injected panic {start}");
                }
            }
        });
        // Returns once the task ends normally (a lost restart would hang here).
        supervised.await;
        assert_eq!(starts.load(Ordering::SeqCst), 3, "two panics, then a normal end");
    }
}
