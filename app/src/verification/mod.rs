//! Verification of residents: one national code, one verified account. The
//! rules both builds share (one-time codes handed out at the office, birth
//! years, census files uploaded by offices), the queries, the census import,
//! the resident's account page and the office's page.

pub mod account_page;
#[cfg(feature = "ssr")]
pub mod census;
#[cfg(feature = "ssr")]
pub mod db;
pub mod national_code;
pub mod office_page;

use crate::digits;
use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::error::CensusProblem;
use crate::i18n::{Lang, Msg};
use crate::verification::national_code::NationalCode;
use serde::{Deserialize, Serialize};

/// 31⁸ ≈ 8.5 × 10¹¹ codes; with five tries an hour, guessing is hopeless.
pub const CODE_LENGTH: usize = 8;
/// How long a code handed out at the office stays valid.
pub const CODE_VALID_HOURS: i64 = 72;

/// A one-time code as typed back by its resident.
pub fn normalize_code(input: &str) -> Option<String> {
    crate::code::normalize(input, CODE_LENGTH)
}

/// Birth years are Solar Hijri, as on the national card (e.g. ۱۳۷۰).
pub const BIRTH_YEAR_MIN: i32 = 1280;
pub const BIRTH_YEAR_MAX: i32 = 1420;

pub fn parse_birth_year(input: &str) -> Option<i32> {
    digits::to_latin(input.trim())
        .parse()
        .ok()
        .filter(|y| (BIRTH_YEAR_MIN..=BIRTH_YEAR_MAX).contains(y))
}

/// One person on a census roll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CensusRow {
    pub national_code: NationalCode,
    pub birth_year: i32,
    pub neighborhood_id: i32,
}

/// Largest census file accepted in one upload.
pub const CENSUS_MAX_ROWS: usize = 200_000;

/// How many bad lines of a refused census file are named: enough to fix a
/// file in one go, few enough to read.
pub const CENSUS_ERRORS_SHOWN: usize = 20;

/// Why a census file was refused: its bad lines in file order, at most
/// [`CENSUS_ERRORS_SHOWN`] (`more` when it has others), or one error about
/// the upload as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CensusRefusal {
    pub errors: Vec<ApiError>,
    pub more: bool,
}

impl From<ApiError> for CensusRefusal {
    fn from(err: ApiError) -> Self {
        CensusRefusal {
            errors: vec![err],
            more: false,
        }
    }
}

impl CensusRefusal {
    /// Notes one more bad line; false once the refusal names as many as it shows.
    #[cfg(feature = "ssr")]
    fn add(&mut self, err: ApiError) -> bool {
        if self.errors.len() == CENSUS_ERRORS_SHOWN {
            self.more = true;
            return false;
        }
        self.errors.push(err);
        true
    }

    /// One translated sentence per problem, then one saying there are more.
    pub fn messages(&self, lang: Lang) -> Vec<String> {
        let more = self.more.then(|| lang.text(Msg::CensusMoreErrors).to_owned());
        self.errors.iter().map(|err| err.message(lang)).chain(more).collect()
    }
}

/// Parses a census CSV (`national_code,birth_year,neighborhood`, comma,
/// semicolon or tab separated as its first line shows, an optional header line,
/// quoted fields, a UTF-8 BOM and CRLF line ends allowed). `neighborhood`
/// resolves a neighborhood's name or id within the office's district. A file
/// with any bad line is refused whole, naming its bad lines, so nothing is ever
/// half-imported.
#[cfg(feature = "ssr")]
pub fn parse_census(text: &str, neighborhood: impl Fn(&str) -> Option<i32>) -> Result<Vec<CensusRow>, CensusRefusal> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(census_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut refusal = CensusRefusal::default();
    let mut seen = std::collections::HashSet::new();
    let mut first = true;
    let mut record = csv::StringRecord::new();
    loop {
        // The reader's position is where the previous record ended, before the
        // line ends and blank lines it skipped (its own line count slips on CRLF):
        // the record starts at the first byte after them.
        let line_of = |position: Option<&csv::Position>| {
            position.map_or(u32::MAX, |p| {
                let from = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(text.len());
                let skipped = text.as_bytes()[from..]
                    .iter()
                    .take_while(|&&b| b == b'\r' || b == b'\n')
                    .count();
                let start = from + skipped;
                let lines = text.as_bytes()[..start].iter().filter(|&&b| b == b'\n').count() + 1;
                u32::try_from(lines).unwrap_or(u32::MAX)
            })
        };
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                // Past a broken quote the reader cannot tell where lines start.
                refusal.add(ApiError::CensusLine {
                    line: line_of(err.position()),
                    problem: CensusProblem::Columns,
                });
                break;
            }
        }
        let position = record.position().cloned();
        let bad = |problem| ApiError::CensusLine {
            line: line_of(position.as_ref()),
            problem,
        };
        let fields: Vec<&str> = record.iter().map(|f| f.trim().trim_matches('"').trim()).collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if std::mem::take(&mut first)
            && NationalCode::parse(fields[0]).is_err()
            && parse_birth_year(fields.get(1).unwrap_or(&"")).is_none()
        {
            continue;
        }
        let row = census_row(&fields, &neighborhood, &mut seen).map_err(bad);
        if rows.len() + refusal.errors.len() == CENSUS_MAX_ROWS {
            refusal.add(bad(CensusProblem::Columns));
            break;
        }
        match row {
            Ok(row) => rows.push(row),
            Err(err) => {
                if !refusal.add(err) {
                    break;
                }
            }
        }
    }
    if !refusal.errors.is_empty() {
        return Err(refusal);
    }
    if rows.is_empty() {
        return Err(ApiError::CensusEmpty.into());
    }
    Ok(rows)
}

/// One line's fields as a census row; `seen` holds the national codes of the
/// lines before it.
#[cfg(feature = "ssr")]
fn census_row(
    fields: &[&str],
    neighborhood: impl Fn(&str) -> Option<i32>,
    seen: &mut std::collections::HashSet<String>,
) -> Result<CensusRow, CensusProblem> {
    let [code, year, place] = fields[..] else {
        return Err(CensusProblem::Columns);
    };
    let national_code = NationalCode::parse(code).map_err(|_| CensusProblem::NationalCode)?;
    let birth_year = parse_birth_year(year).ok_or(CensusProblem::BirthYear)?;
    let neighborhood_id = neighborhood(place).ok_or(CensusProblem::Neighborhood)?;
    if !seen.insert(national_code.as_str().to_owned()) {
        return Err(CensusProblem::Duplicate);
    }
    Ok(CensusRow {
        national_code,
        birth_year,
        neighborhood_id,
    })
}

/// The separator of a census file: whichever of comma, semicolon and tab its
/// first non-blank line has most of outside quotes (a comma when none).
#[cfg(feature = "ssr")]
fn census_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            _ => {
                if let Some(count) = counts.iter_mut().find(|(d, _)| *d == b) {
                    count.1 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    fn tajrish(name: &str) -> Option<i32> {
        match name {
            "تجریش" | "Tajrish" | "7" => Some(7),
            "Tajrish, North" => Some(8),
            _ => None,
        }
    }

    #[cfg(feature = "ssr")]
    fn line_of(text: &str) -> Option<(u32, CensusProblem)> {
        match parse_census(text, tajrish).map_err(|r| r.errors.first().copied()) {
            Err(Some(ApiError::CensusLine { line, problem })) => Some((line, problem)),
            _ => None,
        }
    }

    #[test]
    fn one_time_codes_have_eight_characters() {
        assert_eq!(normalize_code("۲۳۴۵-۶۷۸۹").as_deref(), Some("23456789"));
        assert_eq!(normalize_code("ABCDEFG"), None);
    }

    #[test]
    fn birth_years_are_solar_hijri() {
        assert_eq!(parse_birth_year("۱۳۷۰"), Some(1370));
        assert_eq!(parse_birth_year("1991"), None);
        assert_eq!(parse_birth_year("abc"), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_census_file_with_a_header_and_persian_digits_parses() {
        let text = "national_code,birth_year,neighborhood\n0499370899,1370,تجریش\n\n۰۰۱۳۵۴۲۴۱۹,۱۳۶۵,Tajrish\n";
        let rows = parse_census(text, tajrish).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].national_code.as_str(), "0013542419");
        assert_eq!(rows[1].birth_year, 1365);
        assert_eq!(rows[0].neighborhood_id, 7);
        let semicolons = parse_census(
            "national_code;birth_year;neighborhood\n۰۰۱۳۵۴۲۴۱۹;۱۳۶۵;Tajrish\n",
            tajrish,
        );
        assert_eq!(semicolons.expect("semicolons").len(), 1);
        let tabs = parse_census("0499370899\t1370\tTajrish\n0013542419\t1365\t7", tajrish);
        assert_eq!(tabs.expect("tabs").len(), 2);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn quoted_fields_may_hold_the_separator() {
        let text = "\"national_code\",\"birth_year\",\"neighborhood\"\n\"0499370899\",\"1370\",\"Tajrish, North\"\n0013542419,1365,\"تجریش\"\n";
        let rows = parse_census(text, tajrish).expect("quoted");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].national_code.as_str(), "0499370899");
        assert_eq!(rows[0].neighborhood_id, 8);
        assert_eq!(rows[1].neighborhood_id, 7);
        // Unquoted, the comma splits the name and the line has four columns.
        assert_eq!(
            line_of("0499370899,1370,Tajrish, North"),
            Some((1, CensusProblem::Columns))
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_bom_and_crlf_line_ends_are_read() {
        let text =
            "\u{feff}national_code,birth_year,neighborhood\r\n0499370899,1370,تجریش\r\n0013542419,1365,Tajrish\r\n";
        let rows = parse_census(text, tajrish).expect("bom and crlf");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].neighborhood_id, 7);
        let no_header = parse_census("\u{feff}0499370899,1370,7\r\n", tajrish).expect("bom before data");
        assert_eq!(no_header[0].national_code.as_str(), "0499370899");
        assert_eq!(
            line_of("\u{feff}national_code,birth_year,neighborhood\r\n0499370899,1370,7\r\n\r\n0013542419,90,7\r\n"),
            Some((4, CensusProblem::BirthYear))
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn errors_name_the_line_after_blank_and_quoted_lines() {
        assert_eq!(
            line_of(
                "national_code,birth_year,neighborhood\n\n   \n\"0499370899\",\"1370\",\"Tajrish, North\"\n0013542419,1365,ونک\n"
            ),
            Some((5, CensusProblem::Neighborhood))
        );
        // A quoted field running over two lines is one record, named by its first line.
        assert_eq!(
            line_of("0499370899,1370,7\n0013542419,1365,\"Taj\nrish\"\n"),
            Some((2, CensusProblem::Neighborhood))
        );
        assert_eq!(
            line_of("0499370899,1370,7\n\"0013542419"),
            Some((2, CensusProblem::Columns))
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_first_bad_line_is_named() {
        let line = line_of;
        assert_eq!(
            line("0499370899,1370,تجریش\n0499370898,1370,تجریش"),
            Some((2, CensusProblem::NationalCode))
        );
        assert_eq!(
            line("0499370899,1370,تجریش\n0013542419,90,تجریش"),
            Some((2, CensusProblem::BirthYear))
        );
        assert_eq!(line("0499370899,1370,ونک"), Some((1, CensusProblem::Neighborhood)));
        assert_eq!(line("0499370899,1370"), Some((1, CensusProblem::Columns)));
        assert_eq!(
            line("0499370899,1370,7\n0499370899,1371,7"),
            Some((2, CensusProblem::Duplicate))
        );
        assert_eq!(
            parse_census("national_code,birth_year,neighborhood\n", tajrish),
            Err(ApiError::CensusEmpty.into())
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn every_bad_line_is_named_up_to_a_limit() {
        let refusal = parse_census(
            "0499370899,1370,تجریش\n0499370898,1370,7\n0013542419,1365,7\n0013542419,1365,ونک\n0499370899,1\n",
            tajrish,
        )
        .expect_err("bad lines");
        let lines: Vec<_> = refusal
            .errors
            .iter()
            .map(|e| match e {
                ApiError::CensusLine { line, problem } => (*line, *problem),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            lines,
            [
                (2, CensusProblem::NationalCode),
                (4, CensusProblem::Neighborhood),
                (5, CensusProblem::Columns)
            ]
        );
        assert!(!refusal.more);

        let many: String = (0..30).map(|_| "0499370898,1370,7\n").collect();
        let refusal = parse_census(&many, tajrish).expect_err("all bad");
        assert_eq!((refusal.errors.len(), refusal.more), (CENSUS_ERRORS_SHOWN, true));
        assert_eq!(
            refusal.messages(Lang::En).last().map(String::as_str),
            Some(Lang::En.text(Msg::CensusMoreErrors))
        );
    }
}
