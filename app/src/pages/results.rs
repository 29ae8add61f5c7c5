//! Published results: the results page of a round (winners, a bar chart drawn
//! on the server, budget, turnout, the rule in plain words, downloads with
//! their digest and a recount in the browser), checking a ballot by its
//! receipt, and the public list of what each district's funded projects have
//! become.

use crate::app::use_lang;
use crate::error::ApiError;
use crate::geography::Name;
use crate::i18n::{Lang, Msg};
use crate::pages::rounds::{RoundFacts, RoundInfo};
use crate::progress::Update;
use crate::result::{ReceiptCheck, Snapshot};
use crate::round::TallyRule;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// One published version of a round's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub version: i32,
    pub published: String,
    /// Why a correction was published; empty for the first result.
    pub reason: String,
    pub snapshot: Snapshot,
}

/// A dated progress update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateView {
    pub update: Update,
    pub at: String,
}

/// A funded project and what has become of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    pub project_id: i32,
    pub title: String,
    pub cost_rial: u64,
    /// Oldest first; the last is the project's state.
    pub updates: Vec<UpdateView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsData {
    pub round: RoundInfo,
    /// Newest first; empty until the result is published.
    pub versions: Vec<VersionView>,
    pub progress: Vec<ProgressView>,
}

/// Where a published version's files are downloaded, in the router's syntax.
pub const DOWNLOAD_ROUTE: &str = "/rounds/{id}/results/{version}/{file}";

pub fn download_path(round_id: i32, version: i32, file: &str) -> String {
    format!("/rounds/{round_id}/results/{version}/{file}")
}

/// The files a published version offers.
pub const BALLOTS_FILE: &str = "ballots.pb";
pub const CSV_FILE: &str = "results.csv";
pub const JSON_FILE: &str = "results.json";

#[cfg(feature = "ssr")]
pub(crate) mod load {
    //! Reading results for pages, shared with the office's pages.

    use super::*;
    use crate::db::round::budget_round;
    use sea_orm::DatabaseConnection;

    pub async fn versions(db: &DatabaseConnection, round_id: i32) -> Result<Vec<VersionView>, ApiError> {
        let lang = crate::app::detect_lang();
        Ok(crate::count::published(db, round_id)
            .await?
            .into_iter()
            .map(|p| VersionView {
                version: p.version,
                published: crate::format::datetime_date(lang, p.published_at),
                reason: p.reason,
                snapshot: p.snapshot,
            })
            .collect())
    }

    /// The funded projects of the newest published result, with their updates.
    pub async fn progress(
        db: &DatabaseConnection,
        r: &budget_round::Model,
        newest: Option<&Snapshot>,
    ) -> Result<Vec<ProgressView>, ApiError> {
        let Some(newest) = newest else {
            return Ok(Vec::new());
        };
        let lang = crate::app::detect_lang();
        let updates = crate::db::progress::of_round(db, r.id).await?;
        newest
            .winners
            .iter()
            .filter_map(|id| newest.projects.iter().find(|p| p.id == *id))
            .map(|p| {
                Ok(ProgressView {
                    project_id: p.id,
                    title: p.title.clone(),
                    cost_rial: p.cost_rial,
                    updates: updates
                        .iter()
                        .filter(|u| u.proposal_id == p.id)
                        .map(|u| {
                            Ok(UpdateView {
                                update: Update {
                                    stage: crate::progress::Stage::from_tag(&u.stage).ok_or(ApiError::Internal)?,
                                    percent: u.percent,
                                    spent_rial: u.spent_rial,
                                    note: u.note.clone(),
                                },
                                at: crate::format::datetime_date(lang, u.at),
                            })
                        })
                        .collect::<Result<_, ApiError>>()?,
                })
            })
            .collect()
    }
}

#[leptos::server(endpoint = "results")]
pub async fn results_view(round_id: i32) -> Result<ResultsData, ApiError> {
    let db = crate::auth::services()?.db;
    let r = crate::pages::rounds::load::round(&db, round_id).await?;
    let versions = load::versions(&db, round_id).await?;
    let progress = load::progress(&db, &r, versions.first().map(|v| &v.snapshot)).await?;
    Ok(ResultsData {
        round: crate::pages::rounds::load::info(&db, &r).await?,
        versions,
        progress,
    })
}

#[leptos::server(endpoint = "check-receipt")]
pub async fn check_receipt(receipt: String) -> Result<ReceiptCheck, ApiError> {
    let receipt = crate::code::normalize(&receipt, crate::ballot::RECEIPT_LENGTH).ok_or(ApiError::ReceiptInvalid)?;
    let db = crate::auth::services()?.db;
    crate::count::check_receipt(&db, &receipt).await
}

/// A district's funded projects, round by round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictProjectsData {
    pub district: Name,
    pub rounds: Vec<(i32, Name, Vec<ProgressView>)>,
}

#[leptos::server(endpoint = "district-projects")]
pub async fn district_projects(district_id: i32) -> Result<DistrictProjectsData, ApiError> {
    let db = crate::auth::services()?.db;
    let district = crate::db::area::by_id(&db, district_id)
        .await?
        .filter(|a| a.kind == crate::db::area::AreaKind::District)
        .ok_or(ApiError::NotFound)?;
    let mut rounds = Vec::new();
    for r in crate::db::round::rounds(&db, Some(district_id)).await? {
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

#[component]
pub fn ResultsPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::id_param();
    let data = Resource::new(move || id.get(), results_view);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Ok(d) => {
                        let round_id = d.round.summary.id;
                        let mut versions = d.versions.into_iter();
                        let newest = versions.next();
                        let older: Vec<VersionView> = versions.collect();
                        view! {
                            <RoundFacts round=d.round />
                            {match newest {
                                None => view! { <p class="notice">{lang.text(Msg::ResultsNotPublished)}</p> }.into_any(),
                                Some(v) => view! {
                                    <PublishedVersion round_id version=v />
                                    {(!d.progress.is_empty()).then(|| view! { <ProgressList projects=d.progress /> })}
                                    <ReceiptForm />
                                    {(!older.is_empty()).then(|| view! { <OlderVersions round_id versions=older /> })}
                                }.into_any(),
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A published result with its downloads and recount.
#[component]
fn PublishedVersion(round_id: i32, version: VersionView) -> impl IntoView {
    let lang = use_lang();
    let VersionView {
        version,
        published,
        reason,
        snapshot,
    } = version;
    view! {
        <section class="panel results">
            <h2>{lang.format(Msg::ResultsTitle, &[("version", &crate::format::number(lang, i64::from(version)))])}</h2>
            <p class="published">{lang.format(Msg::ResultsPublishedOn, &[("date", &published)])}</p>
            {(!reason.is_empty()).then(|| view! { <p class="notice correction">{lang.format(Msg::ResultsCorrection, &[("reason", &reason)])}</p> })}
            <ResultView snapshot=snapshot.clone() />
            <Downloads round_id version digest=snapshot.digest.clone() />
            <Recount url=download_path(round_id, version, BALLOTS_FILE) snapshot />
        </section>
    }
    .into_any()
}

/// A counted result: budget, winners, the chart, the rule and the turnout.
#[component]
pub fn ResultView(snapshot: Snapshot) -> impl IntoView {
    let lang = use_lang();
    let n = move |n: u64| crate::format::number(lang, i64::try_from(n).unwrap_or(i64::MAX));
    let money = move |rial: u64| crate::round::toman(lang, i64::try_from(rial).unwrap_or(i64::MAX));
    let equal_shares = snapshot.tally == TallyRule::EqualShares;
    let winners: Vec<_> = snapshot
        .winners
        .iter()
        .filter_map(|id| snapshot.projects.iter().find(|p| p.id == *id).cloned())
        .collect();
    view! {
        <dl class="facts">
            <dt>{lang.text(Msg::ResultsBudgetUsed)}</dt>
            <dd>{lang.format(Msg::ResultsBudgetOf, &[("used", &money(snapshot.used_rial)), ("budget", &money(snapshot.budget_rial))])}</dd>
            <dt>{lang.text(Msg::ResultsBudgetLeft)}</dt>
            <dd>{money(snapshot.budget_rial.saturating_sub(snapshot.used_rial))}</dd>
            <dt>{lang.text(Msg::ResultsBallots)}</dt>
            <dd>{n(snapshot.ballots)}</dd>
            <dt>{lang.text(Msg::ResultsTies)}</dt>
            <dd>{lang.text(Msg::ResultsTiesCostVotes)}</dd>
        </dl>
        <h3>{lang.text(Msg::ResultsWinners)}</h3>
        <ol class="winners">
            {winners.into_iter().map(|p| view! {
                <li>
                    // Titles are written in any language: isolated, they keep the line's order.
                    <bdi><a href=format!("/proposals/{}", p.id)>{p.title.clone()}</a></bdi>
                    " · " {money(p.cost_rial)}
                    {p.payers.filter(|_| equal_shares).map(|payers| view! {
                        " · " <span class="payers">{lang.format(Msg::ResultsPayers, &[("count", &n(payers))])}</span>
                    })}
                </li>
            }).collect_view()}
        </ol>
        <h3>{lang.text(Msg::ResultsChart)}</h3>
        <BarChart snapshot=snapshot.clone() />
        <RuleExplanation tally=snapshot.tally />
        <h3>{lang.text(Msg::TurnoutTitle)}</h3>
        <table class="turnout">
            <thead>
                <tr>
                    <th scope="col">{lang.text(Msg::NeighborhoodLabel)}</th>
                    <th scope="col">{lang.text(Msg::TurnoutVoters)}</th>
                    <th scope="col">{lang.text(Msg::TurnoutResidents)}</th>
                    <th scope="col">{lang.text(Msg::ResultsTurnoutShare)}</th>
                </tr>
            </thead>
            <tbody>
                {snapshot.turnout.into_iter().map(|t| view! {
                    <tr>
                        <th scope="row">{t.neighborhood.get(lang).to_owned()}</th>
                        <td class="voters">{n(t.voters)}</td>
                        <td>{n(t.residents)}</td>
                        <td>{percent(lang, t.voters, t.residents)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `part` of `whole` as a whole percentage, "–" when there is no whole.
fn percent(lang: Lang, part: u64, whole: u64) -> String {
    match (part * 100).checked_div(whole) {
        Some(p) => lang.format(
            Msg::Percent,
            &[(
                "value",
                &crate::format::number(lang, i64::try_from(p).unwrap_or(i64::MAX)),
            )],
        ),
        None => "–".to_owned(),
    }
}

/// Votes (or points) per project as horizontal bars, drawn on the server so
/// it reads without JavaScript; bars grow from the side the language starts.
#[component]
fn BarChart(snapshot: Snapshot) -> impl IntoView {
    const WIDTH: u64 = 600;
    const ROW: u64 = 44;
    const BAR: u64 = 18;
    let lang = use_lang();
    let rtl = lang.dir() == "rtl";
    let most = snapshot.projects.iter().map(|p| p.points).max().unwrap_or(0).max(1);
    let height = ROW * snapshot.projects.len() as u64 + 4;
    let points = matches!(snapshot.projects.first(), Some(p) if p.points != p.votes);
    let unit = if points { Msg::ResultsPoints } else { Msg::ResultsVotes };
    let label = lang.text(Msg::ResultsChart).to_owned();
    let rows = snapshot
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let top = ROW * i as u64;
            let length = (WIDTH - 120) * p.points / most;
            // Text runs from its start in the chart's direction: from the right in Persian.
            let (bar_x, text_x, value_x) = if rtl {
                (WIDTH - length, WIDTH, WIDTH - length - 6)
            } else {
                (0, 0, length + 6)
            };
            let class = if p.funded { "bar funded" } else { "bar" };
            let value = lang.format(
                unit,
                &[(
                    "count",
                    &crate::format::number(lang, i64::try_from(p.points).unwrap_or(i64::MAX)),
                )],
            );
            view! {
                <g class=class>
                    <text x=text_x y=top + 14 text-anchor="start" class="label">{p.title.clone()}</text>
                    <rect x=bar_x y=top + 20 width=length.max(1) height=BAR rx="3"></rect>
                    <text x=value_x y=top + 34 text-anchor="start" class="value">{value}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart"
            role="img"
            aria-label=label
            viewBox=format!("0 0 {WIDTH} {height}")
            width="100%"
            direction=lang.dir()
            xmlns="http://www.w3.org/2000/svg"
        >
            {rows}
        </svg>
        <p class="legend"><span class="swatch funded"></span> {lang.text(Msg::ResultsFundedLegend)}</p>
    }
    .into_any()
}

#[component]
fn RuleExplanation(tally: TallyRule) -> impl IntoView {
    let lang = use_lang();
    let text = match tally {
        TallyRule::EqualShares => Msg::ResultsRuleEqualShares,
        TallyRule::Greedy => Msg::ResultsRuleGreedy,
    };
    view! {
        <h3>{lang.text(Msg::ResultsRuleTitle)}</h3>
        <p class="rule">{lang.text(text)}</p>
    }
}

#[component]
fn Downloads(round_id: i32, version: i32, digest: String) -> impl IntoView {
    let lang = use_lang();
    let files = [
        (BALLOTS_FILE, Msg::ResultsDownloadBallots),
        (CSV_FILE, Msg::ResultsDownloadCsv),
        (JSON_FILE, Msg::ResultsDownloadJson),
    ];
    view! {
        <h3>{lang.text(Msg::ResultsDownloads)}</h3>
        <ul class="downloads">
            {files.into_iter().map(|(file, msg)| view! {
                <li><a href=download_path(round_id, version, file) download>{lang.text(msg)}</a></li>
            }).collect_view()}
        </ul>
        <p>{lang.text(Msg::ResultsDigest)} " " <code class="digest" dir="ltr">{digest}</code></p>
    }
    .into_any()
}

/// Fetches the ballot file and recounts it with the tally engine compiled to
/// WebAssembly: the visitor's own computer checks the published result.
#[component]
fn Recount(url: String, snapshot: Snapshot) -> impl IntoView {
    let lang = use_lang();
    let outcome = RwSignal::new(None::<Result<crate::result::Recount, ()>>);
    let running = RwSignal::new(false);
    let command = format!(
        "server tally {} --rule {} --tie {}",
        BALLOTS_FILE, snapshot.rule, snapshot.tie_break
    );
    let start = move |_| {
        running.set(true);
        recount_in_browser(url.clone(), snapshot.clone(), outcome, running);
    };
    view! {
        <h3>{lang.text(Msg::RecountTitle)}</h3>
        <p>{lang.text(Msg::RecountIntro)}</p>
        <p><button type="button" class="recount" on:click=start disabled=move || running.get()>{lang.text(Msg::RecountButton)}</button></p>
        <p class="command">{lang.text(Msg::RecountCommand)} " " <code dir="ltr">{command}</code></p>
        <div class="recount-outcome" aria-live="polite">
            {move || outcome.get().map(|o| match o {
                Ok(r) if r.digest_matches && r.winners_match => view! {
                    <p class="ok recount-match">{lang.text(Msg::RecountMatches)}</p>
                    <p><code dir="ltr">{r.digest}</code></p>
                }.into_any(),
                Ok(r) => view! {
                    <p class="error recount-mismatch" role="alert">{lang.text(Msg::RecountDiffers)}</p>
                    <p><code dir="ltr">{r.digest}</code></p>
                }.into_any(),
                Err(()) => view! { <p class="error" role="alert">{lang.text(Msg::RecountFailed)}</p> }.into_any(),
            })}
        </div>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
fn recount_in_browser(
    url: String,
    snapshot: Snapshot,
    outcome: RwSignal<Option<Result<crate::result::Recount, ()>>>,
    running: RwSignal<bool>,
) {
    leptos::task::spawn_local(async move {
        let result = match fetch_text(&url).await {
            Some(text) => crate::result::recount(&text, &snapshot).map_err(|_| ()),
            None => Err(()),
        };
        outcome.set(Some(result));
        running.set(false);
    });
}

/// Only the browser recounts; on the server the button is inert markup.
#[cfg(not(feature = "hydrate"))]
fn recount_in_browser(
    _url: String,
    _snapshot: Snapshot,
    _outcome: RwSignal<Option<Result<crate::result::Recount, ()>>>,
    _running: RwSignal<bool>,
) {
}

#[cfg(feature = "hydrate")]
async fn fetch_text(url: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}

#[component]
fn OlderVersions(round_id: i32, versions: Vec<VersionView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel superseded">
            <h2>{lang.text(Msg::ResultsSuperseded)}</h2>
            {versions.into_iter().map(|v| view! {
                <details>
                    <summary>
                        {lang.format(Msg::ResultsTitle, &[("version", &crate::format::number(lang, i64::from(v.version)))])}
                        " · " {lang.format(Msg::ResultsPublishedOn, &[("date", &v.published)])}
                    </summary>
                    <ResultView snapshot=v.snapshot.clone() />
                    <Downloads round_id version=v.version digest=v.snapshot.digest.clone() />
                </details>
            }).collect_view()}
        </section>
    }
    .into_any()
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
    let money = move |rial: i64| crate::round::toman(lang, rial);
    let current = project.updates.last().cloned();
    let percent_value = current.as_ref().map_or(0, |c| c.update.percent);
    view! {
        <li class="project-progress">
            <h3><a href=format!("/proposals/{}", project.project_id)>{project.title.clone()}</a></h3>
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
                                {(!u.update.note.is_empty()).then(|| view! { <p class="note">{u.update.note.clone()}</p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </li>
    }
}

/// Checking a ballot by its receipt: a plain GET form, so it works without JavaScript.
#[component]
fn ReceiptForm() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{lang.text(Msg::ReceiptCheckTitle)}</h2>
            <form method="get" action="/check" class="row receipt-check">
                <label for="receipt">{lang.text(Msg::ReceiptLabel)}</label>
                <input id="receipt" name="receipt" required maxlength="40" dir="ltr" autocomplete="off" />
                <button type="submit">{lang.text(Msg::ReceiptCheckSubmit)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let receipt = Memo::new(move |_| query.read().get("receipt").unwrap_or_default());
    let found = Resource::new(
        move || receipt.get(),
        |receipt| async move {
            if receipt.trim().is_empty() {
                None
            } else {
                Some(check_receipt(receipt).await)
            }
        },
    );
    view! {
        <h1>{lang.text(Msg::ReceiptCheckTitle)}</h1>
        <p>{lang.text(Msg::ReceiptCheckIntro)}</p>
        <ReceiptForm />
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    None => ().into_any(),
                    Some(Err(err)) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Some(Ok(ReceiptCheck::NotYetPublished)) => view! {
                        <p class="notice receipt-pending">{lang.text(Msg::ReceiptNotYetPublished)}</p>
                    }.into_any(),
                    Some(Ok(ReceiptCheck::SetAside { round_id, version, reason })) => view! {
                        <p class="error receipt-set-aside" role="alert">
                            {lang.format(Msg::ReceiptSetAside, &[("version", &crate::format::number(lang, i64::from(version))), ("reason", &reason)])}
                        </p>
                        <p><a href=format!("/rounds/{round_id}/results")>{lang.text(Msg::ResultsLink)}</a></p>
                    }.into_any(),
                    Some(Ok(ReceiptCheck::Counted { round_id, version, title, choices })) => view! {
                        <section class="panel receipt-found">
                            <p class="ok">
                                {lang.format(Msg::ReceiptCounted, &[("round", title.get(lang)), ("version", &crate::format::number(lang, i64::from(version)))])}
                            </p>
                            <h2>{lang.text(Msg::BallotYourChoices)}</h2>
                            <ul class="choices">
                                {choices.into_iter().map(|(title, points)| view! {
                                    <li>
                                        <bdi>{title}</bdi>
                                        {(points != 1).then(|| view! { " · " {lang.format(Msg::BallotPoints, &[("count", &crate::format::number(lang, i64::from(points)))])} })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <p><a href=format!("/rounds/{round_id}/results")>{lang.text(Msg::ResultsLink)}</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DistrictProjectsPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::id_param();
    let data = Resource::new(move || id.get(), district_projects);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Ok(d) => view! {
                        <h1>{lang.format(Msg::DistrictProjectsTitle, &[("district", d.district.get(lang))])}</h1>
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
