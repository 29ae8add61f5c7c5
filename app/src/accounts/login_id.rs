//! What a person signs in with: an Iranian mobile number or an email address,
//! normalised so that one person cannot register twice by typing it differently.

use crate::digits;
use crate::error::ApiError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginId(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a mobile number (09xxxxxxxxx) or an email address")]
pub struct LoginIdError;

/// Longest email address a mail server accepts.
const MAX_EMAIL: usize = 254;

impl LoginId {
    /// Mobile numbers become `09xxxxxxxxx` from `+98 912 …`, `0098…`, `912…` or
    /// Persian digits; email addresses are lower-cased.
    pub fn parse(input: &str) -> Result<LoginId, LoginIdError> {
        let input = input.trim();
        if input.contains('@') {
            return Self::email(input);
        }
        let compact: String = digits::to_latin(input)
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')'))
            .collect();
        let national = compact
            .strip_prefix("+98")
            .or_else(|| compact.strip_prefix("0098"))
            .or_else(|| compact.strip_prefix('0'))
            .unwrap_or(&compact);
        if national.len() == 10 && national.starts_with('9') && national.chars().all(|c| c.is_ascii_digit()) {
            Ok(LoginId(format!("0{national}")))
        } else {
            Err(LoginIdError)
        }
    }

    fn email(input: &str) -> Result<LoginId, LoginIdError> {
        let email = input.to_lowercase();
        let (local, domain) = email.split_once('@').ok_or(LoginIdError)?;
        let valid = email.len() <= MAX_EMAIL
            && !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        valid.then_some(LoginId(email)).ok_or(LoginIdError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stored login as a page in `lang` shows it: a mobile number in the page's
/// digits, an email address as typed.
pub fn shown(lang: crate::i18n::Lang, login: &str) -> String {
    if login.contains('@') {
        login.to_owned()
    } else {
        crate::format::digits(lang, login)
    }
}

/// Passwords: long enough to resist guessing, short enough that hashing one is
/// bounded work.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

pub fn password_acceptable(password: &str) -> bool {
    (PASSWORD_MIN..=PASSWORD_MAX).contains(&password.chars().count())
}

impl From<LoginIdError> for ApiError {
    fn from(_: LoginIdError) -> Self {
        ApiError::LoginInvalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalised() {
        for input in [
            "09121234567",
            "+989121234567",
            "00989121234567",
            "9121234567",
            "۰۹۱۲۱۲۳۴۵۶۷",
            "0912 123 4567",
        ] {
            assert_eq!(
                LoginId::parse(input).map(|l| l.0),
                Ok("09121234567".to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            LoginId::parse(" Sara@Example.IR ").map(|l| l.0),
            Ok("sara@example.ir".to_owned())
        );
        for bad in ["sara@", "@example.ir", "sara@example", "sa ra@example.ir", "a@b@c.ir"] {
            assert_eq!(LoginId::parse(bad), Err(LoginIdError), "{bad}");
        }
    }

    #[test]
    fn other_numbers_are_refused() {
        for bad in ["02112345678", "0912123456", "091212345678", "", "hello"] {
            assert_eq!(LoginId::parse(bad), Err(LoginIdError), "{bad}");
        }
    }

    #[test]
    fn password_length_is_bounded() {
        assert!(!password_acceptable("short"));
        assert!(password_acceptable("long enough"));
        assert!(!password_acceptable(&"x".repeat(PASSWORD_MAX + 1)));
    }
}
