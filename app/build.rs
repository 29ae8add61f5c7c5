//! Turns `locales/*.ftl` into a typed `Msg` enum so that a missing or misspelt
//! translation key is a compile error, not a blank on a resident's screen.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const LANGS: [&str; 2] = ["fa", "en"];

/// The islands (the only code the browser runs) and the files whose helpers they
/// call for their texts. The messages these files name, and the error messages
/// of the errors they name, go into the browser's bundle; the rest are the
/// server's alone, which keeps every page's code under its budget.
const BROWSER_SOURCES: [&str; 6] = [
    "src/voting/page.rs",
    "src/voting/ballot.rs",
    "src/shell/home.rs",
    "src/results/recount.rs",
    "src/rounds/mod.rs",
    "src/rounds/proposal_rules.rs",
];

/// The `Msg` variants the browser's code may show.
fn browser_messages() -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for path in BROWSER_SOURCES {
        println!("cargo::rerun-if-changed={path}");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        for (prefix, add) in [("Msg::", ""), ("ApiError::", "Error")] {
            for rest in text.split(prefix).skip(1) {
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                if !name.is_empty() {
                    names.insert(format!("{add}{name}"));
                }
            }
        }
    }
    names
}

fn parse(lang: &str) -> BTreeMap<String, String> {
    let path = Path::new("locales").join(format!("{lang}.ftl"));
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut messages = BTreeMap::new();
    let mut last: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let at = || format!("{}:{}", path.display(), n + 1);
        if line.is_empty() || line.starts_with('#') {
            last = None;
            continue;
        }
        // An indented line goes on with the message above it, as in Fluent; the
        // build keeps one line per variant of a selector, joined by newlines.
        if raw.starts_with(char::is_whitespace) {
            let Some(key) = &last else {
                panic!("{}: an indented line must go on with a message", at());
            };
            let value: &mut String = messages.get_mut(key).expect("the message above was stored");
            value.push('\n');
            value.push_str(line);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            panic!("{}: expected `key = text`", at());
        };
        let key = key.trim();
        assert!(
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: keys are lowercase-kebab-case",
            at()
        );
        if messages.insert(key.to_owned(), value.trim().to_owned()).is_some() {
            panic!("{}: duplicate key {key}", at());
        }
        last = Some(key.to_owned());
    }
    for (key, value) in &messages {
        if let Err(why) = check_selectors(value) {
            panic!("{}: message {key}: {why}", path.display());
        }
    }
    messages
}

/// Selectors are `{ $name ->`, then one `[key] text` line per variant with the
/// last one the default `*[other] text`, then a line starting with `}`; keys are
/// plural categories (`zero`, `one`, `two`, `few`, `many`) or whole numbers.
fn check_selectors(value: &str) -> Result<(), String> {
    let mut in_selector = false;
    let mut has_default = false;
    for line in value.lines() {
        if in_selector && line.starts_with('}') {
            if !has_default {
                return Err("a selector needs a last `*[other]` variant".into());
            }
            in_selector = false;
        } else if in_selector {
            if has_default {
                return Err("the default `*[other]` variant comes last".into());
            }
            let (default, rest) = match line.strip_prefix('*') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let Some((key, text)) = rest.strip_prefix('[').and_then(|r| r.split_once("] ")) else {
                return Err(format!("`{line}` is not `[key] text`"));
            };
            let known = matches!(key, "zero" | "one" | "two" | "few" | "many")
                || (default && key == "other")
                || (!key.is_empty() && key.chars().all(|c| c.is_ascii_digit()));
            if !known || text.trim().is_empty() {
                return Err(format!("`{line}` has an unknown key or no text"));
            }
            has_default = default;
            continue;
        }
        if line.ends_with(" ->") {
            if !line.contains("{ $") {
                return Err(format!("`{line}` opens a selector without `{{ $name ->`"));
            }
            in_selector = true;
            has_default = false;
        }
    }
    if in_selector {
        return Err("a selector is not closed with `}`".into());
    }
    Ok(())
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
    let browser = browser_messages();
    for (lang, table) in LANGS.iter().zip(&tables) {
        let _ = write!(out, "\n    fn {lang}(self) -> &'static str {{\n        match self {{\n");
        for (key, value) in table {
            let name = variant(key);
            if !browser.contains(&name) {
                out.push_str("            #[cfg(not(feature = \"hydrate\"))]\n");
            }
            let _ = writeln!(out, "            Msg::{name} => {value:?},");
        }
        out.push_str("            #[cfg(feature = \"hydrate\")]\n            _ => \"\",\n");
        out.push_str("        }\n    }\n");
    }
    out.push_str("}\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("messages.rs");
    std::fs::write(dest, out).expect("cannot write messages.rs");
}
