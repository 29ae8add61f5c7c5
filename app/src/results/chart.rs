//! The bar chart of votes (points) per project, drawn on the server (its bars
//! as SVG) so that it reads without JavaScript; its text runs from the
//! language's start.
//! The same numbers follow as a table, for screen readers and for copying.

use crate::i18n::Msg;
use crate::results::snapshot::Snapshot;
use crate::ui::use_lang;
use leptos::prelude::*;

/// The length of the bar of `points` when `most` fills `full`, whatever the
/// counts: the product is taken in 128 bits, so a round of millions of points
/// cannot overflow it.
fn bar_length(full: u64, points: u64, most: u64) -> u64 {
    let length = u128::from(full) * u128::from(points.min(most)) / u128::from(most.max(1));
    u64::try_from(length).unwrap_or(full)
}

/// Tenths of a percent as an SVG length: 425 is `42.5%`.
fn percent(tenths: u64) -> String {
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// Votes (or points) per project as bars, drawn on the server so that it
/// reads without JavaScript: each project's name and count as text that wraps
/// like any other, above a bar whose length is a share of the width it is shown
/// at, so nothing shrinks on a phone. Bars grow from the side the language starts.
#[component]
pub fn BarChart(snapshot: Snapshot) -> impl IntoView {
    const BAR: u64 = 18;
    let lang = use_lang();
    let rtl = lang.dir() == "rtl";
    let most = snapshot.projects.iter().map(|p| p.points).max().unwrap_or(0).max(1);
    let points = matches!(snapshot.projects.first(), Some(p) if p.points != p.votes);
    let unit = if points { Msg::ResultsPoints } else { Msg::ResultsVotes };
    let label = lang.text(Msg::ResultsChart).to_owned();
    let count_of = move |n: u64| crate::format::number(lang, i64::try_from(n).unwrap_or(i64::MAX));
    let table_rows = snapshot
        .projects
        .iter()
        .map(|p| {
            let outcome = if p.funded {
                Msg::ResultsFunded
            } else {
                Msg::ResultsNotFunded
            };
            view! {
                <tr>
                    <th scope="row"><bdi lang=crate::ui::written_lang(&p.title)>{p.title.clone()}</bdi></th>
                    <td>{count_of(p.points)}</td>
                    <td>{lang.text(outcome)}</td>
                </tr>
            }
        })
        .collect_view();
    let rows = snapshot
        .projects
        .iter()
        .map(|p| {
            // Every bar shows, however few its votes.
            let tenths = bar_length(1000, p.points, most).max(5);
            // From the right in Persian: the bar starts where the line does.
            let x = percent(if rtl { 1000 - tenths } else { 0 });
            let class = if p.funded { "funded" } else { "" };
            let value = lang.format(unit, &[("count", &count_of(p.points))]);
            view! {
                <li class=class>
                    <span class="label" dir="auto" lang=crate::ui::written_lang(&p.title)>{p.title.clone()}</span>
                    " "
                    <span class="value">{value}</span>
                    <svg class="bar" width="100%" height=BAR aria-hidden="true" focusable="false">
                        <rect x=x y="0" width=percent(tenths) height=BAR rx="3"></rect>
                    </svg>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="chart" aria-label=label>
            {rows}
        </ol>
        <p class="legend"><span class="swatch funded"></span> {lang.text(Msg::ResultsFundedLegend)}</p>
        <details class="chart-table">
            <summary>{lang.text(Msg::ResultsChartTable)}</summary>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{lang.text(Msg::ResultsProjectColumn)}</th>
                        <th scope="col">{lang.text(if points { Msg::ResultsPointsColumn } else { Msg::ResultsVotesColumn })}</th>
                        <th scope="col">{lang.text(Msg::ResultsOutcomeColumn)}</th>
                    </tr>
                </thead>
                <tbody>{table_rows}</tbody>
            </table>
        </details>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::bar_length;

    #[test]
    fn lengths_are_percentages_to_a_tenth() {
        assert_eq!(super::percent(425), "42.5%");
        assert_eq!(super::percent(1000), "100.0%");
        assert_eq!(super::percent(0), "0.0%");
    }

    #[test]
    fn bars_are_in_proportion_for_any_count() {
        assert_eq!(bar_length(480, 1, 2), 240);
        assert_eq!(bar_length(480, 0, 0), 0);
        assert_eq!(bar_length(480, u64::MAX, u64::MAX), 480);
        assert_eq!(bar_length(480, u64::MAX / 2, u64::MAX), 239);
    }
}
