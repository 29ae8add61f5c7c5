//! The dates an office plans for the phases of a round, which the round's
//! pages show. Phases still move by hand; the plan tells residents when to
//! expect each one.

use crate::error::ApiError;
use crate::i18n::Msg;
use crate::rounds::Phase;
use crate::rounds::views::PlannedPhase;
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, error_of, use_lang};
use leptos::prelude::*;

/// The phases a plan can date: every one after the draft.
pub const PLANNED: [Phase; 5] = [
    Phase::Proposals,
    Phase::Review,
    Phase::Voting,
    Phase::Closed,
    Phase::Published,
];

/// The dates typed for [`PLANNED`]'s phases, blank for none, checked: each a
/// real date (Solar Hijri or Gregorian, either digits) and none before an
/// earlier phase's.
#[cfg(feature = "ssr")]
fn parse_plan(typed: [&str; 5]) -> Result<Vec<(Phase, chrono::NaiveDate)>, ApiError> {
    let mut plan = Vec::new();
    for (phase, text) in PLANNED.into_iter().zip(typed) {
        if text.trim().is_empty() {
            continue;
        }
        let date = crate::format::parse_date(text).ok_or(ApiError::PlanDateInvalid)?;
        if plan.last().is_some_and(|&(_, before)| date < before) {
            return Err(ApiError::PlanOrder);
        }
        plan.push((phase, date));
    }
    Ok(plan)
}

/// Replaces the plan of round `id` of the office's district.
#[leptos::server(endpoint = "plan-phases")]
pub async fn plan_phases(
    id: i32,
    proposals: String,
    review: String,
    voting: String,
    closed: String,
    published: String,
) -> Result<(), ApiError> {
    use crate::accounts::audit::{Action, Entry};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    crate::rounds::load::own_round(&db, district_id, id).await?;
    let plan = parse_plan([&proposals, &review, &voting, &closed, &published])?;
    let subject = std::iter::once(format!("round:{id}"))
        .chain(plan.iter().map(|(phase, date)| format!("{}:{date}", phase.tag())))
        .collect::<Vec<_>>()
        .join(" ");
    crate::accounts::audited::audited(
        &db,
        Entry::new(Some(viewer.id), Action::PlanPhases, Some(district_id), subject),
        async |txn, _| {
            crate::rounds::db::phase_plan::Entity::delete_many()
                .filter(crate::rounds::db::phase_plan::Column::RoundId.eq(id))
                .exec(txn)
                .await?;
            for (phase, starts_on) in plan {
                crate::rounds::db::phase_plan::ActiveModel {
                    round_id: Set(id),
                    phase: Set(phase.tag().to_owned()),
                    starts_on: Set(starts_on),
                }
                .insert(txn)
                .await?;
            }
            Ok(())
        },
    )
    .await
}

/// The round's plan under its facts, the current phase marked.
#[component]
pub fn ScheduleList(plan: Vec<PlannedPhase>, current: Phase) -> impl IntoView {
    let lang = use_lang();
    (!plan.is_empty()).then(|| {
        view! {
            <section class="schedule" aria-labelledby="schedule-title">
                <h2 id="schedule-title">{lang.text(Msg::ScheduleTitle)}</h2>
                <ol class="schedule-list">
                    {plan.into_iter().map(|p| view! {
                        <li class:current=p.phase == current aria-current=(p.phase == current).then_some("step")>
                            <span class="phase-name">{lang.text(p.phase.msg())}</span> " · " {p.shown}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

/// The office's form for the plan: a date per phase, Solar Hijri in Persian.
#[component]
pub fn PlanForm(id: i32, current: Vec<PlannedPhase>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<PlanPhases>::new();
    view! {
        <section class="panel">
            <h2>{lang.text(Msg::PlanTitle)}</h2>
            <p>{lang.text(Msg::PlanIntro)}</p>
            <ActionForm action attr:class="stack plan">
                <CsrfField />
                <input type="hidden" name="id" value=id />
                {PLANNED.into_iter().map(|phase| {
                    let field = phase.tag();
                    let typed = current.iter().find(|p| p.phase == phase).map(|p| p.typed.clone());
                    view! {
                        <label for=format!("plan-{field}")>{lang.text(phase.msg())}</label>
                        <input id=format!("plan-{field}") name=field inputmode="numeric" maxlength="10" dir="ltr"
                            value=typed placeholder=lang.text(Msg::PlanDatePlaceholder) />
                    }
                }).collect_view()}
                <ErrorNote error=error_of(action) />
                <button type="submit">{lang.text(Msg::PlanSubmit)}</button>
            </ActionForm>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_plan_runs_forward_in_either_calendar() {
        let plan = parse_plan(["۱۴۰۵/۰۹/۲۰", "", "2026-12-25", "1405-10-15", ""]).expect("valid");
        let dates: Vec<String> = plan.iter().map(|(p, d)| format!("{} {d}", p.tag())).collect();
        assert_eq!(
            dates,
            ["proposals 2026-12-11", "voting 2026-12-25", "closed 2027-01-05"]
        );
        assert_eq!(parse_plan(["", "", "", "", ""]), Ok(Vec::new()));
        assert_eq!(
            parse_plan(["1405/09/20", "1405/09/19", "", "", ""]),
            Err(ApiError::PlanOrder)
        );
        assert_eq!(
            parse_plan(["1405/13/01", "", "", "", ""]),
            Err(ApiError::PlanDateInvalid)
        );
        assert_eq!(parse_plan(["tomorrow", "", "", "", ""]), Err(ApiError::PlanDateInvalid));
    }
}
