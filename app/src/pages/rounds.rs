//! The public side of budget rounds: the list of rounds, a round with its
//! searchable list of proposals, a proposal with the office's answer, and the
//! forms with which verified residents propose and edit their proposals.

use crate::app::use_lang;
use crate::components::{ErrorNote, error_of};
use crate::csrf::CsrfField;
use crate::error::ApiError;
use crate::geography::Name;
use crate::i18n::Msg;
use crate::pages::office::Place;
use crate::round::{BallotRule, Category, Phase, ProposalFilter, Sort, Status, TallyRule};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: i32,
    pub title: Name,
    pub area: Name,
    pub district: Name,
    pub phase: Phase,
    pub budget_rial: i64,
    pub opened: String,
    pub phase_since: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundInfo {
    pub summary: RoundSummary,
    pub ballot: BallotRule,
    pub tally: TallyRule,
    pub min_age: Option<i32>,
    pub max_proposals: i32,
    /// The neighborhoods the round covers.
    pub neighborhoods: Vec<Place>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalRow {
    pub id: i32,
    pub title: String,
    pub category: Category,
    pub neighborhood_id: i32,
    pub status: Status,
    pub official_cost_rial: Option<i64>,
    pub estimate_rial: Option<i64>,
    pub submitted: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundData {
    pub round: RoundInfo,
    pub proposals: Vec<ProposalRow>,
    pub total: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalData {
    pub id: i32,
    pub round_id: i32,
    pub round_title: Name,
    pub phase: Phase,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub neighborhood: Place,
    pub location: String,
    pub estimate_rial: Option<i64>,
    pub status: Status,
    pub official_cost_rial: Option<i64>,
    pub reject_reason: Option<String>,
    /// The project a duplicate was merged into: its id and title.
    pub merged_into: Option<(i32, String)>,
    pub submitted: String,
    /// Whether the viewer wrote it and may still change it.
    pub editable: bool,
    /// The neighborhoods the author may move it to, when editable.
    pub neighborhoods: Vec<Place>,
}

#[cfg(feature = "ssr")]
pub(crate) mod load {
    //! Reading rounds for pages, shared with the office's pages.

    use super::*;
    use crate::db::round::{budget_round, proposal};
    use crate::db::{area, round};
    use sea_orm::DatabaseConnection;

    pub async fn summary(db: &DatabaseConnection, r: &budget_round::Model) -> Result<RoundSummary, ApiError> {
        let lang = crate::app::detect_lang();
        let name = |a: Option<area::Model>| a.map(|a| a.name()).ok_or(ApiError::Internal);
        Ok(RoundSummary {
            id: r.id,
            title: Name {
                fa: r.title_fa.clone(),
                en: r.title_en.clone(),
            },
            area: name(area::by_id(db, r.area_id).await?)?,
            district: name(area::by_id(db, r.district_id).await?)?,
            phase: phase(r)?,
            budget_rial: r.budget_rial,
            opened: crate::format::datetime_date(lang, r.created_at),
            phase_since: crate::format::datetime_date(lang, r.phase_changed_at),
        })
    }

    pub fn phase(r: &budget_round::Model) -> Result<Phase, ApiError> {
        Phase::from_tag(&r.phase).ok_or(ApiError::Internal)
    }

    /// The neighborhoods a round covers: its own, or all of its district's.
    pub async fn covered(db: &DatabaseConnection, r: &budget_round::Model) -> Result<Vec<area::Model>, ApiError> {
        if r.area_id == r.district_id {
            Ok(area::neighborhoods_of(db, r.district_id).await?)
        } else {
            Ok(area::by_id(db, r.area_id).await?.into_iter().collect())
        }
    }

    pub fn places(areas: Vec<area::Model>) -> Vec<Place> {
        areas
            .into_iter()
            .map(|a| Place {
                id: a.id,
                name: a.name(),
            })
            .collect()
    }

    pub async fn info(db: &DatabaseConnection, r: &budget_round::Model) -> Result<RoundInfo, ApiError> {
        Ok(RoundInfo {
            summary: summary(db, r).await?,
            ballot: BallotRule::new(&r.ballot_rule, r.ballot_param).ok_or(ApiError::Internal)?,
            tally: TallyRule::from_tag(&r.tally_rule).ok_or(ApiError::Internal)?,
            min_age: r.min_age,
            max_proposals: r.max_proposals,
            neighborhoods: places(covered(db, r).await?),
        })
    }

    pub fn row(p: proposal::Model) -> Result<ProposalRow, ApiError> {
        Ok(ProposalRow {
            id: p.id,
            category: Category::from_tag(&p.category).ok_or(ApiError::Internal)?,
            status: Status::from_tag(&p.status).ok_or(ApiError::Internal)?,
            submitted: crate::format::datetime_date(crate::app::detect_lang(), p.created_at),
            title: p.title,
            neighborhood_id: p.neighborhood_id,
            official_cost_rial: p.official_cost_rial,
            estimate_rial: p.estimate_rial,
        })
    }

    pub async fn round(db: &DatabaseConnection, id: i32) -> Result<budget_round::Model, ApiError> {
        round::by_id(db, id).await?.ok_or(ApiError::NotFound)
    }
}

#[leptos::server(endpoint = "rounds")]
pub async fn list_rounds() -> Result<Vec<RoundSummary>, ApiError> {
    let db = crate::auth::services()?.db;
    let mut rounds = Vec::new();
    for r in crate::db::round::rounds(&db, None).await? {
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
    let db = crate::auth::services()?.db;
    let r = load::round(&db, id).await?;
    let (proposals, total) = crate::db::round::search(&db, id, &filter).await?;
    Ok(RoundData {
        round: load::info(&db, &r).await?,
        proposals: proposals.into_iter().map(load::row).collect::<Result<_, _>>()?,
        total,
    })
}

#[leptos::server(endpoint = "proposal")]
pub async fn proposal_view(id: i32) -> Result<ProposalData, ApiError> {
    use crate::db::{area, round};
    let db = crate::auth::services()?.db;
    let p = round::proposal_by_id(&db, id).await?.ok_or(ApiError::NotFound)?;
    let r = load::round(&db, p.round_id).await?;
    let phase = load::phase(&r)?;
    let viewer = crate::auth::viewer().await?;
    let status = Status::from_tag(&p.status).ok_or(ApiError::Internal)?;
    let editable =
        viewer.is_some_and(|v| v.id == p.author_id) && phase == Phase::Proposals && status == Status::Submitted;
    let merged_into = match p.merged_into {
        Some(target) => round::proposal_by_id(&db, target).await?.map(|t| (t.id, t.title)),
        None => None,
    };
    let neighborhood = area::by_id(&db, p.neighborhood_id).await?.ok_or(ApiError::Internal)?;
    Ok(ProposalData {
        id: p.id,
        round_id: r.id,
        round_title: Name {
            fa: r.title_fa.clone(),
            en: r.title_en.clone(),
        },
        phase,
        category: Category::from_tag(&p.category).ok_or(ApiError::Internal)?,
        neighborhood: Place {
            id: neighborhood.id,
            name: neighborhood.name(),
        },
        status,
        submitted: crate::format::datetime_date(crate::app::detect_lang(), p.created_at),
        neighborhoods: if editable {
            load::places(load::covered(&db, &r).await?)
        } else {
            Vec::new()
        },
        editable,
        merged_into,
        title: p.title,
        description: p.description,
        location: p.location,
        estimate_rial: p.estimate_rial,
        official_cost_rial: p.official_cost_rial,
        reject_reason: p.reject_reason,
    })
}

/// What a resident typed, checked; `covered` are the round's neighborhoods.
#[cfg(feature = "ssr")]
fn draft(covered: &[crate::db::area::Model], fields: ProposalFields) -> Result<crate::db::round::Draft, ApiError> {
    let title = crate::round::proposal_title(&fields.title)?;
    let description = crate::round::proposal_description(&fields.description)?;
    let category = Category::from_tag(&fields.category).ok_or(ApiError::CategoryInvalid)?;
    if !covered.iter().any(|n| n.id == fields.neighborhood_id) {
        return Err(ApiError::NeighborhoodInvalid);
    }
    Ok(crate::db::round::Draft {
        neighborhood_id: fields.neighborhood_id,
        title,
        description,
        category,
        location: crate::round::location(&fields.location)?,
        estimate_rial: crate::round::parse_toman(&fields.estimate)?,
    })
}

#[cfg(feature = "ssr")]
struct ProposalFields {
    title: String,
    description: String,
    category: String,
    neighborhood_id: i32,
    location: String,
    estimate: String,
}

#[leptos::server(endpoint = "submit-proposal")]
pub async fn submit_proposal(
    round_id: i32,
    title: String,
    description: String,
    category: String,
    neighborhood_id: i32,
    location: String,
    estimate: String,
) -> Result<i32, ApiError> {
    use crate::db::{round, verification};
    use sea_orm::TransactionTrait;
    let viewer = crate::auth::require_signed_in().await?;
    let db = crate::auth::services()?.db;
    let person = verification::of_account(&db, viewer.id)
        .await?
        .ok_or(ApiError::NotVerified)?;
    let r = load::round(&db, round_id).await?;
    let covered = load::covered(&db, &r).await?;
    if !covered.iter().any(|n| n.id == person.neighborhood_id) {
        return Err(ApiError::OutsideRound);
    }
    if load::phase(&r)? != Phase::Proposals {
        return Err(ApiError::WrongPhase);
    }
    let draft = draft(
        &covered,
        ProposalFields {
            title,
            description,
            category,
            neighborhood_id,
            location,
            estimate,
        },
    )?;
    let txn = db.begin().await?;
    if !round::hold(&txn, round_id, Phase::Proposals).await? {
        return Err(ApiError::WrongPhase);
    }
    if !round::take_quota(&txn, round_id, viewer.id, r.max_proposals).await? {
        return Err(ApiError::ProposalLimit);
    }
    let id = round::insert_proposal(&txn, round_id, viewer.id, draft).await?;
    txn.commit().await?;
    leptos_axum::redirect(&format!("/proposals/{id}"));
    Ok(id)
}

#[leptos::server(endpoint = "edit-proposal")]
pub async fn edit_proposal(
    id: i32,
    title: String,
    description: String,
    category: String,
    neighborhood_id: i32,
    location: String,
    estimate: String,
) -> Result<(), ApiError> {
    use crate::db::round;
    let viewer = crate::auth::require_signed_in().await?;
    let db = crate::auth::services()?.db;
    let p = round::proposal_by_id(&db, id).await?.ok_or(ApiError::NotFound)?;
    if p.author_id != viewer.id {
        return Err(ApiError::Forbidden);
    }
    let r = load::round(&db, p.round_id).await?;
    if load::phase(&r)? != Phase::Proposals || p.status != Status::Submitted.tag() {
        return Err(ApiError::WrongPhase);
    }
    let draft = draft(
        &load::covered(&db, &r).await?,
        ProposalFields {
            title,
            description,
            category,
            neighborhood_id,
            location,
            estimate,
        },
    )?;
    // One conditional statement: it changes nothing if review began meanwhile.
    if !round::update_own(&db, id, viewer.id, draft).await? {
        return Err(ApiError::WrongPhase);
    }
    Ok(())
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    let lang = use_lang();
    let rounds = Resource::new(|| (), |_| list_rounds());
    view! {
        <h1>{lang.text(Msg::RoundsTitle)}</h1>
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
                        " · " {crate::round::toman(lang, r.budget_rial)}
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

/// The round's facts: area, phase, budget and rules.
#[component]
pub fn RoundFacts(round: RoundInfo) -> impl IntoView {
    let lang = use_lang();
    let s = round.summary;
    view! {
        <h1>{s.title.get(lang).to_owned()}</h1>
        <dl class="facts">
            <dt>{lang.text(Msg::RoundArea)}</dt>
            <dd><AreaName area=s.area.clone() district=s.district.clone() /></dd>
            <dt>{lang.text(Msg::RoundPhase)}</dt>
            <dd>
                <span class=format!("phase phase-{}", s.phase.tag())>{lang.text(s.phase.msg())}</span>
                " · " {lang.format(Msg::RoundPhaseSince, &[("date", &s.phase_since)])}
            </dd>
            <dt>{lang.text(Msg::RoundBudget)}</dt>
            <dd>{crate::round::toman(lang, s.budget_rial)}</dd>
            <dt>{lang.text(Msg::RoundBallot)}</dt>
            <dd>{round.ballot.describe(lang)}</dd>
            <dt>{lang.text(Msg::RoundTally)}</dt>
            <dd>{lang.text(round.tally.msg())}</dd>
        </dl>
        <p>
            {lang.format(Msg::RoundProposalLimit, &[("count", &crate::format::number(lang, i64::from(round.max_proposals)))])}
            {round.min_age.map(|age| view! { " " {lang.format(Msg::RoundMinAge, &[("age", &crate::format::number(lang, i64::from(age)))])} })}
        </p>
    }
}

/// The filter of the current address.
pub fn current_filter() -> ProposalFilter {
    let query = use_query_map();
    let query = query.read_untracked();
    ProposalFilter::from_query(|key| query.get(key))
}

/// Loads the round of the address `/…/:id` with the page of proposals its
/// query asks for, again whenever `version` changes.
pub fn round_resource(version: impl Fn() -> usize + Send + Sync + 'static) -> Resource<Result<RoundData, ApiError>> {
    let page_id = crate::pages::id_param();
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
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Ok(data) => {
                        let round_id = data.round.summary.id;
                        let open = data.round.summary.phase == Phase::Proposals;
                        let voting = data.round.summary.phase == Phase::Voting;
                        let published = data.round.summary.phase == Phase::Published;
                        let places = data.round.neighborhoods.clone();
                        view! {
                            <RoundFacts round=data.round.clone() />
                            {voting.then(|| view! {
                                <p><a class="button vote-link" href=crate::pages::ballot::form_path(round_id)>{lang.text(Msg::RoundVoteLink)}</a></p>
                            })}
                            {published.then(|| view! {
                                <p><a class="button results-link" href=format!("/rounds/{round_id}/results")>{lang.text(Msg::ResultsLink)}</a></p>
                            })}
                            {open.then(|| view! { <ProposeForm action=submit round_id places=places.clone() /> })}
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

#[component]
fn ProposeForm(action: ServerAction<SubmitProposal>, round_id: i32, places: Vec<Place>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{lang.text(Msg::ProposeTitle)}</h2>
            <p>{lang.text(Msg::ProposeIntro)}</p>
            <ActionForm action attr:class="stack propose">
                <CsrfField />
                <input type="hidden" name="round_id" value=round_id />
                <ProposalFieldsInputs values=None places />
                <ErrorNote error=error_of(action) />
                <button type="submit">{lang.text(Msg::ProposeSubmit)}</button>
            </ActionForm>
        </section>
    }
}

/// The inputs of a proposal, empty or holding `values`.
#[component]
fn ProposalFieldsInputs(values: Option<ProposalData>, places: Vec<Place>) -> impl IntoView {
    let lang = use_lang();
    let title = values.as_ref().map(|v| v.title.clone()).unwrap_or_default();
    let description = values.as_ref().map(|v| v.description.clone()).unwrap_or_default();
    let location = values.as_ref().map(|v| v.location.clone()).unwrap_or_default();
    let estimate = values
        .as_ref()
        .and_then(|v| v.estimate_rial)
        .map(|rial| (rial / 10).to_string())
        .unwrap_or_default();
    let category = values.as_ref().map(|v| v.category);
    let neighborhood = values.as_ref().map(|v| v.neighborhood.id);
    view! {
        <label for="title">{lang.text(Msg::ProposalTitleLabel)}</label>
        <input id="title" name="title" required minlength="5" maxlength="120" value=title />
        <label for="description">{lang.text(Msg::ProposalDescriptionLabel)}</label>
        <textarea id="description" name="description" required minlength="20" maxlength="4000" rows="6">{description}</textarea>
        <label for="category">{lang.text(Msg::CategoryLabel)}</label>
        <select id="category" name="category" required>
            {Category::ALL.into_iter().map(|c| view! {
                <option value=c.tag() selected=category == Some(c)>{lang.text(c.msg())}</option>
            }).collect_view()}
        </select>
        <label for="neighborhood_id">{lang.text(Msg::NeighborhoodLabel)}</label>
        <select id="neighborhood_id" name="neighborhood_id" required>
            {places.into_iter().map(|p| view! {
                <option value=p.id selected=neighborhood == Some(p.id)>{p.name.get(lang).to_owned()}</option>
            }).collect_view()}
        </select>
        <label for="location">{lang.text(Msg::LocationLabel)}</label>
        <input id="location" name="location" maxlength="200" value=location />
        <label for="estimate">{lang.text(Msg::EstimateLabel)}</label>
        <input id="estimate" name="estimate" inputmode="numeric" maxlength="20" dir="ltr" value=estimate />
    }
}

/// The searchable, paged list of a round's proposals; `base` is the page it
/// is on, where the filter form and page links lead.
#[component]
pub fn ProposalList(
    base: String,
    places: Vec<Place>,
    proposals: Vec<ProposalRow>,
    total: u64,
    #[prop(optional)] actions: Option<ViewFn>,
    #[prop(optional)] row_actions: Option<Callback<ProposalRow, AnyView>>,
) -> impl IntoView {
    let lang = use_lang();
    let filter = current_filter();
    let pages = crate::round::page_count(total);
    let page = filter.page.min(pages);
    let link = {
        let base = base.clone();
        let filter = filter.clone();
        move |page: u64| match filter.query(page) {
            q if q.is_empty() => base.clone(),
            q => format!("{base}?{q}"),
        }
    };
    let name_of = {
        let places = places.clone();
        move |id: i32| {
            places
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.name.get(lang).to_owned())
                .unwrap_or_default()
        }
    };
    view! {
        <section class="proposals">
            <h2>{lang.text(Msg::ProposalsTitle)}</h2>
            <form class="filters" method="get" action=base role="search">
                <label>
                    {lang.text(Msg::SearchLabel)}
                    <input name="q" type="search" maxlength="100" value=filter.q.clone() />
                </label>
                <label>
                    {lang.text(Msg::CategoryLabel)}
                    <select name="category">
                        <option value="">{lang.text(Msg::AnyOption)}</option>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.tag() selected=filter.category == Some(c)>{lang.text(c.msg())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {lang.text(Msg::NeighborhoodLabel)}
                    <select name="neighborhood">
                        <option value="">{lang.text(Msg::AnyOption)}</option>
                        {places.into_iter().map(|p| view! {
                            <option value=p.id selected=filter.neighborhood == Some(p.id)>{p.name.get(lang).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {lang.text(Msg::StatusLabel)}
                    <select name="status">
                        <option value="">{lang.text(Msg::AnyOption)}</option>
                        {Status::ALL.into_iter().map(|s| view! {
                            <option value=s.tag() selected=filter.status == Some(s)>{lang.text(s.msg())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {lang.text(Msg::SortLabel)}
                    <select name="sort">
                        {Sort::ALL.into_iter().map(|s| view! {
                            <option value=s.tag() selected=filter.sort == s>{lang.text(s.msg())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit">{lang.text(Msg::FilterSubmit)}</button>
            </form>
            {actions.map(|a| a.run())}
            <p role="status">{lang.format(Msg::ProposalsCount, &[("count", &crate::format::number(lang, i64::try_from(total).unwrap_or(i64::MAX)))])}</p>
            {if proposals.is_empty() {
                view! { <p class="empty">{lang.text(Msg::ProposalsEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="proposal-list">
                        {proposals.into_iter().map(|p| {
                            let cost = p.official_cost_rial.or(p.estimate_rial).map(|c| crate::round::toman(lang, c));
                            let extra = row_actions.map(|f| f.run(p.clone()));
                            view! {
                                <li class="proposal-row">
                                    <a href=format!("/proposals/{}", p.id)>{p.title.clone()}</a>
                                    <span class=format!("status status-{}", p.status.tag())>{lang.text(p.status.msg())}</span>
                                    <span>{lang.text(p.category.msg())} " · " {name_of(p.neighborhood_id)}</span>
                                    {cost.map(|c| view! { <span class="cost">{c}</span> })}
                                    <span class="date">{p.submitted.clone()}</span>
                                    {extra}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <nav class="pager">
                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{lang.text(Msg::PreviousPage)}</a> })}
                <span>{lang.format(Msg::PageOf, &[
                    ("page", &crate::format::number(lang, i64::try_from(page).unwrap_or(1))),
                    ("pages", &crate::format::number(lang, i64::try_from(pages).unwrap_or(1))),
                ])}</span>
                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{lang.text(Msg::NextPage)}</a> })}
            </nav>
        </section>
    }
}

#[component]
pub fn ProposalPage() -> impl IntoView {
    let lang = use_lang();
    let edit = ServerAction::<EditProposal>::new();
    let page_id = crate::pages::id_param();
    let proposal = Resource::new(
        move || (page_id.get(), edit.version().get()),
        |(id, _)| proposal_view(id),
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match proposal.await {
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Ok(p) => {
                        let form_values = p.clone();
                        view! {
                            <article class="proposal">
                                <h1>{p.title.clone()}</h1>
                                <p>
                                    <span class=format!("status status-{}", p.status.tag())>{lang.text(p.status.msg())}</span>
                                    " · " {lang.text(p.category.msg())}
                                    " · " {p.neighborhood.name.get(lang).to_owned()}
                                    " · " {lang.format(Msg::ProposalSubmittedOn, &[("date", &p.submitted)])}
                                </p>
                                <dl class="facts">
                                    <dt>{lang.text(Msg::ProposalRound)}</dt>
                                    <dd><a href=format!("/rounds/{}", p.round_id)>{p.round_title.get(lang).to_owned()}</a> " · " {lang.text(p.phase.msg())}</dd>
                                    {(!p.location.is_empty()).then(|| view! { <dt>{lang.text(Msg::LocationLabel)}</dt><dd>{p.location.clone()}</dd> })}
                                    {p.estimate_rial.map(|c| view! { <dt>{lang.text(Msg::ProposalEstimate)}</dt><dd>{crate::round::toman(lang, c)}</dd> })}
                                    {p.official_cost_rial.map(|c| view! { <dt>{lang.text(Msg::OfficialCost)}</dt><dd class="official-cost">{crate::round::toman(lang, c)}</dd> })}
                                    {p.reject_reason.clone().map(|r| view! { <dt>{lang.text(Msg::RejectReason)}</dt><dd class="reject-reason">{r}</dd> })}
                                    {p.merged_into.clone().map(|(id, title)| view! {
                                        <dt>{lang.text(Msg::MergedInto)}</dt>
                                        <dd><a class="merged-into" href=format!("/proposals/{id}")>{title}</a></dd>
                                    })}
                                </dl>
                                <p class="description">{p.description.clone()}</p>
                            </article>
                            {p.editable.then(|| {
                                let places = form_values.neighborhoods.clone();
                                view! {
                                    <section class="panel">
                                        <h2>{lang.text(Msg::ProposalEditTitle)}</h2>
                                        <ActionForm action=edit attr:class="stack">
                                            <CsrfField />
                                            <input type="hidden" name="id" value=form_values.id />
                                            <ProposalFieldsInputs values=Some(form_values.clone()) places />
                                            <ErrorNote error=error_of(edit) />
                                            <button type="submit">{lang.text(Msg::ProposalEditSubmit)}</button>
                                        </ActionForm>
                                    </section>
                                }
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
