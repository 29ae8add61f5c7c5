//! Published results: the results page of a round (winners, a bar chart drawn
//! on the server, budget, turnout, the rule in plain words, downloads with
//! their digest and a recount in the browser), checking a ballot by its
//! receipt, and the public list of what each district's funded projects have
//! become.

use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::results::chart::BarChart;
#[cfg(feature = "ssr")]
use crate::results::load;
use crate::results::progress_page::ProgressList;
use crate::results::receipt_page::ReceiptForm;
use crate::results::recount::Recount;
use crate::results::snapshot::Snapshot;
use crate::results::views::ResultsData;
use crate::results::views::VersionView;
use crate::rounds::TallyRule;
use crate::rounds::public_page::RoundFacts;
use crate::ui::use_lang;
use leptos::prelude::*;

#[leptos::server(endpoint = "results")]
pub async fn results_view(round_id: i32) -> Result<ResultsData, ApiError> {
    let db = crate::services::services()?.db;
    let r = crate::rounds::load::round(&db, round_id).await?;
    let versions = load::versions(&db, round_id).await?;
    let progress = load::progress(&db, &r, versions.first().map(|v| &v.snapshot)).await?;
    Ok(ResultsData {
        round: crate::rounds::load::info(&db, &r).await?,
        versions,
        progress,
    })
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::ui::id_param();
    let data = Resource::new(move || id.get(), results_view);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <crate::ui::ErrorPage error /> }.into_any(),
                    Ok(d) => {
                        let round_id = d.round.summary.id;
                        let mut versions = d.versions.into_iter();
                        let newest = versions.next();
                        let older: Vec<VersionView> = versions.collect();
                        view! {
                            <RoundFacts round=d.round page=Msg::ResultsPageTitle />
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
            <Recount url=crate::paths::result_download(round_id, version, crate::paths::BALLOTS_FILE) snapshot />
        </section>
    }
    .into_any()
}

/// A counted result: budget, winners, the chart, the rule and the turnout.
#[component]
pub fn ResultView(snapshot: Snapshot) -> impl IntoView {
    let lang = use_lang();
    let n = move |n: u64| crate::format::number(lang, i64::try_from(n).unwrap_or(i64::MAX));
    let money = move |rial: u64| crate::rounds::toman(lang, i64::try_from(rial).unwrap_or(i64::MAX));
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
                    <bdi lang=crate::ui::written_lang(&p.title)><a href=format!("/proposals/{}", p.id)>{p.title.clone()}</a></bdi>
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
        (crate::paths::BALLOTS_FILE, Msg::ResultsDownloadBallots),
        (crate::paths::CSV_FILE, Msg::ResultsDownloadCsv),
        (crate::paths::JSON_FILE, Msg::ResultsDownloadJson),
    ];
    view! {
        <h3>{lang.text(Msg::ResultsDownloads)}</h3>
        <ul class="downloads">
            {files.into_iter().map(|(file, msg)| view! {
                <li><a href=crate::paths::result_download(round_id, version, file) download>{lang.text(msg)}</a></li>
            }).collect_view()}
        </ul>
        <p>{lang.text(Msg::ResultsDigest)} " " <code class="digest" dir="ltr">{digest}</code></p>
    }
    .into_any()
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
