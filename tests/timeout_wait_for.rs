//! `wait_for` (a task, cancelled at its deadline) and `timeout` (a future
//! run in place, dropped at its deadline): exact deadlines on the virtual
//! clock, destructors that run, and cancellation in both directions.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_waitfor.py`:
//! - `test_wait_for`, `test_asyncio_wait_for_timeout` →
//!   `wait_for_cancels_the_inner_task_at_the_deadline`,
//!   `wait_for_a_task_leaves_it_cancelled`
//! - `test_wait_for_race_condition` → `a_value_before_the_deadline_is_returned`,
//!   `wait_for_a_future_set_before_the_deadline`
//! - `test_wait_for_timeout_less_then_0_or_0_future_done` →
//!   `zero_timeout_returns_the_value_of_a_task_already_done`
//! - `test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started` →
//!   `zero_timeout_times_out_an_unstarted_coroutine_at_once`
//! - `test_wait_for_timeout_less_then_0_or_0` →
//!   `zero_timeout_cancels_a_running_task_at_once`
//! - `test_wait_for_waits_for_task_cancellation`,
//!   `test_wait_for_waits_for_task_cancellation_w_timeout_0` →
//!   `the_timeout_is_returned_after_the_inner_task_has_been_dropped`
//! - `test_cancel_wait_for`, `test_asyncio_wait_for_cancelled`,
//!   `test_wait_for_self_cancellation` (its outer half) →
//!   `cancelling_the_outer_wait_for_cancels_the_inner_task`
//! - `test_wait_for_issue86296` →
//!   `after_wait_for_returns_the_awaiting_task_can_still_be_cancelled`
//! - the inner task cancelled by someone else (Python re-raises
//!   `CancelledError`) → `an_inner_task_cancelled_by_someone_else_is_not_a_timeout`
//!
//! From `Lib/test/test_asyncio/test_timeouts.py`:
//! - `test_timeout_basic`, `test_waiter_cancelled` →
//!   `timeout_drops_the_future_at_the_deadline`
//! - `test_timeout_not_called` → `timeout_returns_the_value_before_the_deadline`
//! - `test_timeout_zero` → `timeout_zero_around_a_sleep_times_out_at_once`
//! - `test_timeout_zero_sleep_zero`, `test_timeout_in_the_past_sleep_zero`
//!   → `timeout_zero_around_a_yield_times_out`
//! - `test_foreign_exception_passed` → `an_err_value_inside_timeout_is_passed_through`
//! - `test_foreign_cancel_doesnt_timeout_if_not_expired` →
//!   `cancelling_the_task_running_a_timeout_is_a_cancellation_not_a_timeout`
//! - `test_outer_task_is_not_cancelled` → `a_timeout_does_not_cancel_the_task_running_it`
//! - `test_nested_timeouts`, `test_nested_timeouts_loop_busy` →
//!   `nested_timeouts_the_earlier_deadline_wins`
//!
//! Left out:
//! - `timeout=None` (`test_wait_for_blocking`, `test_cancel_blocking_wait_for`,
//!   `test_timeout_disabled`, `test_timeout_at_disabled`): without a timeout
//!   one awaits the future itself.
//! - Cancellation that the inner code suppresses or delays
//!   (`test_wait_for_cancel_suppressed`, `test_wait_for_cancellation_race_condition`,
//!   `test_wait_for_reraises_exception_during_cancellation`,
//!   `test_wait_for_self_cancellation`'s inner half, `SlowTask`): cancelling
//!   drops a Rust future, which cannot catch it, await during it, or raise.
//! - `timeout_at`, `reschedule`, `when`, `expired`, the context manager's
//!   enter/exit errors (`test_timeout_already_entered`,
//!   `test_timeout_double_enter`, `test_timeout_finished`,
//!   `test_timeout_not_entered`, `test_timeout_without_task`) and its repr:
//!   `timeout` here is a future wrapper, not a context manager.
//! - Exception chaining (`test_timeout_exception_cause`,
//!   `test_timeout_exception_context`): Rust errors do not chain.
//! - Real-time busy-loop cases (`test_nested_timeouts_concurrent`): the
//!   virtual clock does not move while code runs.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::future::IntoFuture;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{
    create_task, sleep, timeout, wait_for, yield_now, EventLoop, Future, TimeoutError, WaitForError,
};
mod support;
use support::{flag, now, secs, DropFlag};

/// A future that sleeps `s` seconds and gives `s`, setting `dropped` when
/// it is dropped, finished or not.
async fn guarded_sleep(s: f64, dropped: Rc<Cell<bool>>) -> f64 {
    let _guard = DropFlag(dropped);
    sleep(secs(s)).await;
    s
}

fn is_timeout<T>(outcome: &Result<T, WaitForError>, after: f64) -> bool {
    matches!(outcome, Err(WaitForError::Timeout(err)) if err.duration() == secs(after))
}

#[test]
fn wait_for_cancels_the_inner_task_at_the_deadline() {
    let lp = EventLoop::virtual_clock();
    let dropped = flag();
    let completed = flag();
    let (d, c) = (Rc::clone(&dropped), Rc::clone(&completed));
    let (outcome, at, dropped_then) = lp
        .run_until_complete(async move {
            let outcome = wait_for(secs(0.5), async move {
                let _guard = DropFlag(d);
                sleep(Duration::from_secs(1)).await;
                c.set(true);
            })
            .await;
            (outcome, now(), dropped.get())
        })
        .block()
        .unwrap();
    assert!(is_timeout(&outcome, 0.5), "{outcome:?}");
    assert_eq!(at, 0.5);
    assert!(
        dropped_then,
        "the inner future was dropped before wait_for returned"
    );
    assert!(!completed.get());
    assert_eq!(lp.time(), 0.5);
}

#[test]
fn wait_for_a_task_leaves_it_cancelled() {
    let lp = EventLoop::virtual_clock();
    let info = Rc::new(RefCell::new(None));
    let seen = Rc::clone(&info);
    let dropped = flag();
    let d = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(async move {
            let task = create_task(guarded_sleep(10.0, d));
            task.set_name("foo");
            task.add_done_callback(move |i| *seen.borrow_mut() = Some(i.clone()));
            yield_now().await; // foo is running
            let outcome = wait_for(secs(0.25), task).await;
            yield_now().await; // its done callback's turn
            (outcome, now())
        })
        .block()
        .unwrap();
    assert!(is_timeout(&outcome.0, 0.25));
    assert_eq!(outcome.1, 0.25);
    let info = info.borrow().clone().expect("the done callback ran");
    assert_eq!(info.name, "foo");
    assert!(info.cancelled, "the task passed in ended cancelled");
    assert!(dropped.get());
}

#[test]
fn a_value_before_the_deadline_is_returned() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let value = wait_for(secs(1.0), async {
                sleep(secs(0.25)).await;
                "done"
            })
            .await;
            let task = create_task(async {
                sleep(secs(0.5)).await;
                7
            });
            let from_task = wait_for(secs(1.0), task).await;
            (value, from_task, now())
        })
        .block()
        .unwrap();
    assert_eq!(outcome, (Ok("done"), Ok(7), 0.75));
    assert_eq!(lp.time(), 0.75, "the unused deadlines held nothing");
    assert_eq!(lp.stats().pending_timers, 0);
}

#[test]
fn wait_for_a_future_set_before_the_deadline() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let outcome = lp
        .run_until_complete(async move {
            let fut: Future<&str, ()> = Future::new();
            let setter = fut.clone();
            let _ = lp2.call_later(secs(0.1), move || {
                let _ = setter.set_result("ok");
            });
            wait_for(secs(0.2), fut.into_future()).await
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Ok(Ok("ok")));
    assert_eq!(lp.time(), 0.1);
}

#[test]
fn zero_timeout_returns_the_value_of_a_task_already_done() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let task = create_task(async { "done" });
            yield_now().await;
            assert!(task.done());
            wait_for(Duration::ZERO, task).await
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Ok("done"));
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn zero_timeout_times_out_an_unstarted_coroutine_at_once() {
    let lp = EventLoop::virtual_clock();
    let started = flag();
    let s = Rc::clone(&started);
    let outcome = lp
        .run_until_complete(wait_for(Duration::ZERO, async move {
            s.set(true);
        }))
        .block()
        .unwrap();
    assert!(is_timeout(&outcome, 0.0), "{outcome:?}");
    assert!(!started.get(), "the coroutine never ran");
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn zero_timeout_cancels_a_running_task_at_once() {
    let lp = EventLoop::virtual_clock();
    let cancelled = Rc::new(Cell::new(false));
    let seen = Rc::clone(&cancelled);
    let dropped = flag();
    let d = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(async move {
            let task = create_task(guarded_sleep(10.0, d));
            task.add_done_callback(move |info| seen.set(info.cancelled));
            yield_now().await;
            let outcome = wait_for(Duration::ZERO, task).await;
            yield_now().await;
            outcome
        })
        .block()
        .unwrap();
    assert!(is_timeout(&outcome, 0.0));
    assert!(cancelled.get());
    assert!(dropped.get());
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn the_timeout_is_returned_after_the_inner_task_has_been_dropped() {
    // The inner future's destructor records the time and whether the
    // wait_for has returned yet: it must run first.
    let lp = EventLoop::virtual_clock();
    let log = Rc::new(RefCell::new(Vec::new()));

    struct Logged(Rc<RefCell<Vec<String>>>);
    impl Drop for Logged {
        fn drop(&mut self) {
            self.0
                .borrow_mut()
                .push(format!("inner dropped at {}", now()));
        }
    }

    let inner_log = Logged(Rc::clone(&log));
    let outer_log = Rc::clone(&log);
    lp.run_until_complete(async move {
        let inner = create_task(async move {
            let _logged = inner_log;
            sleep(Duration::from_secs(10)).await;
        });
        let outcome = wait_for(secs(0.5), inner).await;
        outer_log.borrow_mut().push(format!(
            "wait_for returned at {}: {}",
            now(),
            outcome.unwrap_err()
        ));
    })
    .block()
    .unwrap();
    assert_eq!(
        *log.borrow(),
        [
            "inner dropped at 0.5",
            "wait_for returned at 0.5: timed out after 0.5 s"
        ]
    );
}

#[test]
fn cancelling_the_outer_wait_for_cancels_the_inner_task() {
    let lp = EventLoop::virtual_clock();
    let inner_cancelled = Rc::new(Cell::new(false));
    let seen = Rc::clone(&inner_cancelled);
    let dropped = flag();
    let d = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(async move {
            let blocked: Future<(), ()> = Future::new();
            let never = blocked.clone();
            let inner = create_task(async move {
                let _guard = DropFlag(d);
                let _ = (&never).await; // never set
            });
            inner.add_done_callback(move |info| seen.set(info.cancelled));
            let outer = create_task(wait_for(Duration::from_secs(60), inner));
            sleep(Duration::from_secs(1)).await;
            assert!(outer.cancel());
            let outcome = outer.await;
            yield_now().await;
            (outcome, blocked.done())
        })
        .block()
        .unwrap();
    assert!(outcome.0.is_err(), "the outer task was cancelled");
    assert!(!outcome.1, "the future the inner task awaited is untouched");
    assert!(inner_cancelled.get(), "the inner task was cancelled too");
    assert!(dropped.get());
    assert_eq!(lp.time(), 1.0, "nothing waited for the 60 s deadline");
}

#[test]
fn an_inner_task_cancelled_by_someone_else_is_not_a_timeout() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let task = create_task(sleep(Duration::from_secs(10)));
            yield_now().await;
            task.cancel_with_message("by someone else");
            let outcome = wait_for(Duration::from_secs(5), task).await;
            (outcome, now())
        })
        .block()
        .unwrap();
    match outcome.0 {
        Err(WaitForError::Cancelled(cancelled)) => {
            assert_eq!(cancelled.message(), Some("by someone else"))
        }
        other => panic!("expected WaitForError::Cancelled, got {other:?}"),
    }
    assert_eq!(outcome.1, 0.0);
}

#[test]
fn after_wait_for_returns_the_awaiting_task_can_still_be_cancelled() {
    let lp = EventLoop::virtual_clock();
    let reached_end = flag();
    let r = Rc::clone(&reached_end);
    lp.run_until_complete(async move {
        let task = create_task(async move {
            wait_for(Duration::from_secs(100), async {}).await.unwrap();
            sleep(Duration::from_secs(1)).await;
            r.set(true);
        });
        yield_now().await;
        yield_now().await;
        assert!(!task.done());
        task.cancel();
        assert!(task.await.is_err());
    })
    .block()
    .unwrap();
    assert!(!reached_end.get());
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn wait_for_errors_display_like_python() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(wait_for(secs(1.5), sleep(Duration::from_secs(2))))
        .block()
        .unwrap();
    assert_eq!(outcome.unwrap_err().to_string(), "timed out after 1.5 s");
}

#[test]
fn timeout_drops_the_future_at_the_deadline() {
    let lp = EventLoop::virtual_clock();
    let dropped = flag();
    let d = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(async move {
            let outcome = timeout(secs(0.5), guarded_sleep(10.0, d)).await;
            (outcome, now(), dropped.get())
        })
        .block()
        .unwrap();
    let err: TimeoutError = outcome.0.unwrap_err();
    assert_eq!(err.duration(), secs(0.5));
    assert_eq!(outcome.1, 0.5);
    assert!(
        outcome.2,
        "dropped at the deadline, before timeout returned"
    );
    assert_eq!(lp.time(), 0.5);
    assert_eq!(
        lp.stats().tasks_created,
        1,
        "no task was made: only the main one"
    );
}

#[test]
fn timeout_returns_the_value_before_the_deadline() {
    let lp = EventLoop::virtual_clock();
    let dropped = flag();
    let d = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(timeout(Duration::from_secs(10), guarded_sleep(0.25, d)))
        .block()
        .unwrap();
    assert_eq!(outcome, Ok(0.25));
    assert!(dropped.get());
    assert_eq!(lp.time(), 0.25);
    assert_eq!(lp.stats().pending_timers, 0, "the deadline was cleared");
}

#[test]
fn timeout_zero_around_a_sleep_times_out_at_once() {
    let lp = EventLoop::virtual_clock();
    let dropped = flag();
    let d = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(timeout(Duration::ZERO, guarded_sleep(10.0, d)))
        .block()
        .unwrap();
    assert!(outcome.is_err());
    assert!(dropped.get());
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn timeout_zero_around_a_yield_times_out() {
    let lp = EventLoop::virtual_clock();
    let resumed = flag();
    let r = Rc::clone(&resumed);
    let outcome = lp
        .run_until_complete(timeout(Duration::ZERO, async move {
            yield_now().await;
            r.set(true);
        }))
        .block()
        .unwrap();
    assert!(
        outcome.is_err(),
        "the deadline passed before the yield returned"
    );
    assert!(!resumed.get());
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn timeout_zero_around_a_future_that_is_ready_at_once_gives_its_value() {
    // Python: a body that never suspends finishes before the timeout can
    // be delivered.
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(timeout(Duration::ZERO, async { 5 }))
        .block()
        .unwrap();
    assert_eq!(outcome, Ok(5));
}

#[test]
fn an_err_value_inside_timeout_is_passed_through() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(timeout(secs(0.01), async { Err::<(), &str>("KeyError") }))
        .block()
        .unwrap();
    assert_eq!(outcome, Ok(Err("KeyError")));
}

#[test]
fn cancelling_the_task_running_a_timeout_is_a_cancellation_not_a_timeout() {
    let lp = EventLoop::virtual_clock();
    let dropped = flag();
    let d = Rc::clone(&dropped);
    lp.run_until_complete(async move {
        let task = create_task(timeout(Duration::from_secs(10), guarded_sleep(10.0, d)));
        sleep(Duration::from_secs(1)).await;
        task.cancel();
        assert!(task.await.is_err(), "cancelled, not Ok(Err(TimeoutError))");
    })
    .block()
    .unwrap();
    assert!(dropped.get());
    assert_eq!(lp.time(), 1.0);
}

#[test]
fn a_timeout_does_not_cancel_the_task_running_it() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(async {
            let outcome = timeout(secs(0.001), sleep(Duration::from_secs(10))).await;
            assert!(outcome.is_err());
            sleep(Duration::from_secs(1)).await;
            "went on"
        });
        let handle_outcome = task.await;
        assert_eq!(handle_outcome, Ok("went on"));
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 1.001);
}

#[test]
fn nested_timeouts_the_earlier_deadline_wins() {
    let lp = EventLoop::virtual_clock();
    let (inner_dropped, inner_flag) = (flag(), flag());
    let d = Rc::clone(&inner_dropped);
    let outcome = lp
        .run_until_complete(async move {
            // The outer deadline is earlier: the whole inner timeout is dropped.
            let outer_first = timeout(secs(0.5), timeout(secs(1.0), guarded_sleep(10.0, d))).await;
            let at = now();
            // The inner deadline is earlier: it reports, and the outer goes on.
            let inner_first = timeout(secs(1.0), async {
                let inner = timeout(secs(0.25), guarded_sleep(10.0, inner_flag.clone())).await;
                assert!(inner.is_err());
                sleep(secs(0.25)).await;
                "outer body went on"
            })
            .await;
            (outer_first.map(|_| ()), at, inner_first, now())
        })
        .block()
        .unwrap();
    assert_eq!(outcome.0.unwrap_err().duration(), secs(0.5));
    assert_eq!(outcome.1, 0.5);
    assert!(inner_dropped.get());
    assert_eq!(outcome.2, Ok("outer body went on"));
    assert_eq!(outcome.3, 1.0);
}

/// CPython arms a timeout's deadline before the body runs, so a body whose
/// own timer is due at the same instant loses the tie.
#[test]
fn timeout_wins_a_tie_with_the_body() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(timeout(
            Duration::from_secs(1),
            sleep(Duration::from_secs(1)),
        ))
        .block()
        .unwrap();
    assert!(outcome.is_err());
    assert_eq!(lp.time(), 1.0);
}
