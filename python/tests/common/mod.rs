//! What the tests share: running a program on a thread with a deep stack
//! (as the command-line runner does), on a fresh engine.

#![allow(dead_code)]

use asyncio_python::{Engine, RunOptions, RunReport};

/// Runs `source` named `filename` natively on the virtual clock.
pub(crate) fn run_named(source: &str, filename: &str) -> RunReport {
    let options = RunOptions {
        filename: filename.to_string(),
        ..RunOptions::default()
    };
    run_with(source, options)
}

/// Runs `source` with `options` on a fresh engine.
pub(crate) fn run_with(source: &str, options: RunOptions) -> RunReport {
    let source = source.to_string();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let engine = Engine::new();
            asyncio_python::run_program(&engine, &source, &options)
        })
        .expect("a thread")
        .join()
        .expect("the run completes")
}

/// Runs `source` as `main.py`.
pub(crate) fn run(source: &str) -> RunReport {
    run_named(source, "main.py")
}

/// Standard output with object addresses normalised.
pub(crate) fn stdout(report: &RunReport) -> String {
    let addresses = regex::Regex::new(r" at 0x[0-9a-f]+").expect("a pattern");
    addresses
        .replace_all(&report.stdout(), " at 0x…")
        .into_owned()
}
