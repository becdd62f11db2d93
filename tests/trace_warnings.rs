//! Warnings for learners in the trace: a step that held the loop, a task
//! pending when its loop closed, and warnings reported by drivers, on the
//! virtual clock.
//!
//! A step's time is the loop's clock or the wall's, whichever moved more,
//! so a busy machine can only lengthen a step: the blocking steps here are
//! long and the thresholds far from them, so no scheduling delay can add or
//! change a warning.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;

use asyncio::{
    blocking_sleep, create_task, record_warning, sleep, Clock, EventLoop, TaskId, TraceEvent,
    WarningKind,
};

fn traced() -> EventLoop {
    EventLoop::builder()
        .clock(Clock::Virtual)
        .trace(true)
        .build()
        .unwrap()
}

fn warnings(lp: &EventLoop) -> Vec<(Option<TaskId>, WarningKind, String)> {
    lp.trace()
        .into_iter()
        .filter_map(|record| match record.event {
            TraceEvent::Warning {
                task,
                warning,
                message,
            } => Some((task, warning, message)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_step_that_holds_the_loop_is_named_with_how_long() {
    let lp = traced();
    lp.run_until_complete(async {
        let worker = create_task(async { blocking_sleep(Duration::from_secs(3)) });
        worker.set_name("count_primes");
        let _ = worker.await;
        sleep(Duration::from_secs(1)).await;
    })
    .block()
    .unwrap();
    assert_eq!(
        warnings(&lp),
        [(
            Some(TaskId(2)),
            WarningKind::SlowStep,
            "count_primes held the loop for 3000 ms; nothing else could run".to_string()
        )]
    );
}

#[test]
fn the_threshold_is_configurable() {
    let lp = EventLoop::builder()
        .clock(Clock::Virtual)
        .trace(true)
        .slow_step(Duration::from_secs(2))
        .build()
        .unwrap();
    lp.run_until_complete(async { blocking_sleep(Duration::from_secs(3)) })
        .block()
        .unwrap();
    assert_eq!(warnings(&lp).len(), 1);
    lp.set_slow_step(Duration::from_secs(10));
    lp.run_until_complete(async { blocking_sleep(Duration::from_secs(3)) })
        .block()
        .unwrap();
    assert_eq!(warnings(&lp).len(), 1, "3 s is under the new 10 s");
}

#[test]
fn a_task_pending_when_its_loop_closes_is_named() {
    let lp = traced();
    lp.run_until_complete(async {
        create_task(sleep(Duration::from_secs(10))).set_name("forgotten");
        sleep(Duration::from_secs(1)).await;
    })
    .block()
    .unwrap();
    lp.close().unwrap();
    assert_eq!(
        warnings(&lp),
        [(
            Some(TaskId(2)),
            WarningKind::PendingAtClose,
            "forgotten was still pending when the loop closed, so it was cancelled".to_string()
        )]
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn run_cancels_leftovers_before_closing_so_nothing_is_pending_at_close() {
    let run = asyncio::run(async {
        create_task(sleep(Duration::from_secs(10))).detach();
    });
    let lp = run.event_loop().clone();
    lp.set_trace(true);
    run.block().unwrap();
    assert!(warnings(&lp).is_empty());
}

#[test]
fn drivers_record_their_own_warnings() {
    let lp = traced();
    lp.run_until_complete(async {
        record_warning(
            WarningKind::ExceptionNeverRetrieved,
            Some(TaskId(1)),
            "Task exception was never retrieved",
        );
    })
    .block()
    .unwrap();
    assert_eq!(
        warnings(&lp),
        [(
            Some(TaskId(1)),
            WarningKind::ExceptionNeverRetrieved,
            "Task exception was never retrieved".to_string()
        )]
    );
}

#[test]
fn nothing_is_recorded_with_tracing_off() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        blocking_sleep(Duration::from_secs(5));
        record_warning(WarningKind::NeverAwaited, None, "never awaited");
    })
    .block()
    .unwrap();
    assert!(lp.trace().is_empty());
}
