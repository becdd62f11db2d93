//! `try_gather`: every value in argument order, or the first failure, after
//! which the other children are cancelled; on the virtual clock.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_tasks.py` (see
//! `gather_order.rs` for the rest of the gather tests):
//! - `test_one_exception` → `try_gather_returns_the_first_error_and_cancels_the_rest`,
//!   `try_gather_returns_the_error_that_happened_first_within_one_instant`,
//!   `try_gather_with_an_already_failed_first_child_cancels_every_other`
//!   (Python's gather leaves the other children running; `try_gather`
//!   cancels them, as its docs say)
//! - `test_exception_marking` → `try_gather_leaves_a_child_that_already_finished_alone`

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, sleep, try_gather, yield_now, EventLoop, GatherError, TraceEvent};
mod support;
use support::{flag, now, secs, DropFlag};

async fn checked(
    s: f64,
    fail: bool,
    guard: DropFlag,
    completed: Rc<Cell<bool>>,
) -> Result<f64, String> {
    let _guard = guard;
    sleep(secs(s)).await;
    completed.set(true);
    if fail {
        Err(format!("failed at {s}"))
    } else {
        Ok(s)
    }
}

#[test]
fn try_gather_returns_the_first_error_and_cancels_the_rest() {
    let lp = EventLoop::virtual_clock();
    let dropped = [flag(), flag(), flag()];
    let completed = [flag(), flag(), flag()];
    let inputs = [(1.0, false), (2.0, true), (5.0, false)]
        .into_iter()
        .enumerate()
        .map(|(i, (s, fail))| {
            checked(
                s,
                fail,
                DropFlag(Rc::clone(&dropped[i])),
                Rc::clone(&completed[i]),
            )
        })
        .collect::<Vec<_>>();
    let slow_dropped = Rc::clone(&dropped[2]);
    let (outcome, returned_at, dropped_soon) = lp
        .run_until_complete(async move {
            let outcome = try_gather(inputs).await;
            let returned_at = now();
            yield_now().await; // the cancelled child's turn: its future is dropped
            let dropped_soon = slow_dropped.get();
            sleep(Duration::from_secs(10)).await;
            (outcome, returned_at, dropped_soon)
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Err(GatherError::Failed("failed at 2".to_string())));
    assert_eq!(returned_at, 2.0, "nobody waited for the 5 s child");
    assert!(dropped_soon, "the 5 s child's destructors ran at once");
    assert!(completed[0].get() && completed[1].get());
    assert!(!completed[2].get(), "the 5 s child never reached its end");
    assert!(dropped.iter().all(|d| d.get()));
    assert_eq!(lp.time(), 12.0);
}

#[test]
fn try_gather_gives_all_values_when_nothing_fails() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(try_gather([2.0, 1.0].map(|s| async move {
            sleep(secs(s)).await;
            Ok::<f64, String>(s * 10.0)
        })))
        .block()
        .unwrap();
    assert_eq!(outcome, Ok(vec![20.0, 10.0]));
    assert_eq!(lp.time(), 2.0);
}

#[test]
fn try_gather_reports_a_cancelled_child_and_cancels_the_others() {
    let lp = EventLoop::virtual_clock();
    let slow_dropped = flag();
    let guard = DropFlag(Rc::clone(&slow_dropped));
    let outcome = lp
        .run_until_complete(async move {
            let slow = create_task(async move {
                let _guard = guard;
                sleep(Duration::from_secs(5)).await;
                Ok::<u32, String>(1)
            });
            let doomed = create_task(async {
                sleep(Duration::from_secs(5)).await;
                Ok::<u32, String>(2)
            });
            doomed.cancel_with_message("stop");
            let outcome = try_gather([slow, doomed]).await;
            yield_now().await;
            (outcome, now())
        })
        .block()
        .unwrap();
    match outcome.0 {
        Err(GatherError::Cancelled(cancelled)) => assert_eq!(cancelled.message(), Some("stop")),
        other => panic!("expected a cancelled child, got {other:?}"),
    }
    assert_eq!(outcome.1, 0.0);
    assert!(slow_dropped.get(), "the other child was cancelled too");
}

#[test]
fn try_gather_leaves_a_child_that_already_finished_alone() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    let (fast_id, outcome) = lp
        .run_until_complete(async {
            let fast = create_task(async { Ok::<u32, String>(1) });
            let fast_id = fast.id();
            let bad = create_task(async {
                sleep(Duration::from_secs(1)).await;
                Err::<u32, String>("bad".into())
            });
            (fast_id, try_gather([fast, bad]).await)
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Err(GatherError::Failed("bad".to_string())));
    let fast_finished = lp
        .trace()
        .iter()
        .any(|record| matches!(record.event, TraceEvent::TaskFinished { task } if task == fast_id));
    assert!(
        fast_finished,
        "the finished child kept its value, it was not cancelled"
    );
}

#[test]
fn try_gather_returns_the_error_that_happened_first_within_one_instant() {
    // Both children fail at t = 0, but `second` fails one loop turn before
    // `first`: Python's gather raises the exception whose done callback ran
    // first, i.e. `second`'s.
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            try_gather([
                create_task(async {
                    yield_now().await;
                    Err::<u32, String>("first argument, failed second".into())
                }),
                create_task(async { Err::<u32, String>("second argument, failed first".into()) }),
            ])
            .await
        })
        .block()
        .unwrap();
    assert_eq!(
        outcome,
        Err(GatherError::Failed(
            "second argument, failed first".to_string()
        ))
    );
}

// CPython's `test_one_exception`, for `try_gather`, which differs from
// Python's gather by cancelling the other children on a failure (as its
// docs say): with the failed child first and already ended, the others are
// still cancelled.
#[test]
fn try_gather_with_an_already_failed_first_child_cancels_every_other() {
    let lp = EventLoop::virtual_clock();
    let dropped = flag();
    let d = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(async move {
            let failed = create_task(async { Err::<u32, &str>("boom") });
            let pending = create_task(async move {
                let _guard = DropFlag(d);
                sleep(Duration::from_secs(5)).await;
                Ok::<u32, &str>(2)
            });
            yield_now().await;
            assert!(failed.done());
            let outcome = try_gather([failed, pending]).await;
            // The cancelled child ends at its next turn.
            yield_now().await;
            outcome
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Err(GatherError::Failed("boom")));
    assert!(dropped.get(), "the pending child was cancelled (dropped)");
    assert_eq!(lp.time(), 0.0, "nothing was waited for");
}
