//! What a resident looks for first: the rounds now taking proposals or votes
//! (for a verified resident, those that cover their neighborhood), with what to
//! do next, and the resident's own proposals.

use crate::error::ApiError;
use crate::geography::Name;
use crate::i18n::Msg;
use crate::rounds::{Phase, Status};
use crate::ui::use_lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A round that residents can act in now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenRound {
    pub id: i32,
    pub title: Name,
    pub area: Name,
    pub phase: Phase,
}

/// One of the resident's proposals, in any round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyProposal {
    pub id: i32,
    pub title: String,
    pub round: Name,
    pub status: Status,
    pub submitted: String,
}

/// The rounds taking proposals or votes, newest first; for a verified
/// resident only those covering their neighborhood.
#[leptos::server(endpoint = "open-rounds")]
pub async fn open_rounds() -> Result<Vec<OpenRound>, ApiError> {
    use crate::error::OrInternal;
    use crate::geography::db as area;
    let db = crate::services::services()?.db;
    let home = match crate::accounts::auth::viewer().await? {
        Some(viewer) => crate::verification::db::of_account(&db, viewer.id).await?,
        None => None,
    };
    let home = match home {
        Some(person) => Some((
            person.neighborhood_id,
            area::district_of_neighborhood(&db, person.neighborhood_id).await?,
        )),
        None => None,
    };
    let mut open = Vec::new();
    for r in crate::rounds::db::rounds(&db, None).await? {
        let covers = home.is_none_or(|(neighborhood, district)| {
            r.area_id == neighborhood || (r.area_id == r.district_id && district == Some(r.district_id))
        });
        if matches!(r.phase, Phase::Proposals | Phase::Voting) && covers {
            let area = area::by_id(&db, r.area_id)
                .await?
                .or_internal(|| format!("the area of round {} missing", r.id))?;
            open.push(OpenRound {
                id: r.id,
                title: Name {
                    fa: r.title_fa,
                    en: r.title_en,
                },
                area: area.name(),
                phase: r.phase,
            });
        }
    }
    Ok(open)
}

/// The signed-in resident's proposals, newest first.
#[leptos::server(endpoint = "my-proposals")]
pub async fn my_proposals() -> Result<Vec<MyProposal>, ApiError> {
    use crate::error::OrInternal;
    let viewer = crate::accounts::auth::require_signed_in().await?;
    let db = crate::services::services()?.db;
    let lang = crate::ui::detect_lang();
    let mut mine = Vec::new();
    for p in crate::rounds::proposal_db::by_author(&db, viewer.id).await? {
        let round = crate::rounds::db::by_id(&db, p.round_id)
            .await?
            .or_internal(|| format!("the round of proposal {} missing", p.id))?;
        mine.push(MyProposal {
            id: p.id,
            title: p.title,
            round: Name {
                fa: round.title_fa,
                en: round.title_en,
            },
            status: p.status,
            submitted: crate::format::datetime_date(lang, p.created_at),
        });
    }
    Ok(mine)
}

/// The rounds open now, each with its phase and a link to what to do in it.
#[component]
pub fn OpenRoundsSection() -> impl IntoView {
    let lang = use_lang();
    let rounds = Resource::new(|| (), |_| open_rounds());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                rounds.await.ok().filter(|r| !r.is_empty()).map(|rounds| view! {
                    <section class="open-rounds" aria-labelledby="open-rounds-title">
                        <h2 id="open-rounds-title">{lang.text(Msg::OpenRoundsTitle)}</h2>
                        <ul class="rounds">
                            {rounds.into_iter().map(|r| {
                                let (href, next) = match r.phase {
                                    Phase::Voting => (format!("/rounds/{}/ballot", r.id), Msg::OpenRoundVote),
                                    _ => (format!("/rounds/{}", r.id), Msg::OpenRoundPropose),
                                };
                                view! {
                                    <li class="round-card">
                                        <h3><a href=format!("/rounds/{}", r.id)>{r.title.get(lang).to_owned()}</a></h3>
                                        <p>
                                            {r.area.get(lang).to_owned()} " · "
                                            <span class=format!("phase phase-{}", r.phase.tag())>{lang.text(r.phase.msg())}</span>
                                        </p>
                                        <p><a class="next-step" href=href>{lang.text(next)}</a></p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The signed-in resident's proposals and what became of them.
#[component]
pub fn MyProposalsSection() -> impl IntoView {
    let lang = use_lang();
    let mine = Resource::new(|| (), |_| my_proposals());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                mine.await.ok().map(|mine| view! {
                    <crate::ui::ListSection id="my-proposals" title=Msg::MyProposalsTitle empty=Msg::MyProposalsEmpty is_empty=mine.is_empty()>
                        <ul class="proposal-list">
                            {mine.into_iter().map(|p| {
                                let written = crate::ui::written_lang(&p.title);
                                view! {
                                    <li class="proposal-row">
                                        <a href=format!("/proposals/{}", p.id) dir="auto" lang=written>{p.title.clone()}</a>
                                        <span class=format!("status status-{}", p.status.tag())>{lang.text(p.status.msg())}</span>
                                        <span>{p.round.get(lang).to_owned()}</span>
                                        <span class="date">{p.submitted.clone()}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </crate::ui::ListSection>
                })
            })}
        </Suspense>
    }
}
