//! The loop's trace of a Python program: Python task names, and the
//! program line each wait is at.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use asyncio::{TraceEvent, WaitReason};
use asyncio_python::RunOptions;

#[test]
fn waits_record_the_python_line_and_tasks_their_python_names() {
    let program = "\
import asyncio

async def greeter(delay):
    await asyncio.sleep(delay)
    return 'hello'

async def main():
    task = asyncio.create_task(greeter(1), name='greeter')
    event = asyncio.Event()
    asyncio.get_running_loop().call_later(2, event.set)
    await event.wait()
    return await task

asyncio.run(main())
";
    let report = common::run_with(
        program,
        RunOptions {
            trace: true,
            ..RunOptions::default()
        },
    );
    assert!(report.ok(), "{:?}", report.error);
    assert_eq!(report.traces.len(), 1, "one loop");
    let trace = &report.traces[0].1;
    let names: Vec<&str> = trace
        .iter()
        .filter_map(|r| match &r.event {
            TraceEvent::TaskCreated { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        names.contains(&"Task-1") && names.contains(&"greeter"),
        "{names:?}"
    );
    let waits: Vec<(WaitReason, Option<u32>)> = trace
        .iter()
        .filter_map(|r| match &r.event {
            TraceEvent::Waiting { on, line, .. } => Some((*on, *line)),
            _ => None,
        })
        .collect();
    assert!(waits.contains(&(WaitReason::Sleep, Some(4))), "{waits:?}");
    assert!(waits.contains(&(WaitReason::Event, Some(11))), "{waits:?}");
    let printed = trace
        .iter()
        .any(|r| matches!(&r.event, TraceEvent::Printed { .. }));
    assert!(!printed, "nothing was printed");
}

#[test]
fn printed_lines_are_in_the_trace_with_their_task() {
    let program = "import asyncio\nasync def main():\n    print('hi')\nasyncio.run(main())\n";
    let report = common::run_with(
        program,
        RunOptions {
            trace: true,
            ..RunOptions::default()
        },
    );
    let trace = &report.traces[0].1;
    assert!(trace
        .iter()
        .any(|r| matches!(&r.event, TraceEvent::Printed { line, task: Some(_) } if line == "hi")));
    assert_eq!(report.lines[0].task, Some(1));
}
