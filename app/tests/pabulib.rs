//! Every real election in the shared Pabulib set: the parser reads it, the writer gives it back
//! unchanged, and each rule finds the winners the reference implementation found.

use app::tally::{Rule, TieBreak, pabulib, tally};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/pabulib")
}

fn read(name: &str) -> pabulib::PbFile {
    let text = std::fs::read_to_string(data_dir().join(name)).expect("readable file");
    pabulib::parse(&text).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn pb_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data_dir())
        .expect("the shared Pabulib directory")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".pb"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_file_round_trips_through_the_writer() {
    for name in pb_files() {
        let file = read(&name);
        let again = pabulib::parse(&pabulib::write(&file)).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert!(again == file, "{name} changed in the round trip");
    }
}

#[test]
fn winners_match_the_reference() {
    let expected = std::fs::read_to_string(data_dir().join("expected.jsonl")).expect("expected.jsonl");
    let mut checked = 0;
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let entry: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let name = entry["file"].as_str().expect("file");
        let rule: Rule = entry["rule"].as_str().expect("rule").parse().expect("known rule");
        let want: BTreeSet<&str> = entry["winners"]
            .as_array()
            .expect("winners")
            .iter()
            .map(|w| w.as_str().expect("project id"))
            .collect();
        let file = read(name);
        let outcome = tally(&file.round, rule, TieBreak::Lexico).expect("tally");
        let got: BTreeSet<&str> = outcome.winner_ids().collect();
        assert_eq!(got, want, "{name} {rule}");
        checked += 1;
    }
    assert_eq!(checked, 42);
}

#[test]
fn equalshares_add1_reproduces_the_official_winners() {
    for name in [
        "Poland_Wieliczka_2023_Green_Budget.pb",
        "Poland_Swiecie_2023.pb",
        "Netherlands_Assen_2024.pb",
    ] {
        let file = read(name);
        let ids: Vec<&str> = file.project_column("project_id").expect("ids").collect();
        let official: BTreeSet<&str> = ids
            .iter()
            .zip(file.project_column("selected").expect("selected column"))
            .filter(|(_, selected)| *selected == "1")
            .map(|(id, _)| *id)
            .collect();
        let outcome = tally(&file.round, Rule::EqualsharesAdd1, TieBreak::CostVotes).expect("tally");
        let got: BTreeSet<&str> = outcome.winner_ids().collect();
        assert_eq!(got, official, "{name}");
        if name.starts_with("Poland_Wieliczka") {
            assert_eq!((got.len(), outcome.budget_used), (30, 995_079));
        }
    }
}

const GOOD: &str = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n\
a;60;\"Park; \"\"green\"\"\"\nb;50;Library\nVOTES\nvoter_id;vote\n1;a,b\n2;b\n";

fn error_of(text: &str) -> pabulib::PabulibError {
    pabulib::parse(text).expect_err("malformed file")
}

#[test]
fn quoted_fields_and_empty_ballots_parse() {
    let file = pabulib::parse(&format!("{GOOD}3;\n")).expect("valid file");
    assert_eq!(file.project_rows[0][2], "Park; \"green\"");
    assert_eq!(file.round.ballots.len(), 3);
    assert_eq!(file.round.budget, 100);
}

#[test]
fn the_platforms_currency_unit_sets_the_add1_step() {
    let plain = pabulib::parse(GOOD).expect("valid file");
    assert_eq!(
        plain.round.currency_unit, 1,
        "one currency unit when the file says nothing"
    );
    let coarse = pabulib::parse(&GOOD.replace("budget;100\n", "budget;100\ncurrency_unit;10\n")).expect("valid file");
    assert_eq!(coarse.round.currency_unit, 10);
    let cents = pabulib::parse(&GOOD.replace("budget;100\n", "budget;100.25\ncurrency_unit;10\n")).expect("valid file");
    assert_eq!(
        cents.round.currency_unit, 1000,
        "ten units of the currency, counted in hundredths"
    );
    assert_eq!(
        error_of(&GOOD.replace("budget;100\n", "budget;100\ncurrency_unit;0\n")),
        pabulib::PabulibError::BadCurrencyUnit {
            line: 4,
            value: "0".into()
        }
    );
}

#[test]
fn malformed_files_are_refused_with_their_line() {
    use pabulib::PabulibError as E;
    let unknown = error_of(&format!("{GOOD}3;c\n"));
    assert_eq!(
        unknown,
        E::UnknownProject {
            line: 13,
            id: "c".into()
        }
    );
    assert_eq!(
        error_of(&GOOD.replace("b;50;", "b;fifty;")),
        E::BadAmount {
            line: 8,
            field: "cost",
            value: "fifty".into()
        }
    );
    assert_eq!(
        error_of(&GOOD.replace("2;b", "2;b;x")),
        E::FieldCount {
            line: 12,
            expected: 2,
            found: 3
        }
    );
    assert_eq!(
        error_of(&GOOD.replace("1;a,b", "1;a,a")),
        E::RepeatedChoice {
            line: 11,
            id: "a".into()
        }
    );
    assert_eq!(
        error_of(&GOOD.replace("b;50", "a;50")),
        E::DuplicateProject {
            line: 8,
            id: "a".into()
        }
    );
    assert_eq!(
        error_of("META\nkey;value\nbudget;\"100\n"),
        E::UnterminatedQuote { line: 3 }
    );
    assert_eq!(
        error_of(&GOOD.replace("PROJECTS", "PROJEKTE")),
        E::FieldCount {
            line: 5,
            expected: 2,
            found: 1
        }
    );
    assert_eq!(
        error_of(&GOOD.replace("budget;100\n", "")),
        E::MissingMeta { key: "budget" }
    );
    assert_eq!(
        error_of(&GOOD.replace("VOTES\nvoter_id;vote\n1;a,b\n2;b\n", "")),
        E::MissingSection { expected: "VOTES" }
    );
    let cumulative = GOOD
        .replace("approval", "cumulative")
        .replace("voter_id;vote", "voter_id;vote;points")
        .replace("1;a,b", "1;a,b;2,1")
        .replace("2;b\n", "2;b;1,1\n");
    assert_eq!(
        error_of(&cumulative),
        E::PointsMismatch {
            line: 12,
            choices: 1,
            points: 2
        }
    );
}
