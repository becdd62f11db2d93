//! `Future`: its states and their errors, done callbacks (run by the loop,
//! in the order added, never inline), removing callbacks, several awaiters,
//! and Python's repr.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_futures.py`:
//! - `test_initial_state` → `a_new_future_is_pending`
//! - `test_cancel` → `cancel_ends_the_future_once`
//! - `test_result` → `set_result_gives_the_result_once`
//! - `test_exception` → `set_exception_gives_the_exception_once`
//! - `test_set_result_unless_cancelled` → `setting_a_cancelled_future_is_refused`
//! - `test_yield_from_twice` → `awaiting_twice_gives_the_value_twice`
//! - `test_future_repr` → `display_follows_pythons_repr`
//! - `test_callbacks_invoked_on_set_result` →
//!   `callbacks_run_via_the_loop_in_the_order_added`
//! - `test_callbacks_invoked_on_set_exception` → `callbacks_see_the_exception`
//! - `test_callbacks_remove_first_callback`,
//!   `test_callbacks_remove_first_and_second_callback`,
//!   `test_callbacks_remove_third_callback`, `test_remove_done_callback` →
//!   `removed_callbacks_do_not_run`
//! - `test_remove_done_callbacks_list_clear`,
//!   `test_schedule_callbacks_list_mutation_1` →
//!   `removing_after_completion_is_too_late`
//! - `test_schedule_callbacks_list_mutation_2` →
//!   `a_callback_added_by_a_callback_runs_after_it`
//! - `test_constructor_without_loop` (here: allowed) →
//!   `a_future_made_outside_a_loop_runs_its_callbacks_at_once`
//! - awaiting one future from several tasks (`test_yield_from_twice`
//!   generalised) → `every_awaiter_gets_the_value`
//!
//! Left out:
//! - `loop=` arguments, `test_constructor_use_global_loop`,
//!   `test_constructor_positional`, `test_uninitialized`: no such
//!   constructors.
//! - `test_exception_class` (an exception class instead of an instance),
//!   `test_future_stop_iteration_args`, `test_future_iter_throw`,
//!   `test_iter`, `test_isfuture`, `test_generic_alias`: Python object
//!   protocols with no Rust counterpart.
//! - `test_future_cancel_message_getter` / `_setter`: `Future::cancel`
//!   takes no message.
//! - `test_copy_state`, `test_wrap_future*`, `test_future_source_traceback`,
//!   `test_tb_logger_*`, `test_future_del_collect`, the refcycle tests:
//!   internals, `concurrent.futures`, tracebacks and garbage collection.
//! - Repr details beyond the state and the value: callbacks, source
//!   location, the exception type (the error's `Debug` form is shown).
//! - Cancelling a task that awaits a future cancels the future in Python;
//!   here dropping the wait only unregisters it (the future is shared by
//!   its clones), so that case is not ported.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::future::IntoFuture;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, get_running_loop, sleep, yield_now, EventLoop, Future, FutureError};
mod support;
use support::{log, now, push, Log};

/// Adds a callback that logs `name` and what the future holds.
fn logging_callback(fut: &Future<i32, String>, log: &Log, name: &str) -> asyncio::CallbackId {
    let log = Rc::clone(log);
    let name = name.to_string();
    fut.add_done_callback(move |done| push(&log, format!("{name}: {}", done)))
}

#[test]
fn a_new_future_is_pending() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let fut: Future<i32, String> = Future::new();
        assert!(!fut.done());
        assert!(!fut.cancelled());
        assert_eq!(fut.result(), Err(FutureError::InvalidState));
        assert_eq!(fut.exception(), Err(FutureError::InvalidState));
        let default: Future<i32, String> = Future::default();
        assert!(!default.done());
    })
    .block()
    .unwrap();
}

#[test]
fn cancel_ends_the_future_once() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let fut: Future<i32, String> = Future::new();
        assert!(fut.cancel());
        assert!(fut.cancelled());
        assert!(fut.done());
        assert!(matches!(fut.result(), Err(FutureError::Cancelled(_))));
        assert!(matches!(fut.exception(), Err(FutureError::Cancelled(_))));
        assert_eq!(fut.set_result(1), Err(FutureError::InvalidState));
        assert_eq!(
            fut.set_exception("late".into()),
            Err(FutureError::InvalidState)
        );
        assert!(!fut.cancel(), "a second cancel does nothing and says so");
        assert!(matches!((&fut).await, Err(FutureError::Cancelled(_))));
    })
    .block()
    .unwrap();
}

#[test]
fn set_result_gives_the_result_once() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let fut: Future<i32, String> = Future::new();
        assert_eq!(fut.set_result(42), Ok(()));
        assert!(fut.done());
        assert!(!fut.cancelled());
        assert_eq!(fut.result(), Ok(42));
        assert_eq!(fut.exception(), Ok(None));
        assert_eq!(fut.set_result(43), Err(FutureError::InvalidState));
        assert_eq!(
            fut.set_exception("late".into()),
            Err(FutureError::InvalidState)
        );
        assert!(!fut.cancel(), "cancel on a done future returns false");
        assert!(!fut.cancelled());
        assert_eq!(fut.result(), Ok(42), "still the first result");
    })
    .block()
    .unwrap();
}

#[test]
fn set_exception_gives_the_exception_once() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let fut: Future<i32, String> = Future::new();
        assert_eq!(fut.set_exception("boom".into()), Ok(()));
        assert!(fut.done());
        assert!(!fut.cancelled());
        assert_eq!(fut.result(), Err(FutureError::Exception("boom".into())));
        assert_eq!(fut.exception(), Ok(Some("boom".into())));
        assert_eq!(fut.set_result(1), Err(FutureError::InvalidState));
        assert!(!fut.cancel());
        assert_eq!((&fut).await, Err(FutureError::Exception("boom".into())));
    })
    .block()
    .unwrap();
}

#[test]
fn setting_a_cancelled_future_is_refused() {
    let fut: Future<i32, String> = Future::new();
    fut.cancel();
    assert_eq!(fut.set_result(2), Err(FutureError::InvalidState));
    assert!(fut.cancelled());
}

#[test]
fn awaiting_twice_gives_the_value_twice() {
    let lp = EventLoop::virtual_clock();
    let values = lp
        .run_until_complete(async {
            let fut: Future<String, ()> = Future::new();
            let setter = fut.clone();
            let _ = get_running_loop()
                .unwrap()
                .call_later(Duration::from_secs(1), move || {
                    let _ = setter.set_result("once".to_string());
                });
            let first = (&fut).await;
            let second = fut.clone().await;
            let third = fut.into_future().await;
            (first, second, third, now())
        })
        .block()
        .unwrap();
    assert_eq!(
        values,
        (
            Ok("once".to_string()),
            Ok("once".to_string()),
            Ok("once".to_string()),
            1.0
        )
    );
}

#[test]
fn every_awaiter_gets_the_value() {
    let lp = EventLoop::virtual_clock();
    let outcomes = lp
        .run_until_complete(async {
            let fut: Future<u32, String> = Future::new();
            let awaiters: Vec<_> = (0..3)
                .map(|i| {
                    let fut = fut.clone();
                    create_task(async move {
                        let value = (&fut).await;
                        (i, value, now())
                    })
                })
                .collect();
            sleep(Duration::from_secs(2)).await;
            fut.set_result(7).unwrap();
            let mut outcomes = Vec::new();
            for awaiter in awaiters {
                outcomes.push(awaiter.await.unwrap());
            }
            outcomes
        })
        .block()
        .unwrap();
    assert_eq!(
        outcomes,
        [(0, Ok(7), 2.0), (1, Ok(7), 2.0), (2, Ok(7), 2.0)]
    );
}

#[test]
fn cancel_reaches_every_awaiter() {
    let lp = EventLoop::virtual_clock();
    let outcomes = lp
        .run_until_complete(async {
            let fut: Future<u32, String> = Future::new();
            let awaiters: Vec<_> = (0..2)
                .map(|_| {
                    let fut = fut.clone();
                    create_task(async move { (&fut).await })
                })
                .collect();
            yield_now().await;
            assert!(fut.cancel());
            let mut outcomes = Vec::new();
            for awaiter in awaiters {
                outcomes.push(awaiter.await.unwrap());
            }
            outcomes
        })
        .block()
        .unwrap();
    assert!(outcomes
        .iter()
        .all(|outcome| matches!(outcome, Err(FutureError::Cancelled(_)))));
}

#[test]
fn display_follows_pythons_repr() {
    let pending: Future<i32, String> = Future::new();
    assert_eq!(pending.to_string(), "<Future pending>");
    let finished: Future<i32, String> = Future::new();
    finished.set_result(42).unwrap();
    assert_eq!(finished.to_string(), "<Future finished result=42>");
    let text: Future<&str, String> = Future::new();
    text.set_result("hi").unwrap();
    assert_eq!(text.to_string(), "<Future finished result=\"hi\">");
    let failed: Future<i32, String> = Future::new();
    failed.set_exception("boom".into()).unwrap();
    assert_eq!(failed.to_string(), "<Future finished exception=\"boom\">");
    let cancelled: Future<i32, String> = Future::new();
    cancelled.cancel();
    assert_eq!(cancelled.to_string(), "<Future cancelled>");
}

#[test]
fn callbacks_run_via_the_loop_in_the_order_added() {
    let lp = EventLoop::virtual_clock();
    let calls = log();
    let c = Rc::clone(&calls);
    lp.run_until_complete(async move {
        let fut: Future<i32, String> = Future::new();
        for name in ["first", "second", "third"] {
            logging_callback(&fut, &c, name);
        }
        assert!(c.borrow().is_empty(), "nothing runs while pending");
        fut.set_result(10).unwrap();
        assert!(c.borrow().is_empty(), "scheduled, not run inline");
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(
        *calls.borrow(),
        [
            "first: <Future finished result=10>",
            "second: <Future finished result=10>",
            "third: <Future finished result=10>",
        ]
    );
}

#[test]
fn callbacks_are_scheduled_with_call_soon_behind_earlier_callbacks() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let calls = log();
    let c = Rc::clone(&calls);
    lp.run_until_complete(async move {
        let fut: Future<i32, String> = Future::new();
        logging_callback(&fut, &c, "done callback");
        let before = Rc::clone(&c);
        let _ = lp2.call_soon(move || push(&before, "call_soon before"));
        fut.set_result(1).unwrap();
        let after = Rc::clone(&c);
        let _ = lp2.call_soon(move || push(&after, "call_soon after"));
        // Added once done: scheduled at once, behind what is queued.
        logging_callback(&fut, &c, "late callback");
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(
        *calls.borrow(),
        [
            "call_soon before",
            "done callback: <Future finished result=1>",
            "call_soon after",
            "late callback: <Future finished result=1>",
        ]
    );
}

#[test]
fn callbacks_see_the_exception() {
    let lp = EventLoop::virtual_clock();
    let calls = log();
    let c = Rc::clone(&calls);
    lp.run_until_complete(async move {
        let fut: Future<i32, String> = Future::new();
        let seen = Rc::clone(&c);
        fut.add_done_callback(move |done| {
            push(&seen, format!("{:?}", done.exception()));
        });
        logging_callback(&fut, &c, "second");
        fut.set_exception("boom".into()).unwrap();
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(
        *calls.borrow(),
        [
            "Ok(Some(\"boom\"))",
            "second: <Future finished exception=\"boom\">"
        ]
    );
}

#[test]
fn callbacks_run_on_cancel_too() {
    let lp = EventLoop::virtual_clock();
    let calls = log();
    let c = Rc::clone(&calls);
    lp.run_until_complete(async move {
        let fut: Future<i32, String> = Future::new();
        logging_callback(&fut, &c, "only");
        fut.cancel();
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(*calls.borrow(), ["only: <Future cancelled>"]);
}

#[test]
fn removed_callbacks_do_not_run() {
    for removed in [vec![0], vec![0, 1], vec![2], vec![1, 3], vec![0, 1, 2, 3]] {
        let lp = EventLoop::virtual_clock();
        let calls = log();
        let c = Rc::clone(&calls);
        let to_remove = removed.clone();
        lp.run_until_complete(async move {
            let fut: Future<i32, String> = Future::new();
            let ids: Vec<_> = (0..4)
                .map(|i| logging_callback(&fut, &c, &i.to_string()))
                .collect();
            for &i in &to_remove {
                assert!(fut.remove_done_callback(ids[i]), "callback {i} was there");
                assert!(!fut.remove_done_callback(ids[i]), "removed once only");
            }
            fut.set_result(5).unwrap();
            yield_now().await;
        })
        .block()
        .unwrap();
        let expected: Vec<String> = (0..4)
            .filter(|i| !removed.contains(i))
            .map(|i| format!("{i}: <Future finished result=5>"))
            .collect();
        assert_eq!(*calls.borrow(), expected, "removing {removed:?}");
    }
}

#[test]
fn removing_after_completion_is_too_late() {
    let lp = EventLoop::virtual_clock();
    let calls = log();
    let c = Rc::clone(&calls);
    lp.run_until_complete(async move {
        let fut: Future<i32, String> = Future::new();
        let first = logging_callback(&fut, &c, "first");
        let second = logging_callback(&fut, &c, "second");
        fut.set_result(3).unwrap();
        // Both are already scheduled: there is nothing left to remove.
        assert!(!fut.remove_done_callback(second));
        assert!(!fut.remove_done_callback(first));
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(
        *calls.borrow(),
        [
            "first: <Future finished result=3>",
            "second: <Future finished result=3>"
        ]
    );
}

#[test]
fn a_callback_added_by_a_callback_runs_after_it() {
    let lp = EventLoop::virtual_clock();
    let calls = log();
    let c = Rc::clone(&calls);
    lp.run_until_complete(async move {
        let fut: Future<i32, String> = Future::new();
        let outer = Rc::clone(&c);
        fut.add_done_callback(move |done| {
            push(&outer, "first");
            let inner = Rc::clone(&outer);
            done.add_done_callback(move |_| push(&inner, "added by first"));
        });
        let second = Rc::clone(&c);
        fut.add_done_callback(move |_| push(&second, "second"));
        fut.set_result(0).unwrap();
        yield_now().await;
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(*calls.borrow(), ["first", "second", "added by first"]);
}

#[test]
fn callbacks_of_two_futures_run_in_completion_order() {
    let lp = EventLoop::virtual_clock();
    let calls = log();
    let c = Rc::clone(&calls);
    lp.run_until_complete(async move {
        let a: Future<i32, String> = Future::new();
        let b: Future<i32, String> = Future::new();
        logging_callback(&a, &c, "a");
        logging_callback(&b, &c, "b");
        b.set_result(2).unwrap();
        a.set_result(1).unwrap();
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(
        *calls.borrow(),
        [
            "b: <Future finished result=2>",
            "a: <Future finished result=1>"
        ]
    );
}

#[test]
fn a_future_made_outside_a_loop_runs_its_callbacks_at_once() {
    // With no loop at all there is nothing to schedule on.
    let calls = log();
    let fut: Future<i32, String> = Future::new();
    logging_callback(&fut, &calls, "now");
    fut.set_result(9).unwrap();
    assert_eq!(*calls.borrow(), ["now: <Future finished result=9>"]);
}

#[test]
fn a_future_set_by_a_timer_wakes_its_awaiter_at_that_time() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let value = lp
        .run_until_complete(async move {
            let fut: Future<&str, ()> = Future::new();
            let setter = fut.clone();
            let _ = lp2.call_later(Duration::from_millis(1500), move || {
                let _ = setter.set_result("late");
            });
            let value = (&fut).await;
            (value, now())
        })
        .block()
        .unwrap();
    assert_eq!(value, (Ok("late"), 1.5));
}
