//! Languages and their texts. Persian is the default; every user-visible string
//! is a [`Msg`] whose texts live in `locales/*.ftl`.

use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

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

    /// A message with its `{ $name }` placeholders filled in.
    pub fn format(self, msg: Msg, args: &[(&str, &str)]) -> String {
        args.iter().fold(self.text(msg).to_owned(), |text, (name, value)| {
            text.replace(&format!("{{ ${name} }}"), value)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_translated_and_has_the_same_placeholders() {
        for &msg in Msg::ALL {
            let placeholders = |lang: Lang| {
                let mut found: Vec<String> = lang
                    .text(msg)
                    .split("{ $")
                    .skip(1)
                    .filter_map(|rest| rest.split_once(" }").map(|(name, _)| name.to_owned()))
                    .collect();
                found.sort();
                found
            };
            assert!(!Lang::Fa.text(msg).is_empty(), "{} has no Persian text", msg.key());
            assert!(!Lang::En.text(msg).is_empty(), "{} has no English text", msg.key());
            assert_eq!(placeholders(Lang::Fa), placeholders(Lang::En), "{}", msg.key());
        }
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
