//! Reading a `.pb` file's text: records of semicolon-separated fields, quoted
//! or not, with their line numbers, and the short strings kept of them.

use super::PabulibError;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Many short strings in one buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Texts {
    pub(super) text: String,
    pub(super) ends: Vec<usize>,
}

impl Texts {
    pub(super) fn with_capacity(count: usize) -> Self {
        Texts {
            text: String::new(),
            ends: Vec::with_capacity(count),
        }
    }

    pub(super) fn push(&mut self, field: &str) {
        self.text.push_str(field);
        self.ends.push(self.text.len());
    }

    pub(super) fn get(&self, index: usize) -> &str {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start..self.ends[index]]
    }
}

/// FNV-1a: project ids are short, and the votes of large files look up millions of them.
#[derive(Default)]
pub(super) struct Fnv(u64);

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

pub(super) type ProjectIndex<'a> = HashMap<&'a str, u32, BuildHasherDefault<Fnv>>;

/// Reads semicolon-separated records with `"` quoting, possibly over several lines.
pub(super) struct Records<'a> {
    pub(super) text: &'a str,
    /// Where the next line starts; past the end once the last line is read.
    pub(super) at: usize,
    pub(super) line: usize,
}

/// A line of the VOTES section as [`Records::next_plain`] finds it.
pub(super) enum Plain<'a> {
    /// The line's fields, split in place.
    Fields(usize),
    /// A line with a quote, for [`Records::quoted`].
    Quoted(usize, &'a str),
}

pub(super) struct Record<'a> {
    pub(super) line: usize,
    pub(super) fields: Vec<Cow<'a, str>>,
    pub(super) first_quoted: bool,
}

impl<'a> Record<'a> {
    pub(super) fn is_blank(&self) -> bool {
        self.fields.len() == 1 && !self.first_quoted && self.fields[0].trim().is_empty()
    }

    pub(super) fn section(&self) -> Option<&'static str> {
        if self.first_quoted {
            return None;
        }
        let first = self.fields.first()?.trim();
        ["META", "PROJECTS", "VOTES"]
            .into_iter()
            .find(|name| first.eq_ignore_ascii_case(name))
    }

    pub(super) fn field(&self, index: usize) -> &str {
        self.fields[index].trim()
    }

    pub(super) fn expect_fields(&self, expected: usize) -> Result<(), PabulibError> {
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
    pub(super) fn new(text: &'a str) -> Self {
        Records { text, at: 0, line: 0 }
    }

    pub(super) fn next_line(&mut self) -> Option<(usize, &'a str)> {
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
    pub(super) fn next_plain(&mut self, fields: &mut Vec<&'a str>) -> Option<Plain<'a>> {
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

    pub(super) fn next_record(&mut self) -> Result<Option<Record<'a>>, PabulibError> {
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

    pub(super) fn quoted(&mut self, line: usize, first: &'a str) -> Result<Record<'a>, PabulibError> {
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

/// The lines (counting one past the last newline) and commas of `text`, counted in blocks small
/// enough for byte-sized counters, which vectorize far better than word-sized ones.
pub(super) fn count_lines_and_commas(text: &str) -> (usize, usize) {
    text.as_bytes().chunks(255).fold((1, 0), |(lines, commas), block| {
        let count = |wanted: u8| block.iter().fold(0u8, |n, &byte| n + u8::from(byte == wanted));
        (lines + usize::from(count(b'\n')), commas + usize::from(count(b',')))
    })
}

/// `str::split(',')` by bytes: a ballot holds a few short ids, too short for the
/// vectorized search behind `split` to pay for itself.
pub(super) fn split_commas(field: &str) -> impl Iterator<Item = &str> {
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
pub(super) fn trim(field: &str) -> &str {
    match field.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => field,
        [only] if only.is_ascii_graphic() => field,
        _ => field.trim(),
    }
}
