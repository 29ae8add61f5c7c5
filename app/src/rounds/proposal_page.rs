//! A proposal's public page `/proposals/:id`, with the office's answer, its
//! author's edit form, and the form with which residents propose.

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
#[cfg(feature = "ssr")]
use crate::geography::Name;
use crate::geography::Place;
use crate::i18n::Msg;
use crate::rounds::Category;
#[cfg(feature = "ssr")]
use crate::rounds::load;
use crate::rounds::office_actions::CorrectProposal;
use crate::rounds::propose::SubmitProposal;
use crate::rounds::propose::{EditProposal, EnterProposal};
use crate::rounds::views::ProposalData;
#[cfg(feature = "ssr")]
use crate::rounds::{Phase, Status};
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, error_of};
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;
#[leptos::server(endpoint = "proposal")]
pub async fn proposal_view(id: i32) -> Result<ProposalData, ApiError> {
    use crate::geography::db as area;

    use crate::rounds::proposal_db as proposals;
    let db = crate::services::services()?.db;
    let p = proposals::proposal_by_id(&db, id).await?.ok_or(ApiError::NotFound)?;
    let r = load::round(&db, p.round_id).await?;
    let phase = r.phase;
    let viewer = crate::accounts::auth::viewer().await?;
    let status = p.status;
    let editable = viewer
        .as_ref()
        .is_some_and(|v| v.id == p.author_id && !p.entered_at_office)
        && phase == Phase::Proposals
        && status == Status::Submitted;
    let merged_into = match p.merged_into {
        Some(target) => proposals::proposal_by_id(&db, target).await?.map(|t| (t.id, t.title)),
        None => None,
    };
    let correctable = viewer.as_ref().is_some_and(|v| v.manages(r.district_id)) && phase == Phase::Review;
    let lang = crate::ui::detect_lang();
    let changed = |before: String, after: String| (before != after).then_some((before, after));
    let corrections = proposals::corrections(&db, id)
        .await?
        .into_iter()
        .map(|c| crate::rounds::views::Correction {
            on: crate::format::datetime_date(lang, c.at),
            title: changed(c.title_before, c.title_after),
            description: changed(c.description_before, c.description_after),
        })
        .collect();
    let neighborhood = area::by_id(&db, p.neighborhood_id)
        .await?
        .or_internal(|| format!("neighborhood {} of proposal {id} missing", p.neighborhood_id))?;
    Ok(ProposalData {
        id: p.id,
        round_id: r.id,
        round_title: Name {
            fa: r.title_fa.clone(),
            en: r.title_en.clone(),
        },
        phase,
        category: p.category,
        neighborhood: Place {
            id: neighborhood.id,
            name: neighborhood.name(),
        },
        status,
        submitted: crate::format::datetime_date(crate::ui::detect_lang(), p.created_at),
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
        entered_at_office: p.entered_at_office,
        corrections,
        correctable,
    })
}

#[component]
pub fn ProposeForm(action: ServerAction<SubmitProposal>, round_id: i32, places: Vec<Place>) -> impl IntoView {
    view! {
        <NewProposalPanel title=Msg::ProposeTitle intro=Msg::ProposeIntro>
            <ActionForm action attr:class="stack propose">
                <NewProposalFields round_id places desk=false error=error_of(action) />
            </ActionForm>
        </NewProposalPanel>
    }
}

/// The office's form for a proposal a resident brings to the desk; who brought
/// it goes into the audit log only.
#[component]
pub fn DeskProposalForm(round_id: i32, places: Vec<Place>) -> impl IntoView {
    let action = ServerAction::<EnterProposal>::new();
    view! {
        <NewProposalPanel title=Msg::DeskProposalTitle intro=Msg::DeskProposalIntro>
            <ActionForm action attr:class="stack desk-proposal">
                <NewProposalFields round_id places desk=true error=error_of(action) />
            </ActionForm>
        </NewProposalPanel>
    }
}

#[component]
fn NewProposalPanel(title: Msg, intro: Msg, children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{lang.text(title)}</h2>
            <p>{lang.text(intro)}</p>
            {children()}
        </section>
    }
}

/// What a new proposal's form holds; at the `desk`, who brought it first.
#[component]
fn NewProposalFields(round_id: i32, places: Vec<Place>, desk: bool, error: Signal<Option<ApiError>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <CsrfField />
        <input type="hidden" name="round_id" value=round_id />
        {desk.then(|| view! {
            <label for="resident">{lang.text(Msg::DeskResidentLabel)}</label>
            <input id="resident" name="resident" required maxlength="200" autocomplete="off" />
        })}
        <ProposalFieldsInputs values=None places />
        <ErrorNote error />
        <button type="submit">{lang.text(Msg::ProposeSubmit)}</button>
    }
}

/// What the office corrected, so that the author and everyone see it.
#[component]
fn Corrections(corrections: Vec<crate::rounds::views::Correction>) -> impl IntoView {
    let lang = use_lang();
    let was = move |(before, after): (String, String)| {
        view! {
            <dd>
                <del dir="auto">{before}</del> " → " <ins dir="auto">{after}</ins>
            </dd>
        }
    };
    (!corrections.is_empty()).then(|| {
        view! {
            <section class="corrections" aria-labelledby="corrections-title">
                <h2 id="corrections-title">{lang.text(Msg::CorrectionsTitle)}</h2>
                {corrections.into_iter().map(|c| view! {
                    <dl class="correction">
                        <dt>{lang.format(Msg::CorrectedOn, &[("date", &c.on)])}</dt>
                        {c.title.map(was)}
                        {c.description.map(was)}
                    </dl>
                }).collect_view()}
            </section>
        }
    })
}

/// The office's form for a proposal's typos during review.
#[component]
fn CorrectForm(action: ServerAction<CorrectProposal>, id: i32, title: String, description: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel" id="correct">
            <h2>{lang.text(Msg::CorrectTitle)}</h2>
            <p>{lang.text(Msg::CorrectIntro)}</p>
            <ActionForm action attr:class="stack">
                <CsrfField />
                <input type="hidden" name="id" value=id />
                <label for="correct-title">{lang.text(Msg::ProposalTitleLabel)}</label>
                <input id="correct-title" name="title" required minlength="5" maxlength="120" dir="auto" value=title />
                <label for="correct-description">{lang.text(Msg::ProposalDescriptionLabel)}</label>
                <textarea id="correct-description" name="description" required minlength="20" maxlength="4000" rows="6" dir="auto">{description}</textarea>
                <ErrorNote error=error_of(action) />
                <button type="submit">{lang.text(Msg::CorrectSubmit)}</button>
            </ActionForm>
        </section>
    }
}

/// The inputs of a proposal, empty or holding `values`.
#[component]
pub(crate) fn ProposalFieldsInputs(values: Option<ProposalData>, places: Vec<Place>) -> impl IntoView {
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

#[component]
pub fn ProposalPage() -> impl IntoView {
    let lang = use_lang();
    let edit = ServerAction::<EditProposal>::new();
    let correct = ServerAction::<CorrectProposal>::new();
    let page_id = crate::ui::id_param();
    let proposal = Resource::new(
        move || (page_id.get(), edit.version().get(), correct.version().get()),
        |(id, _, _)| proposal_view(id),
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match proposal.await {
                    Err(error) => view! { <crate::ui::ErrorPage error /> }.into_any(),
                    Ok(p) => {
                        let form_values = p.clone();
                        view! {
                            <article class="proposal">
                                <PageHeading text=p.title.clone() written=true />
                                <p>
                                    <span class=format!("status status-{}", p.status.tag())>{lang.text(p.status.msg())}</span>
                                    " · " {lang.text(p.category.msg())}
                                    " · " {p.neighborhood.name.get(lang).to_owned()}
                                    " · " {lang.format(Msg::ProposalSubmittedOn, &[("date", &p.submitted)])}
                                    {p.entered_at_office.then(|| view! { " · " <span class="entered-at-office">{lang.text(Msg::EnteredAtOffice)}</span> })}
                                </p>
                                <dl class="facts">
                                    <dt>{lang.text(Msg::ProposalRound)}</dt>
                                    <dd><a href=format!("/rounds/{}", p.round_id)>{p.round_title.get(lang).to_owned()}</a> " · " {lang.text(p.phase.msg())}</dd>
                                    {(!p.location.is_empty()).then(|| view! { <dt>{lang.text(Msg::LocationLabel)}</dt><dd>{p.location.clone()}</dd> })}
                                    {p.estimate_rial.map(|c| view! { <dt>{lang.text(Msg::ProposalEstimate)}</dt><dd>{crate::rounds::toman(lang, c)}</dd> })}
                                    {p.official_cost_rial.map(|c| view! { <dt>{lang.text(Msg::OfficialCost)}</dt><dd class="official-cost">{crate::rounds::toman(lang, c)}</dd> })}
                                    {p.reject_reason.clone().map(|r| {
                                        let written = crate::ui::written_lang(&r);
                                        view! { <dt>{lang.text(Msg::RejectReason)}</dt><dd class="reject-reason" dir="auto" lang=written>{r}</dd> }
                                    })}
                                    {p.merged_into.clone().map(|(id, title)| view! {
                                        <dt>{lang.text(Msg::MergedInto)}</dt>
                                        <dd><a class="merged-into" href=format!("/proposals/{id}")>{title}</a></dd>
                                    })}
                                </dl>
                                <p class="description" dir="auto" lang=crate::ui::written_lang(&p.description)>{p.description.clone()}</p>
                                <Corrections corrections=p.corrections.clone() />
                            </article>
                            {p.correctable.then(|| view! { <CorrectForm action=correct id=p.id title=p.title.clone() description=p.description.clone() /> })}
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
