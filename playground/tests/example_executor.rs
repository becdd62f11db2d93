//! The `executor` example natively: no workers exist, so the default
//! executor is the inline one, which says so and blocks the loop.

#![cfg(feature = "io")]

use asyncio::Clock;
use futures::executor::block_on;
use playground::runner::run_example;

#[test]
fn executor_counts_primes_in_order_and_warns_when_inline() {
    playground::jobs::register_jobs();
    let report = block_on(run_example("executor", Clock::Virtual, |_| {})).unwrap();
    let lines: Vec<&str> = report.lines.iter().map(|l| l.text.as_str()).collect();
    assert!(
        lines[0].starts_with("warning: Web Workers are not available"),
        "{lines:?}"
    );
    let counts: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("primes in chunk"))
        .collect();
    assert_eq!(
        counts,
        [
            &"primes in chunk 0: 22044",
            &"primes in chunk 1: 19494",
            &"primes in chunk 2: 18700",
            &"primes in chunk 3: 18260",
        ]
    );
    assert_eq!(lines.last(), Some(&"primes below 1000000: 78498"));
}
