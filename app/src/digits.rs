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

/// `s` with its Latin digits written in `lang`'s digits (phone numbers, times).
pub fn in_lang(lang: crate::i18n::Lang, s: &str) -> String {
    match lang {
        crate::i18n::Lang::En => s.to_owned(),
        crate::i18n::Lang::Fa => s
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                other => other,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::{in_lang, to_latin};
    use crate::i18n::Lang;

    #[test]
    fn latin_digits_are_written_in_the_pages_language() {
        assert_eq!(in_lang(Lang::Fa, "09121234567"), "۰۹۱۲۱۲۳۴۵۶۷");
        assert_eq!(in_lang(Lang::En, "09121234567"), "09121234567");
        assert_eq!(to_latin(&in_lang(Lang::Fa, "13:05")), "13:05");
    }

    #[test]
    fn persian_and_arabic_digits_become_latin() {
        assert_eq!(to_latin("۰۹۱۲٣٤٥abc"), "0912345abc");
        assert_eq!(to_latin("no digits"), "no digits");
    }
}
