//! `shield`: cancelling the await does not cancel the shielded task, whose
//! result stays observable; cancelling the shielded task itself does reach
//! the awaiter.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_tasks.py`:
//! - `test_shield_result` → `a_shielded_task_gives_its_value`
//! - `test_shield_exception` → `an_err_value_passes_through`
//! - `test_shield_cancel_inner` → `cancelling_the_inner_task_cancels_the_await`
//! - `test_shield_cancel_outer`, `test_shield_cancel_outer_result` →
//!   `cancelling_the_outer_await_leaves_the_inner_task_running`
//! - `test_shield_effect` → `the_shielded_work_has_its_effect_after_the_outer_is_cancelled`
//! - `test_shield_shortcut` → `shielding_a_finished_task_gives_its_value_at_once`
//! - `test_shield_gather` → `a_shielded_gather_survives_the_outer_cancellation`
//! - `test_gather_shield` → `gathered_shields_protect_each_inner_task`
//! - `test_shield_coroutine_use_running_loop`,
//!   `test_shield_coroutine_without_loop` → `a_shielded_future_runs_as_a_task_made_at_first_poll`
//!
//! Left out:
//! - `test_shield_cancel_outer_exception`, `test_shield_duplicate_log_once`:
//!   about logging "exception was never retrieved"; a Rust value is never
//!   lost that way.
//! - `test_shield_coroutine_use_global_loop` and `loop=` arguments.
//! - Python's `shield(coro)` makes its task at once; here the task is made
//!   at the shield's first poll (futures are lazy), so a shield dropped
//!   before it is ever polled runs nothing. The task-passing form behaves
//!   as in Python.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, gather, shield, sleep, yield_now, EventLoop, Future};
mod support;
use support::{now, secs};

#[test]
fn a_shielded_task_gives_its_value() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let inner = create_task(async {
                sleep(Duration::from_secs(1)).await;
                42
            });
            shield(inner).await
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Ok(42));
    assert_eq!(lp.time(), 1.0);
}

#[test]
fn an_err_value_passes_through() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(shield(async { Err::<u8, &str>("boom") }))
        .block()
        .unwrap();
    assert_eq!(outcome, Ok(Err("boom")));
}

#[test]
fn cancelling_the_inner_task_cancels_the_await() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let inner = create_task(sleep(Duration::from_secs(5)));
            yield_now().await;
            inner.cancel_with_message("inner");
            let outcome = shield(inner).await;
            (outcome, now())
        })
        .block()
        .unwrap();
    assert_eq!(outcome.0.unwrap_err().message(), Some("inner"));
    assert_eq!(outcome.1, 0.0);
}

#[test]
fn cancelling_the_outer_await_leaves_the_inner_task_running() {
    let lp = EventLoop::virtual_clock();
    let inner_info = Rc::new(RefCell::new(None));
    let seen = Rc::clone(&inner_info);
    let outcome = lp
        .run_until_complete(async move {
            let result: Future<u32, ()> = Future::new();
            let setter = result.clone();
            let inner = create_task(async move {
                sleep(Duration::from_secs(2)).await;
                let _ = setter.set_result(42);
                42
            });
            inner.add_done_callback(move |info| *seen.borrow_mut() = Some(info.cancelled));
            let outer = create_task(shield(inner));
            sleep(Duration::from_secs(1)).await;
            assert!(outer.cancel());
            let outer_outcome = outer.await;
            let outer_at = now();
            // The inner task's result is still observable.
            let inner_value = (&result).await;
            yield_now().await; // the inner task's done callback
            (outer_outcome, outer_at, inner_value, now())
        })
        .block()
        .unwrap();
    assert!(outcome.0.is_err(), "the outer await was cancelled");
    assert_eq!(outcome.1, 1.0);
    assert_eq!(outcome.2, Ok(42));
    assert_eq!(outcome.3, 2.0);
    assert_eq!(
        *inner_info.borrow(),
        Some(false),
        "the inner task ended with its value, not cancelled"
    );
}

#[test]
fn the_shielded_work_has_its_effect_after_the_outer_is_cancelled() {
    let lp = EventLoop::virtual_clock();
    let effect = Rc::new(Cell::new(None));
    let e = Rc::clone(&effect);
    let seen = Rc::clone(&effect);
    lp.run_until_complete(async move {
        let outer = create_task(async move {
            let shielded = shield(async move {
                sleep(secs(0.5)).await;
                e.set(Some(now()));
            })
            .await;
            // Never reached: the outer task is cancelled while it waits.
            unreachable!("{shielded:?}");
        });
        sleep(secs(0.25)).await;
        outer.cancel();
        let _ = outer.await;
        assert_eq!(now(), 0.25);
        assert_eq!(seen.get(), None, "not yet");
        sleep(Duration::from_secs(1)).await;
    })
    .block()
    .unwrap();
    assert_eq!(effect.get(), Some(0.5));
    assert_eq!(lp.time(), 1.25);
}

#[test]
fn shielding_a_finished_task_gives_its_value_at_once() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let done = create_task(async { "ready" });
            yield_now().await;
            assert!(done.done());
            shield(done).await
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Ok("ready"));
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn a_shielded_gather_survives_the_outer_cancellation() {
    let lp = EventLoop::virtual_clock();
    let values = Rc::new(RefCell::new(None));
    let v = Rc::clone(&values);
    lp.run_until_complete(async move {
        let parent = create_task(async move {
            let outcome = gather([1u32, 2].map(|n| async move {
                sleep(Duration::from_secs(u64::from(n))).await;
                n
            }))
            .await;
            *v.borrow_mut() = Some((outcome, now()));
        });
        let outer = create_task(shield(parent));
        yield_now().await;
        outer.cancel();
        assert!(outer.await.is_err());
        sleep(Duration::from_secs(3)).await;
    })
    .block()
    .unwrap();
    assert_eq!(*values.borrow(), Some((Ok(vec![1, 2]), 2.0)));
}

#[test]
fn gathered_shields_protect_each_inner_task() {
    let lp = EventLoop::virtual_clock();
    let finished = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&finished);
    lp.run_until_complete(async move {
        let inner: Vec<_> = [1u32, 2]
            .into_iter()
            .map(|n| {
                let log = Rc::clone(&log);
                create_task(async move {
                    sleep(Duration::from_secs(u64::from(n))).await;
                    log.borrow_mut().push((n, now()));
                })
            })
            .collect();
        let outer = create_task(gather(inner.into_iter().map(shield)));
        sleep(secs(0.5)).await;
        outer.cancel();
        assert!(outer.await.is_err(), "the gather was cancelled");
        sleep(Duration::from_secs(5)).await;
    })
    .block()
    .unwrap();
    assert_eq!(*finished.borrow(), [(1, 1.0), (2, 2.0)]);
}

#[test]
fn a_shielded_future_runs_as_a_task_made_at_first_poll() {
    let started = Rc::new(Cell::new(false));
    let s = Rc::clone(&started);
    let shielded = shield(async move {
        s.set(true);
        sleep(Duration::from_secs(1)).await;
        "coroutine"
    });
    assert!(!started.get());
    let lp = EventLoop::virtual_clock();
    let outcome = lp.run_until_complete(shielded).block().unwrap();
    assert_eq!(outcome, Ok("coroutine"));
    assert!(started.get());
    assert_eq!(
        lp.stats().tasks_created,
        2,
        "the main task and the shielded one"
    );
    assert_eq!(lp.time(), 1.0);
}
