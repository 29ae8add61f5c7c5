//! `cargo bench -p app --bench tally`: time per rule (reading the file, then the tally) on every
//! Pabulib file of the shared set, against the reference implementation, and on a synthetic
//! round of 2,000,000 voters and 150 projects, and on one where a single voter wants a project
//! costing nearly the whole budget of 10^13 money units. Words after `--` keep only the files
//! whose name contains one of them, `synthetic` and `expensive` standing for the last two.
//!
//! The reference times are those recorded in `expected.jsonl` (the rule alone), or, when
//! `PABUTOOLS_TIMES` names a file that `scripts/bench-pabutools` wrote, pabutools measured on
//! this machine (the rule, and reading the file). Two ratios are printed: the rule against our
//! tally, and the whole file (reading and rule, or the rule alone when reading was not timed)
//! against our reading and tally.

use app::tally::{BallotKind, Ballots, Project, Round, Rule, TieBreak, pabulib, tally};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RULES: [Rule; 3] = [Rule::Greedy, Rule::Mes, Rule::MesAdd1];

/// The best time of a few runs of `run` (one for slow runs).
fn best(mut run: impl FnMut()) -> Duration {
    let mut best = Duration::MAX;
    let started = Instant::now();
    while best == Duration::MAX || (started.elapsed() < Duration::from_millis(300) && best < Duration::from_millis(100))
    {
        let start = Instant::now();
        run();
        best = best.min(start.elapsed());
    }
    best
}

/// How long pabutools takes on a file: the rule, and reading the file when that was timed.
struct Reference {
    rule: f64,
    parse: Option<f64>,
}

fn reference_seconds(dir: &Path) -> HashMap<(String, String), Reference> {
    let path = std::env::var_os("PABUTOOLS_TIMES").map_or_else(|| dir.join("expected.jsonl"), PathBuf::from);
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| {
            Some((
                (v["file"].as_str()?.to_owned(), v["rule"].as_str()?.to_owned()),
                Reference {
                    rule: v["pabutools_seconds"].as_f64()?,
                    parse: v["pabutools_parse_seconds"].as_f64(),
                },
            ))
        })
        .collect()
}

/// xorshift64*: a fixed, dependency-free stream so every machine benchmarks the same round.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// 2,000,000 voters approving 3 to 7 of 150 projects each, popularity falling like 1/rank.
fn synthetic() -> String {
    const PROJECTS: usize = 150;
    const VOTERS: usize = 2_000_000;
    let mut rng = Rng(0x5eed_2024);
    let mut out = String::with_capacity(VOTERS * 24);
    out.push_str("META\nkey;value\nbudget;30000000\nvote_type;approval\nPROJECTS\nproject_id;cost\n");
    for p in 0..PROJECTS {
        let _ = writeln!(out, "{};{}", p + 1, 20_000 + rng.below(980_000));
    }
    // Cumulative weights of 1/(rank+1) for sampling by popularity.
    let mut cumulative = Vec::with_capacity(PROJECTS);
    let mut total = 0.0;
    for p in 0..PROJECTS {
        total += 1.0 / (p as f64 + 1.0);
        cumulative.push(total);
    }
    out.push_str("VOTES\nvoter_id;vote\n");
    let mut chosen = Vec::with_capacity(8);
    for voter in 0..VOTERS {
        let size = 3 + rng.below(5) as usize;
        chosen.clear();
        while chosen.len() < size {
            let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
            let p = cumulative.partition_point(|&c| c < x).min(PROJECTS - 1);
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        let _ = write!(out, "{voter};");
        for (i, p) in chosen.iter().enumerate() {
            let _ = write!(out, "{}{}", if i > 0 { "," } else { "" }, p + 1);
        }
        out.push('\n');
    }
    out
}

/// One voter approves only a project costing the budget of 10^13 money units less what five
/// cheap ones take, which fifty others approve: the add1 completions raise the shares until
/// that voter can pay for it, about 10^12 steps of a currency unit of 10 on.
fn expensive() -> Round {
    let mut ballots = Ballots::new();
    ballots.push_approval(&[0]);
    for _ in 0..50 {
        ballots.push_approval(&[1, 2, 3, 4, 5]);
    }
    let budget = 10_000_000_000_000;
    let costs = [
        budget - 5_000_000,
        1_000_000,
        1_000_000,
        1_000_000,
        1_000_000,
        1_000_000,
    ];
    Round {
        budget,
        currency_unit: 10,
        kind: BallotKind::Approval,
        projects: costs
            .iter()
            .enumerate()
            .map(|(i, &cost)| Project {
                id: i.to_string(),
                cost,
            })
            .collect(),
        ballots,
    }
}

fn main() {
    // Cargo passes `--bench` to every benchmark; the other arguments are filters.
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/pabulib");
    let reference = reference_seconds(&dir);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".pb") && wanted(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    println!(
        "{:<56} {:<9} {:>7} {:>11} {:>11} {:>11} {:>11} {:>7} {:>7}",
        "file", "rule", "winners", "ours: file", "ours: rule", "theirs:file", "theirs:rule", "rule", "file"
    );
    let ms = |seconds: f64| format!("{:.3}ms", seconds * 1e3);
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).expect("readable file");
        let file = pabulib::parse(&text).expect("valid file");
        let parse = best(|| drop(std::hint::black_box(pabulib::parse(&text)))).as_secs_f64();
        for rule in RULES {
            let winners = tally(&file.round, rule, TieBreak::Lexico).expect("tally").winners.len();
            let ours = best(|| drop(std::hint::black_box(tally(&file.round, rule, TieBreak::Lexico)))).as_secs_f64();
            let (their_file, their_rule, by_rule, by_file) =
                match reference.get(&(name.clone(), rule.name().to_owned())) {
                    Some(theirs) => {
                        let whole = theirs.rule + theirs.parse.unwrap_or(0.0);
                        (
                            theirs.parse.map_or_else(|| "-".into(), |_| ms(whole)),
                            ms(theirs.rule),
                            format!("{:.0}×", theirs.rule / ours),
                            format!("{:.0}×", whole / (parse + ours)),
                        )
                    }
                    None => ("-".into(), "-".into(), "-".into(), "-".into()),
                };
            println!(
                "{name:<56} {:<9} {winners:>7} {:>11} {:>11} {their_file:>11} {their_rule:>11} {by_rule:>7} {by_file:>7}",
                rule.name(),
                ms(parse + ours),
                ms(ours),
            );
        }
    }
    if wanted("expensive") {
        let round = expensive();
        println!("\none voter for a project of nearly the whole budget of 10^13 money units:");
        for rule in [Rule::MesAdd1, Rule::EqualsharesAdd1] {
            let winners = tally(&round, rule, TieBreak::Lexico).expect("tally").winners.len();
            let time = best(|| drop(std::hint::black_box(tally(&round, rule, TieBreak::Lexico))));
            println!(
                "{:<17} {winners:>3} winners  tally {:>8.3} ms",
                rule.name(),
                time.as_secs_f64() * 1e3
            );
        }
    }
    if !wanted("synthetic") {
        return;
    }
    let started = Instant::now();
    let text = synthetic();
    println!(
        "\nsynthetic round: 2,000,000 voters, 150 projects, {} MB of .pb text generated in {:.2} s",
        text.len() >> 20,
        started.elapsed().as_secs_f64()
    );
    for rule in [Rule::Greedy, Rule::Mes, Rule::MesAdd1, Rule::EqualsharesAdd1] {
        let start = Instant::now();
        let file = pabulib::parse(&text).expect("valid file");
        let parsed = start.elapsed();
        let outcome = tally(&file.round, rule, TieBreak::Lexico).expect("tally");
        println!(
            "{:<17} {:>3} winners  parse {:>6.3} s  + tally {:>6.3} s  = {:>6.3} s",
            rule.name(),
            outcome.winners.len(),
            parsed.as_secs_f64(),
            (start.elapsed() - parsed).as_secs_f64(),
            start.elapsed().as_secs_f64()
        );
    }
}
