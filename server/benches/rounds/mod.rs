//! Rounds and proposals made directly in the database, for the benchmarks
//! that need a round to work on.

use app::rounds::db::budget_round;
use app::rounds::proposal_db::proposal;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

/// A round of `district` (covering all of it) in `phase`, approval of 3
/// projects, 1 billion Toman; returns its id.
pub async fn round(db: &sea_orm::DatabaseConnection, office: i32, district: i32, phase: app::rounds::Phase) -> i32 {
    let now = chrono::Utc::now();
    budget_round::ActiveModel {
        area_id: Set(district),
        district_id: Set(district),
        title_fa: Set("بودجهٔ آزمایشی".to_owned()),
        title_en: Set("Benchmark budget".to_owned()),
        budget_rial: Set(10_000_000_000),
        ballot_rule: Set("approval".to_owned()),
        ballot_param: Set(3),
        tally_rule: Set(app::rounds::TallyRule::EqualShares),
        min_age: Set(Some(18)),
        max_proposals: Set(3),
        phase: Set(phase),
        created_by: Set(office),
        created_at: Set(now),
        phase_changed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("round")
    .id
}

/// Proposal number `i` of `round`, submitted, in a category by its number.
pub fn proposal(round: i32, author: i32, neighborhood: i32, i: usize) -> proposal::ActiveModel {
    let now = chrono::Utc::now();
    let categories = app::rounds::Category::ALL;
    proposal::ActiveModel {
        round_id: Set(round),
        author_id: Set(author),
        neighborhood_id: Set(neighborhood),
        title: Set(format!("Project {i}: بهسازی پیاده‌رو و نیمکت")),
        description: Set("A project of the benchmark round, for the whole neighborhood.".to_owned()),
        category: Set(categories[i % categories.len()]),
        location: Set(String::new()),
        estimate_rial: Set(Some(1_000_000_000 + (i as i64 % 97) * 10_000_000)),
        status: Set(app::rounds::Status::Submitted),
        official_cost_rial: Set(None),
        reject_reason: Set(None),
        merged_into: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}
