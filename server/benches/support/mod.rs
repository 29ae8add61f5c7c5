//! What the benchmarks share: arguments and latency figures.

use std::time::Duration;

/// The `n`th positional argument, or `default`.
pub fn arg<T: std::str::FromStr>(n: usize, default: T) -> T {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// "p50 … ms, p99 … ms, max … ms" of latencies (sorted here).
pub fn latency_summary(latencies: &mut [Duration]) -> String {
    latencies.sort();
    let at = |p: f64| {
        let index = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies.get(index).copied().unwrap_or_default().as_secs_f64() * 1e3
    };
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        at(0.50),
        at(0.99),
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    )
}
