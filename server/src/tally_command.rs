//! `server tally FILE.pb`: the winners of a Pabulib file by any rule of the tally engine.

use app::tally::{Outcome, Rule, TallyError, TieBreak, pabulib};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;

/// Files above this size show progress on stderr while they are read and counted.
const LARGE_FILE: u64 = 1 << 20;

#[derive(clap::Args, Debug)]
pub struct TallyArgs {
    /// The Pabulib `.pb` file.
    pub file: PathBuf,
    /// greedy, mes, mes-add1 or equalshares-add1.
    #[arg(long)]
    pub rule: Rule,
    /// lexico (smallest project id) or cost-votes (lowest cost, then most votes, then id).
    #[arg(long, default_value = "lexico")]
    pub tie: TieBreak,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum TallyCommandError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: pabulib::PabulibError,
    },
    #[error("{path}: {source}")]
    Tally { path: PathBuf, source: TallyError },
}

pub fn run(args: &TallyArgs) -> Result<(), TallyCommandError> {
    let path = &args.file;
    let large = std::fs::metadata(path).map(|m| m.len() > LARGE_FILE).unwrap_or(false);
    let progress = if large { spinner() } else { ProgressBar::hidden() };
    progress.set_message(format!("reading {}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|source| TallyCommandError::Read {
        path: path.clone(),
        source,
    })?;
    progress.set_message("parsing");
    let file = pabulib::parse(&text).map_err(|source| TallyCommandError::Parse {
        path: path.clone(),
        source,
    })?;
    drop(text);
    progress.set_message(format!(
        "counting {} ballots by {}",
        file.round.ballots.len(),
        args.rule
    ));
    let outcome = app::tally::tally(&file.round, args.rule, args.tie).map_err(|source| TallyCommandError::Tally {
        path: path.clone(),
        source,
    })?;
    progress.finish_and_clear();
    let money = Money::of(&file);
    if args.json {
        println!("{}", json(args.rule, &money, &outcome));
    } else {
        print!("{}", text_report(args, &money, &outcome));
    }
    Ok(())
}

fn spinner() -> ProgressBar {
    let progress = ProgressBar::new_spinner();
    progress.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    progress.enable_steady_tick(Duration::from_millis(100));
    progress
}

/// How amounts of the file's money units are written: in the file's currency,
/// whole when they are, and for the platform's own files (in Rial) also in
/// Toman, the figure its pages show for the same cost.
struct Money {
    /// Money units per unit of the file's currency (10 to the file's decimals).
    per_currency: u64,
    rial: bool,
}

impl Money {
    fn of(file: &pabulib::PbFile) -> Self {
        // The round counts in steps of `currency_unit` currency units (see pabulib::parse).
        let steps = file
            .meta("currency_unit")
            .and_then(|unit| unit.parse::<u64>().ok())
            .filter(|unit| *unit > 0)
            .unwrap_or(1);
        Money {
            per_currency: (file.round.currency_unit / steps).max(1),
            rial: file.meta("currency") == Some("IRR"),
        }
    }

    fn value(&self, units: u64) -> serde_json::Value {
        if units.is_multiple_of(self.per_currency) {
            (units / self.per_currency).into()
        } else {
            // Only for display: the tally itself never leaves integers.
            (units as f64 / self.per_currency as f64).into()
        }
    }

    fn text(&self, units: u64) -> String {
        if self.rial && self.per_currency == 1 {
            format!("{} Toman", app::format::toman_figure(units))
        } else {
            self.value(units).to_string()
        }
    }
}

fn json(rule: Rule, money: &Money, outcome: &Outcome) -> serde_json::Value {
    serde_json::json!({
        "rule": rule.name(),
        "winners": outcome.winner_ids().collect::<Vec<_>>(),
        "budget_used": money.value(outcome.budget_used),
        "budget": money.value(outcome.budget),
    })
}

fn text_report(args: &TallyArgs, money: &Money, outcome: &Outcome) -> String {
    let mut out = format!(
        "{}: {} winners by {} (ties: {}), in selection order\n",
        args.file.display(),
        outcome.winners.len(),
        args.rule,
        args.tie.name()
    );
    for (rank, &winner) in outcome.winners.iter().enumerate() {
        let project = &outcome.projects[winner];
        out.push_str(&format!(
            "{:>4}. {}  cost {}  votes {}\n",
            rank + 1,
            project.id,
            money.text(project.cost),
            project.points
        ));
    }
    out.push_str(&format!(
        "budget used: {} of {}\n",
        money.text(outcome.budget_used),
        money.text(outcome.budget)
    ));
    out
}
