//! The Pabulib `.pb` format: semicolon-separated sections META, PROJECTS and VOTES.
//! [`parse`] keeps every field (trimmed) so that [`write`] gives back a file that parses to
//! the same value, and builds the [`Round`] the tally needs.

mod records;
mod votes;
mod write;

pub use write::{write, write_row};

use super::{BallotKind, Ballots, Project, Round};
use records::{Plain, ProjectIndex, Record, Records, Texts, count_lines_and_commas, trim};
use votes::{Votes, numbered_ids};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PabulibError {
    #[error("line {line}: quoted field never closed")]
    UnterminatedQuote { line: usize },
    #[error("line {line}: expected the section {expected}")]
    ExpectedSection { line: usize, expected: &'static str },
    #[error("line {line}: the section header must be followed by a column header")]
    MissingHeader { line: usize },
    #[error("line {line}: expected {expected} fields, found {found}")]
    FieldCount { line: usize, expected: usize, found: usize },
    #[error("line {line}: no column {column:?}")]
    MissingColumn { line: usize, column: &'static str },
    #[error("line {line}: {field} {value:?} is not a non-negative amount")]
    BadAmount {
        line: usize,
        field: &'static str,
        value: String,
    },
    #[error("line {line}: amount {value:?} is too large")]
    AmountTooLarge { line: usize, value: String },
    #[error("line {line}: points {value:?} is not a non-negative whole number")]
    BadPoints { line: usize, value: String },
    #[error("line {line}: {choices} projects but {points} points")]
    PointsMismatch { line: usize, choices: usize, points: usize },
    #[error("line {line}: empty project id")]
    EmptyProjectId { line: usize },
    #[error("line {line}: project id {id:?} appears twice")]
    DuplicateProject { line: usize, id: String },
    #[error("line {line}: unknown project {id:?}")]
    UnknownProject { line: usize, id: String },
    #[error("line {line}: project {id:?} chosen twice on one ballot")]
    RepeatedChoice { line: usize, id: String },
    #[error("line {line}: vote_type {value:?} is not supported (approval, knapsack, choose-1, cumulative)")]
    UnsupportedVoteType { line: usize, value: String },
    #[error("line {line}: currency_unit {value:?} is not a positive whole amount")]
    BadCurrencyUnit { line: usize, value: String },
    #[error("META has no {key}")]
    MissingMeta { key: &'static str },
    #[error("the file ends before the section {expected}")]
    MissingSection { expected: &'static str },
}

/// A parsed `.pb` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PbFile {
    pub meta: Vec<(String, String)>,
    pub project_columns: Vec<String>,
    /// One row per project, aligned with `project_columns`, in the file's order.
    pub project_rows: Vec<Vec<String>>,
    pub vote_columns: Vec<String>,
    /// The VOTES fields other than `vote` and `points`, row after row.
    vote_fields: Texts,
    pub round: Round,
}

impl PbFile {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The value of `column` for each project, if the file has that column.
    pub fn project_column(&self, column: &str) -> Option<impl Iterator<Item = &str>> {
        let at = self.project_columns.iter().position(|c| c == column)?;
        Some(self.project_rows.iter().map(move |row| row[at].as_str()))
    }

    /// The value of `column` (other than `vote` and `points`, which the round
    /// holds) for each ballot, in the file's order, if the file has that column.
    pub fn vote_column(&self, column: &str) -> Option<impl Iterator<Item = &str>> {
        let counted = |c: &str| c == "vote" || (c == "points" && self.round.kind == BallotKind::Cumulative);
        let extras: Vec<&str> = self
            .vote_columns
            .iter()
            .map(String::as_str)
            .filter(|c| !counted(c))
            .collect();
        let at = extras.iter().position(|&c| c == column)?;
        let width = extras.len();
        Some((0..self.round.ballots.len()).map(move |ballot| self.vote_fields.get(ballot * width + at)))
    }
}

/// An amount as digits and the number of decimals they carry, e.g. "12.50" is (125, 1).
fn parse_amount(line: usize, field: &'static str, value: &str) -> Result<(u128, u32), PabulibError> {
    let bad = || PabulibError::BadAmount {
        line,
        field,
        value: value.to_owned(),
    };
    let normalized = value.trim().replace(',', ".");
    let (whole, fraction) = normalized.split_once('.').unwrap_or((&normalized, ""));
    let fraction = fraction.trim_end_matches('0');
    if whole.is_empty() && fraction.is_empty() {
        return Err(bad());
    }
    let mut digits: u128 = 0;
    for c in whole.chars().chain(fraction.chars()) {
        let digit = c.to_digit(10).ok_or_else(bad)?;
        digits = digits
            .checked_mul(10)
            .and_then(|d| d.checked_add(u128::from(digit)))
            .ok_or_else(|| PabulibError::AmountTooLarge {
                line,
                value: value.to_owned(),
            })?;
    }
    // A fraction longer than u32 digits would have overflowed `digits` already.
    Ok((digits, fraction.len() as u32))
}

/// Brings amounts to a common number of decimals, as integers.
fn scale(line: usize, value: &str, (digits, decimals): (u128, u32), to: u32) -> Result<u64, PabulibError> {
    10u128
        .checked_pow(to - decimals)
        .and_then(|factor| digits.checked_mul(factor))
        .and_then(|scaled| u64::try_from(scaled).ok())
        .ok_or_else(|| PabulibError::AmountTooLarge {
            line,
            value: value.to_owned(),
        })
}

/// Checks that `found` opens the section `name` and returns the column header after it.
fn open_section<'a>(
    records: &mut Records<'a>,
    found: Option<Record<'a>>,
    name: &'static str,
) -> Result<Record<'a>, PabulibError> {
    let record = found.ok_or(PabulibError::MissingSection { expected: name })?;
    if record.section() != Some(name) {
        return Err(PabulibError::ExpectedSection {
            line: record.line,
            expected: name,
        });
    }
    match records.next_record()? {
        Some(header) if header.section().is_none() => Ok(header),
        _ => Err(PabulibError::MissingHeader { line: record.line }),
    }
}

fn column(header: &Record, name: &'static str) -> Result<usize, PabulibError> {
    (0..header.fields.len())
        .find(|&i| header.field(i) == name)
        .ok_or(PabulibError::MissingColumn {
            line: header.line,
            column: name,
        })
}

/// Parses a whole `.pb` file.
pub fn parse(text: &str) -> Result<PbFile, PabulibError> {
    let mut records = Records::new(text.strip_prefix('\u{feff}').unwrap_or(text));

    let first = records.next_record()?;
    open_section(&mut records, first, "META")?;
    let mut meta = Vec::new();
    let mut record = records.next_record()?;
    let mut budget_line = 0;
    let mut kind_line = 0;
    let mut unit_line = 0;
    while let Some(row) = record.as_ref().filter(|r| r.section().is_none()) {
        row.expect_fields(2)?;
        match row.field(0) {
            "budget" => budget_line = row.line,
            "vote_type" => kind_line = row.line,
            "currency_unit" => unit_line = row.line,
            _ => {}
        }
        meta.push((row.field(0).to_owned(), row.field(1).to_owned()));
        record = records.next_record()?;
    }
    let lookup = |key: &'static str| {
        meta.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v): &(String, String)| v.as_str())
            .ok_or(PabulibError::MissingMeta { key })
    };
    let budget_text = lookup("budget")?;
    let budget = parse_amount(budget_line, "budget", budget_text)?;
    // Not a Pabulib key: the platform's files say by how much the add1 completions raise a
    // voter's share, in whole currency units (one when absent, as in every Pabulib file).
    let currency_unit = match lookup("currency_unit") {
        Err(_) => 1,
        Ok(text) => text
            .parse::<u64>()
            .ok()
            .filter(|unit| *unit > 0)
            .ok_or_else(|| PabulibError::BadCurrencyUnit {
                line: unit_line,
                value: text.to_owned(),
            })?,
    };
    let vote_type = lookup("vote_type")?;
    let kind = match vote_type {
        "approval" | "choose-1" => BallotKind::Approval,
        "knapsack" => BallotKind::Knapsack,
        "cumulative" => BallotKind::Cumulative,
        other => {
            return Err(PabulibError::UnsupportedVoteType {
                line: kind_line,
                value: other.to_owned(),
            });
        }
    };

    let header = open_section(&mut records, record, "PROJECTS")?;
    let cost_at = column(&header, "cost")?;
    let project_columns: Vec<String> = (0..header.fields.len()).map(|i| header.field(i).to_owned()).collect();
    let mut project_rows = Vec::new();
    let mut costs = Vec::new();
    let mut record = records.next_record()?;
    while let Some(row) = record.as_ref().filter(|r| r.section().is_none()) {
        row.expect_fields(project_columns.len())?;
        if row.field(0).is_empty() {
            return Err(PabulibError::EmptyProjectId { line: row.line });
        }
        costs.push((row.line, parse_amount(row.line, "cost", row.field(cost_at))?));
        project_rows.push(
            (0..row.fields.len())
                .map(|i| row.field(i).to_owned())
                .collect::<Vec<_>>(),
        );
        record = records.next_record()?;
    }
    let decimals = costs.iter().map(|(_, (_, d))| *d).chain([budget.1]).max().unwrap_or(0);
    let mut projects = Vec::with_capacity(project_rows.len());
    let mut index = ProjectIndex::default();
    for (row, &(line, cost)) in project_rows.iter().zip(&costs) {
        let id = row[0].as_str();
        // Fewer projects than lines in the file.
        if index.insert(id, projects.len() as u32).is_some() {
            return Err(PabulibError::DuplicateProject {
                line,
                id: id.to_owned(),
            });
        }
        projects.push(Project {
            id: id.to_owned(),
            cost: scale(line, &row[cost_at], cost, decimals)?,
        });
    }

    let header = open_section(&mut records, record, "VOTES")?;
    let vote_at = column(&header, "vote")?;
    let points_at = match kind {
        BallotKind::Cumulative => Some(column(&header, "points")?),
        BallotKind::Approval | BallotKind::Knapsack => None,
    };
    let vote_columns: Vec<String> = (0..header.fields.len()).map(|i| header.field(i).to_owned()).collect();
    // Sized from the whole text (a line per ballot, a comma between choices), so that millions
    // of ballots are never moved in memory as they grow.
    let (lines, commas) = count_lines_and_commas(text);
    let extra = vote_columns.len().saturating_sub(1 + usize::from(points_at.is_some()));
    let mut votes = Votes {
        ballots: Ballots::with_capacity(lines, commas + lines),
        fields: Texts::with_capacity(lines * extra),
        choices: Vec::new(),
        index: &index,
        by_number: numbered_ids(&projects),
        vote_at,
        points_at,
        columns: vote_columns.len(),
    };
    let mut plain: Vec<&str> = Vec::with_capacity(vote_columns.len());
    // Ballots are most of a file: lines without quotes are split in place, without a record.
    while let Some(next) = records.next_plain(&mut plain) {
        match next {
            Plain::Fields(line) => {
                if plain.len() > 1 || !trim(plain[0]).is_empty() {
                    votes.row(line, &plain)?;
                }
            }
            Plain::Quoted(line, text) => {
                let record = records.quoted(line, text)?;
                if !record.is_blank() {
                    votes.row(line, &record.fields)?;
                }
            }
        }
    }
    let Votes {
        ballots,
        fields: vote_fields,
        ..
    } = votes;

    Ok(PbFile {
        round: Round {
            budget: scale(budget_line, budget_text, budget, decimals)?,
            currency_unit: 10u64
                .checked_pow(decimals)
                .and_then(|unit| unit.checked_mul(currency_unit))
                .ok_or(PabulibError::AmountTooLarge {
                    line: budget_line,
                    value: budget_text.to_owned(),
                })?,
            kind,
            projects,
            ballots,
        },
        meta,
        project_columns,
        project_rows,
        vote_columns,
        vote_fields,
    })
}
