//! Task handles: cancellation drops the future at its next turn, results,
//! names, done callbacks and the Python-like repr.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_tasks.py`:
//! - `test_cancel_at_end` → `a_task_cancelled_in_its_last_step_ends_cancelled`
//! - `test_cancel_inner_future` (a task as the inner future) →
//!   `cancelling_a_task_cancels_the_task_it_awaits`,
//!   `cancellation_reaches_down_a_chain_of_awaits`
//! - `test_shield_cancel_outer` (the awaiter's side) →
//!   `a_shielded_inner_task_survives_its_awaiters_cancellation`

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, get_running_loop, sleep, yield_now, EventLoop, TaskResultError};
mod support;
use support::DropFlag;

#[test]
fn cancel_drops_the_future_at_its_next_turn_and_await_gives_cancelled() {
    let lp = EventLoop::virtual_clock();
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(async move {
            let task = create_task(async move {
                let _guard = DropFlag(flag);
                sleep(Duration::from_secs(10)).await;
                "never"
            });
            yield_now().await; // the task starts and sleeps
            assert!(task.cancel());
            assert!(
                !task.done(),
                "cancellation takes effect at the task's next turn"
            );
            task.await
        })
        .block()
        .unwrap();
    assert!(outcome.is_err());
    assert!(dropped.get(), "the future's destructors ran");
    assert_eq!(
        lp.time(),
        0.0,
        "the cancelled sleep's timer did not hold the loop"
    );
}

#[test]
fn a_task_cancelled_before_it_starts_never_runs() {
    let lp = EventLoop::virtual_clock();
    let ran = Rc::new(Cell::new(false));
    let flag = Rc::clone(&ran);
    lp.run_until_complete(async move {
        let task = create_task(async move { flag.set(true) });
        assert!(task.cancel());
        assert!(task.await.is_err());
    })
    .block()
    .unwrap();
    assert!(!ran.get());
}

#[test]
fn cancelling_a_finished_task_is_a_no_op_that_says_so() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(async { 5 });
        yield_now().await;
        assert!(task.done());
        assert!(!task.cancel());
        assert!(!task.cancelled());
        assert_eq!(task.result(), Ok(5));
        assert_eq!(task.await, Ok(5));
    })
    .block()
    .unwrap();
}

#[test]
fn cancelling_twice_still_reports_the_request() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(sleep(Duration::from_secs(1)));
        assert!(task.cancel());
        assert!(task.cancel());
        assert!(task.await.is_err());
    })
    .block()
    .unwrap();
}

#[test]
fn cancel_message_reaches_the_error() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(sleep(Duration::from_secs(1)));
        task.cancel_with_message("stop it");
        let err = task.await.unwrap_err();
        assert_eq!(err.message(), Some("stop it"));
        assert_eq!(err.to_string(), "cancelled: stop it");
    })
    .block()
    .unwrap();
}

#[test]
fn dropping_the_handle_does_not_stop_the_task() {
    let lp = EventLoop::virtual_clock();
    let finished = Rc::new(Cell::new(false));
    let flag = Rc::clone(&finished);
    lp.run_until_complete(async move {
        create_task(async move {
            sleep(Duration::from_secs(1)).await;
            flag.set(true);
        })
        .detach();
        sleep(Duration::from_secs(2)).await;
    })
    .block()
    .unwrap();
    assert!(finished.get());
}

#[test]
fn display_follows_pythons_task_repr() {
    let lp = EventLoop::virtual_clock();
    let reprs = lp
        .run_until_complete(async {
            let mut seen = Vec::new();
            let finished = create_task(async { 1 });
            let cancelled = create_task(sleep(Duration::from_secs(1)));
            seen.push(finished.to_string());
            cancelled.cancel();
            yield_now().await;
            yield_now().await;
            seen.push(finished.to_string());
            seen.push(cancelled.to_string());
            finished.set_name("worker");
            seen.push(finished.to_string());
            let _ = finished.await;
            seen
        })
        .block()
        .unwrap();
    assert_eq!(
        reprs,
        [
            "<Task pending name='Task-2'>",
            "<Task finished name='Task-2' result=1>",
            "<Task cancelled name='Task-3'>",
            "<Task finished name='worker' result=1>",
        ]
    );
}

#[test]
fn result_before_done_is_an_invalid_state_error() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(sleep(Duration::from_secs(1)));
        assert_eq!(task.result(), Err(TaskResultError::Pending));
        task.cancel();
        assert!(matches!(task.result(), Err(TaskResultError::Pending)));
        assert!(task.await.is_err());
    })
    .block()
    .unwrap();
}

#[test]
fn done_callbacks_run_soon_in_order_with_the_task_info() {
    let lp = EventLoop::virtual_clock();
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    lp.run_until_complete(async move {
        let task = create_task(sleep(Duration::from_secs(1)));
        task.set_name("sleeper");
        for i in 0..3 {
            let l = Rc::clone(&l);
            task.add_done_callback(move |info| {
                l.borrow_mut()
                    .push(format!("{i} {} {}", info.name, info.cancelled))
            });
        }
        assert!(l.borrow().is_empty(), "nothing runs before the task ends");
        let _ = task.await;
        // Added before the await, they ran (via the loop, in order) before
        // the awaiter resumed, as in Python.
        assert_eq!(l.borrow().len(), 3);
        yield_now().await;
        // Added after the task ended: scheduled at once.
        let done = create_task(async {});
        yield_now().await;
        let l2 = Rc::clone(&l);
        done.add_done_callback(move |info| l2.borrow_mut().push(format!("late {}", info.id)));
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(
        *log.borrow(),
        [
            "0 sleeper false",
            "1 sleeper false",
            "2 sleeper false",
            "late Task-3"
        ]
    );
}

#[test]
fn create_task_outside_a_loop_gives_a_cancelled_task_not_a_panic() {
    let task = create_task(async { 1 });
    assert!(task.cancelled());
    let err = EventLoop::virtual_clock()
        .run_until_complete(task)
        .block()
        .unwrap()
        .unwrap_err();
    assert_eq!(err.message(), Some("no running event loop"));
}

#[test]
fn a_task_can_cancel_itself_through_its_handle() {
    let lp = EventLoop::virtual_clock();
    let slot: Rc<RefCell<Option<asyncio::Task<()>>>> = Rc::new(RefCell::new(None));
    let inner = Rc::clone(&slot);
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    lp.run_until_complete(async move {
        let task = create_task(async move {
            let _guard = DropFlag(flag);
            yield_now().await;
            if let Some(me) = inner.borrow().as_ref() {
                me.cancel();
            }
            sleep(Duration::from_secs(5)).await;
        });
        *slot.borrow_mut() = Some(task);
        sleep(Duration::from_secs(1)).await;
        let task = slot.borrow_mut().take().unwrap();
        assert!(task.cancelled());
    })
    .block()
    .unwrap();
    assert!(dropped.get());
}

// CPython's `test_cancel_at_end`: the task is cancelled during the step in
// which it returns. `cancel()` said yes, so the task ends cancelled and its
// value is dropped.
#[test]
fn a_task_cancelled_in_its_last_step_ends_cancelled() {
    let lp = EventLoop::virtual_clock();
    let slot: Rc<RefCell<Option<asyncio::Task<u32>>>> = Rc::new(RefCell::new(None));
    let me = Rc::clone(&slot);
    let said = Rc::new(Cell::new(false));
    let yes = Rc::clone(&said);
    let outcome = lp
        .run_until_complete(async move {
            let task = create_task(async move {
                if let Some(task) = me.borrow().as_ref() {
                    yes.set(task.cancel());
                }
                12
            });
            *slot.borrow_mut() = Some(task);
            yield_now().await;
            let task = slot.borrow_mut().take().unwrap();
            (task.done(), task.cancelled(), task.cancel(), task.await)
        })
        .block()
        .unwrap();
    assert!(said.get(), "cancel() said yes");
    assert!(outcome.0 && outcome.1, "done, and cancelled");
    assert!(!outcome.2, "a second cancel() finds it ended");
    assert!(outcome.3.is_err(), "awaiting it gives Cancelled, not 12");
}

/// Pushes `entry` to the log when dropped.
struct DropLog(Rc<RefCell<Vec<&'static str>>>, &'static str);

impl Drop for DropLog {
    fn drop(&mut self) {
        self.0.borrow_mut().push(self.1);
    }
}

// CPython's `Task.cancel()` cancels the future the task waits on
// (`test_cancel_inner_future`, with a task as that future): cancelling the
// outer task cancels the inner one it awaits, which ends first.
#[test]
fn cancelling_a_task_cancels_the_task_it_awaits() {
    let lp = EventLoop::virtual_clock();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (a, b) = (Rc::clone(&log), Rc::clone(&log));
    let outcome = lp
        .run_until_complete(async move {
            let inner = create_task(async move {
                let _guard = DropLog(a, "inner dropped");
                sleep(Duration::from_secs(10)).await;
                1
            });
            let outer = create_task(async move {
                let _guard = DropLog(b, "outer dropped");
                inner.await
            });
            sleep(Duration::from_secs(1)).await;
            assert!(outer.cancel());
            let outcome = outer.await;
            (outcome, get_running_loop().unwrap().time())
        })
        .block()
        .unwrap();
    assert!(outcome.0.is_err(), "the outer task was cancelled");
    assert_eq!(outcome.1, 1.0, "at once, not when the inner sleep ends");
    assert_eq!(*log.borrow(), ["inner dropped", "outer dropped"]);
}

#[test]
fn cancellation_reaches_down_a_chain_of_awaits() {
    let lp = EventLoop::virtual_clock();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (a, b, c) = (Rc::clone(&log), Rc::clone(&log), Rc::clone(&log));
    lp.run_until_complete(async move {
        let bottom = create_task(async move {
            let _guard = DropLog(a, "bottom");
            sleep(Duration::from_secs(10)).await;
        });
        let middle = create_task(async move {
            let _guard = DropLog(b, "middle");
            let _ = bottom.await;
        });
        let top = create_task(async move {
            let _guard = DropLog(c, "top");
            let _ = middle.await;
        });
        sleep(Duration::from_secs(1)).await;
        top.cancel();
        assert!(top.await.is_err());
    })
    .block()
    .unwrap();
    assert_eq!(*log.borrow(), ["bottom", "middle", "top"]);
}

#[test]
fn a_shielded_inner_task_survives_its_awaiters_cancellation() {
    let lp = EventLoop::virtual_clock();
    let finished = Rc::new(Cell::new(false));
    let flag = Rc::clone(&finished);
    let outcome = lp
        .run_until_complete(async move {
            let inner = create_task(async move {
                sleep(Duration::from_secs(2)).await;
                flag.set(true);
            });
            let watcher = create_task(asyncio::shield(inner));
            sleep(Duration::from_secs(1)).await;
            assert!(watcher.cancel());
            watcher.await.is_err()
        })
        .block();
    assert_eq!(outcome, Ok(true), "the awaiter was cancelled");
    assert!(!finished.get());
    // The inner task was not cancelled: it finishes on time.
    lp.run_until_complete(sleep(Duration::from_secs(2)))
        .block()
        .unwrap();
    assert!(finished.get(), "the shielded task finished");
}

#[test]
fn cancelling_the_awaiter_no_longer_reaches_a_task_it_stopped_awaiting() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let first = create_task(async {
                sleep(Duration::from_secs(1)).await;
                1
            });
            let second = create_task(async {
                sleep(Duration::from_secs(5)).await;
                2
            });
            let (second_done, second_cancelled) = {
                let outer = create_task(async move {
                    let one = first.await;
                    // Now waiting on a sleep, not on a task.
                    sleep(Duration::from_secs(10)).await;
                    one
                });
                sleep(Duration::from_secs(2)).await;
                outer.cancel();
                let _ = outer.await;
                (second.done(), second.cancelled())
            };
            assert!(!second_done && !second_cancelled);
            second.await
        })
        .block();
    assert_eq!(outcome, Ok(Ok(2)));
}

#[test]
fn dropping_the_awaiting_tasks_handle_still_cancels_nothing() {
    let lp = EventLoop::virtual_clock();
    let value = lp
        .run_until_complete(async {
            let inner = create_task(async {
                sleep(Duration::from_secs(2)).await;
                3
            });
            let outer = create_task(async move { inner.await });
            sleep(Duration::from_secs(1)).await;
            drop(outer);
            sleep(Duration::from_secs(2)).await;
            get_running_loop().unwrap().time()
        })
        .block();
    assert_eq!(value, Ok(3.0));
}
