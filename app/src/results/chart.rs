//! The bar chart of votes (points) per project, drawn as SVG on the server so
//! that it reads without JavaScript; its text runs from the language's start.
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

/// Votes (or points) per project as horizontal bars, drawn on the server so
/// it reads without JavaScript; bars grow from the side the language starts.
#[component]
pub fn BarChart(snapshot: Snapshot) -> impl IntoView {
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
                    <th scope="row"><bdi>{p.title.clone()}</bdi></th>
                    <td>{count_of(p.points)}</td>
                    <td>{lang.text(outcome)}</td>
                </tr>
            }
        })
        .collect_view();
    let rows = snapshot
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let top = ROW * i as u64;
            let length = bar_length(WIDTH - 120, p.points, most);
            // Text runs from its start in the chart's direction: from the right in Persian.
            let (bar_x, text_x, value_x) = if rtl {
                (WIDTH - length, WIDTH, WIDTH - length - 6)
            } else {
                (0, 0, length + 6)
            };
            let class = if p.funded { "bar funded" } else { "bar" };
            let value = lang.format(unit, &[("count", &count_of(p.points))]);
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
    fn bars_are_in_proportion_for_any_count() {
        assert_eq!(bar_length(480, 1, 2), 240);
        assert_eq!(bar_length(480, 0, 0), 0);
        assert_eq!(bar_length(480, u64::MAX, u64::MAX), 480);
        assert_eq!(bar_length(480, u64::MAX / 2, u64::MAX), 239);
    }
}
