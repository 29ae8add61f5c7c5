//! The office's side of results: the draft count of a closed round to review,
//! publishing it, publishing a correction, and reporting what the funded
//! projects have become. Every step is checked against the staff member's
//! district and the round's phase on the server, and audit-logged.

use crate::error::ApiError;
use crate::i18n::Msg;
use crate::results::page::{ProgressView, ResultView};
use crate::results::progress::Stage;
use crate::results::progress_page::ProgressList;
use crate::results::snapshot::Snapshot;
use crate::rounds::Phase;
use crate::ui::csrf::CsrfField;
use crate::ui::use_lang;
use crate::ui::{ErrorNote, error_of};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeResultData {
    pub phase: Phase,
    /// The newest count, published or not.
    pub latest: Option<Snapshot>,
    pub progress: Vec<ProgressView>,
}

#[leptos::server(endpoint = "office-result")]
pub async fn office_result(id: i32) -> Result<OfficeResultData, ApiError> {
    let (_, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let r = crate::rounds::load::own_round(&db, district_id, id).await?;
    let phase = r.phase;
    let latest = crate::results::count::latest_draft(&db, id).await?;
    let progress = if phase == Phase::Published {
        crate::results::load::progress(&db, &r, latest.as_ref()).await?
    } else {
        Vec::new()
    };
    Ok(OfficeResultData {
        phase,
        latest,
        progress,
    })
}

/// Counts a closed round whose count did not happen when it closed.
#[leptos::server(endpoint = "count-round")]
pub async fn count_round(id: i32) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let services = crate::services::services()?;
    let r = crate::rounds::load::own_round(&services.db, district_id, id).await?;
    crate::results::count::draft(&services, &r, viewer.id).await
}

#[leptos::server(endpoint = "publish-result")]
pub async fn publish_result(id: i32) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let services = crate::services::services()?;
    let r = crate::rounds::load::own_round(&services.db, district_id, id).await?;
    crate::results::count::publish(&services, &r, viewer.id).await
}

/// Publishes a correction; `set_aside` lists receipts of ballots found invalid,
/// separated by spaces, commas or lines.
#[leptos::server(endpoint = "correct-result")]
pub async fn correct_result(id: i32, reason: String, set_aside: String) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let reason = reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::ReasonRequired);
    }
    let services = crate::services::services()?;
    let r = crate::rounds::load::own_round(&services.db, district_id, id).await?;
    let mut excluded = Vec::new();
    for item in set_aside
        .split([',', '،', '\n', '\r', ' '])
        .filter(|s| !s.trim().is_empty())
    {
        let receipt =
            crate::code::normalize(item, crate::voting::ballot::RECEIPT_LENGTH).ok_or(ApiError::ReceiptInvalid)?;
        if crate::voting::db::round_of_receipt(&services.db, &receipt).await? != Some(id) {
            return Err(ApiError::ReceiptUnknown);
        }
        if !excluded.contains(&receipt) {
            excluded.push(receipt);
        }
    }
    crate::results::count::correct(
        &services,
        &r,
        viewer.id,
        crate::results::count::Correction { reason, excluded },
    )
    .await
}

#[leptos::server(endpoint = "record-progress")]
pub async fn record_progress(
    project: i32,
    stage: String,
    percent: String,
    spent: String,
    note: String,
) -> Result<(), ApiError> {
    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let p = crate::rounds::db::proposal_by_id(&db, project)
        .await?
        .ok_or(ApiError::NotFound)?;
    let r = crate::rounds::load::own_round(&db, district_id, p.round_id).await?;
    let funded = crate::results::count::published(&db, r.id)
        .await?
        .first()
        .is_some_and(|newest| newest.snapshot.winners.contains(&project));
    if !funded {
        return Err(ApiError::NotFunded);
    }
    let update = crate::results::progress::Update::parse(&stage, &percent, &spent, &note)?;
    let subject = format!(
        "proposal:{project} stage:{} percent:{} spent-rial:{}",
        update.stage.tag(),
        update.percent,
        update.spent_rial
    );
    let reason = update.note.clone();
    crate::accounts::audit::audited(
        &db,
        viewer.id,
        district_id,
        crate::accounts::audit::Action::RecordProgress,
        &subject,
        &reason,
        async |txn| Ok(crate::results::progress_db::record(txn, r.id, project, viewer.id, update).await?),
    )
    .await
}

/// The actions of the result panel. The round page owns them (and the
/// panel's data), so that its resources are all made outside its `Suspense`
/// and publishing refreshes the phase it shows.
#[derive(Clone, Copy)]
pub struct ResultActions {
    pub count: ServerAction<CountRound>,
    pub publish: ServerAction<PublishResult>,
    pub correct: ServerAction<CorrectResult>,
    pub progress: ServerAction<RecordProgress>,
}

impl Default for ResultActions {
    fn default() -> Self {
        ResultActions {
            count: ServerAction::new(),
            publish: ServerAction::new(),
            correct: ServerAction::new(),
            progress: ServerAction::new(),
        }
    }
}

impl ResultActions {
    /// Changes whenever one of them ran.
    pub fn version(&self) -> usize {
        self.count.version().get()
            + self.publish.version().get()
            + self.correct.version().get()
            + self.progress.version().get()
    }
}

/// The result panel of the office's round page: count, review and publish
/// once voting has closed; corrections and progress once published.
#[component]
pub fn OfficeResultPanel(
    round_id: i32,
    data: Result<OfficeResultData, ApiError>,
    actions: ResultActions,
) -> impl IntoView {
    let lang = use_lang();
    let ResultActions {
        count,
        publish,
        correct,
        progress,
    } = actions;
    match data {
        Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
        Ok(d) if d.phase < Phase::Closed => ().into_any(),
        Ok(OfficeResultData {
            phase: Phase::Closed,
            latest,
            ..
        }) => view! {
            <section class="panel office-result">
                <h2>{lang.text(Msg::OfficeResultTitle)}</h2>
                {match latest {
                    None => view! {
                        <p class="notice">{lang.text(Msg::ErrorNotCounted)}</p>
                        <ActionForm action=count attr:class="row">
                            <CsrfField />
                            <input type="hidden" name="id" value=round_id />
                            <button type="submit">{lang.text(Msg::OfficeCountSubmit)}</button>
                        </ActionForm>
                        <ErrorNote error=error_of(count) />
                    }.into_any(),
                    Some(draft) => view! {
                        <p class="notice">{lang.text(Msg::OfficeResultDraftNote)}</p>
                        <ResultView snapshot=draft />
                        <ActionForm action=publish attr:class="row publish">
                            <CsrfField />
                            <input type="hidden" name="id" value=round_id />
                            <button type="submit">{lang.text(Msg::OfficePublishSubmit)}</button>
                        </ActionForm>
                        <ErrorNote error=error_of(publish) />
                    }.into_any(),
                }}
            </section>
        }
        .into_any(),
        Ok(d) => view! {
            <section class="panel office-result">
                <h2>{lang.text(Msg::OfficeResultTitle)}</h2>
                <p><a href=format!("/rounds/{round_id}/results")>{lang.text(Msg::ResultsLink)}</a></p>
                <details>
                    <summary>{lang.text(Msg::OfficeCorrectTitle)}</summary>
                    <ActionForm action=correct attr:class="stack correct">
                        <CsrfField />
                        <input type="hidden" name="id" value=round_id />
                        <label for="correct-reason">{lang.text(Msg::OfficeCorrectReason)}</label>
                        <textarea id="correct-reason" name="reason" required maxlength="500"></textarea>
                        <label for="set-aside">{lang.text(Msg::OfficeCorrectSetAside)}</label>
                        <textarea id="set-aside" name="set_aside" dir="ltr"></textarea>
                        <ErrorNote error=error_of(correct) />
                        <button type="submit" class="danger">{lang.text(Msg::OfficeCorrectSubmit)}</button>
                    </ActionForm>
                </details>
            </section>
            <ProgressForms projects=d.progress.clone() action=progress />
            <ProgressList projects=d.progress />
        }
        .into_any(),
    }
}

#[component]
fn ProgressForms(projects: Vec<ProgressView>, action: ServerAction<RecordProgress>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel progress-forms">
            <h2>{lang.text(Msg::ProgressFormTitle)}</h2>
            <ErrorNote error=error_of(action) />
            {projects.into_iter().map(|p| {
                let current = p.updates.last().map(|u| u.update.clone());
                let stage = current.as_ref().map_or(Stage::Planned, |c| c.stage);
                let project_id = p.project_id;
                let field = move |name: &str| format!("{name}-{project_id}");
                view! {
                    <ActionForm action attr:class="stack progress-form">
                        <CsrfField />
                        <input type="hidden" name="project" value=p.project_id />
                        <h3>{p.title.clone()}</h3>
                        <label for=field("stage")>{lang.text(Msg::ProgressFormStage)}</label>
                        <select id=field("stage") name="stage">
                            {Stage::ALL.into_iter().map(|s| view! {
                                <option value=s.tag() selected=s == stage>{lang.text(s.msg())}</option>
                            }).collect_view()}
                        </select>
                        <label for=field("percent")>{lang.text(Msg::ProgressFormPercent)}</label>
                        <input id=field("percent") name="percent" inputmode="numeric" maxlength="4" dir="ltr" value=current.as_ref().map(|c| c.percent.to_string()) />
                        <label for=field("spent")>{lang.text(Msg::ProgressFormSpent)}</label>
                        <input id=field("spent") name="spent" inputmode="numeric" maxlength="24" dir="ltr" value=current.as_ref().map(|c| (c.spent_rial / 10).to_string()) />
                        <label for=field("note")>{lang.text(Msg::ProgressFormNote)}</label>
                        <textarea id=field("note") name="note" maxlength="1000"></textarea>
                        <button type="submit">{lang.text(Msg::ProgressFormSubmit)}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </section>
    }
}
