//! Every Python listing of the playground's catalogue prints what CPython
//! 3.11 prints for it (`tests/fixtures/*.out`, recorded by
//! `tests/fixtures/record.sh`), at the loop times its Rust port reports.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};

use asyncio::Clock;
use futures::executor::block_on;
use regex::Regex;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../playground/src/examples")
}

fn table(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(fixtures().join(name)).expect("a table");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

/// The listing as the fixture's command ran it.
fn listing(name: &str) -> String {
    let mut source = std::fs::read_to_string(examples().join(name)).expect("a listing");
    for row in table("substitutions.tsv") {
        if row[0] == name {
            assert!(
                source.contains(&row[1]),
                "{name} no longer contains {:?}",
                row[1]
            );
            source = source.replace(&row[1], &row[2]);
        }
    }
    source
}

/// `text` with the parts that depend on CPython's real clock rewritten
/// as varies.tsv says (lines rewritten to nothing are left out).
fn without_varying(name: &str, text: &str) -> String {
    let rules: Vec<(Regex, String)> = table("varies.tsv")
        .into_iter()
        .filter(|row| row[0] == name)
        .map(|row| {
            (
                Regex::new(&row[1]).expect("a pattern"),
                row.get(2).cloned().unwrap_or_default(),
            )
        })
        .collect();
    text.lines()
        .map(|line| {
            rules
                .iter()
                .fold(line.to_string(), |line, (pattern, with)| {
                    pattern.replace_all(&line, with.as_str()).into_owned()
                })
        })
        .filter(|line| !line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect()
}

fn recorded() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("the fixtures")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".out"))
        .map(|name| name.replace(".out", ".py"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_listing_that_runs_natively_has_a_fixture() {
    let names = recorded();
    for entry in std::fs::read_dir(examples()).expect("the examples") {
        let name = entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let needs_more = name.starts_with("http_")
            || name.starts_with("websocket_")
            || name == "loop_backends.py";
        if name.ends_with(".py") && !needs_more {
            assert!(
                names.contains(&name),
                "{name} has no CPython fixture: run record.sh"
            );
        }
    }
}

#[test]
fn listings_print_what_cpython_prints() {
    let mut failures = Vec::new();
    for name in recorded() {
        let expected = std::fs::read_to_string(fixtures().join(name.replace(".py", ".out")))
            .expect("a fixture");
        let report = common::run_named(&listing(&name), &name);
        assert!(report.error.is_none(), "{name} raised: {:?}", report.error);
        let got = common::stdout(&report);
        if without_varying(&name, &got) != without_varying(&name, &expected) {
            failures.push(format!("--- {name}: CPython\n{expected}--- runner\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Rust port's variants that the listing runs, in order; `None` when
/// its times are not compared (ports.tsv says why).
fn port_variants(name: &str) -> Option<(String, Vec<String>)> {
    let id = name.trim_end_matches(".py").replace('_', "-");
    match table("ports.tsv").into_iter().find(|row| row[0] == name) {
        Some(row) if row[1] == "-" => None,
        Some(row) => Some((id, row[1].split(',').map(str::to_string).collect())),
        None => Some((id, vec!["run".to_string()])),
    }
}

#[test]
fn listings_print_at_the_times_their_rust_ports_print() {
    playground::jobs::register_jobs();
    let mut failures = Vec::new();
    for name in recorded() {
        let Some((id, variants)) = port_variants(&name) else {
            continue;
        };
        let report = common::run_named(&listing(&name), &name);
        let python: Vec<f64> = report
            .lines
            .iter()
            .filter(|line| line.stream == asyncio_python::Stream::Stdout)
            .map(|line| line.at_ms)
            .collect();
        let mut rust = Vec::new();
        let mut offset = 0.0;
        for variant in variants {
            let (example, variant) = playground::runner::find(&id, &variant).expect("a port");
            let params = playground::runner::check_params(example, &[], "").expect("defaults");
            let lp = playground::runner::new_loop(Clock::Virtual).expect("a loop");
            let port =
                block_on(playground::runner::run_on(&lp, variant, params, |_| {})).expect("a run");
            // The runtime's own warnings are lines of the port's output;
            // the Python runner gives them as notices.
            rust.extend(
                port.lines
                    .iter()
                    .filter(|line| !line.text.starts_with("warning: "))
                    .map(|line| offset + line.at_ms),
            );
            offset += port.total_ms;
        }
        let same = python.len() == rust.len()
            && python.iter().zip(&rust).all(|(p, r)| (p - r).abs() < 1e-6);
        if !same {
            failures.push(format!(
                "{name}: Python prints at {python:?}, its Rust port at {rust:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
