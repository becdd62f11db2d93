//! The network, executor and loop examples natively, on the virtual clock:
//! the executor ones run on the inline executor (which says so); the ones
//! that need a browser say that instead of failing.

#![cfg(feature = "io")]

use asyncio::Clock;
use futures::executor::block_on;
use playground::catalogue::{Example, Topic};
use playground::examples::find;
use playground::runner::{self, check_params, RunReport};

fn example(id: &str) -> &'static Example {
    find(id).unwrap_or_else(|| panic!("no example '{id}'"))
}

fn run(id: &str, variant: &str) -> RunReport {
    playground::jobs::register_jobs();
    let (example, variant) = runner::find(id, variant).unwrap();
    let params = check_params(example, &[], "http://127.0.0.1:8000").unwrap();
    let lp = runner::new_loop(Clock::Virtual).unwrap();
    block_on(runner::run_on(&lp, variant, params, |_| {})).unwrap()
}

fn texts(report: &RunReport) -> Vec<&str> {
    report.lines.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn entries_are_in_their_topics_with_their_needs() {
    let expected = [
        ("executor", Topic::Executors, false, true, false),
        (
            "blocking-vs-offloaded",
            Topic::Executors,
            false,
            true,
            false,
        ),
        ("http-concurrent", Topic::Network, true, false, false),
        ("http-gather", Topic::Network, true, false, false),
        ("websocket-echo", Topic::Network, true, false, false),
        ("loop-backends", Topic::Loops, false, false, true),
    ];
    for (id, topic, server, workers, browser) in expected {
        let e = example(id);
        assert_eq!(e.topic, topic, "{id}");
        assert_eq!(
            (e.needs.server, e.needs.workers, e.needs.browser),
            (server, workers, browser),
            "{id}"
        );
        assert!(e.explanation.len() > 80, "{id}");
        assert!(e.python_source.contains("import asyncio"), "{id}");
        assert!(e.rust_source.contains("pub async fn"), "{id}");
        assert!(
            !e.rust_source.contains(".unwrap()"),
            "{id}: no unwrap in the shown source"
        );
        assert!(
            !e.rust_source.contains(".expect("),
            "{id}: no expect in the shown source"
        );
    }
}

#[test]
fn compared_examples_have_their_labelled_variants() {
    let labels = |id: &str| -> Vec<(&str, &str)> {
        example(id)
            .variants
            .iter()
            .map(|v| (v.id, v.label))
            .collect()
    };
    assert_eq!(
        labels("blocking-vs-offloaded"),
        [("sequential", "Blocking"), ("concurrent", "Offloaded")]
    );
    assert_eq!(
        labels("http-concurrent"),
        [
            ("sequential", "One after another"),
            ("concurrent", "Together")
        ]
    );
    assert!(example("http-concurrent").comparable());
}

#[test]
fn http_concurrent_defaults_and_ranges() {
    let e = example("http-concurrent");
    let n = e.params.iter().find(|p| p.name == "n").unwrap();
    assert_eq!((n.min, n.default, n.max), (1.0, 5.0, 12.0));
    let delay = e.params.iter().find(|p| p.name == "delay").unwrap();
    assert_eq!(
        (delay.min, delay.default, delay.max, delay.unit),
        (0.0, 3.0, 10.0, "s")
    );
    assert!(e.explanation.contains("6 connections per host"));
}

#[test]
fn blocking_and_offloaded_both_complete_natively() {
    for variant in ["sequential", "concurrent"] {
        let report = run("blocking-vs-offloaded", variant);
        let lines = texts(&report);
        assert!(!report.stopped);
        assert!(
            lines.contains(&"primes below 1000000: 78498"),
            "{variant}: {lines:?}"
        );
        // Natively the work blocks the loop either way (the inline executor).
        assert!(
            lines.contains(&"ticks while the work ran: 0"),
            "{variant}: {lines:?}"
        );
        assert!(lines.iter().any(|l| l.starts_with("tick ")), "{lines:?}");
    }
    let offloaded = run("blocking-vs-offloaded", "concurrent");
    assert!(texts(&offloaded)
        .iter()
        .any(|l| l.starts_with("warning: Web Workers are not available")));
}

#[test]
fn the_ticker_is_a_named_task() {
    let report = run("blocking-vs-offloaded", "sequential");
    assert!(report.trace.iter().any(|r| matches!(
        &r.event,
        asyncio::TraceEvent::TaskCreated { name, .. } | asyncio::TraceEvent::TaskRenamed { name, .. }
            if name == "ticker"
    )));
}

#[test]
fn the_executor_example_still_runs() {
    let report = run("executor", "run");
    assert_eq!(texts(&report).last(), Some(&"primes below 1000000: 78498"));
}

#[test]
fn browser_only_examples_say_so_natively() {
    for id in [
        "http-concurrent",
        "http-gather",
        "websocket-echo",
        "loop-backends",
    ] {
        for variant in example(id).variants {
            let report = run(id, variant.id);
            assert_eq!(
                texts(&report),
                ["this example needs a browser: run it on the playground page"],
                "{id} / {}",
                variant.id
            );
        }
    }
}
