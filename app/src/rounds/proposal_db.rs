//! Proposals and the per-resident proposal count. Every change is one
//! conditional statement (on the round's phase, the office's district, the
//! author), so that a request that lost a race changes nothing.

use crate::rounds::db::budget_round;
use crate::rounds::{Phase, ProposalFilter, Sort, Status};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, Func, LikeExpr, OnConflict, Query};
use sea_orm::{ActiveValue::Set, Condition, QueryOrder};

pub mod proposal {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "proposal")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub round_id: i32,
        pub author_id: i32,
        pub neighborhood_id: i32,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub category: crate::rounds::Category,
        pub location: String,
        pub estimate_rial: Option<i64>,
        pub status: crate::rounds::Status,
        pub official_cost_rial: Option<i64>,
        #[sea_orm(column_type = "Text", nullable)]
        pub reject_reason: Option<String>,
        pub merged_into: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Entered by the office for a resident who came to the desk.
        pub entered_at_office: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The office's corrections of proposals during review, each with what it replaced.
pub mod correction {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "proposal_correction")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub proposal_id: i32,
        pub at: DateTimeUtc,
        #[sea_orm(column_type = "Text")]
        pub title_before: String,
        #[sea_orm(column_type = "Text")]
        pub description_before: String,
        #[sea_orm(column_type = "Text")]
        pub title_after: String,
        #[sea_orm(column_type = "Text")]
        pub description_after: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod quota {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "proposal_quota")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub round_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub author_id: i32,
        pub used: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Counts one more proposal of `author` in `round`, unless `max` are counted
/// already; one statement, so two racing submissions cannot both take the last place.
pub async fn take_quota<C: ConnectionTrait>(db: &C, round: i32, author: i32, max: i32) -> Result<bool, DbErr> {
    let taken = quota::Entity::insert(quota::ActiveModel {
        round_id: Set(round),
        author_id: Set(author),
        used: Set(1),
    })
    .on_conflict(
        OnConflict::columns([quota::Column::RoundId, quota::Column::AuthorId])
            .value(
                quota::Column::Used,
                Expr::col((quota::Entity, quota::Column::Used)).add(1),
            )
            .action_and_where(Expr::col((quota::Entity, quota::Column::Used)).lt(max))
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(taken == 1)
}

/// What a resident writes in a proposal.
#[derive(Clone, Debug)]
pub struct Draft {
    pub neighborhood_id: i32,
    pub title: String,
    pub description: String,
    pub category: crate::rounds::Category,
    pub location: String,
    pub estimate_rial: Option<i64>,
}

impl Draft {
    fn apply(self, model: &mut proposal::ActiveModel) {
        model.neighborhood_id = Set(self.neighborhood_id);
        model.title = Set(self.title);
        model.description = Set(self.description);
        model.category = Set(self.category);
        model.location = Set(self.location);
        model.estimate_rial = Set(self.estimate_rial);
        model.updated_at = Set(chrono::Utc::now());
    }
}

/// Stores a new proposal of `author` (a staff member, `at_office`, for a
/// resident who came to the desk).
pub async fn insert_proposal<C: ConnectionTrait>(
    db: &C,
    round: i32,
    author: i32,
    at_office: bool,
    draft: Draft,
) -> Result<i32, DbErr> {
    let mut model = proposal::ActiveModel {
        round_id: Set(round),
        author_id: Set(author),
        status: Set(Status::Submitted),
        created_at: Set(chrono::Utc::now()),
        entered_at_office: Set(at_office),
        ..Default::default()
    };
    draft.apply(&mut model);
    Ok(model.insert(db).await?.id)
}

fn rounds_in(phase: Phase, district: Option<i32>) -> sea_orm::sea_query::SelectStatement {
    let mut query = Query::select();
    query
        .column(budget_round::Column::Id)
        .from(budget_round::Entity)
        .and_where(budget_round::Column::Phase.eq(phase.tag()));
    if let Some(district) = district {
        query.and_where(budget_round::Column::DistrictId.eq(district));
    }
    query
}

/// Changes the author's own proposal while its round takes proposals; false otherwise.
pub async fn update_own<C: ConnectionTrait>(db: &C, id: i32, author: i32, draft: Draft) -> Result<bool, DbErr> {
    let mut model = <proposal::ActiveModel as ActiveModelTrait>::default();
    draft.apply(&mut model);
    let updated = proposal::Entity::update_many()
        .set(model)
        .filter(proposal::Column::Id.eq(id))
        .filter(proposal::Column::AuthorId.eq(author))
        .filter(proposal::Column::Status.eq(Status::Submitted.tag()))
        .filter(proposal::Column::RoundId.in_subquery(rounds_in(Phase::Proposals, None)))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// An office's decision on a proposal.
#[derive(Clone, Debug)]
pub enum Decision {
    Accept { cost_rial: i64 },
    Reject { reason: String },
    Merge { into: i32 },
}

/// Applies `decision` to a proposal of a round of `district` under review;
/// false if there is no such proposal. A merge needs its target to be a
/// project of the same round, checked in the same statement.
pub async fn decide<C: ConnectionTrait>(db: &C, id: i32, district: i32, decision: Decision) -> Result<bool, DbErr> {
    let mut update = proposal::Entity::update_many()
        .col_expr(proposal::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .filter(proposal::Column::Id.eq(id))
        .filter(proposal::Column::RoundId.in_subquery(rounds_in(Phase::Review, Some(district))));
    let (status, cost, reason, merged_into) = match decision {
        Decision::Accept { cost_rial } => (Status::Accepted, Some(cost_rial), None, None),
        Decision::Reject { reason } => (Status::Rejected, None, Some(reason), None),
        Decision::Merge { into } => {
            let target = Query::select()
                .column(proposal::Column::RoundId)
                .from(proposal::Entity)
                .and_where(proposal::Column::Id.eq(into))
                .and_where(proposal::Column::Id.ne(id))
                .and_where(proposal::Column::Status.eq(Status::Accepted.tag()))
                .to_owned();
            update = update.filter(proposal::Column::RoundId.in_subquery(target));
            (Status::Merged, None, None, Some(into))
        }
    };
    let decided = update
        .col_expr(proposal::Column::Status, Expr::value(status.tag()))
        .col_expr(proposal::Column::OfficialCostRial, Expr::value(cost))
        .col_expr(proposal::Column::RejectReason, Expr::value(reason))
        .col_expr(proposal::Column::MergedInto, Expr::value(merged_into))
        .exec(db)
        .await?;
    Ok(decided.rows_affected == 1)
}

/// Replaces the title and description of a proposal of a round of `district`
/// under review, keeping what they were; false if there is no such proposal.
pub async fn correct<C: ConnectionTrait>(
    db: &C,
    id: i32,
    district: i32,
    title: String,
    description: String,
) -> Result<bool, DbErr> {
    let Some(before) = proposal::Entity::find_by_id(id)
        .filter(proposal::Column::RoundId.in_subquery(rounds_in(Phase::Review, Some(district))))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let now = chrono::Utc::now();
    correction::ActiveModel {
        proposal_id: Set(id),
        at: Set(now),
        title_before: Set(before.title),
        description_before: Set(before.description),
        title_after: Set(title.clone()),
        description_after: Set(description.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let updated = proposal::Entity::update_many()
        .col_expr(proposal::Column::Title, Expr::value(title))
        .col_expr(proposal::Column::Description, Expr::value(description))
        .col_expr(proposal::Column::UpdatedAt, Expr::value(now))
        .filter(proposal::Column::Id.eq(id))
        .filter(proposal::Column::RoundId.in_subquery(rounds_in(Phase::Review, Some(district))))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// The corrections of a proposal, oldest first.
pub async fn corrections<C: ConnectionTrait>(db: &C, id: i32) -> Result<Vec<correction::Model>, DbErr> {
    correction::Entity::find()
        .filter(correction::Column::ProposalId.eq(id))
        .order_by_asc(correction::Column::Id)
        .all(db)
        .await
}

pub async fn proposal_by_id<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<proposal::Model>, DbErr> {
    proposal::Entity::find_by_id(id).one(db).await
}

/// The proposals `author` submitted, in every round, newest first.
pub async fn by_author<C: ConnectionTrait>(db: &C, author: i32) -> Result<Vec<proposal::Model>, DbErr> {
    proposal::Entity::find()
        .filter(proposal::Column::AuthorId.eq(author))
        .order_by_desc(proposal::Column::Id)
        .all(db)
        .await
}

/// The accepted proposals (projects) of a round, by title.
pub async fn projects<C: ConnectionTrait>(db: &C, round: i32) -> Result<Vec<proposal::Model>, DbErr> {
    proposal::Entity::find()
        .filter(proposal::Column::RoundId.eq(round))
        .filter(proposal::Column::Status.eq(Status::Accepted.tag()))
        .order_by_asc(proposal::Column::Title)
        .all(db)
        .await
}

/// One page of a round's proposals as `filter` narrows and orders them, and
/// how many match in all. Filtering, ordering and paging happen in the database.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    round: i32,
    filter: &ProposalFilter,
) -> Result<(Vec<proposal::Model>, u64), DbErr> {
    let mut query = proposal::Entity::find().filter(proposal::Column::RoundId.eq(round));
    if !filter.q.is_empty() {
        let escaped: String = filter
            .q
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let pattern = || LikeExpr::new(format!("%{escaped}%")).escape('\\');
        query = query.filter(
            Condition::any()
                .add(proposal::Column::Title.like(pattern()))
                .add(proposal::Column::Description.like(pattern())),
        );
    }
    if let Some(category) = filter.category {
        query = query.filter(proposal::Column::Category.eq(category.tag()));
    }
    if let Some(neighborhood) = filter.neighborhood {
        query = query.filter(proposal::Column::NeighborhoodId.eq(neighborhood));
    }
    if let Some(status) = filter.status {
        query = query.filter(proposal::Column::Status.eq(status.tag()));
    }
    query = match filter.sort {
        Sort::Newest => query.order_by_desc(proposal::Column::CreatedAt),
        Sort::Title => query.order_by_asc(proposal::Column::Title),
        Sort::Cost => {
            let cost = || {
                Expr::expr(Func::coalesce([
                    Expr::col(proposal::Column::OfficialCostRial).into(),
                    Expr::col(proposal::Column::EstimateRial).into(),
                ]))
            };
            // The two databases disagree on where NULLs sort; say it explicitly.
            query.order_by_asc(cost().is_null()).order_by_asc(cost())
        }
    };
    let paginator = query
        .order_by_desc(proposal::Column::Id)
        .paginate(db, crate::rounds::PAGE_SIZE);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(filter.page.max(1) - 1).await?;
    Ok((items, total))
}
