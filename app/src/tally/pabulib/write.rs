//! Writing a `.pb` file back, exactly as it reads.

use super::{BallotKind, PbFile};
use std::borrow::Cow;

/// Writes `file` in the `.pb` format; [`parse`] reads it back to the same value.
pub fn write(file: &PbFile) -> String {
    let mut out = String::new();
    out.push_str("META\nkey;value\n");
    for (key, value) in &file.meta {
        write_row(&mut out, [key.as_str(), value.as_str()]);
    }
    out.push_str("PROJECTS\n");
    write_row(&mut out, file.project_columns.iter().map(String::as_str));
    for row in &file.project_rows {
        write_row(&mut out, row.iter().map(String::as_str));
    }
    out.push_str("VOTES\n");
    write_row(&mut out, file.vote_columns.iter().map(String::as_str));
    let round = &file.round;
    let extra = file.vote_columns.len().saturating_sub(match round.kind {
        BallotKind::Cumulative => 2,
        BallotKind::Approval | BallotKind::Knapsack => 1,
    });
    for (voter, (projects, points)) in round.ballots.iter().enumerate() {
        let vote = join(projects.iter().map(|&p| round.projects[p as usize].id.as_str()));
        let points = join(points.iter().map(|p| p.to_string()));
        let mut next_extra = voter * extra;
        let fields = file.vote_columns.iter().map(|column| match column.as_str() {
            "vote" => Cow::Borrowed(vote.as_str()),
            "points" if round.kind == BallotKind::Cumulative => Cow::Borrowed(points.as_str()),
            _ => {
                next_extra += 1;
                Cow::Borrowed(file.vote_fields.get(next_extra - 1))
            }
        });
        write_row(&mut out, fields.collect::<Vec<_>>().iter().map(|f| f.as_ref()));
    }
    out
}

pub(super) fn join<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let mut joined = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            joined.push(',');
        }
        joined.push_str(item.as_ref());
    }
    joined
}

/// Appends one row of `.pb` fields, quoted where they must be.
pub fn write_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        // A first field that reads as a section name, or an empty lone field, must stay data.
        let ambiguous = i == 0
            && (field.is_empty()
                || ["META", "PROJECTS", "VOTES"]
                    .iter()
                    .any(|name| field.eq_ignore_ascii_case(name)));
        if ambiguous || field.contains([';', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}
