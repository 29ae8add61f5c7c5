//! Codes that people copy by hand: the one-time verification codes handed out
//! at the office and the receipts of ballots.

use crate::digits;

/// Letters and digits nobody misreads when copying from paper: no 0/O, 1/I/L.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Codes are shown in groups of this many characters.
const GROUP: usize = 4;

/// A fresh random code of `len` characters from [`ALPHABET`].
#[cfg(feature = "ssr")]
pub fn random(len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// A code as shown to people, in groups: `ABCD-EFGH`.
pub fn display(code: &str) -> String {
    code.as_bytes()
        .chunks(GROUP)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code of `len` characters as typed back: any case, any digits, with or
/// without dashes or spaces.
pub fn normalize(input: &str, len: usize) -> Option<String> {
    let code: String = digits::to_latin(input)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == len && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_show_in_groups_of_four() {
        assert_eq!(display("ABCDEFGH"), "ABCD-EFGH");
        assert_eq!(display("ABCDEFGHJK"), "ABCD-EFGH-JK");
    }

    #[test]
    fn codes_are_read_back_however_they_are_typed() {
        assert_eq!(normalize(" abcd-efgh ", 8).as_deref(), Some("ABCDEFGH"));
        assert_eq!(normalize("ABCD EFG۲", 8).as_deref(), Some("ABCDEFG2"));
        assert_eq!(normalize("ABCDEFG", 8), None, "too short");
        assert_eq!(normalize("ABCDEFG0", 8), None, "0 is not in the alphabet");
    }
}
