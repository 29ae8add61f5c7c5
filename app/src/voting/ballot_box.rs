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
use tokio::sync::{mpsc, oneshot};

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
    /// Starts the task that files queued ballots into `db`, on the current runtime.
    pub fn open(db: DatabaseConnection) -> BallotBox {
        let (sender, receiver) = mpsc::channel(WAITING);
        tokio::spawn(file_groups(db, receiver));
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

async fn file_groups(db: DatabaseConnection, mut queue: mpsc::Receiver<Waiting>) {
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
