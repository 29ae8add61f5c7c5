//! Reading the VOTES section: each ballot's project ids, resolved to project
//! numbers, with their points.

use super::records::{ProjectIndex, Texts, split_commas, trim};
use super::{Ballots, PabulibError, Project};

/// Project indices by id for canonical decimal ids ("7", not "07"), which most files use, so
/// that most choices are read without hashing.
pub(super) fn numbered_ids(projects: &[Project]) -> Vec<u32> {
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

pub(super) fn canonical_number(id: &str) -> Option<usize> {
    let bytes = id.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 || (bytes[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    bytes.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })
}

/// The VOTES section as it is read.
pub(super) struct Votes<'i, 'a> {
    pub(super) ballots: Ballots,
    pub(super) fields: Texts,
    pub(super) choices: Vec<u32>,
    pub(super) index: &'i ProjectIndex<'a>,
    pub(super) by_number: Vec<u32>,
    pub(super) vote_at: usize,
    pub(super) points_at: Option<usize>,
    pub(super) columns: usize,
}

impl Votes<'_, '_> {
    pub(super) fn project(&self, id: &str) -> Option<u32> {
        match canonical_number(id).and_then(|n| self.by_number.get(n)) {
            Some(&project) if project != u32::MAX => Some(project),
            _ => self.index.get(id).copied(),
        }
    }

    pub(super) fn row<S: AsRef<str>>(&mut self, line: usize, fields: &[S]) -> Result<(), PabulibError> {
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
