//! Every parser of outside input survives random input: none panics, what is
//! refused is refused with an error that says something, and what is accepted
//! reads back the same. The default run tries a few hundred inputs each; for a
//! million each: `PROPTEST_CASES=1000000 cargo test --release -p app --features ssr --test parsers`.

use app::accounts::login_id::LoginId;
use app::rounds::ProposalFilter;
use app::tally::pabulib;
use app::verification::national_code::NationalCode;
use app::voting::ballot::{Picks, encode};
use proptest::prelude::*;
use proptest::sample::Index;

/// A small, valid Pabulib file of each ballot kind the platform writes.
const APPROVAL: &str = "META\nkey;value\ndescription;\"a small; round\"\ncountry;Iran\nunit;Tajrish\n\
num_projects;3\nnum_votes;3\nbudget;1000\nvote_type;approval\nrule;greedy\n\
PROJECTS\nproject_id;cost;name\n1;600;Park\n2;300;Library\n3;200;\"Bench, blue\"\n\
VOTES\nvoter_id;vote\nAAAA;1,2\nBBBB;3\nCCCC;2,3,1\n";
const CUMULATIVE: &str = "META\nkey;value\nnum_projects;2\nnum_votes;2\nbudget;10.5\nvote_type;cumulative\n\
max_sum_points;5\nrule;greedy\nPROJECTS\nproject_id;cost\n10;4.5\n20;6\n\
VOTES\nvoter_id;vote;points\nX;10,20;3,2\nY;20;5\n";

/// `base` with a few random insertions, deletions, replacements or a cut.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec((any::<Index>(), 0u8..4, any::<char>()), 1..8).prop_map(move |edits| {
        let mut chars: Vec<char> = base.chars().collect();
        for (at, kind, c) in edits {
            if chars.is_empty() {
                chars.push(c);
                continue;
            }
            let i = at.index(chars.len());
            match kind {
                0 => chars.insert(i, c),
                1 => {
                    chars.remove(i);
                }
                2 => chars[i] = c,
                _ => chars.truncate(i),
            }
        }
        chars.into_iter().collect()
    })
}

/// Text made of the characters these formats are made of, and some others.
fn format_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just(';'),
            Just(','),
            Just(':'),
            Just('\n'),
            Just('\r'),
            Just('"'),
            Just(' '),
            Just('-'),
            Just('.'),
            prop::char::range('0', '9'),
            prop::char::range('۰', '۹'),
            any::<char>(),
        ],
        0..200,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn accepted_pabulib_reads_back(text: &str) {
    match pabulib::parse(text) {
        Ok(file) => {
            let again = pabulib::parse(&pabulib::write(&file)).expect("what was read is written readably");
            assert_eq!(again, file);
        }
        Err(err) => assert!(!err.to_string().is_empty()),
    }
}

proptest! {
    #[test]
    fn the_pabulib_reader_survives_damaged_files(text in prop_oneof![mutated(APPROVAL), mutated(CUMULATIVE)]) {
        accepted_pabulib_reads_back(&text);
    }

    #[test]
    fn the_pabulib_reader_survives_any_text(text in format_text()) {
        accepted_pabulib_reads_back(&text);
    }

    #[test]
    fn ballot_text_reads_back_or_is_refused(text in prop_oneof![format_text(), mutated("3,7:2,12:1")]) {
        match Picks::from_text(&text) {
            Ok(chosen) => prop_assert_eq!(Picks::from_text(&encode(&chosen)).ok(), Some(chosen)),
            Err(err) => prop_assert_eq!(err, app::error::ApiError::BadRequest),
        }
        prop_assert!(Picks::decode(&text).is_none_or(|picks| Picks::decode(&picks.encode()) == Some(picks)));
    }

    #[test]
    fn a_plain_ballot_form_is_read_or_refused(
        fields in prop::collection::vec((prop_oneof![Just("project".to_owned()), "points-[0-9]{0,12}", ".{0,8}"], format_text()), 0..12)
    ) {
        let _ = Picks::from_form(fields.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    }

    #[test]
    fn national_codes_are_ten_digits_with_their_check_digit(text in prop_oneof![format_text(), mutated("۰۴۹۹۳۷۰۸۹۹"), mutated("0499370899")]) {
        if let Ok(code) = NationalCode::parse(&text) {
            prop_assert_eq!(code.as_str().len(), 10);
            prop_assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(NationalCode::parse(code.as_str()).ok(), Some(code));
        }
    }

    #[test]
    fn login_ids_are_read_once_and_for_all(text in prop_oneof![format_text(), mutated("09121234567"), mutated("Sara@Example.IR")]) {
        if let Ok(login) = LoginId::parse(&text) {
            let again = LoginId::parse(login.as_str()).expect("a normalised login reads again");
            prop_assert_eq!(again.as_str(), login.as_str());
        }
    }

    #[test]
    fn receipts_and_codes_normalise_to_their_alphabet(text in prop_oneof![format_text(), mutated("ABCD-EFGH-JKMN-PQRS-TUVW")]) {
        for len in [app::verification::CODE_LENGTH, app::voting::ballot::RECEIPT_LENGTH] {
            if let Some(code) = app::code::normalize(&text, len) {
                prop_assert_eq!(code.chars().count(), len);
                prop_assert!(code.bytes().all(|b| app::code::ALPHABET.contains(&b)));
            }
        }
    }

    #[test]
    fn a_proposal_list_address_is_always_a_page(
        params in prop::collection::vec((prop_oneof![Just("q"), Just("category"), Just("neighborhood"), Just("status"), Just("sort"), Just("page")], format_text()), 0..8)
    ) {
        let get = |key: &str| params.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
        let filter = ProposalFilter::from_query(get);
        prop_assert!(filter.page >= 1);
        let _ = filter.query(filter.page);
    }
}

/// The census reader is the server's (it runs when an office uploads a roll).
#[cfg(feature = "ssr")]
mod census {
    use super::*;

    proptest! {
        #[test]
        fn the_census_reader_survives_any_file(
            text in prop_oneof![
                format_text(),
                mutated("national_code,birth_year,neighborhood\n0499370899,1370,Tajrish\n\"0013542419\",۱۳۶۵,\"Niavaran\"\r\n"),
            ]
        ) {
            let known = |place: &str| match place {
                "Tajrish" | "1" => Some(1),
                "Niavaran" | "2" => Some(2),
                _ => None,
            };
            match app::verification::parse_census(&text, known) {
                Ok(rows) => {
                    prop_assert!(rows.len() <= text.lines().count());
                    for row in rows {
                        prop_assert!(row.neighborhood_id == 1 || row.neighborhood_id == 2);
                        prop_assert_eq!(NationalCode::parse(row.national_code.as_str()).ok(), Some(row.national_code));
                    }
                }
                Err(refusal) => {
                    prop_assert!(!refusal.errors.is_empty());
                    prop_assert!(refusal.errors.len() <= app::verification::CENSUS_ERRORS_SHOWN);
                    prop_assert!(refusal.messages(app::i18n::Lang::Fa).iter().all(|m| !m.is_empty()));
                }
            }
        }
    }
}
