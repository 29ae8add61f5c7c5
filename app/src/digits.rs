//! Residents type digits in whatever their keyboard gives: Persian (۰–۹),
//! Arabic-Indic (٠–٩) or Latin. Everything is compared in Latin digits.

/// `s` with every Persian and Arabic-Indic digit replaced by its Latin digit.
pub fn to_latin(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            other => other,
        })
        .collect()
}

/// `s` with its Latin digits written as Persian digits.
pub fn to_persian(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{to_latin, to_persian};

    #[test]
    fn latin_digits_become_persian_and_back() {
        assert_eq!(to_persian("09121234567"), "۰۹۱۲۱۲۳۴۵۶۷");
        assert_eq!(to_latin(&to_persian("13:05")), "13:05");
    }

    #[test]
    fn persian_and_arabic_digits_become_latin() {
        assert_eq!(to_latin("۰۹۱۲٣٤٥abc"), "0912345abc");
        assert_eq!(to_latin("no digits"), "no digits");
    }
}
