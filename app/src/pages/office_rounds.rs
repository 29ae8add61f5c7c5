//! The district office's side of budget rounds: opening rounds, changing their
//! settings until voting opens, moving them through their phases, and
//! reviewing proposals (cost and accept, reject with a reason, merge
//! duplicates). Every change is in the audit log.

use crate::app::use_lang;
use crate::components::{ErrorNote, error_of};
use crate::csrf::CsrfField;
use crate::error::ApiError;
use crate::geography::Name;
use crate::i18n::Msg;
use crate::pages::account::SignInFirst;
use crate::pages::office::Place;
use crate::pages::office_results::{OfficeResultPanel, ResultActions, office_result};
use crate::pages::rounds::{ProposalList, ProposalRow, RoundFacts, RoundList, RoundSummary, round_resource};
use crate::round::{BallotRule, Phase, TallyRule};
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
    /// From voting on: voters and verified residents per neighborhood, never
    /// anyone's choices.
    pub turnout: Vec<Turnout>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turnout {
    pub place: Place,
    pub voters: i64,
    pub residents: i64,
}

#[leptos::server(endpoint = "office-rounds")]
pub async fn office_rounds() -> Result<OfficeRoundsData, ApiError> {
    use crate::db::area;
    use crate::pages::rounds::load;
    let (_, district_id) = crate::auth::require_staff().await?;
    let db = crate::auth::services()?.db;
    let district = area::by_id(&db, district_id).await?.ok_or(ApiError::Internal)?;
    let mut areas = vec![district.clone()];
    areas.extend(area::neighborhoods_of(&db, district_id).await?);
    let mut rounds = Vec::new();
    for r in crate::db::round::rounds(&db, Some(district_id)).await? {
        rounds.push(load::summary(&db, &r).await?);
    }
    Ok(OfficeRoundsData {
        district: district.name(),
        areas: load::places(areas),
        rounds,
    })
}

/// A round of the staff member's own district.
#[cfg(feature = "ssr")]
pub(crate) async fn own_round(
    db: &sea_orm::DatabaseConnection,
    district_id: i32,
    id: i32,
) -> Result<crate::db::round::budget_round::Model, ApiError> {
    let r = crate::pages::rounds::load::round(db, id).await?;
    if r.district_id == district_id {
        Ok(r)
    } else {
        Err(ApiError::Forbidden)
    }
}

#[leptos::server(endpoint = "office-round")]
pub async fn office_round(id: i32) -> Result<ManagedRound, ApiError> {
    use crate::pages::rounds::load;
    let (_, district_id) = crate::auth::require_staff().await?;
    let db = crate::auth::services()?.db;
    let r = own_round(&db, district_id, id).await?;
    let phase = load::phase(&r)?;
    let turnout = if phase >= Phase::Voting {
        crate::voting::turnout(&crate::auth::services()?, &r)
            .await?
            .into_iter()
            .map(|(n, voters, residents)| Turnout {
                place: Place {
                    id: n.id,
                    name: n.name(),
                },
                voters,
                residents,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ManagedRound {
        turnout,
        id: r.id,
        phase,
        budget_toman: r.budget_rial / 10,
        ballot: BallotRule::new(&r.ballot_rule, r.ballot_param).ok_or(ApiError::Internal)?,
        tally: TallyRule::from_tag(&r.tally_rule).ok_or(ApiError::Internal)?,
        min_age: r.min_age,
        max_proposals: r.max_proposals,
        projects: crate::db::round::projects(&db, r.id)
            .await?
            .into_iter()
            .map(|p| (p.id, p.title))
            .collect(),
        title_fa: r.title_fa,
        title_en: r.title_en,
    })
}

/// Runs `change` and records it in the audit log, in one transaction.
#[cfg(feature = "ssr")]
pub(crate) async fn audited<T>(
    db: &sea_orm::DatabaseConnection,
    actor: i32,
    district_id: i32,
    action: crate::db::audit::Action,
    subject: &str,
    reason: &str,
    change: impl AsyncFnOnce(&sea_orm::DatabaseTransaction) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    // The change comes first: on SQLite the transaction's first statement must write.
    let value = change(&txn).await?;
    crate::db::audit::record(
        &txn,
        crate::db::audit::Entry {
            actor_id: Some(actor),
            action,
            district_id: Some(district_id),
            subject,
            reason,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(value)
}

pub use settings_forms::{CreateRound, EditRound, create_round, edit_round};

/// The two server functions that take the whole settings form, one argument
/// per field as the form posts them (more than clippy's usual seven), and the
/// check of those fields.
mod settings_forms {
    #![allow(clippy::too_many_arguments)]

    use super::*;

    /// The settings form, checked.
    #[cfg(feature = "ssr")]
    fn settings(
        title_fa: &str,
        title_en: &str,
        budget: &str,
        ballot_rule: &str,
        ballot_param: &str,
        tally_rule: &str,
        min_age: &str,
        max_proposals: &str,
    ) -> Result<crate::db::round::Settings, ApiError> {
        use crate::round;
        Ok(crate::db::round::Settings {
            title_fa: round::round_title(title_fa)?,
            title_en: round::round_title(title_en)?,
            budget_rial: round::required_toman(budget)?,
            ballot: BallotRule::parse(ballot_rule, ballot_param)?,
            tally: TallyRule::from_tag(tally_rule).ok_or(ApiError::TallyRuleInvalid)?,
            min_age: round::parse_count(min_age, 1..=120, ApiError::MinAgeInvalid)?,
            max_proposals: round::parse_count(
                max_proposals,
                1..=round::PROPOSALS_PER_RESIDENT_MAX,
                ApiError::ProposalLimitInvalid,
            )?
            .unwrap_or(round::DEFAULT_PROPOSALS_PER_RESIDENT),
        })
    }

    #[leptos::server(endpoint = "create-round")]
    pub async fn create_round(
        area_id: i32,
        title_fa: String,
        title_en: String,
        budget: String,
        ballot_rule: String,
        ballot_param: String,
        tally_rule: String,
        min_age: String,
        max_proposals: String,
    ) -> Result<i32, ApiError> {
        use crate::db::{area, audit, round};
        let (viewer, district_id) = crate::auth::require_staff().await?;
        let db = crate::auth::services()?.db;
        let in_district =
            area_id == district_id || area::district_of_neighborhood(&db, area_id).await? == Some(district_id);
        if !in_district {
            return Err(ApiError::AreaInvalid);
        }
        let settings = settings(
            &title_fa,
            &title_en,
            &budget,
            &ballot_rule,
            &ballot_param,
            &tally_rule,
            &min_age,
            &max_proposals,
        )?;
        let id = audited(
            &db,
            viewer.id,
            district_id,
            audit::Action::CreateRound,
            &format!("area:{area_id}"),
            "",
            async |txn| Ok(round::create(txn, area_id, district_id, viewer.id, settings).await?),
        )
        .await?;
        leptos_axum::redirect(&format!("/office/rounds/{id}"));
        Ok(id)
    }

    #[leptos::server(endpoint = "edit-round")]
    pub async fn edit_round(
        id: i32,
        title_fa: String,
        title_en: String,
        budget: String,
        ballot_rule: String,
        ballot_param: String,
        tally_rule: String,
        min_age: String,
        max_proposals: String,
    ) -> Result<(), ApiError> {
        use crate::db::{audit, round};
        let (viewer, district_id) = crate::auth::require_staff().await?;
        let db = crate::auth::services()?.db;
        let r = own_round(&db, district_id, id).await?;
        if crate::pages::rounds::load::phase(&r)?.rules_frozen() {
            return Err(ApiError::RulesFrozen);
        }
        let settings = settings(
            &title_fa,
            &title_en,
            &budget,
            &ballot_rule,
            &ballot_param,
            &tally_rule,
            &min_age,
            &max_proposals,
        )?;
        audited(
            &db,
            viewer.id,
            district_id,
            audit::Action::EditRound,
            &format!("round:{id}"),
            "",
            async |txn| {
                if round::update_settings(txn, id, district_id, settings).await? {
                    Ok(())
                } else {
                    Err(ApiError::RulesFrozen)
                }
            },
        )
        .await
    }
}

#[leptos::server(endpoint = "advance-phase")]
pub async fn advance_phase(id: i32, to: String) -> Result<(), ApiError> {
    use crate::db::{audit, round};
    let (viewer, district_id) = crate::auth::require_staff().await?;
    let db = crate::auth::services()?.db;
    let r = own_round(&db, district_id, id).await?;
    let from = crate::pages::rounds::load::phase(&r)?;
    let to = Phase::from_tag(to.trim()).ok_or(ApiError::PhaseOrder)?;
    if !from.can_move_to(to) {
        return Err(ApiError::PhaseOrder);
    }
    audited(
        &db,
        viewer.id,
        district_id,
        audit::Action::AdvancePhase,
        &format!("round:{id} {}->{}", from.tag(), to.tag()),
        "",
        async |txn| {
            // Conditional on the phase it was read in: of two clicks, one moves it.
            if round::advance(txn, id, district_id, from, to).await? {
                Ok(())
            } else {
                Err(ApiError::PhaseOrder)
            }
        },
    )
    .await?;
    if to == Phase::Closed {
        // Ballots are final now: count them for the office to review. Should
        // this fail, the round page offers to count again.
        let services = crate::auth::services()?;
        let closed = crate::pages::rounds::load::round(&db, id).await?;
        if let Err(err) = crate::count::draft(&services, &closed, viewer.id).await {
            tracing::warn!(round = id, error = %err, "counting a round as it closed failed");
        }
    }
    Ok(())
}

/// Applies an office's decision on proposal `id` of a round of the staff
/// member's district that is under review.
#[cfg(feature = "ssr")]
async fn decide(
    id: i32,
    decision: crate::db::round::Decision,
    action: crate::db::audit::Action,
    reason: &str,
) -> Result<(), ApiError> {
    use crate::db::round;
    let (viewer, district_id) = crate::auth::require_staff().await?;
    let db = crate::auth::services()?.db;
    let p = round::proposal_by_id(&db, id).await?.ok_or(ApiError::NotFound)?;
    let r = own_round(&db, district_id, p.round_id).await?;
    if crate::pages::rounds::load::phase(&r)? != Phase::Review {
        return Err(ApiError::WrongPhase);
    }
    let subject = match &decision {
        round::Decision::Merge { into } => {
            let target = round::proposal_by_id(&db, *into).await?;
            let fits = target.is_some_and(|t| {
                t.id != id && t.round_id == p.round_id && t.status == crate::round::Status::Accepted.tag()
            });
            if !fits {
                return Err(ApiError::MergeTargetInvalid);
            }
            format!("proposal:{id} into:{into}")
        }
        round::Decision::Accept { cost_rial } => format!("proposal:{id} cost-rial:{cost_rial}"),
        round::Decision::Reject { .. } => format!("proposal:{id}"),
    };
    audited(&db, viewer.id, district_id, action, &subject, reason, async |txn| {
        if round::decide(txn, id, district_id, decision).await? {
            Ok(())
        } else {
            Err(ApiError::WrongPhase)
        }
    })
    .await
}

#[leptos::server(endpoint = "accept-proposal")]
pub async fn accept_proposal(id: i32, cost: String) -> Result<(), ApiError> {
    let cost_rial = crate::round::required_toman(&cost)?;
    decide(
        id,
        crate::db::round::Decision::Accept { cost_rial },
        crate::db::audit::Action::AcceptProposal,
        "",
    )
    .await
}

#[leptos::server(endpoint = "reject-proposal")]
pub async fn reject_proposal(id: i32, reason: String) -> Result<(), ApiError> {
    let reason = reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::ReasonRequired);
    }
    decide(
        id,
        crate::db::round::Decision::Reject { reason: reason.clone() },
        crate::db::audit::Action::RejectProposal,
        &reason,
    )
    .await
}

#[leptos::server(endpoint = "merge-proposal")]
pub async fn merge_proposal(id: i32, into: i32) -> Result<(), ApiError> {
    decide(
        id,
        crate::db::round::Decision::Merge { into },
        crate::db::audit::Action::MergeProposal,
        "",
    )
    .await
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
                        <h1>{lang.format(Msg::OfficeRoundsTitle, &[("district", d.district.get(lang))])}</h1>
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
        .map(|p| p.to_string())
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
        <input id="budget" name="budget" required inputmode="numeric" maxlength="24" dir="ltr" value=c.map(|c| c.budget_toman.to_string()) />
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
        <input id="min_age" name="min_age" inputmode="numeric" maxlength="3" dir="ltr" value=c.and_then(|c| c.min_age).map(|a| a.to_string()) />
        <label for="max_proposals">{lang.text(Msg::ProposalLimitLabel)}</label>
        <input
            id="max_proposals"
            name="max_proposals"
            inputmode="numeric"
            maxlength="2"
            dir="ltr"
            value=c.map_or(crate::round::DEFAULT_PROPOSALS_PER_RESIDENT, |c| c.max_proposals).to_string()
        />
    }
}

#[component]
pub fn OfficeRoundPage() -> impl IntoView {
    let lang = use_lang();
    let edit = ServerAction::<EditRound>::new();
    let advance = ServerAction::<AdvancePhase>::new();
    let accept = ServerAction::<AcceptProposal>::new();
    let reject = ServerAction::<RejectProposal>::new();
    let merge = ServerAction::<MergeProposal>::new();
    let results = ResultActions::default();
    let versions = move || {
        results.publish.version().get()
            + edit.version().get()
            + advance.version().get()
            + accept.version().get()
            + reject.version().get()
            + merge.version().get()
    };
    let page_id = crate::pages::id_param();
    let managed = Resource::new(move || (page_id.get(), versions()), |(id, _)| office_round(id));
    let listing = round_resource(versions);
    let result = Resource::new(
        move || (page_id.get(), advance.version().get() + results.version()),
        |(id, _)| office_result(id),
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let (managed, listing, result) = (managed.await, listing.await, result.await);
                match managed.and_then(|m| listing.map(|l| (m, l))) {
                    Err(ApiError::NotSignedIn) => view! { <SignInFirst /> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Ok((m, l)) => {
                        let id = m.id;
                        let reviewing = m.phase == Phase::Review;
                        let projects = m.projects.clone();
                        let row_actions = Callback::new(move |p: ProposalRow| {
                            if reviewing {
                                view! { <ReviewForms proposal=p projects=projects.clone() accept reject merge /> }.into_any()
                            } else {
                                ().into_any()
                            }
                        });
                        view! {
                            <RoundFacts round=l.round.clone() />
                            <section class="panel">
                                <h2>{lang.text(Msg::AdvanceTitle)}</h2>
                                <ErrorNote error=error_of(advance) />
                                {m.phase.next().map(|next| view! {
                                    <ActionForm action=advance attr:class="row advance">
                                        <CsrfField />
                                        <input type="hidden" name="id" value=id />
                                        <input type="hidden" name="to" value=next.tag() />
                                        <button type="submit">{lang.format(Msg::AdvanceSubmit, &[("phase", lang.text(next.msg()))])}</button>
                                    </ActionForm>
                                })}
                            </section>
                            <OfficeResultPanel round_id=id data=result actions=results />
                            {(!m.turnout.is_empty()).then(|| view! { <TurnoutTable rows=m.turnout.clone() /> })}
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
                            <h2>{lang.text(Msg::ReviewTitle)}</h2>
                            <ErrorNote error=error_of(accept) />
                            <ErrorNote error=error_of(reject) />
                            <ErrorNote error=error_of(merge) />
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

/// Voters and verified residents per neighborhood, with the totals.
#[component]
fn TurnoutTable(rows: Vec<Turnout>) -> impl IntoView {
    let lang = use_lang();
    let n = move |n: i64| crate::format::number(lang, n);
    let (voters, residents) = rows.iter().fold((0, 0), |(v, r), t| (v + t.voters, r + t.residents));
    view! {
        <section class="panel">
            <h2>{lang.text(Msg::TurnoutTitle)}</h2>
            <table class="turnout">
                <thead>
                    <tr>
                        <th scope="col">{lang.text(Msg::NeighborhoodLabel)}</th>
                        <th scope="col">{lang.text(Msg::TurnoutVoters)}</th>
                        <th scope="col">{lang.text(Msg::TurnoutResidents)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|t| view! {
                        <tr>
                            <th scope="row">{t.place.name.get(lang).to_owned()}</th>
                            <td class="voters">{n(t.voters)}</td>
                            <td>{n(t.residents)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{lang.text(Msg::TurnoutTotal)}</th>
                        <td class="voters">{n(voters)}</td>
                        <td>{n(residents)}</td>
                    </tr>
                </tfoot>
            </table>
        </section>
    }
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
        .map(|c| (c / 10).to_string());
    let targets: Vec<_> = projects.into_iter().filter(|(p, _)| *p != id).collect();
    view! {
        <div class="review">
            <ActionForm action=accept attr:class="row accept">
                <CsrfField />
                <input type="hidden" name="id" value=id />
                <input name="cost" required inputmode="numeric" maxlength="24" dir="ltr" value=cost aria-label=lang.text(Msg::OfficialCost) placeholder=lang.text(Msg::OfficialCost) />
                <button type="submit">{lang.text(Msg::AcceptSubmit)}</button>
            </ActionForm>
            <ActionForm action=reject attr:class="row reject">
                <CsrfField />
                <input type="hidden" name="id" value=id />
                <input name="reason" required maxlength="500" aria-label=lang.text(Msg::RejectReason) placeholder=lang.text(Msg::RejectReason) />
                <button type="submit" class="danger">{lang.text(Msg::RejectSubmit)}</button>
            </ActionForm>
            {(!targets.is_empty()).then(|| view! {
                <ActionForm action=merge attr:class="row merge">
                    <CsrfField />
                    <input type="hidden" name="id" value=id />
                    <select name="into" aria-label=lang.text(Msg::MergeTargetLabel)>
                        {targets.into_iter().map(|(t, title)| view! { <option value=t>{title}</option> }).collect_view()}
                    </select>
                    <button type="submit">{lang.text(Msg::MergeSubmit)}</button>
                </ActionForm>
            })}
        </div>
    }
}
