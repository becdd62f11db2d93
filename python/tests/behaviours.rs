//! CPython's behaviours, ported: each program under `tests/programs/`
//! prints what CPython 3.11 printed for it (`<name>.out`, recorded by
//! `tests/fixtures/record_programs.sh`).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

fn check(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let source = std::fs::read_to_string(dir.join(format!("{name}.py"))).expect("a program");
    let expected =
        std::fs::read_to_string(dir.join(format!("{name}.out"))).expect("its CPython output");
    let report = common::run_named(&source, &format!("{name}.py"));
    assert!(
        report.error.is_none(),
        "{name} raised:\n{}",
        report.error.as_ref().map_or("", |e| e.text.as_str())
    );
    assert_eq!(
        common::stdout(&report),
        expected,
        "{name}: the runner's output, then CPython's"
    );
}

#[test]
fn cancellation_inside_try_finally() {
    check("cancel_finally");
}

#[test]
fn wait_for_and_timeout() {
    check("wait_for_timeout");
}

#[test]
fn task_group_failure() {
    check("taskgroup_failure");
}

#[test]
fn queue_producer_consumer_with_join() {
    check("queue_join");
}

#[test]
fn semaphore_limits_concurrency() {
    check("semaphore_limit");
}

#[test]
fn shield_and_gather() {
    check("shield_and_gather");
}

#[test]
fn reprs() {
    check("reprs");
}

#[test]
fn order_of_events() {
    check("ordering");
}

#[test]
fn modules_around_asyncio() {
    check("modules");
}

#[test]
fn yarl_urls_as_aiohttp_programs_build_them() {
    check("yarl_urls");
}
