//! The Iranian national code (کد ملی): ten digits, the last a check digit.

use crate::digits;
use crate::error::ApiError;
use serde::{Deserialize, Serialize};

/// A national code whose check digit is right. It exists only in memory: the
/// database keeps a keyed hash of it, never the digits.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalCode(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NationalCodeError {
    #[error("a national code has ten digits")]
    Length,
    #[error("the check digit of the national code is wrong")]
    CheckDigit,
}

impl NationalCode {
    /// Accepts Persian, Arabic-Indic or Latin digits and ignores spaces and dashes,
    /// as people write them from the card (`۰۰۱-۲۳۴۵۶۷-۸`).
    pub fn parse(input: &str) -> Result<NationalCode, NationalCodeError> {
        let code: String = digits::to_latin(input)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
        if digits.len() != 10 || code.len() != 10 {
            return Err(NationalCodeError::Length);
        }
        // Codes of one repeated digit pass the checksum but are never issued.
        if digits.iter().all(|&d| d == digits[0]) {
            return Err(NationalCodeError::CheckDigit);
        }
        let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
        let remainder = sum % 11;
        let expected = if remainder < 2 { remainder } else { 11 - remainder };
        if digits[9] != expected {
            return Err(NationalCodeError::CheckDigit);
        }
        Ok(NationalCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never printed in full, so that it cannot end up in a log.
impl std::fmt::Debug for NationalCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NationalCode(…)")
    }
}

impl From<NationalCodeError> for ApiError {
    fn from(err: NationalCodeError) -> Self {
        match err {
            NationalCodeError::Length => ApiError::NationalCodeLength,
            NationalCodeError::CheckDigit => ApiError::NationalCodeCheckDigit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The check digit of nine digits, computed independently of `parse`.
    fn with_check_digit(nine: &str) -> String {
        let sum: u32 = nine
            .chars()
            .enumerate()
            .map(|(i, c)| c.to_digit(10).unwrap_or(0) * (10 - i as u32))
            .sum();
        let r = sum % 11;
        format!("{nine}{}", if r < 2 { r } else { 11 - r })
    }

    #[test]
    fn valid_codes_are_accepted_in_any_digits() {
        assert!(NationalCode::parse("0499370899").is_ok());
        assert_eq!(
            NationalCode::parse("۰۴۹۹۳۷۰۸۹۹").map(|c| c.0),
            Ok("0499370899".to_owned())
        );
        assert_eq!(
            NationalCode::parse("٠٤٩٩٣٧٠٨٩٩").map(|c| c.0),
            Ok("0499370899".to_owned())
        );
        assert_eq!(
            NationalCode::parse(" 049-937089-9 ").map(|c| c.0),
            Ok("0499370899".to_owned())
        );
    }

    #[test]
    fn wrong_check_digit_length_or_letters_are_refused() {
        assert_eq!(NationalCode::parse("0499370898"), Err(NationalCodeError::CheckDigit));
        assert_eq!(NationalCode::parse("049937089"), Err(NationalCodeError::Length));
        assert_eq!(NationalCode::parse("04993708990"), Err(NationalCodeError::Length));
        assert_eq!(NationalCode::parse("04993708a9"), Err(NationalCodeError::Length));
        assert_eq!(NationalCode::parse(""), Err(NationalCodeError::Length));
        assert_eq!(NationalCode::parse("1111111111"), Err(NationalCodeError::CheckDigit));
    }

    #[test]
    fn debug_output_hides_the_digits() {
        let code = NationalCode::parse("0499370899").expect("valid");
        assert!(!format!("{code:?}").contains("0499"));
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit_fits(nine in "[0-9]{9}") {
            let valid = with_check_digit(&nine);
            prop_assume!(!valid.chars().all(|c| valid.starts_with(c)));
            prop_assert!(NationalCode::parse(&valid).is_ok());
            let accepted = (0..10)
                .filter(|d| NationalCode::parse(&format!("{nine}{d}")).is_ok())
                .count();
            prop_assert_eq!(accepted, 1);
        }
    }
}
