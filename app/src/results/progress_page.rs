//! Implementation tracking in public: every funded project of a district's
//! published rounds with its progress, and the list a results page shows.

use crate::error::ApiError;
use crate::geography::Name;
use crate::i18n::Msg;
#[cfg(feature = "ssr")]
use crate::results::load;
use crate::results::views::ProgressView;
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
/// A district's funded projects, round by round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictProjectsData {
    pub district: Name,
    pub rounds: Vec<(i32, Name, Vec<ProgressView>)>,
}

#[leptos::server(endpoint = "district-projects")]
pub async fn district_projects(district_id: i32) -> Result<DistrictProjectsData, ApiError> {
    let db = crate::services::services()?.db;
    let district = crate::geography::db::by_id(&db, district_id)
        .await?
        .filter(|a| a.kind == crate::geography::db::AreaKind::District)
        .ok_or(ApiError::NotFound)?;
    let mut rounds = Vec::new();
    for r in crate::rounds::db::rounds(&db, Some(district_id)).await? {
        let versions = load::versions(&db, r.id).await?;
        if let Some(newest) = versions.first() {
            let progress = load::progress(&db, &r, Some(&newest.snapshot)).await?;
            rounds.push((
                r.id,
                Name {
                    fa: r.title_fa,
                    en: r.title_en,
                },
                progress,
            ));
        }
    }
    Ok(DistrictProjectsData {
        district: district.name(),
        rounds,
    })
}

/// Funded projects and their latest state, with the history of updates.
#[component]
pub fn ProgressList(projects: Vec<ProgressView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel progress">
            <h2>{lang.text(Msg::ProgressTitle)}</h2>
            <ul class="projects">
                {projects.into_iter().map(|p| view! { <ProgressItem project=p /> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn ProgressItem(project: ProgressView) -> impl IntoView {
    let lang = use_lang();
    let money = move |rial: i64| crate::rounds::toman(lang, rial);
    let current = project.updates.last().cloned();
    let percent_value = current.as_ref().map_or(0, |c| c.update.percent);
    view! {
        <li class="project-progress">
            <h3 dir="auto" lang=crate::ui::written_lang(&project.title)><a href=format!("/proposals/{}", project.project_id)>{project.title.clone()}</a></h3>
            <p>
                {lang.text(Msg::ResultsCost)} " " {money(i64::try_from(project.cost_rial).unwrap_or(i64::MAX))}
                " · "
                <span class="stage">{lang.text(current.as_ref().map_or(Msg::StageNotStarted, |c| c.update.stage.msg()))}</span>
            </p>
            <progress max="100" value=percent_value>{percent_value}</progress>
            {current.map(|c| view! {
                <p>
                    {lang.format(Msg::ProgressPercent, &[("value", &crate::format::number(lang, i64::from(c.update.percent)))])}
                    " · " {lang.format(Msg::ProgressSpent, &[("amount", &money(c.update.spent_rial))])}
                    " · " {lang.format(Msg::ProgressUpdatedOn, &[("date", &c.at)])}
                </p>
            })}
            {(!project.updates.is_empty()).then(|| view! {
                <details>
                    <summary>{lang.text(Msg::ProgressHistory)}</summary>
                    <ol class="updates">
                        {project.updates.iter().rev().map(|u| view! {
                            <li>
                                <time>{u.at.clone()}</time> " · " {lang.text(u.update.stage.msg())}
                                " · " {lang.format(Msg::Percent, &[("value", &crate::format::number(lang, i64::from(u.update.percent)))])}
                                {(!u.update.note.is_empty()).then(|| view! { <p class="note" dir="auto" lang=crate::ui::written_lang(&u.update.note)>{u.update.note.clone()}</p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </li>
    }
}

#[component]
pub fn DistrictProjectsPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::ui::id_param();
    let data = Resource::new(move || id.get(), district_projects);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <crate::ui::ErrorPage error /> }.into_any(),
                    Ok(d) => view! {
                        <PageHeading text=lang.format(Msg::DistrictProjectsTitle, &[("district", d.district.get(lang))]) />
                        {if d.rounds.is_empty() {
                            view! { <p class="notice">{lang.text(Msg::DistrictProjectsNone)}</p> }.into_any()
                        } else {
                            d.rounds.into_iter().map(|(round_id, title, projects)| view! {
                                <h2><a href=format!("/rounds/{round_id}/results")>{title.get(lang).to_owned()}</a></h2>
                                <ProgressList projects />
                            }).collect_view().into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
