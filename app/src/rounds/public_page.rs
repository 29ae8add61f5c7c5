//! The public side of budget rounds: the list of rounds, a round with its
//! searchable list of proposals, a proposal with the office's answer, and the
//! forms with which verified residents propose and edit their proposals.

use crate::error::ApiError;
use crate::geography::Name;
use crate::i18n::Msg;
use crate::rounds::Phase;
#[cfg(feature = "ssr")]
use crate::rounds::ProposalFilter;
#[cfg(feature = "ssr")]
use crate::rounds::load;
use crate::rounds::proposal_list::ProposalList;
use crate::rounds::proposal_page::ProposeForm;
use crate::rounds::propose::SubmitProposal;
use crate::rounds::views::RoundData;
use crate::rounds::views::RoundInfo;
use crate::rounds::views::RoundSummary;
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[leptos::server(endpoint = "rounds")]
pub async fn list_rounds() -> Result<Vec<RoundSummary>, ApiError> {
    let db = crate::services::services()?.db;
    let mut rounds = Vec::new();
    for r in crate::rounds::db::rounds(&db, None).await? {
        rounds.push(load::summary(&db, &r).await?);
    }
    Ok(rounds)
}

/// A round and one page of its proposals; the filter's parts are optional and
/// unreadable ones are ignored, as in the page's address.
#[leptos::server(endpoint = "round")]
pub async fn round_view(
    id: i32,
    q: Option<String>,
    category: Option<String>,
    neighborhood: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    page: Option<String>,
) -> Result<RoundData, ApiError> {
    let filter = ProposalFilter::from_query(|key| match key {
        "q" => q.clone(),
        "category" => category.clone(),
        "neighborhood" => neighborhood.clone(),
        "status" => status.clone(),
        "sort" => sort.clone(),
        "page" => page.clone(),
        _ => None,
    });
    let db = crate::services::services()?.db;
    let r = load::round(&db, id).await?;
    let (proposals, total) = crate::rounds::proposal_db::search(&db, id, &filter).await?;
    Ok(RoundData {
        round: load::info(&db, &r).await?,
        proposals: proposals.into_iter().map(load::row).collect::<Result<_, _>>()?,
        total,
        signed_in: crate::accounts::auth::viewer().await?.is_some(),
    })
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    let lang = use_lang();
    let rounds = Resource::new(|| (), |_| list_rounds());
    view! {
        <PageHeading text=lang.text(Msg::RoundsTitle) />
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match rounds.await {
                    Ok(rounds) if rounds.is_empty() => view! { <p class="empty">{lang.text(Msg::RoundsEmpty)}</p> }.into_any(),
                    Ok(rounds) => view! { <RoundList rounds href_prefix="/rounds/" /> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Rounds as cards, each linking to `href_prefix` followed by its id.
#[component]
pub fn RoundList(rounds: Vec<RoundSummary>, href_prefix: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="rounds">
            {rounds.into_iter().map(|r| view! {
                <li class="round-card">
                    <h2><a href=format!("{href_prefix}{}", r.id)>{r.title.get(lang).to_owned()}</a></h2>
                    <p>
                        <AreaName area=r.area district=r.district />
                    </p>
                    <p>
                        <span class=format!("phase phase-{}", r.phase.tag())>{lang.text(r.phase.msg())}</span>
                        " · " {crate::rounds::toman(lang, r.budget_rial)}
                        " · " {lang.format(Msg::RoundOpened, &[("date", &r.opened)])}
                    </p>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// A round's area: the district alone, or the neighborhood and its district.
#[component]
fn AreaName(area: Name, district: Name) -> impl IntoView {
    let lang = use_lang();
    if area == district {
        area.get(lang).to_owned()
    } else {
        format!("{} · {}", area.get(lang), district.get(lang))
    }
}

/// The round's facts under its title: area, phase, budget and rules. `page`
/// names the page in the browser's tab when it is not the round's own page
/// (a message with `$round`).
#[component]
pub fn RoundFacts(round: RoundInfo, #[prop(optional)] page: Option<Msg>) -> impl IntoView {
    let lang = use_lang();
    let s = round.summary;
    let title = s.title.get(lang).to_owned();
    let tab = page.map_or_else(|| title.clone(), |msg| lang.format(msg, &[("round", &title)]));
    view! {
        <leptos_meta::Title text=tab />
        <h1>{title}</h1>
        <dl class="facts">
            <dt>{lang.text(Msg::RoundArea)}</dt>
            <dd><AreaName area=s.area.clone() district=s.district.clone() /></dd>
            <dt>{lang.text(Msg::RoundPhase)}</dt>
            <dd>
                <span class=format!("phase phase-{}", s.phase.tag())>{lang.text(s.phase.msg())}</span>
                " · " {lang.format(Msg::RoundPhaseSince, &[("date", &s.phase_since)])}
            </dd>
            <dt>{lang.text(Msg::RoundBudget)}</dt>
            <dd>{crate::rounds::toman(lang, s.budget_rial)}</dd>
            <dt>{lang.text(Msg::RoundBallot)}</dt>
            <dd>{round.ballot.describe(lang)}</dd>
            <dt>{lang.text(Msg::RoundTally)}</dt>
            <dd>{lang.text(round.tally.msg())}</dd>
        </dl>
        <p>
            {lang.format(Msg::RoundProposalLimit, &[("count", &crate::format::number(lang, i64::from(round.max_proposals)))])}
            {round.min_age.map(|age| view! { " " {lang.format(Msg::RoundMinAge, &[("age", &crate::format::number(lang, i64::from(age)))])} })}
        </p>
        <crate::rounds::schedule::ScheduleList plan=round.plan current=s.phase />
    }
}

/// Loads the round of the address `/…/:id` with the page of proposals its
/// query asks for, again whenever `version` changes.
pub fn round_resource(version: impl Fn() -> usize + Send + Sync + 'static) -> Resource<Result<RoundData, ApiError>> {
    let page_id = crate::ui::id_param();
    let query = use_query_map();
    Resource::new(
        move || {
            let id = page_id.get();
            let query = query.read();
            let get = |key: &str| query.get(key);
            (
                id,
                get("q"),
                get("category"),
                get("neighborhood"),
                get("status"),
                get("sort"),
                get("page"),
                version(),
            )
        },
        |(id, q, category, neighborhood, status, sort, page, _)| {
            round_view(id, q, category, neighborhood, status, sort, page)
        },
    )
}

#[component]
pub fn RoundPage() -> impl IntoView {
    let lang = use_lang();
    let submit = ServerAction::<SubmitProposal>::new();
    let view_data = round_resource(move || submit.version().get());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Err(error) => view! { <crate::ui::ErrorPage error /> }.into_any(),
                    Ok(data) => {
                        let round_id = data.round.summary.id;
                        let open = data.round.summary.phase == Phase::Proposals;
                        let voting = data.round.summary.phase == Phase::Voting;
                        let published = data.round.summary.phase == Phase::Published;
                        let places = data.round.neighborhoods.clone();
                        view! {
                            <RoundFacts round=data.round.clone() />
                            {voting.then(|| view! {
                                <p><a class="button vote-link" href=crate::paths::ballot_form(round_id)>{lang.text(Msg::RoundVoteLink)}</a></p>
                            })}
                            {published.then(|| view! {
                                <p><a class="button results-link" href=format!("/rounds/{round_id}/results")>{lang.text(Msg::ResultsLink)}</a></p>
                            })}
                            {open.then(|| match data.signed_in {
                                true => view! { <ProposeForm action=submit round_id places=places.clone() /> }.into_any(),
                                false => view! {
                                    <p class="notice sign-in-to-propose">
                                        {lang.text(Msg::SignInToPropose)} " " <a href="/login">{lang.text(Msg::LoginTitle)}</a>
                                    </p>
                                }.into_any(),
                            })}
                            <ProposalList
                                base=format!("/rounds/{round_id}")
                                places
                                proposals=data.proposals
                                total=data.total
                            />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
