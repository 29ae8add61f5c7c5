//! Languages and their texts. Persian is the default; every user-visible string
//! is a [`Msg`] whose texts live in `locales/*.ftl`.

use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

impl Msg {
    /// The message of a key as the translation files spell it.
    pub fn from_key(key: &str) -> Option<Msg> {
        Msg::ALL.iter().copied().find(|msg| msg.key() == key)
    }
}

/// Name of the cookie that keeps a visitor's language choice.
pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Fa,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fa, Lang::En];

    /// The BCP 47 tag, as used in `<html lang>` and in the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::En => "en",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            Lang::En => "ltr",
        }
    }

    /// The other language, offered by the language switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fa => Lang::En,
            Lang::En => Lang::Fa,
        }
    }

    /// Unknown or missing tags fall back to Persian.
    pub fn from_tag(tag: &str) -> Lang {
        match tag.trim() {
            t if t.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::Fa,
        }
    }

    /// The language chosen in a `Cookie` request header, Persian when none is.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .map_or(Lang::Fa, |(_, value)| Lang::from_tag(value))
    }

    pub fn text(self, msg: Msg) -> &'static str {
        match self {
            Lang::Fa => msg.fa(),
            Lang::En => msg.en(),
        }
    }

    /// A message with its selectors resolved and its `{ $name }` placeholders
    /// filled in. Numbers may come formatted, in either script.
    pub fn format(self, msg: Msg, args: &[(&str, &str)]) -> String {
        args.iter()
            .fold(self.resolve_selectors(self.text(msg), args), |text, (name, value)| {
                text.replace(&format!("{{ ${name} }}"), value)
            })
    }

    /// Replaces each `{ $name ->` … `}` selector (the build leaves one line per
    /// variant) by the variant the argument's number picks, in order as Fluent does:
    /// a whole number matches itself, a plural category its numbers.
    fn resolve_selectors(self, pattern: &str, args: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(pattern.len());
        let mut rest = pattern;
        while let Some(arrow) = rest.find(" ->\n") {
            let open = rest[..arrow].rfind("{ $").unwrap_or(arrow);
            out.push_str(&rest[..open]);
            let name = rest[..arrow].get(open + 3..).unwrap_or_default();
            let (variants, tail) = rest[arrow + 4..].split_once("\n}").unwrap_or((&rest[arrow + 4..], ""));
            let number = args
                .iter()
                .find(|(arg, _)| *arg == name)
                .and_then(|(_, value)| whole_number(value));
            out.push_str(self.variant(variants, number));
            rest = tail;
        }
        out.push_str(rest);
        out
    }

    fn variant(self, variants: &str, number: Option<u64>) -> &str {
        let mut default = "";
        for line in variants.lines() {
            let line = line.strip_prefix('*').unwrap_or(line);
            let Some((key, text)) = line.strip_prefix('[').and_then(|l| l.split_once("] ")) else {
                continue;
            };
            default = text;
            let matches = match key.parse::<u64>() {
                Ok(exact) => number == Some(exact),
                Err(_) => number.is_some_and(|n| self.plural_category(n) == key),
            };
            if matches {
                return text;
            }
        }
        default
    }

    /// CLDR's cardinal categories for whole numbers: English says "1 project" and
    /// "0 projects"; Persian "one" covers 0 and 1 (its nouns stay singular anyway).
    fn plural_category(self, n: u64) -> &'static str {
        match (self, n) {
            (Lang::En, 1) | (Lang::Fa, 0 | 1) => "one",
            _ => "other",
        }
    }
}

/// The whole number in `value`, written in any script with thousands separators.
fn whole_number(value: &str) -> Option<u64> {
    let digits: String = crate::digits::to_latin(value)
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | '\u{202f}'))
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names a message uses, in placeholders and selectors alike.
    fn names(text: &str) -> Vec<String> {
        let mut found: Vec<String> = text
            .split("{ $")
            .skip(1)
            .filter_map(|rest| rest.split_once(' ').map(|(name, _)| name.to_owned()))
            .collect();
        found.sort();
        found.dedup();
        found
    }

    #[test]
    fn every_message_is_translated_and_has_the_same_placeholders() {
        for &msg in Msg::ALL {
            assert!(!Lang::Fa.text(msg).is_empty(), "{} has no Persian text", msg.key());
            assert!(!Lang::En.text(msg).is_empty(), "{} has no English text", msg.key());
            assert_eq!(names(Lang::Fa.text(msg)), names(Lang::En.text(msg)), "{}", msg.key());
        }
    }

    #[test]
    fn english_counts_are_singular_for_one_and_plural_otherwise() {
        let picks = |n: &str| Lang::En.format(Msg::BallotPicksLeft, &[("count", n)]);
        assert_eq!(picks("1"), "You can choose 1 more project.");
        assert_eq!(picks("2"), "You can choose 2 more projects.");
        assert_eq!(picks("0"), "You can choose no more projects.");
        assert_eq!(
            Lang::En.format(Msg::ResultsPayers, &[("count", "1,001")]),
            "paid for by the shares of 1,001 voters"
        );
        assert_eq!(
            Lang::En.format(
                Msg::HomeSummary,
                &[("districts", "1"), ("neighborhoods", "12"), ("city", "Tehran")]
            ),
            "1 district and 12 neighborhoods in Tehran"
        );
        assert_eq!(
            Lang::Fa.format(Msg::BallotPicksLeft, &[("count", "۱")]),
            "می‌توانید ۱ طرح دیگر انتخاب کنید."
        );
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            Lang::En.format(Msg::DistrictCount, &[("count", "7")]),
            "7 neighborhoods"
        );
        assert_eq!(Lang::Fa.format(Msg::DistrictCount, &[("count", "۷")]), "۷ محله");
    }

    #[test]
    fn language_comes_from_the_cookie_and_defaults_to_persian() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=fa"), Lang::Fa);
        assert_eq!(Lang::from_cookie_header("lang=xx"), Lang::Fa);
        assert_eq!(Lang::from_cookie_header(""), Lang::Fa);
        assert_eq!(Lang::from_cookie_header("language=en"), Lang::Fa);
    }

    #[test]
    fn direction_follows_the_language() {
        assert_eq!(Lang::Fa.dir(), "rtl");
        assert_eq!(Lang::En.dir(), "ltr");
    }
}
