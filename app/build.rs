//! Turns `locales/*.ftl` into a typed `Msg` enum so that a missing or misspelt
//! translation key is a compile error, not a blank on a resident's screen.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const LANGS: [&str; 2] = ["fa", "en"];

fn parse(lang: &str) -> BTreeMap<String, String> {
    let path = Path::new("locales").join(format!("{lang}.ftl"));
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut messages = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            panic!("{}:{}: expected `key = text`", path.display(), n + 1);
        };
        let key = key.trim();
        assert!(
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}:{}: keys are lowercase-kebab-case",
            path.display(),
            n + 1
        );
        if messages.insert(key.to_owned(), value.trim().to_owned()).is_some() {
            panic!("{}:{}: duplicate key {key}", path.display(), n + 1);
        }
    }
    messages
}

fn variant(key: &str) -> String {
    key.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn main() {
    let tables: Vec<_> = LANGS.iter().map(|l| parse(l)).collect();
    let keys: Vec<&String> = tables[0].keys().collect();
    for (lang, table) in LANGS.iter().zip(&tables) {
        let theirs: Vec<&String> = table.keys().collect();
        assert_eq!(
            keys, theirs,
            "locales/{lang}.ftl must have exactly the keys of locales/fa.ftl"
        );
    }
    let mut out = String::from(
        "/// A user-visible message; its texts live in `locales/*.ftl`.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\npub enum Msg {\n",
    );
    for key in &keys {
        let _ = writeln!(out, "    {},", variant(key));
    }
    out.push_str("}\n\nimpl Msg {\n    pub const ALL: &'static [Msg] = &[\n");
    for key in &keys {
        let _ = writeln!(out, "        Msg::{},", variant(key));
    }
    out.push_str("    ];\n\n    pub fn key(self) -> &'static str {\n        match self {\n");
    for key in &keys {
        let _ = writeln!(out, "            Msg::{} => {:?},", variant(key), key);
    }
    out.push_str("        }\n    }\n");
    for (lang, table) in LANGS.iter().zip(&tables) {
        let _ = write!(out, "\n    fn {lang}(self) -> &'static str {{\n        match self {{\n");
        for (key, value) in table {
            let _ = writeln!(out, "            Msg::{} => {:?},", variant(key), value);
        }
        out.push_str("        }\n    }\n");
    }
    out.push_str("}\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("messages.rs");
    std::fs::write(dest, out).expect("cannot write messages.rs");
}
