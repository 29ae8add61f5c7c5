//! What a count gives: the snapshot that pages and downloads show, and the
//! recount anyone can run on the downloaded ballot file. The server counts a
//! round by writing its ballot file and counting that file, and the browser
//! recounts with this same code compiled to WebAssembly, so both always read
//! the same input.

use crate::geography::Name;
use crate::results::ballot_file::{digest, engine};
use crate::rounds::TallyRule;
use crate::tally::{self, Outcome, pabulib};
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("the ballot file is malformed: {0}")]
    File(#[from] pabulib::PabulibError),
    #[error("the ballots cannot be counted: {0}")]
    Tally(#[from] tally::TallyError),
    #[error("the ballot file names a project that is not a number: {0:?}")]
    ProjectId(String),
}

/// A ballot file and what it counted to.
pub struct Counted {
    pub file: pabulib::PbFile,
    pub outcome: Outcome,
    pub digest: String,
}

/// Counts a ballot file by a round's tally rule.
pub fn count(text: &str, rule: TallyRule) -> Result<Counted, CountError> {
    count_until(text, rule, &AtomicBool::new(false))
}

/// [`count`], giving up with [`tally::TallyError::Stopped`] soon after `stop` is set.
pub fn count_until(text: &str, rule: TallyRule, stop: &AtomicBool) -> Result<Counted, CountError> {
    let file = pabulib::parse(text)?;
    let (rule, tie) = engine(rule);
    let outcome = tally::tally_until(&file.round, rule, tie, stop)?;
    Ok(Counted {
        file,
        outcome,
        digest: digest(text),
    })
}

fn project_id(text: &str) -> Result<i32, CountError> {
    text.parse().map_err(|_| CountError::ProjectId(text.to_owned()))
}

impl Counted {
    /// The winners' project ids, in selection order.
    pub fn winners(&self) -> Result<Vec<i32>, CountError> {
        self.outcome.winner_ids().map(project_id).collect()
    }

    /// The snapshot of this count.
    pub fn snapshot(
        &self,
        round_id: i32,
        title: Name,
        tally: TallyRule,
        turnout: Vec<TurnoutLine>,
        excluded: Vec<String>,
    ) -> Result<Snapshot, CountError> {
        let titles: Vec<&str> = self
            .file
            .project_column("name")
            .map(|names| names.collect())
            .unwrap_or_default();
        let mut projects = self
            .outcome
            .projects
            .iter()
            .enumerate()
            .map(|(index, p)| {
                Ok(ProjectLine {
                    id: project_id(&p.id)?,
                    title: titles.get(index).copied().unwrap_or_default().to_owned(),
                    cost_rial: p.cost,
                    votes: p.votes,
                    points: p.points,
                    funded: p.funded,
                    payers: p.share.as_ref().map(|s| s.payers),
                })
            })
            .collect::<Result<Vec<_>, CountError>>()?;
        projects.sort_by(|a, b| {
            b.points
                .cmp(&a.points)
                .then(a.cost_rial.cmp(&b.cost_rial))
                .then(a.id.cmp(&b.id))
        });
        let (rule, tie) = engine(tally);
        Ok(Snapshot {
            round_id,
            title,
            tally,
            rule: rule.name().to_owned(),
            tie_break: tie.name().to_owned(),
            budget_rial: self.outcome.budget,
            used_rial: self.outcome.budget_used,
            ballots: self.file.round.ballots.len() as u64,
            excluded,
            winners: self.winners()?,
            projects,
            turnout,
            digest: self.digest.clone(),
        })
    }
}

/// A project's line in a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLine {
    pub id: i32,
    pub title: String,
    pub cost_rial: u64,
    pub votes: u64,
    /// Equal to `votes` on approval and knapsack ballots.
    pub points: u64,
    pub funded: bool,
    /// For equal shares: how many voters' shares paid for it.
    pub payers: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnoutLine {
    pub neighborhood: Name,
    pub voters: u64,
    /// Verified residents when voting closed.
    pub residents: u64,
}

/// A round's result as counted: what the results page, the CSV and the JSON
/// show. Stored once and never changed; a correction is a new snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub round_id: i32,
    pub title: Name,
    pub tally: TallyRule,
    pub rule: String,
    pub tie_break: String,
    pub budget_rial: u64,
    pub used_rial: u64,
    pub ballots: u64,
    /// Receipts of ballots a correction set aside.
    pub excluded: Vec<String>,
    /// Project ids, in the order they were selected.
    pub winners: Vec<i32>,
    /// Most votes (points) first.
    pub projects: Vec<ProjectLine>,
    pub turnout: Vec<TurnoutLine>,
    /// SHA-256 of the ballot file it was counted from.
    pub digest: String,
}

impl Snapshot {
    /// The result as CSV, one project per line, most votes first, costs in
    /// Toman as the pages show them. It starts with a byte order mark, by
    /// which spreadsheet programs know to read the Persian as UTF-8.
    pub fn csv(&self) -> String {
        let mut out = String::from("\u{feff}project_id,title,cost_toman,votes,points,funded,selection_order,payers\n");
        for p in &self.projects {
            let order = self
                .winners
                .iter()
                .position(|w| *w == p.id)
                .map(|i| (i + 1).to_string())
                .unwrap_or_default();
            let title = format!("\"{}\"", spreadsheet_safe(&p.title).replace('"', "\"\""));
            let payers = p.payers.map(|n| n.to_string()).unwrap_or_default();
            out.push_str(&format!(
                "{},{title},{},{},{},{},{order},{payers}\n",
                p.id,
                crate::format::toman_figure(p.cost_rial),
                p.votes,
                p.points,
                u8::from(p.funded)
            ));
        }
        out
    }
}

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a
/// tab or a carriage return first) is given a leading apostrophe, which
/// spreadsheets show as text.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// What a receipt shows about its ballot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptCheck {
    /// In the published ballot file of this round and version, with these
    /// choices (project title and points).
    Counted {
        round_id: i32,
        version: i32,
        title: Name,
        choices: Vec<(String, i32)>,
    },
    /// Cast, but the round's result is not published yet.
    NotYetPublished,
    /// Replaced by a later ballot of the same voter, which is the one that
    /// counts (and is checked with its own receipt).
    Replaced { round_id: i32 },
    /// Set aside by a published correction.
    SetAside {
        round_id: i32,
        version: i32,
        reason: String,
    },
}

/// What a recount of a downloaded ballot file found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recount {
    pub digest: String,
    pub digest_matches: bool,
    pub winners: Vec<i32>,
    pub winners_match: bool,
}

/// Recounts `file` by the published rule and compares it with `published`.
pub fn recount(file: &str, published: &Snapshot) -> Result<Recount, CountError> {
    let counted = count(file, published.tally)?;
    let winners = counted.winners()?;
    Ok(Recount {
        digest_matches: counted.digest == published.digest,
        winners_match: winners == published.winners,
        digest: counted.digest,
        winners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::ballot_file::*;
    use crate::rounds::BallotRule;
    use crate::voting::ballot::Picks;

    fn picks(items: &[(i32, i32)]) -> Picks {
        Picks::decode(
            &items
                .iter()
                .map(|(id, p)| if *p == 1 { id.to_string() } else { format!("{id}:{p}") })
                .collect::<Vec<_>>()
                .join(","),
        )
        .expect("sorted picks")
    }

    fn projects() -> Vec<FileProject> {
        [
            (3, "پارک محله", 600),
            (5, "کتابخانه; \"کوچک\"", 300),
            (8, "روشنایی", 300),
        ]
        .into_iter()
        .map(|(id, title, cost)| FileProject {
            id,
            title: title.to_owned(),
            cost_rial: cost * 1_000_000,
        })
        .collect()
    }

    fn file(ballots: Vec<(String, Picks)>, tally: TallyRule) -> String {
        written(ballots, tally).text
    }

    fn written(ballots: Vec<(String, Picks)>, tally: TallyRule) -> Written {
        let projects = projects();
        BallotFile {
            round_id: 7,
            title: "بودجه ۱۴۰۵",
            district: "منطقه ۱",
            budget_rial: 900_000_000,
            ballot: BallotRule::Approval(2),
            tally,
            projects: &projects,
            ballots,
        }
        .write()
    }

    fn ballots() -> Vec<(String, Picks)> {
        vec![
            ("ZZZZ".to_owned(), picks(&[(3, 1)])),
            ("AAAA".to_owned(), picks(&[(5, 1), (8, 1)])),
            ("MMMM".to_owned(), picks(&[(3, 1), (5, 1)])),
        ]
    }

    #[test]
    fn the_file_is_canonical_and_reads_back() {
        let mut reversed = ballots();
        reversed.reverse();
        let text = file(ballots(), TallyRule::EqualShares);
        assert_eq!(
            text,
            file(reversed, TallyRule::EqualShares),
            "the order ballots were read in does not matter"
        );
        let votes = text.split("VOTES\n").nth(1).expect("votes section");
        assert!(
            votes.starts_with("voter_id;vote\nAAAA;5,8\nMMMM;3,5\nZZZZ;3\n"),
            "{votes}"
        );
        let parsed = pabulib::parse(&text).expect("the file parses");
        assert_eq!(parsed.round.ballots.len(), 3);
        assert_eq!(parsed.round.currency_unit, 1000, "900 million Rial in steps of 1,000");
        assert_eq!(parsed.project_rows[1][2], "کتابخانه; \"کوچک\"");
        assert_eq!(digest(&text).len(), 64);
        assert_ne!(
            digest(&text),
            digest(&file(ballots()[..2].to_vec(), TallyRule::EqualShares))
        );
    }

    #[test]
    fn a_large_file_is_stored_in_parts_indexed_by_their_first_receipt() {
        let ballots: Vec<(String, Picks)> = (0..40_000)
            .map(|i| (format!("R{:07}", i * 7919 % 40_000), picks(&[(3, 1), (5, 1)])))
            .collect();
        let written = written(ballots, TallyRule::EqualShares);
        let parts: Vec<_> = written.parts().collect();
        assert!(parts.len() > 2, "{} parts", parts.len());
        assert_eq!(parts.iter().map(|p| p.text).collect::<String>(), written.text);
        let head = &parts[0];
        assert_eq!(head.first_receipt, None);
        assert!(head.text.ends_with("VOTES\nvoter_id;vote\n"), "{}", head.text);
        let mut next = 0;
        for part in &parts {
            assert_eq!(part.offset, next, "parts follow each other");
            next += part.text.len();
        }
        for part in &parts[1..] {
            assert!(part.text.len() <= PART_BYTES && part.text.ends_with('\n'));
            let first = part
                .first_receipt
                .expect("a part of ballot lines names its first receipt");
            assert!(part.text.starts_with(&format!("{first};")));
        }
        let firsts: Vec<_> = parts[1..].iter().filter_map(|p| p.first_receipt).collect();
        assert!(firsts.windows(2).all(|w| w[0] < w[1]), "in receipt order");
    }

    #[test]
    fn digest_is_sha256_in_hex() {
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_step_keeps_budgets_within_a_million_steps() {
        assert_eq!(currency_unit(900_000), 10);
        assert_eq!(currency_unit(10_000_000), 10);
        assert_eq!(currency_unit(10_000_010), 100);
        assert_eq!(currency_unit(50_000_000_000), 100_000);
    }

    #[test]
    fn a_recount_matches_the_snapshot_it_came_from_and_notices_changes() {
        let text = file(ballots(), TallyRule::Greedy);
        let snapshot = count(&text, TallyRule::Greedy)
            .expect("counts")
            .snapshot(
                7,
                Name {
                    fa: "بودجه".into(),
                    en: "Budget".into(),
                },
                TallyRule::Greedy,
                Vec::new(),
                Vec::new(),
            )
            .expect("snapshot");
        // Greedy: 3 and 5 have two votes each; 5 is cheaper, then 3 still fits.
        assert_eq!(snapshot.winners, vec![5, 3]);
        assert_eq!(snapshot.used_rial, 900_000_000);
        let same = recount(&text, &snapshot).expect("recounts");
        assert!(same.digest_matches && same.winners_match);

        let tampered = text.replace("ZZZZ;3\n", "ZZZZ;8\n");
        let other = recount(&tampered, &snapshot).expect("recounts");
        assert!(!other.digest_matches);
        assert!(!other.winners_match, "8 now ties 3 and is cheaper");

        let csv = snapshot.csv();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("\u{feff}project_id,title,cost_toman,votes,points,funded,selection_order,payers"),
            "a byte order mark, then the header"
        );
        assert_eq!(
            lines.next(),
            Some("5,\"کتابخانه; \"\"کوچک\"\"\",30000000,2,2,1,1,"),
            "300,000,000 Rial is 30,000,000 Toman, as the pages say"
        );
    }

    #[test]
    fn csv_cells_never_read_as_spreadsheet_formulas() {
        for title in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            let cell = spreadsheet_safe(title);
            assert!(cell.starts_with('\''), "{title:?} became {cell:?}");
            assert_eq!(&cell[1..], title, "the text itself is kept");
        }
        assert_eq!(spreadsheet_safe("Park benches"), "Park benches");
        assert_eq!(spreadsheet_safe("پارک"), "پارک");
    }
}
