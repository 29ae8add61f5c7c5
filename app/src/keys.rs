//! Keyed hashes (HMAC-SHA256 with the server secret). National codes and
//! one-time codes are stored only this way: the database alone cannot reveal
//! who someone is, and each purpose has its own label so hashes never mix.

use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Clone)]
pub struct Keys {
    secret: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(…)")
    }
}

/// What a keyed hash is for; part of the hashed input.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    NationalCode,
    VerificationCode,
    /// A one-time password reset code handed out at the office.
    PasswordReset,
    /// The pseudonym a ballot is filed under: one per person and round.
    Voter,
    /// The account that cast a ballot, per round: only it sees the ballot.
    Caster,
}

impl Keys {
    pub fn new(secret: [u8; 32]) -> Keys {
        Keys { secret }
    }

    /// 64 lowercase hex digits.
    pub fn hash(&self, purpose: Purpose, value: &str) -> String {
        let label: &[u8] = match purpose {
            Purpose::NationalCode => b"national-code\0",
            Purpose::VerificationCode => b"verification-code\0",
            Purpose::PasswordReset => b"password-reset\0",
            Purpose::Voter => b"voter\0",
            Purpose::Caster => b"caster\0",
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.secret) else {
            unreachable!("HMAC accepts keys of any length")
        };
        mac.update(label);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_depend_on_secret_purpose_and_value() {
        let a = Keys::new([1; 32]);
        let b = Keys::new([2; 32]);
        let h = a.hash(Purpose::NationalCode, "0499370899");
        assert_eq!(h.len(), 64);
        assert_eq!(h, a.hash(Purpose::NationalCode, "0499370899"));
        assert_ne!(h, b.hash(Purpose::NationalCode, "0499370899"));
        assert_ne!(h, a.hash(Purpose::VerificationCode, "0499370899"));
        assert!(!h.contains("0499370899"));
    }
}
