//! The usual actors and rounds, made the short way: staff of a district,
//! residents (verified where they live or not), each signed in under a login of
//! their own, and a round moved to any phase; with the steps a round goes
//! through, for the tests that take them one at a time.

use crate::common::{PASSWORD, TestApp, Visitor};

use app::accounts::viewer::Role;
use app::results::office_actions::{AdvancePhase, PublishResult};
use app::rounds::db::budget_round;
use app::rounds::office_actions::{AcceptProposal, CreateRound};
use app::rounds::proposal_db::proposal;
use app::rounds::propose::SubmitProposal;
use app::rounds::{Phase, Status};
use app::verification::db as verification;
use app::verification::office_page::{IssueCode, OfficeData, OfficeOverview};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::sync::atomic::{AtomicU32, Ordering};

pub const DESCRIPTION: &str = "A long enough description of what the neighborhood needs.";

static LOGINS: AtomicU32 = AtomicU32::new(1);

/// A number no other login of this test run has.
fn fresh() -> u32 {
    LOGINS.fetch_add(1, Ordering::Relaxed)
}

/// A round of the demo's first district in its voting phase, with the default
/// options: its office, its id, its projects and the district's neighborhoods.
pub struct VotingRound {
    pub office: Visitor,
    pub round: i32,
    pub projects: Vec<i32>,
    pub neighborhoods: Vec<i32>,
}

/// Issues a one-time code for `national_code` (born 1370) at `office`, and
/// returns it as the office page shows it, once.
pub async fn issue(office: &mut Visitor, national_code: &str, neighborhood: i32) -> String {
    let (status, body) = office
        .send(IssueCode {
            national_code: national_code.to_owned(),
            birth_year: "1370".to_owned(),
            neighborhood_id: neighborhood,
        })
        .await;
    assert!(status < 400, "code refused: {status} {body}");
    let (_, overview) = office
        .send(OfficeOverview {
            q: String::new(),
            neighborhood: String::new(),
        })
        .await;
    let overview: OfficeData = serde_json::from_str(&overview).expect("office data");
    overview.issued.expect("the issued code is shown once").code
}

/// How `TestApp::round_in` sets up its round; `Default` is an approval vote of
/// two out of three projects costing 300,000, 200,000 and 100,000 Toman out of
/// 1,000,000, for voters of 18 and over.
#[derive(Clone, Copy, Debug)]
pub struct RoundOptions<'a> {
    /// The round's area: the office's district unless given (one of its
    /// neighborhoods, say).
    pub area: Option<i32>,
    /// In Toman, as typed.
    pub budget: &'a str,
    /// The ballot rule and its parameter, as typed.
    pub ballot: (&'a str, &'a str),
    pub min_age: &'a str,
    /// Per resident; empty for the default.
    pub max_proposals: &'a str,
    /// One proposal per cost, in Toman, made by one resident before review and
    /// accepted at that cost before voting.
    pub costs: &'a [i64],
}

impl Default for RoundOptions<'_> {
    fn default() -> Self {
        RoundOptions {
            area: None,
            budget: "1000000",
            ballot: ("approval", "2"),
            min_age: "18",
            max_proposals: "",
            costs: &[300_000, 200_000, 100_000],
        }
    }
}

impl TestApp {
    /// Writes `count` ballots for `project` straight into the ballot table of
    /// a voting round, for the tests of large rounds (casting them one by one
    /// over HTTP would take minutes); returns their receipts.
    pub async fn ballots_written(&self, voting: &VotingRound, project: i32, count: usize) -> Vec<String> {
        use app::voting::db::row as ballot;
        let choices = app::voting::ballot::encode(&[(project, 1)]);
        let mut receipts = Vec::with_capacity(count);
        let first = fresh();
        for start in (0..count).step_by(500) {
            let rows: Vec<ballot::ActiveModel> = (start..count.min(start + 500))
                .map(|i| {
                    let receipt = app::code::random(app::voting::ballot::RECEIPT_LENGTH);
                    receipts.push(receipt.clone());
                    ballot::ActiveModel {
                        round_id: Set(voting.round),
                        voter: Set(format!("{first:08x}{i:056x}")),
                        neighborhood_id: Set(voting.neighborhoods[0]),
                        choices: Set(choices.clone()),
                        receipt: Set(receipt),
                        caster: Set("written-by-the-test".to_owned()),
                        cast_on: Set(None),
                    }
                })
                .collect();
            ballot::Entity::insert_many(rows).exec(&self.db).await.expect("ballots");
        }
        receipts
    }

    /// A signed-in staff member of `district`.
    pub async fn staff_of(&self, district: i32) -> Visitor {
        let login = format!("staff{}@office.example", fresh());
        self.account(&login, PASSWORD, Role::Staff, Some(district)).await;
        let mut visitor = self.visitor();
        visitor.sign_in(&login, PASSWORD).await;
        visitor.district = Some(district);
        visitor
    }

    /// A signed-in resident who has not verified where they live.
    pub async fn resident(&self) -> Visitor {
        let login = format!("0935{:07}", fresh());
        self.account(&login, PASSWORD, Role::Resident, None).await;
        let mut visitor = self.visitor();
        visitor.sign_in(&login, PASSWORD).await;
        visitor
    }

    /// A signed-in resident verified in `neighborhood`, born in 1370: as an
    /// office verifies someone in person, written straight into the database.
    pub async fn verified_resident(&self, neighborhood: i32) -> Visitor {
        let login = format!("0935{:07}", fresh());
        let id = self.account(&login, PASSWORD, Role::Resident, None).await;
        verification::person::ActiveModel {
            account_id: Set(id),
            national_hash: Set(format!("{login:0>64}")),
            neighborhood_id: Set(neighborhood),
            birth_year: Set(1370),
            method: Set("in-person".to_owned()),
            verified_at: Set(sea_orm::prelude::DateTimeUtc::from(std::time::SystemTime::now())),
        }
        .insert(&self.db)
        .await
        .expect("verified");
        let mut visitor = self.visitor();
        visitor.sign_in(&login, PASSWORD).await;
        visitor
    }

    /// A round opened by `office` and moved on to `phase`: from review on it
    /// has one proposal per cost ("Project number 0", 1, …) by one resident of
    /// the round's first neighborhood, and from voting on they are projects at
    /// those costs. Returns the round's id.
    pub async fn round_in(&self, phase: Phase, office: &mut Visitor, options: RoundOptions<'_>) -> i32 {
        let area = options
            .area
            .or(office.district)
            .expect("the area of the round, or an office made by staff_of");
        let (status, body) = office
            .send(CreateRound {
                area_id: area,
                title_fa: "بودجهٔ محله ۱۴۰۵".to_owned(),
                title_en: "Neighborhood budget 2026".to_owned(),
                budget: options.budget.to_owned(),
                ballot_rule: options.ballot.0.to_owned(),
                ballot_param: options.ballot.1.to_owned(),
                tally_rule: "equal-shares".to_owned(),
                min_age: options.min_age.to_owned(),
                max_proposals: options.max_proposals.to_owned(),
            })
            .await;
        assert!(status < 400, "round refused: {status} {body}");
        let round: i32 = serde_json::from_str(&body).expect("the new round's id");
        let mut proposals = Vec::new();
        for next in Phase::ALL.into_iter().filter(|p| *p > Phase::Draft && *p <= phase) {
            match next {
                Phase::Review => {
                    let neighborhood = self.first_neighborhood(area).await;
                    let mut author = self.verified_resident(neighborhood).await;
                    for i in 0..options.costs.len() {
                        let (status, body) =
                            propose(&mut author, round, &format!("Project number {i}"), neighborhood).await;
                        assert!(status < 400, "proposal refused: {status} {body}");
                        proposals.push(serde_json::from_str::<i32>(&body).expect("the new proposal's id"));
                    }
                }
                Phase::Voting => {
                    for (id, cost) in proposals.iter().zip(options.costs) {
                        let (status, body) = office
                            .send(AcceptProposal {
                                id: *id,
                                cost: cost.to_string(),
                            })
                            .await;
                        assert!(status < 400, "accept refused: {status} {body}");
                    }
                }
                _ => {}
            }
            if next == Phase::Published {
                let (status, body) = office.send(PublishResult { id: round }).await;
                assert!(status < 400, "publication refused: {status} {body}");
            } else {
                move_to(office, round, &[next]).await;
            }
        }
        round
    }

    /// A round of the first district, voting, with default options.
    pub async fn voting_round(&self) -> VotingRound {
        let (district, neighborhoods) = self.districts().await[0].clone();
        let mut office = self.staff_of(district).await;
        let round = self.round_in(Phase::Voting, &mut office, RoundOptions::default()).await;
        VotingRound {
            projects: self.projects(round).await,
            office,
            round,
            neighborhoods,
        }
    }

    /// A verified resident of the round's first neighborhood who has cast a
    /// ballot for `project` in `voting`, and the server's answer to it.
    pub async fn voter_who_cast(&self, voting: &VotingRound, project: i32) -> (Visitor, String) {
        let mut voter = self.verified_resident(voting.neighborhoods[0]).await;
        let (status, body) = crate::voting::cast(&mut voter, voting.round, &project.to_string()).await;
        assert_eq!(status, 200, "ballot refused: {body}");
        (voter, body)
    }

    /// The projects of `round` (its accepted proposals) in the order they were proposed.
    pub async fn projects(&self, round: i32) -> Vec<i32> {
        proposal::Entity::find()
            .filter(proposal::Column::RoundId.eq(round))
            .filter(proposal::Column::Status.eq(Status::Accepted))
            .order_by_asc(proposal::Column::Id)
            .all(&self.db)
            .await
            .expect("database")
            .into_iter()
            .map(|p| p.id)
            .collect()
    }

    /// The first neighborhood of `area`: itself when it is one.
    async fn first_neighborhood(&self, area: i32) -> i32 {
        self.districts()
            .await
            .into_iter()
            .find_map(|(district, neighborhoods)| {
                if district == area {
                    neighborhoods.first().copied()
                } else {
                    neighborhoods.into_iter().find(|n| *n == area)
                }
            })
            .expect("a district or neighborhood of the demo city")
    }
}

pub async fn latest_round(app: &TestApp) -> budget_round::Model {
    budget_round::Entity::find()
        .order_by_desc(budget_round::Column::Id)
        .one(&app.db)
        .await
        .expect("database")
        .expect("a round")
}

pub async fn latest_proposal(app: &TestApp) -> proposal::Model {
    proposal::Entity::find()
        .order_by_desc(proposal::Column::Id)
        .one(&app.db)
        .await
        .expect("database")
        .expect("a proposal")
}

pub async fn proposal_count(app: &TestApp) -> u64 {
    proposal::Entity::find().count(&app.db).await.expect("count")
}

/// Asks to move `round` to phase `to`, as typed.
pub async fn advance(office: &mut Visitor, round: i32, to: &str) -> (u16, String) {
    office
        .send(AdvancePhase {
            id: round,
            to: to.to_owned(),
        })
        .await
}

/// Moves `round` through `phases`, each of which must be allowed.
pub async fn move_to(office: &mut Visitor, round: i32, phases: &[Phase]) {
    for to in phases {
        let (status, body) = advance(office, round, to.tag()).await;
        assert!(status < 400, "{}: {status} {body}", to.tag());
    }
}

/// Submits a proposal on greenery costing about 50,000 Toman.
pub async fn propose(visitor: &mut Visitor, round: i32, title: &str, neighborhood: i32) -> (u16, String) {
    visitor
        .send(SubmitProposal {
            round_id: round,
            title: title.to_owned(),
            description: DESCRIPTION.to_owned(),
            category: "green".to_owned(),
            neighborhood_id: neighborhood,
            location: String::new(),
            estimate: "50,000".to_owned(),
        })
        .await
}
