//! The Pabulib `.pb` format: semicolon-separated sections META, PROJECTS and VOTES.
//! [`parse`] keeps every field (trimmed) so that [`write`] gives back a file that parses to
//! the same value, and builds the [`Round`] the tally needs.

use super::{BallotKind, Ballots, Project, Round};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

/// Many short strings in one buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Texts {
    text: String,
    ends: Vec<usize>,
}

impl Texts {
    fn with_capacity(count: usize) -> Self {
        Texts {
            text: String::new(),
            ends: Vec::with_capacity(count),
        }
    }

    fn push(&mut self, field: &str) {
        self.text.push_str(field);
        self.ends.push(self.text.len());
    }

    fn get(&self, index: usize) -> &str {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start..self.ends[index]]
    }
}

/// FNV-1a: project ids are short, and the votes of large files look up millions of them.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type ProjectIndex<'a> = HashMap<&'a str, u32, BuildHasherDefault<Fnv>>;

/// Reads semicolon-separated records with `"` quoting, possibly over several lines.
struct Records<'a> {
    text: &'a str,
    /// Where the next line starts; past the end once the last line is read.
    at: usize,
    line: usize,
}

/// A line of the VOTES section as [`Records::next_plain`] finds it.
enum Plain<'a> {
    /// The line's fields, split in place.
    Fields(usize),
    /// A line with a quote, for [`Records::quoted`].
    Quoted(usize, &'a str),
}

struct Record<'a> {
    line: usize,
    fields: Vec<Cow<'a, str>>,
    first_quoted: bool,
}

impl<'a> Record<'a> {
    fn is_blank(&self) -> bool {
        self.fields.len() == 1 && !self.first_quoted && self.fields[0].trim().is_empty()
    }

    fn section(&self) -> Option<&'static str> {
        if self.first_quoted {
            return None;
        }
        let first = self.fields.first()?.trim();
        ["META", "PROJECTS", "VOTES"]
            .into_iter()
            .find(|name| first.eq_ignore_ascii_case(name))
    }

    fn field(&self, index: usize) -> &str {
        self.fields[index].trim()
    }

    fn expect_fields(&self, expected: usize) -> Result<(), PabulibError> {
        if self.fields.len() == expected {
            Ok(())
        } else {
            Err(PabulibError::FieldCount {
                line: self.line,
                expected,
                found: self.fields.len(),
            })
        }
    }
}

impl<'a> Records<'a> {
    fn new(text: &'a str) -> Self {
        Records { text, at: 0, line: 0 }
    }

    fn next_line(&mut self) -> Option<(usize, &'a str)> {
        let rest = self.text.get(self.at..)?;
        let end = rest.find('\n').unwrap_or(rest.len());
        self.at += end + 1;
        self.line += 1;
        let line = &rest[..end];
        Some((self.line, line.strip_suffix('\r').unwrap_or(line)))
    }

    /// Reads the next line and splits it at semicolons into `fields`, in one pass over its
    /// bytes, since ballot lines are short and there are millions of them; a line with a quote
    /// is left whole.
    fn next_plain(&mut self, fields: &mut Vec<&'a str>) -> Option<Plain<'a>> {
        let start = self.at;
        let bytes = self.text.as_bytes().get(start..)?;
        fields.clear();
        let mut field_start = start;
        let mut end = bytes.len();
        for (offset, &byte) in bytes.iter().enumerate() {
            match byte {
                b'"' => {
                    let (line, text) = self.next_line()?;
                    return Some(Plain::Quoted(line, text));
                }
                // ASCII bytes never occur inside a multi-byte character: every cut is a boundary.
                b';' => {
                    fields.push(&self.text[field_start..start + offset]);
                    field_start = start + offset + 1;
                }
                b'\n' => {
                    end = offset;
                    break;
                }
                _ => {}
            }
        }
        let last = &self.text[field_start..start + end];
        fields.push(last.strip_suffix('\r').unwrap_or(last));
        self.at = start + end + 1;
        self.line += 1;
        Some(Plain::Fields(self.line))
    }

    fn next_record(&mut self) -> Result<Option<Record<'a>>, PabulibError> {
        loop {
            let Some((line, text)) = self.next_line() else {
                return Ok(None);
            };
            let record = if text.contains('"') {
                self.quoted(line, text)?
            } else {
                Record {
                    line,
                    fields: text.split(';').map(Cow::Borrowed).collect(),
                    first_quoted: false,
                }
            };
            if !record.is_blank() {
                return Ok(Some(record));
            }
        }
    }

    fn quoted(&mut self, line: usize, first: &'a str) -> Result<Record<'a>, PabulibError> {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut first_quoted = false;
        let mut text = first;
        let mut in_quotes = false;
        let mut field_was_quoted = false;
        loop {
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                match (in_quotes, c) {
                    (true, '"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    (true, '"') => in_quotes = false,
                    (false, '"') if field.trim().is_empty() => {
                        field.clear();
                        in_quotes = true;
                        field_was_quoted = true;
                    }
                    (false, ';') => {
                        first_quoted |= fields.is_empty() && field_was_quoted;
                        fields.push(Cow::Owned(std::mem::take(&mut field)));
                        field_was_quoted = false;
                    }
                    _ => field.push(c),
                }
            }
            if !in_quotes {
                break;
            }
            field.push('\n');
            text = match self.next_line() {
                Some((_, next)) => next,
                None => return Err(PabulibError::UnterminatedQuote { line }),
            };
        }
        first_quoted |= fields.is_empty() && field_was_quoted;
        fields.push(Cow::Owned(field));
        Ok(Record {
            line,
            fields,
            first_quoted,
        })
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

/// The lines (counting one past the last newline) and commas of `text`, counted in blocks small
/// enough for byte-sized counters, which vectorize far better than word-sized ones.
fn count_lines_and_commas(text: &str) -> (usize, usize) {
    text.as_bytes().chunks(255).fold((1, 0), |(lines, commas), block| {
        let count = |wanted: u8| block.iter().fold(0u8, |n, &byte| n + u8::from(byte == wanted));
        (lines + usize::from(count(b'\n')), commas + usize::from(count(b',')))
    })
}

/// `str::split(',')` by bytes: a ballot holds a few short ids, too short for the
/// vectorized search behind `split` to pay for itself.
fn split_commas(field: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let commas = field.bytes().enumerate().filter(|&(_, byte)| byte == b',');
    // ASCII bytes never occur inside a multi-byte character: every cut is a boundary.
    commas.map(|(at, _)| at).chain([field.len()]).map(move |end| {
        let piece = &field[start..end];
        start = end + 1;
        piece
    })
}

/// `str::trim`, skipped when the ends are plainly not whitespace, as they nearly always are.
fn trim(field: &str) -> &str {
    match field.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => field,
        [only] if only.is_ascii_graphic() => field,
        _ => field.trim(),
    }
}

/// Project indices by id for canonical decimal ids ("7", not "07"), which most files use, so
/// that most choices are read without hashing.
fn numbered_ids(projects: &[Project]) -> Vec<u32> {
    let numbers: Vec<Option<usize>> = projects.iter().map(|p| canonical_number(&p.id)).collect();
    let size = numbers.iter().flatten().max().map_or(0, |&n| n + 1);
    // Sparse numbering would waste memory: fall back to the hash map.
    if size > 16 * projects.len() + 1024 {
        return Vec::new();
    }
    let mut table = vec![u32::MAX; size];
    for (project, number) in numbers.iter().enumerate() {
        if let Some(n) = number {
            // Fewer projects than lines in the file.
            table[*n] = project as u32;
        }
    }
    table
}

fn canonical_number(id: &str) -> Option<usize> {
    let bytes = id.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 || (bytes[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    bytes.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })
}

/// The VOTES section as it is read.
struct Votes<'i, 'a> {
    ballots: Ballots,
    fields: Texts,
    choices: Vec<u32>,
    index: &'i ProjectIndex<'a>,
    by_number: Vec<u32>,
    vote_at: usize,
    points_at: Option<usize>,
    columns: usize,
}

impl Votes<'_, '_> {
    fn project(&self, id: &str) -> Option<u32> {
        match canonical_number(id).and_then(|n| self.by_number.get(n)) {
            Some(&project) if project != u32::MAX => Some(project),
            _ => self.index.get(id).copied(),
        }
    }

    fn row<S: AsRef<str>>(&mut self, line: usize, fields: &[S]) -> Result<(), PabulibError> {
        if fields.len() != self.columns {
            return Err(PabulibError::FieldCount {
                line,
                expected: self.columns,
                found: fields.len(),
            });
        }
        let field = |i: usize| trim(fields[i].as_ref());
        self.choices.clear();
        for id in split_commas(field(self.vote_at)).map(trim).filter(|id| !id.is_empty()) {
            let project = self.project(id).ok_or_else(|| PabulibError::UnknownProject {
                line,
                id: id.to_owned(),
            })?;
            if self.choices.contains(&project) {
                return Err(PabulibError::RepeatedChoice {
                    line,
                    id: id.to_owned(),
                });
            }
            self.choices.push(project);
        }
        match self.points_at {
            None => self.ballots.push_approval(&self.choices),
            Some(at) => {
                let mut count = 0;
                for value in split_commas(field(at)).map(trim).filter(|p| !p.is_empty()) {
                    let points = value.parse::<u32>().map_err(|_| PabulibError::BadPoints {
                        line,
                        value: value.to_owned(),
                    })?;
                    if let Some(&project) = self.choices.get(count) {
                        self.ballots.push_choice(project, points);
                    }
                    count += 1;
                }
                if count != self.choices.len() {
                    return Err(PabulibError::PointsMismatch {
                        line,
                        choices: self.choices.len(),
                        points: count,
                    });
                }
                self.ballots.finish_ballot();
            }
        }
        for i in (0..fields.len()).filter(|&i| i != self.vote_at && Some(i) != self.points_at) {
            self.fields.push(field(i));
        }
        Ok(())
    }
}

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

fn join<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
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
