//! The district office's side of budget rounds: opening rounds, changing their
//! settings until voting opens, moving them through their phases, and
//! reviewing proposals (cost and accept, reject with a reason, merge
//! duplicates). Every change is in the audit log.

use crate::accounts::sign_in::SignInFirst;
use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use crate::geography::Name;
use crate::geography::Place;
use crate::i18n::Msg;
#[cfg(feature = "ssr")]
use crate::rounds::load::own_round;
use crate::rounds::office_actions::AcceptProposal;
use crate::rounds::office_actions::CreateRound;
use crate::rounds::office_actions::EditRound;
use crate::rounds::office_actions::MergeProposal;
use crate::rounds::office_actions::RejectProposal;
use crate::rounds::proposal_list::ProposalList;
use crate::rounds::public_page::{RoundFacts, RoundList, round_resource};
use crate::rounds::views::ProposalRow;
use crate::rounds::views::RoundSummary;
use crate::rounds::{BallotRule, Phase, TallyRule};
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, PageChanges, error_of};
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeRoundsData {
    pub district: Name,
    /// The district itself first, then its neighborhoods.
    pub areas: Vec<Place>,
    pub rounds: Vec<RoundSummary>,
}

/// A round as the office manages it: what its settings form shows, and the
/// projects duplicates can be merged into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedRound {
    pub id: i32,
    pub phase: Phase,
    pub title_fa: String,
    pub title_en: String,
    pub budget_toman: i64,
    pub ballot: BallotRule,
    pub tally: TallyRule,
    pub min_age: Option<i32>,
    pub max_proposals: i32,
    pub projects: Vec<(i32, String)>,
}

#[leptos::server(endpoint = "office-rounds")]
pub async fn office_rounds() -> Result<OfficeRoundsData, ApiError> {
    use crate::geography::db as area;
    use crate::rounds::load;
    let (_, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let district = area::by_id(&db, district_id)
        .await?
        .or_internal(|| format!("district {district_id} missing"))?;
    let mut areas = vec![district.clone()];
    areas.extend(area::neighborhoods_of(&db, district_id).await?);
    let mut rounds = Vec::new();
    for r in crate::rounds::db::rounds(&db, Some(district_id)).await? {
        rounds.push(load::summary(&db, &r).await?);
    }
    Ok(OfficeRoundsData {
        district: district.name(),
        areas: load::places(areas),
        rounds,
    })
}

#[leptos::server(endpoint = "office-round")]
pub async fn office_round(id: i32) -> Result<ManagedRound, ApiError> {
    let (_, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let r = own_round(&db, district_id, id).await?;
    let phase = r.phase;
    Ok(ManagedRound {
        id: r.id,
        phase,
        budget_toman: r.budget_rial / 10,
        ballot: r.ballot,
        tally: r.tally,
        min_age: r.min_age,
        max_proposals: r.max_proposals,
        projects: crate::rounds::proposal_db::projects(&db, r.id)
            .await?
            .into_iter()
            .map(|p| (p.id, p.title))
            .collect(),
        title_fa: r.title_fa,
        title_en: r.title_en,
    })
}

#[component]
pub fn OfficeRoundsPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateRound>::new();
    let data = Resource::new(move || create.version().get(), |_| office_rounds());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(ApiError::NotSignedIn) => view! { <SignInFirst /> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Ok(d) => view! {
                        <PageHeading text=lang.format(Msg::OfficeRoundsTitle, &[("district", d.district.get(lang))]) />
                        <RoundList rounds=d.rounds href_prefix="/office/rounds/" />
                        <section class="panel">
                            <h2>{lang.text(Msg::CreateRoundTitle)}</h2>
                            <ActionForm action=create attr:class="stack">
                                <CsrfField />
                                <label for="area_id">{lang.text(Msg::RoundArea)}</label>
                                <select id="area_id" name="area_id" required>
                                    {d.areas.into_iter().enumerate().map(|(i, a)| {
                                        let name = if i == 0 {
                                            format!("{} ({})", a.name.get(lang), lang.text(Msg::WholeDistrict))
                                        } else {
                                            a.name.get(lang).to_owned()
                                        };
                                        view! { <option value=a.id>{name}</option> }
                                    }).collect_view()}
                                </select>
                                <SettingsInputs current=None />
                                <ErrorNote error=error_of(create) />
                                <button type="submit">{lang.text(Msg::CreateRoundSubmit)}</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The settings inputs of a round, empty or holding `current`.
#[component]
fn SettingsInputs(current: Option<ManagedRound>) -> impl IntoView {
    let lang = use_lang();
    let c = current.as_ref();
    let ballot = c.map(|c| c.ballot);
    let tally = c.map(|c| c.tally).unwrap_or_default();
    let param = ballot
        .map(|b| b.param())
        .filter(|p| *p > 0)
        .map(|p| crate::format::number(lang, i64::from(p)))
        .unwrap_or_default();
    let ballot_options = [
        ("approval", Msg::BallotApprovalOption),
        ("knapsack", Msg::BallotKnapsackOption),
        ("cumulative", Msg::BallotCumulativeOption),
    ];
    view! {
        <label for="title_fa">{lang.text(Msg::RoundTitleFaLabel)}</label>
        <input id="title_fa" name="title_fa" required maxlength="200" lang="fa" dir="rtl" value=c.map(|c| c.title_fa.clone()) />
        <label for="title_en">{lang.text(Msg::RoundTitleEnLabel)}</label>
        <input id="title_en" name="title_en" required maxlength="200" lang="en" dir="ltr" value=c.map(|c| c.title_en.clone()) />
        <label for="budget">{lang.text(Msg::BudgetLabel)}</label>
        <input id="budget" name="budget" required inputmode="numeric" maxlength="24" dir="ltr" value=c.map(|c| crate::format::number(lang, c.budget_toman)) />
        <label for="ballot_rule">{lang.text(Msg::BallotRuleLabel)}</label>
        <select id="ballot_rule" name="ballot_rule">
            {ballot_options.into_iter().map(|(tag, msg)| view! {
                <option value=tag selected=ballot.is_some_and(|b| b.tag() == tag)>{lang.text(msg)}</option>
            }).collect_view()}
        </select>
        <label for="ballot_param">{lang.text(Msg::BallotParamLabel)}</label>
        <input id="ballot_param" name="ballot_param" inputmode="numeric" maxlength="4" dir="ltr" value=param />
        <label for="tally_rule">{lang.text(Msg::TallyRuleLabel)}</label>
        <select id="tally_rule" name="tally_rule">
            {TallyRule::ALL.into_iter().map(|t| view! {
                <option value=t.tag() selected=t == tally>{lang.text(t.msg())}</option>
            }).collect_view()}
        </select>
        <label for="min_age">{lang.text(Msg::MinAgeLabel)}</label>
        <input id="min_age" name="min_age" inputmode="numeric" maxlength="3" dir="ltr" value=c.and_then(|c| c.min_age).map(|a| crate::format::number(lang, i64::from(a))) />
        <label for="max_proposals">{lang.text(Msg::ProposalLimitLabel)}</label>
        <input
            id="max_proposals"
            name="max_proposals"
            inputmode="numeric"
            maxlength="2"
            dir="ltr"
            value=crate::format::number(lang, i64::from(c.map_or(crate::rounds::DEFAULT_PROPOSALS_PER_RESIDENT, |c| c.max_proposals)))
        />
    }
}

/// The office's page of one round: its facts, then `phase_panel` (the move
/// to the next phase and what follows from it, which another feature draws),
/// then the settings and the review of proposals. The page's parts reload on
/// each other's changes through [`PageChanges`].
#[component]
pub fn OfficeRoundPage(#[prop(into)] phase_panel: ViewFn) -> impl IntoView {
    let lang = use_lang();
    let changes = PageChanges::provide();
    let edit = ServerAction::<EditRound>::new();
    let accept = ServerAction::<AcceptProposal>::new();
    let reject = ServerAction::<RejectProposal>::new();
    let merge = ServerAction::<MergeProposal>::new();
    changes.follow(edit);
    changes.follow(accept);
    changes.follow(reject);
    changes.follow(merge);
    let page_id = crate::ui::id_param();
    let managed = Resource::new(move || (page_id.get(), changes.get()), |(id, _)| office_round(id));
    let listing = round_resource(move || changes.get());
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(l) => view! { <RoundFacts round=l.round page=Msg::OfficeRoundPageTitle /> }.into_any(),
                    Err(ApiError::NotSignedIn) => view! { <SignInFirst /> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
        {phase_panel.run()}
        <Suspense>
            {move || Suspend::new(async move {
                let (managed, listing) = (managed.await, listing.await);
                match managed.and_then(|m| listing.map(|l| (m, l))) {
                    // The facts above say why the page cannot be shown.
                    Err(_) => ().into_any(),
                    Ok((m, l)) => {
                        let id = m.id;
                        let reviewing = m.phase == Phase::Review;
                        let phase = m.phase;
                        let projects = m.projects.clone();
                        let row_actions = Callback::new(move |p: ProposalRow| {
                            if reviewing {
                                view! { <ReviewForms proposal=p projects=projects.clone() accept reject merge /> }.into_any()
                            } else {
                                ().into_any()
                            }
                        });
                        view! {
                            <section class="panel">
                                <h2>{lang.text(Msg::EditRoundTitle)}</h2>
                                {if m.phase.rules_frozen() {
                                    view! { <p class="notice">{lang.text(Msg::RulesFrozenNote)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=edit attr:class="stack settings">
                                            <CsrfField />
                                            <input type="hidden" name="id" value=id />
                                            <SettingsInputs current=Some(m.clone()) />
                                            <ErrorNote error=error_of(edit) />
                                            <button type="submit">{lang.text(Msg::EditRoundSubmit)}</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </section>
                            {(phase == Phase::Proposals).then(|| view! {
                                <crate::rounds::proposal_page::DeskProposalForm round_id=id places=l.round.neighborhoods.clone() />
                            })}
                            {(phase != Phase::Published).then(|| view! {
                                <crate::rounds::schedule::PlanForm id current=l.round.plan.clone() />
                            })}
                            <h2>{lang.text(Msg::ReviewTitle)}</h2>
                            <p><a class="export" href=crate::paths::proposals_export(id) download>{lang.text(Msg::ExportLink)}</a></p>
                            <ErrorNote error=not_in_a_row(error_of(accept)) />
                            <ErrorNote error=not_in_a_row(error_of(reject)) />
                            <ErrorNote error=not_in_a_row(error_of(merge)) />
                            <ProposalList
                                base=format!("/office/rounds/{id}")
                                places=l.round.neighborhoods.clone()
                                proposals=l.proposals
                                total=l.total
                                row_actions
                            />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The part of a review error the list's heading shows: one about no row.
fn not_in_a_row(error: Signal<Option<ApiError>>) -> Signal<Option<ApiError>> {
    Signal::derive(move || error.get().filter(|e| e.review_row().is_none()))
}

/// The error of `action` if it is about row `id`: shown in the row, and the
/// field it is about takes the focus (the page opens scrolled to it).
fn in_row<S>(action: ServerAction<S>, id: i32) -> Option<ApiError>
where
    S: leptos::server_fn::ServerFn<Error = ApiError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    error_of(action).get_untracked().filter(|e| e.review_row() == Some(id))
}

#[component]
fn ReviewForms(
    proposal: ProposalRow,
    projects: Vec<(i32, String)>,
    accept: ServerAction<AcceptProposal>,
    reject: ServerAction<RejectProposal>,
    merge: ServerAction<MergeProposal>,
) -> impl IntoView {
    let lang = use_lang();
    let id = proposal.id;
    let cost = proposal
        .official_cost_rial
        .or(proposal.estimate_rial)
        .map(|c| crate::format::number(lang, c / 10));
    let targets: Vec<_> = projects.into_iter().filter(|(p, _)| *p != id).collect();
    let (accept_error, reject_error, merge_error) = (in_row(accept, id), in_row(reject, id), in_row(merge, id));
    let error_id = format!("review-error-{id}");
    let described = move |error: Option<ApiError>| error.map(|_| format!("review-error-{id}"));
    view! {
        <div class="review">
            {accept_error.or(reject_error).or(merge_error).map(|err| view! {
                <p class="error" role="alert" id=error_id.clone()>{err.message(lang)}</p>
            })}
            <ActionForm action=accept attr:class="row accept">
                <CsrfField />
                <input type="hidden" name="id" value=id />
                <input name="cost" required inputmode="numeric" maxlength="24" dir="ltr" value=cost aria-label=lang.text(Msg::OfficialCost) placeholder=lang.text(Msg::OfficialCost)
                    autofocus=accept_error.is_some() aria-invalid=accept_error.map(|_| "true") aria-describedby=described(accept_error) />
                <button type="submit">{lang.text(Msg::AcceptSubmit)}</button>
            </ActionForm>
            <ActionForm action=reject attr:class="row reject">
                <CsrfField />
                <input type="hidden" name="id" value=id />
                <input name="reason" required maxlength="500" aria-label=lang.text(Msg::RejectReason) placeholder=lang.text(Msg::RejectReason)
                    autofocus=reject_error.is_some() aria-invalid=reject_error.map(|_| "true") aria-describedby=described(reject_error) />
                <button type="submit" class="danger">{lang.text(Msg::RejectSubmit)}</button>
            </ActionForm>
            {(!targets.is_empty()).then(|| view! {
                <ActionForm action=merge attr:class="row merge">
                    <CsrfField />
                    <input type="hidden" name="id" value=id />
                    <select name="into" aria-label=lang.text(Msg::MergeTargetLabel)
                        autofocus=merge_error.is_some() aria-invalid=merge_error.map(|_| "true") aria-describedby=described(merge_error)>
                        {targets.into_iter().map(|(t, title)| view! { <option value=t>{title}</option> }).collect_view()}
                    </select>
                    <button type="submit">{lang.text(Msg::MergeSubmit)}</button>
                </ActionForm>
            })}
        </div>
    }
}
