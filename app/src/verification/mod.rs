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
use crate::error::{ApiError, CensusProblem};
use crate::verification::national_code::NationalCode;

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

/// Parses a census CSV (`national_code,birth_year,neighborhood`, comma or
/// semicolon separated, an optional header line). `neighborhood` resolves a
/// neighborhood's name or id within the office's district. The whole file is
/// refused at its first bad line, so nothing is ever half-imported.
pub fn parse_census(text: &str, neighborhood: impl Fn(&str) -> Option<i32>) -> Result<Vec<CensusRow>, ApiError> {
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let bad = |problem| ApiError::CensusLine { line, problem };
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw
            .split([',', ';', '\t'])
            .map(|f| f.trim().trim_matches('"').trim())
            .collect();
        if index == 0
            && NationalCode::parse(fields[0]).is_err()
            && parse_birth_year(fields.get(1).unwrap_or(&"")).is_none()
        {
            continue;
        }
        let [code, year, place] = fields[..] else {
            return Err(bad(CensusProblem::Columns));
        };
        let national_code = NationalCode::parse(code).map_err(|_| bad(CensusProblem::NationalCode))?;
        let birth_year = parse_birth_year(year).ok_or(bad(CensusProblem::BirthYear))?;
        let neighborhood_id = neighborhood(place).ok_or(bad(CensusProblem::Neighborhood))?;
        if !seen.insert(national_code.as_str().to_owned()) {
            return Err(bad(CensusProblem::Duplicate));
        }
        if rows.len() == CENSUS_MAX_ROWS {
            return Err(bad(CensusProblem::Columns));
        }
        rows.push(CensusRow {
            national_code,
            birth_year,
            neighborhood_id,
        });
    }
    if rows.is_empty() {
        return Err(ApiError::CensusEmpty);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tajrish(name: &str) -> Option<i32> {
        matches!(name, "تجریش" | "Tajrish" | "7").then_some(7)
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

    #[test]
    fn a_census_file_with_a_header_and_persian_digits_parses() {
        let text = "national_code,birth_year,neighborhood\n0499370899,1370,تجریش\n\n۰۰۱۳۵۴۲۴۱۹;۱۳۶۵;Tajrish\n";
        let rows = parse_census(text, tajrish).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].national_code.as_str(), "0013542419");
        assert_eq!(rows[1].birth_year, 1365);
        assert_eq!(rows[0].neighborhood_id, 7);
    }

    #[test]
    fn the_first_bad_line_is_named() {
        let line = |text: &str| match parse_census(text, tajrish) {
            Err(ApiError::CensusLine { line, problem }) => Some((line, problem)),
            _ => None,
        };
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
            Err(ApiError::CensusEmpty)
        );
    }
}
