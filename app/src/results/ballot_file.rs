//! The canonical ballot file a round is counted from: the projects with their
//! official costs and one line per ballot, nothing about any person, written
//! the same way every time, and its digest. The rule and tie-break each
//! round's tally rule stands for in the engine.

use crate::rounds::{BallotRule, TallyRule};
use crate::tally::{Rule, TieBreak, pabulib};
use crate::voting::ballot::Picks;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The engine rule and tie-break a round's tally rule stands for. Equal shares
/// is the variant cities run (Pabulib `equalshares/add1`), ties broken by lowest
/// cost, then most votes, then project id, as equalshares.net does.
pub fn engine(rule: TallyRule) -> (Rule, TieBreak) {
    match rule {
        TallyRule::EqualShares => (Rule::EqualsharesAdd1, TieBreak::CostVotes),
        TallyRule::Greedy => (Rule::Greedy, TieBreak::CostVotes),
    }
}

/// By how much, in Rial, the equal-shares completion raises each voter's share
/// per step: a Toman, or the power of ten that keeps the budget within a
/// million steps. Budgets in Rial run to tens of billions; counted Rial by
/// Rial, a small round would take hours for the same winners.
pub fn currency_unit(budget_rial: u64) -> u64 {
    let mut unit = 10;
    while budget_rial / unit > 1_000_000 {
        unit *= 10;
    }
    unit
}

/// A project on the ballot, as the file lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProject {
    pub id: i32,
    pub title: String,
    pub cost_rial: u64,
}

/// What the canonical ballot file of a round holds.
pub struct BallotFile<'a> {
    pub round_id: i32,
    pub title: &'a str,
    pub district: &'a str,
    pub budget_rial: u64,
    pub ballot: BallotRule,
    pub tally: TallyRule,
    pub projects: &'a [FileProject],
    /// Receipt and choices of every counted ballot, in any order.
    pub ballots: Vec<(String, Picks)>,
}

impl BallotFile<'_> {
    /// The file in the Pabulib format: ballots sorted by receipt (their order
    /// tells nothing about who cast them), receipts as voter ids, nothing about
    /// any person. The same round always gives the same bytes.
    pub fn write(mut self) -> Written {
        self.ballots.sort_by(|a, b| a.0.cmp(&b.0));
        let (vote_type, limit) = match self.ballot {
            BallotRule::Approval(k) => ("approval", Some(("max_length", k))),
            BallotRule::Knapsack => ("knapsack", None),
            BallotRule::Cumulative(n) => ("cumulative", Some(("max_sum_points", n))),
        };
        let (rule, tie) = engine(self.tally);
        let pabulib_rule = match rule {
            Rule::Greedy => "greedy",
            _ => "equalshares/add1",
        };
        let mut meta = vec![
            ("description", self.title.to_owned()),
            ("country", "Iran".to_owned()),
            ("unit", self.district.to_owned()),
            ("instance", self.round_id.to_string()),
            ("num_projects", self.projects.len().to_string()),
            ("num_votes", self.ballots.len().to_string()),
            ("budget", self.budget_rial.to_string()),
            ("currency", "IRR".to_owned()),
            ("currency_unit", currency_unit(self.budget_rial).to_string()),
            ("vote_type", vote_type.to_owned()),
            ("rule", pabulib_rule.to_owned()),
            ("tie_break", tie.name().to_owned()),
        ];
        if let Some((key, value)) = limit {
            meta.push((key, value.to_string()));
        }
        let mut out = String::from("META\n");
        pabulib::write_row(&mut out, ["key", "value"]);
        for (key, value) in &meta {
            pabulib::write_row(&mut out, [*key, value.as_str()]);
        }
        out.push_str("PROJECTS\n");
        pabulib::write_row(&mut out, ["project_id", "cost", "name"]);
        for p in self.projects {
            pabulib::write_row(
                &mut out,
                [p.id.to_string().as_str(), &p.cost_rial.to_string(), &p.title],
            );
        }
        out.push_str("VOTES\n");
        let cumulative = matches!(self.ballot, BallotRule::Cumulative(_));
        if cumulative {
            pabulib::write_row(&mut out, ["voter_id", "vote", "points"]);
        } else {
            pabulib::write_row(&mut out, ["voter_id", "vote"]);
        }
        let head = out.len();
        for (receipt, picks) in &self.ballots {
            let join = |items: Vec<String>| items.join(",");
            let vote = join(picks.iter().map(|(id, _)| id.to_string()).collect());
            if cumulative {
                let points = join(picks.iter().map(|(_, p)| p.to_string()).collect());
                pabulib::write_row(&mut out, [receipt.as_str(), &vote, &points]);
            } else {
                pabulib::write_row(&mut out, [receipt.as_str(), &vote]);
            }
        }
        Written { text: out, head }
    }
}

/// How many bytes of ballot lines a stored part holds at most (a line longer
/// than that is a part of its own).
pub const PART_BYTES: usize = 256 * 1024;

/// A written ballot file, and where its ballot lines begin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub text: String,
    head: usize,
}

/// A run of whole lines of a ballot file.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub offset: usize,
    pub text: &'a str,
    /// The receipt of the part's first ballot; none for the head of the file.
    pub first_receipt: Option<&'a str>,
}

impl Written {
    /// The head of the file, then its ballot lines in parts of about
    /// [`PART_BYTES`]; each ballot line begins with its receipt, and they are in
    /// receipt order, so the first receipts of the parts index the file.
    pub fn parts(&self) -> impl Iterator<Item = Part<'_>> {
        let head = Part {
            offset: 0,
            text: &self.text[..self.head],
            first_receipt: None,
        };
        let mut at = self.head;
        let lines = std::iter::from_fn(move || {
            let rest = &self.text[at..];
            if rest.is_empty() {
                return None;
            }
            let mut end = 0;
            for line in rest.split_inclusive('\n') {
                if end > 0 && end + line.len() > PART_BYTES {
                    break;
                }
                end += line.len();
            }
            let text = &rest[..end];
            let part = Part {
                offset: at,
                text,
                first_receipt: text.split([';', '\n']).next(),
            };
            at += end;
            Some(part)
        });
        std::iter::once(head).chain(lines)
    }
}

/// The SHA-256 of a ballot file, in lowercase hex, as `sha256sum` prints it.
pub fn digest(file: &str) -> String {
    Sha256::digest(file.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
