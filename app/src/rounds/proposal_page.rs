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
use crate::rounds::propose::EditProposal;
use crate::rounds::propose::SubmitProposal;
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
    let editable =
        viewer.is_some_and(|v| v.id == p.author_id) && phase == Phase::Proposals && status == Status::Submitted;
    let merged_into = match p.merged_into {
        Some(target) => proposals::proposal_by_id(&db, target).await?.map(|t| (t.id, t.title)),
        None => None,
    };
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
    })
}

#[component]
pub fn ProposeForm(action: ServerAction<SubmitProposal>, round_id: i32, places: Vec<Place>) -> impl IntoView {
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

#[component]
pub fn ProposalPage() -> impl IntoView {
    let lang = use_lang();
    let edit = ServerAction::<EditProposal>::new();
    let page_id = crate::ui::id_param();
    let proposal = Resource::new(
        move || (page_id.get(), edit.version().get()),
        |(id, _)| proposal_view(id),
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
