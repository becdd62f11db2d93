//! A run's limits: runaway code ends with a clear message, and the next
//! run works. (This test binary counts memory with the budget allocator,
//! as the command-line runner does.)

#![cfg(not(target_arch = "wasm32"))]

mod common;

use asyncio_python::{BudgetAllocator, RunOptions, RunReport};

#[global_allocator]
static ALLOCATOR: BudgetAllocator = BudgetAllocator::new();

fn run_limited(source: &str, max_steps: u64) -> RunReport {
    common::run_with(
        source,
        RunOptions {
            max_steps,
            ..RunOptions::default()
        },
    )
}

fn assert_next_run_works() {
    let report = common::run("import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print('fine')\nasyncio.run(main())\n");
    assert_eq!(report.stdout(), "fine\n");
    assert!(report.ok());
}

fn assert_stopped_by_steps(report: &RunReport, steps: u64) {
    let error = report.error.as_ref().expect("the run was stopped");
    assert_eq!(error.kind, "BudgetExceeded", "{}", error.text);
    assert_eq!(
        error.message,
        format!("the program ran for more than {steps} steps and was stopped (an endless loop?)")
    );
    assert!(error
        .text
        .ends_with(&format!("BudgetExceeded: {}\n", error.message)));
}

#[test]
fn an_endless_loop_is_stopped_by_the_step_budget() {
    let report = run_limited("print('start')\nwhile True:\n    pass\n", 10_000);
    assert_stopped_by_steps(&report, 10_000);
    assert_eq!(report.stdout(), "start\n");
    // The check starts the loop's body.
    assert_eq!(report.error.as_ref().unwrap().line, Some(3));
    assert_next_run_works();
}

#[test]
fn an_endless_loop_that_catches_base_exception_is_stopped_too() {
    let program = "\
n = 0
while True:
    try:
        while True:
            n += 1
    except BaseException:
        pass
";
    let report = run_limited(program, 10_000);
    assert_stopped_by_steps(&report, 10_000);
    assert_next_run_works();
}

#[test]
fn an_endless_loop_in_a_task_stops_the_whole_run() {
    let program = "\
import asyncio

async def spin():
    try:
        while True:
            pass
    finally:
        print('finally ran')

async def main():
    asyncio.create_task(spin())
    await asyncio.sleep(1)
    print('never')

asyncio.run(main())
";
    let report = run_limited(program, 10_000);
    assert_stopped_by_steps(&report, 10_000);
    assert!(!report.stdout().contains("never"));
    // The traceback shows where the budget ran out, inside the task.
    let frames = &report.error.as_ref().unwrap().frames;
    assert!(
        frames.iter().any(|f| f.name == "spin" && f.line == 6),
        "{frames:?}"
    );
    assert_next_run_works();
}

#[test]
fn unbounded_recursion_ends_with_recursion_error() {
    let report = run_limited("def f(n):\n    return f(n + 1)\n\nf(0)\n", 10_000_000);
    let error = report.error.expect("it raised");
    assert_eq!(error.kind, "RecursionError");
    assert!(
        error.message.contains("maximum recursion depth exceeded"),
        "{}",
        error.message
    );
    assert_eq!(error.line, Some(2));
    assert_next_run_works();
}

#[test]
fn growing_memory_ends_with_memory_error() {
    let program = "\
chunks = []
while True:
    chunks.append(' ' * 1_000_000)
";
    let report = common::run_with(
        program,
        RunOptions {
            max_memory: 64 << 20,
            ..RunOptions::default()
        },
    );
    let error = report.error.expect("it was stopped");
    assert_eq!(error.kind, "MemoryError", "{}", error.text);
    assert!(
        error.message.contains("more than 64 MB of memory"),
        "{}",
        error.message
    );
    assert_next_run_works();
}

#[test]
fn a_huge_allocation_ends_the_runner_with_a_message_and_the_next_run_works() {
    let dir = std::env::temp_dir().join(format!("asyncio-python-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let huge = dir.join("huge.py");
    std::fs::write(&huge, "print('before')\nx = [0] * 10**10\nprint('after')\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_asyncio-python"))
        .arg(&huge)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("MemoryError"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("after"));
    let fine = dir.join("fine.py");
    std::fs::write(&fine, "print('next run')\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_asyncio-python"))
        .arg(&fine)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "next run\n");
    let _ = std::fs::remove_dir_all(&dir);
}
