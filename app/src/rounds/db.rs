//! Budget rounds, proposals and the per-resident proposal count. Every change
//! is one conditional statement (on the round's phase, the office's district,
//! the author), so that a request that lost a race changes nothing.

use crate::rounds::{BallotRule, Phase, TallyRule};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, QueryOrder};

pub mod budget_round {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "budget_round")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub area_id: i32,
        pub district_id: i32,
        pub title_fa: String,
        pub title_en: String,
        pub budget_rial: i64,
        pub ballot_rule: String,
        pub ballot_param: i32,
        pub tally_rule: crate::rounds::TallyRule,
        pub min_age: Option<i32>,
        pub max_proposals: i32,
        pub phase: crate::rounds::Phase,
        pub created_by: i32,
        pub created_at: DateTimeUtc,
        pub phase_changed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A round as the rest of the code reads it, its rules decoded once here.
/// The dates an office plans for the phases of its rounds.
pub mod phase_plan {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "phase_plan")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub round_id: i32,
        /// The phase's tag.
        #[sea_orm(primary_key, auto_increment = false)]
        pub phase: String,
        pub starts_on: Date,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    pub id: i32,
    pub area_id: i32,
    pub district_id: i32,
    pub title_fa: String,
    pub title_en: String,
    pub budget_rial: i64,
    pub ballot: BallotRule,
    pub tally: TallyRule,
    pub min_age: Option<i32>,
    pub max_proposals: i32,
    pub phase: Phase,
    pub created_at: DateTimeUtc,
    pub phase_changed_at: DateTimeUtc,
}

impl TryFrom<budget_round::Model> for Round {
    type Error = DbErr;

    fn try_from(r: budget_round::Model) -> Result<Round, DbErr> {
        let ballot = BallotRule::new(&r.ballot_rule, r.ballot_param).ok_or_else(|| {
            DbErr::Type(format!(
                "round {}: ballot rule {} {}",
                r.id, r.ballot_rule, r.ballot_param
            ))
        })?;
        Ok(Round {
            id: r.id,
            area_id: r.area_id,
            district_id: r.district_id,
            title_fa: r.title_fa,
            title_en: r.title_en,
            budget_rial: r.budget_rial,
            ballot,
            tally: r.tally_rule,
            min_age: r.min_age,
            max_proposals: r.max_proposals,
            phase: r.phase,
            created_at: r.created_at,
            phase_changed_at: r.phase_changed_at,
        })
    }
}

/// What staff set when they open a round or change it before voting.
#[derive(Clone, Debug)]
pub struct Settings {
    pub title_fa: String,
    pub title_en: String,
    pub budget_rial: i64,
    pub ballot: crate::rounds::BallotRule,
    pub tally: crate::rounds::TallyRule,
    pub min_age: Option<i32>,
    pub max_proposals: i32,
}

impl Settings {
    fn apply(self, model: &mut budget_round::ActiveModel) {
        model.title_fa = Set(self.title_fa);
        model.title_en = Set(self.title_en);
        model.budget_rial = Set(self.budget_rial);
        model.ballot_rule = Set(self.ballot.tag().to_owned());
        model.ballot_param = Set(self.ballot.param());
        model.tally_rule = Set(self.tally);
        model.min_age = Set(self.min_age);
        model.max_proposals = Set(self.max_proposals);
    }
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    area_id: i32,
    district_id: i32,
    created_by: i32,
    settings: Settings,
) -> Result<i32, DbErr> {
    let now = chrono::Utc::now();
    let mut model = budget_round::ActiveModel {
        area_id: Set(area_id),
        district_id: Set(district_id),
        phase: Set(Phase::Draft),
        created_by: Set(created_by),
        created_at: Set(now),
        phase_changed_at: Set(now),
        ..Default::default()
    };
    settings.apply(&mut model);
    Ok(model.insert(db).await?.id)
}

pub async fn by_id<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<Round>, DbErr> {
    budget_round::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Round::try_from)
        .transpose()
}

/// Every round, newest first; `district` narrows to one district's.
pub async fn rounds<C: ConnectionTrait>(db: &C, district: Option<i32>) -> Result<Vec<Round>, DbErr> {
    let mut query = budget_round::Entity::find();
    if let Some(district) = district {
        query = query.filter(budget_round::Column::DistrictId.eq(district));
    }
    query
        .order_by_desc(budget_round::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Round::try_from)
        .collect()
}

fn frozen_phases() -> Vec<&'static str> {
    crate::rounds::Phase::ALL
        .into_iter()
        .filter(|p| p.rules_frozen())
        .map(Phase::tag)
        .collect()
}

/// Changes a round of `district` whose voting has not opened; false otherwise.
pub async fn update_settings<C: ConnectionTrait>(
    db: &C,
    id: i32,
    district: i32,
    settings: Settings,
) -> Result<bool, DbErr> {
    let mut model = <budget_round::ActiveModel as ActiveModelTrait>::default();
    settings.apply(&mut model);
    let updated = budget_round::Entity::update_many()
        .set(model)
        .filter(budget_round::Column::Id.eq(id))
        .filter(budget_round::Column::DistrictId.eq(district))
        .filter(budget_round::Column::Phase.is_not_in(frozen_phases()))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Moves a round of `district` from `from` to `to`, if it is still in `from`.
pub async fn advance<C: ConnectionTrait>(
    db: &C,
    id: i32,
    district: i32,
    from: Phase,
    to: Phase,
) -> Result<bool, DbErr> {
    let moved = budget_round::Entity::update_many()
        .col_expr(budget_round::Column::Phase, Expr::value(to.tag()))
        .col_expr(budget_round::Column::PhaseChangedAt, Expr::value(chrono::Utc::now()))
        .filter(budget_round::Column::Id.eq(id))
        .filter(budget_round::Column::DistrictId.eq(district))
        .filter(budget_round::Column::Phase.eq(from.tag()))
        .exec(db)
        .await?;
    Ok(moved.rows_affected == 1)
}

/// Holds the round in `phase` for the rest of the transaction, so that a
/// concurrent phase change waits for it; false if the round is in another
/// phase. On SQLite a write, so that the transaction takes the write lock first;
/// on PostgreSQL a shared row lock, so that holders do not wait for each other.
pub async fn hold<C: ConnectionTrait>(db: &C, id: i32, phase: Phase) -> Result<bool, DbErr> {
    use sea_orm::{DatabaseBackend, QuerySelect};
    if db.get_database_backend() == DatabaseBackend::Postgres {
        let held = budget_round::Entity::find_by_id(id)
            .filter(budget_round::Column::Phase.eq(phase.tag()))
            .lock_shared()
            .one(db)
            .await?;
        return Ok(held.is_some());
    }
    let held = budget_round::Entity::update_many()
        .col_expr(
            budget_round::Column::Phase,
            Expr::col(budget_round::Column::Phase).into(),
        )
        .filter(budget_round::Column::Id.eq(id))
        .filter(budget_round::Column::Phase.eq(phase.tag()))
        .exec(db)
        .await?;
    Ok(held.rows_affected == 1)
}
