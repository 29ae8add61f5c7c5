//! The office's panel of a round's phases and results, on the office's round
//! page: the move to the next phase, the draft count to review and publish,
//! corrections and progress reports once published, and the turnout.

use crate::i18n::Msg;
use crate::results::office_actions::{
    AdvancePhase, CorrectResult, CountRound, OfficeResultData, PublishResult, RecordProgress, Turnout, office_result,
};
use crate::results::page::ResultView;
use crate::results::progress::Stage;
use crate::results::progress_page::ProgressList;
use crate::results::views::ProgressView;
use crate::rounds::Phase;
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, PageChanges, error_of, use_lang};
use leptos::prelude::*;

/// The panel below a round's facts on the office's round page. Its actions
/// and its data are made before any `Suspense`, as hydration needs; every
/// change it makes is counted in the page's [`PageChanges`], and it loads
/// again on every change the page makes.
#[component]
pub fn OfficePhasePanel() -> impl IntoView {
    let lang = use_lang();
    let changes = PageChanges::expect();
    let advance = ServerAction::<AdvancePhase>::new();
    let count = ServerAction::<CountRound>::new();
    let publish = ServerAction::<PublishResult>::new();
    let correct = ServerAction::<CorrectResult>::new();
    let progress = ServerAction::<RecordProgress>::new();
    changes.follow(advance);
    changes.follow(count);
    changes.follow(publish);
    changes.follow(correct);
    changes.follow(progress);
    let page_id = crate::ui::id_param();
    let data = Resource::new(move || (page_id.get(), changes.get()), |(id, _)| office_result(id));
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                // The page itself says why it cannot be shown.
                let Ok(d) = data.await else { return ().into_any() };
                let round_id = page_id.get_untracked();
                let turnout = d.turnout.clone();
                view! {
                    {d.phase.move_by_hand().map(|(next, warning)| view! {
                        <section class="panel">
                            <h2>{lang.text(Msg::AdvanceTitle)}</h2>
                            <ErrorNote error=error_of(advance) />
                            // A move cannot be undone: the first click says what it
                            // freezes, the second makes it (without JavaScript too).
                            <details class="advance-confirm">
                                <summary>{lang.format(Msg::AdvanceSubmit, &[("phase", lang.text(next.msg()))])}</summary>
                                <p class="notice">{lang.text(warning)}</p>
                                <ActionForm action=advance attr:class="row advance">
                                    <CsrfField />
                                    <input type="hidden" name="id" value=round_id />
                                    <input type="hidden" name="to" value=next.tag() />
                                    <button type="submit">{lang.format(Msg::AdvanceConfirmSubmit, &[("phase", lang.text(next.msg()))])}</button>
                                </ActionForm>
                            </details>
                        </section>
                    })}
                    <ResultSection round_id data=d count publish correct progress />
                    {(!turnout.is_empty()).then(|| view! { <TurnoutTable rows=turnout /> })}
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// Count, review and publish once voting has closed; corrections and progress
/// once published.
#[component]
fn ResultSection(
    round_id: i32,
    data: OfficeResultData,
    count: ServerAction<CountRound>,
    publish: ServerAction<PublishResult>,
    correct: ServerAction<CorrectResult>,
    progress: ServerAction<RecordProgress>,
) -> impl IntoView {
    let lang = use_lang();
    match data {
        d if d.phase < Phase::Closed => ().into_any(),
        OfficeResultData {
            phase: Phase::Closed,
            latest,
            ..
        } => view! {
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
        d => view! {
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
                        <h3 dir="auto" lang=crate::ui::written_lang(&p.title)>{p.title.clone()}</h3>
                        <label for=field("stage")>{lang.text(Msg::ProgressFormStage)}</label>
                        <select id=field("stage") name="stage">
                            {Stage::ALL.into_iter().map(|s| view! {
                                <option value=s.tag() selected=s == stage>{lang.text(s.msg())}</option>
                            }).collect_view()}
                        </select>
                        <label for=field("percent")>{lang.text(Msg::ProgressFormPercent)}</label>
                        <input id=field("percent") name="percent" inputmode="numeric" maxlength="4" dir="ltr" value=current.as_ref().map(|c| crate::format::number(lang, i64::from(c.percent))) />
                        <label for=field("spent")>{lang.text(Msg::ProgressFormSpent)}</label>
                        <input id=field("spent") name="spent" inputmode="numeric" maxlength="24" dir="ltr" value=current.as_ref().map(|c| crate::format::number(lang, c.spent_rial / 10)) />
                        <label for=field("note")>{lang.text(Msg::ProgressFormNote)}</label>
                        <textarea id=field("note") name="note" maxlength="1000"></textarea>
                        <button type="submit">{lang.text(Msg::ProgressFormSubmit)}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </section>
    }
}

/// Voters and verified residents per neighborhood, with the totals.
#[component]
fn TurnoutTable(rows: Vec<Turnout>) -> impl IntoView {
    let lang = use_lang();
    let n = move |n: i64| crate::format::number(lang, n);
    let (voters, residents) = rows.iter().fold((0i64, 0i64), |(v, r), t| {
        (v.saturating_add(t.voters), r.saturating_add(t.residents))
    });
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
