//! The `hello` example, run natively on the virtual clock exactly as the
//! page runs it.

use asyncio::{Clock, TaskId, TimerId, TraceEvent, WaitReason, WakeSource};
use futures::executor::block_on;
use playground::runner::{run_example, RunnerError};

#[test]
fn hello_prints_hello_then_world_one_second_later() {
    let report = block_on(run_example("hello", Clock::Virtual, |_| {})).unwrap();
    let lines: Vec<(f64, &str)> = report
        .lines
        .iter()
        .map(|l| (l.at_ms, l.text.as_str()))
        .collect();
    assert_eq!(lines, [(0.0, "Hello"), (1000.0, "World")]);
    assert_eq!(report.total_ms, 1000.0);
}

#[test]
fn hello_produces_exactly_the_expected_trace() {
    let report = block_on(run_example("hello", Clock::Virtual, |_| {})).unwrap();
    let t1 = TaskId(1);
    let timer = TimerId(1);
    let events: Vec<(f64, TraceEvent)> = report
        .trace
        .into_iter()
        .map(|r| (r.at_ms, r.event))
        .collect();
    assert_eq!(
        events,
        [
            (
                0.0,
                TraceEvent::TaskCreated {
                    task: t1,
                    name: "Task-1".into(),
                    parent: None
                }
            ),
            (0.0, TraceEvent::PollStart { task: t1 }),
            (
                0.0,
                TraceEvent::Printed {
                    task: Some(t1),
                    line: "Hello".into()
                }
            ),
            (
                0.0,
                TraceEvent::TimerArmed {
                    timer,
                    deadline_ms: 1000.0,
                    task: Some(t1)
                }
            ),
            (
                0.0,
                TraceEvent::Waiting {
                    task: t1,
                    on: WaitReason::Sleep,
                    line: None,
                    awaits: None
                }
            ),
            (
                0.0,
                TraceEvent::PollEnd {
                    task: t1,
                    ready: false
                }
            ),
            (1000.0, TraceEvent::TimerFired { timer }),
            (
                1000.0,
                TraceEvent::Woken {
                    task: t1,
                    by: WakeSource::Timer(timer)
                }
            ),
            (1000.0, TraceEvent::PollStart { task: t1 }),
            (
                1000.0,
                TraceEvent::Printed {
                    task: Some(t1),
                    line: "World".into()
                }
            ),
            (
                1000.0,
                TraceEvent::PollEnd {
                    task: t1,
                    ready: true
                }
            ),
            (1000.0, TraceEvent::TaskFinished { task: t1 }),
        ]
    );
}

#[test]
fn the_shown_source_is_the_file_that_runs() {
    let hello = playground::examples::find("hello").unwrap();
    assert!(hello
        .rust_source
        .contains("pub async fn main(params: Params)"));
    assert!(hello.rust_source.contains("print(\"Hello\")"));
}

#[test]
fn unknown_examples_and_clocks_are_refused_with_a_message() {
    let err = block_on(run_example("nope", Clock::Virtual, |_| {})).unwrap_err();
    assert_eq!(err, RunnerError::UnknownExample("nope".into()));
    assert_eq!(err.to_string(), "there is no example called 'nope'");
    let err = playground::runner::parse_clock("sundial").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown clock 'sundial': use 'real' or 'virtual'"
    );
}

#[test]
fn the_real_clock_is_refused_natively() {
    let err = block_on(run_example("hello", Clock::Real, |_| {})).unwrap_err();
    assert!(matches!(err, RunnerError::Loop(_)));
}
