//! `cargo bench -p app --bench tally`: time per rule (parse + tally) on every Pabulib file of
//! the shared set, against the reference implementation's recorded time, and on a synthetic
//! round of 2,000,000 voters and 150 projects. Words after `--` keep only the files whose name
//! contains one of them, `synthetic` standing for the synthetic round.

use app::tally::{Rule, TieBreak, pabulib, tally};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RULES: [Rule; 3] = [Rule::Greedy, Rule::Mes, Rule::MesAdd1];

/// Parses `text` and tallies it by `rule`, returning the best time of a few runs (one for slow
/// runs) and the number of winners.
fn time(text: &str, rule: Rule) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut winners = 0;
    let started = Instant::now();
    while best == Duration::MAX || (started.elapsed() < Duration::from_millis(300) && best < Duration::from_millis(100))
    {
        let start = Instant::now();
        let file = pabulib::parse(text).expect("valid file");
        let outcome = tally(&file.round, rule, TieBreak::Lexico).expect("tally");
        best = best.min(start.elapsed());
        winners = outcome.winners.len();
    }
    (best, winners)
}

fn reference_seconds(dir: &Path) -> HashMap<(String, String), f64> {
    let text = std::fs::read_to_string(dir.join("expected.jsonl")).unwrap_or_default();
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| {
            Some((
                (v["file"].as_str()?.to_owned(), v["rule"].as_str()?.to_owned()),
                v["pabutools_seconds"].as_f64()?,
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
        "{:<56} {:<9} {:>7} {:>11} {:>11} {:>8}",
        "file", "rule", "winners", "ours", "pabutools", "faster"
    );
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).expect("readable file");
        for rule in RULES {
            let (elapsed, winners) = time(&text, rule);
            let theirs = reference.get(&(name.clone(), rule.name().to_owned()));
            let (theirs_text, ratio) = match theirs {
                Some(&s) => (format!("{s:.3} s"), format!("{:.0}×", s / elapsed.as_secs_f64())),
                None => ("-".into(), "-".into()),
            };
            println!(
                "{name:<56} {:<9} {winners:>7} {:>9.3}ms {theirs_text:>11} {ratio:>8}",
                rule.name(),
                elapsed.as_secs_f64() * 1e3
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
