//! `as_completed`: values in the order their tasks finish, the overall
//! timeout, tasks that keep running, and use as a `futures_core::Stream`.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_tasks.py`:
//! - `test_as_completed` → `values_come_in_completion_order_at_their_times`,
//!   `completion_order_holds_within_one_instant`
//! - `test_as_completed_with_timeout` → `the_timeout_is_yielded_once_then_the_stream_ends`,
//!   `the_timeout_counts_from_the_start`
//! - `test_as_completed_with_unused_timeout` → `an_unused_timeout_changes_nothing`
//! - `test_as_completed_reverse_wait` → `tasks_passed_in_are_used_as_they_are`
//! - `test_as_completed_concurrent` → `tasks_ending_at_the_same_time_are_all_yielded`
//! - `test_as_completed_coroutine_use_running_loop`,
//!   `test_as_completed_coroutine_without_loop` →
//!   `tasks_are_made_at_first_poll`
//! - the async-iterator form (`async for` over `as_completed`, 3.13) →
//!   `reads_as_a_stream`, `collects_as_a_stream`
//!
//! Added: a cancelled task's place in the order, an empty input,
//! `remaining`, and dropping the stream early.
//!
//! Left out:
//! - `test_as_completed_duplicate_coroutines`: inputs are moved in, so the
//!   same one cannot be passed twice.
//! - `test_as_completed_invalid_args` (a single coroutine instead of a
//!   list, sets of futures) and `test_as_completed_nontask_without_loop`:
//!   the types rule them out.
//! - The plain-iterator form that yields awaitables (pre-3.13): here each
//!   `next()` gives the value itself.
//! - `loop=` arguments and the `*_with_global_loop` variants.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{as_completed, create_task, sleep, yield_now, AsCompletedError, EventLoop, Task};
use futures::StreamExt;
mod support;
use support::{now, secs};

async fn after(s: f64) -> f64 {
    sleep(secs(s)).await;
    s
}

#[test]
fn values_come_in_completion_order_at_their_times() {
    let lp = EventLoop::virtual_clock();
    let seen = lp
        .run_until_complete(async {
            let mut finished = as_completed([3.0, 0.5, 2.0, 1.0].map(after), None);
            let mut seen = Vec::new();
            while let Some(value) = finished.next().await {
                seen.push((value.unwrap(), now()));
            }
            seen
        })
        .block()
        .unwrap();
    assert_eq!(seen, [(0.5, 0.5), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]);
    assert_eq!(lp.time(), 3.0);
}

#[test]
fn completion_order_holds_within_one_instant() {
    // Both end at t = 0, `quick` one loop turn before `slower`: Python's
    // as_completed yields in the order the done callbacks ran.
    let lp = EventLoop::virtual_clock();
    let order = lp
        .run_until_complete(async {
            let slower = async {
                yield_now().await;
                "slower"
            };
            let quick = async { "quick" };
            let boxed: [std::pin::Pin<Box<dyn std::future::Future<Output = &str>>>; 2] =
                [Box::pin(slower), Box::pin(quick)];
            let mut finished = as_completed(boxed, None);
            let mut order = Vec::new();
            while let Some(value) = finished.next().await {
                order.push(value.unwrap());
            }
            order
        })
        .block()
        .unwrap();
    assert_eq!(order, ["quick", "slower"]);
}

#[test]
fn the_timeout_is_yielded_once_then_the_stream_ends() {
    let lp = EventLoop::virtual_clock();
    let ended = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&ended);
    let seen = lp
        .run_until_complete(async move {
            let inputs = [1.0, 5.0, 10.0].map(|s| {
                let log = Rc::clone(&log);
                async move {
                    sleep(secs(s)).await;
                    log.borrow_mut().push(s);
                    s
                }
            });
            let mut finished = as_completed(inputs, Some(secs(2.0)));
            let mut seen = Vec::new();
            while let Some(item) = finished.next().await {
                seen.push((item, now()));
            }
            assert_eq!(finished.next().await, None, "ended for good");
            assert_eq!(finished.remaining(), 2);
            drop(finished);
            sleep(Duration::from_secs(20)).await;
            seen
        })
        .block()
        .unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0], (Ok(1.0), 1.0));
    match &seen[1] {
        (Err(AsCompletedError::Timeout(err)), at) => {
            assert_eq!(err.duration(), secs(2.0));
            assert_eq!(*at, 2.0);
        }
        other => panic!("expected the timeout, got {other:?}"),
    }
    assert_eq!(
        *ended.borrow(),
        [1.0, 5.0, 10.0],
        "the unfinished tasks kept running"
    );
    assert_eq!(lp.time(), 22.0);
}

#[test]
fn the_timeout_counts_from_the_start() {
    let lp = EventLoop::virtual_clock();
    let seen = lp
        .run_until_complete(async {
            let ready = create_task(async { 0.0 });
            yield_now().await;
            let mut finished = as_completed([ready, create_task(after(5.0))], Some(secs(2.0)));
            let mut seen = Vec::new();
            // The first value is there at once; then the reader is busy 1 s.
            seen.push((finished.next().await.unwrap().is_ok(), now()));
            sleep(Duration::from_secs(1)).await;
            seen.push((finished.next().await.unwrap().is_ok(), now()));
            seen
        })
        .block()
        .unwrap();
    assert_eq!(
        seen,
        [(true, 0.0), (false, 2.0)],
        "timed out 2 s after the start"
    );
}

#[test]
fn an_unused_timeout_changes_nothing() {
    let lp = EventLoop::virtual_clock();
    let values = lp
        .run_until_complete(async {
            let mut finished = as_completed([0.5, 0.25].map(after), Some(secs(10.0)));
            let mut values = Vec::new();
            while let Some(item) = finished.next().await {
                values.push(item.unwrap());
            }
            values
        })
        .block()
        .unwrap();
    assert_eq!(values, [0.25, 0.5]);
    assert_eq!(lp.time(), 0.5);
}

#[test]
fn a_cancelled_task_takes_its_place_in_the_order() {
    let lp = EventLoop::virtual_clock();
    let seen = lp
        .run_until_complete(async {
            let doomed = create_task(after(5.0));
            doomed.cancel_with_message("not wanted");
            let mut finished = as_completed([create_task(after(1.0)), doomed], None);
            let mut seen = Vec::new();
            while let Some(item) = finished.next().await {
                seen.push((item, now()));
            }
            seen
        })
        .block()
        .unwrap();
    assert_eq!(seen.len(), 2);
    match &seen[0] {
        (Err(AsCompletedError::Cancelled(cancelled)), at) => {
            assert_eq!(cancelled.message(), Some("not wanted"));
            assert_eq!(*at, 0.0);
        }
        other => panic!("expected the cancellation first, got {other:?}"),
    }
    assert_eq!(seen[1], (Ok(1.0), 1.0));
}

#[test]
fn tasks_passed_in_are_used_as_they_are() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let values = lp
        .run_until_complete(async move {
            let tasks: Vec<Task<f64>> = [1.0, 0.5]
                .into_iter()
                .map(|s| create_task(after(s)))
                .collect();
            let created = lp2.stats().tasks_created;
            let mut finished = as_completed(tasks, None);
            let mut values = Vec::new();
            while let Some(item) = finished.next().await {
                values.push(item.unwrap());
            }
            assert_eq!(lp2.stats().tasks_created, created, "no new task was made");
            values
        })
        .block()
        .unwrap();
    assert_eq!(values, [0.5, 1.0]);
}

#[test]
fn tasks_ending_at_the_same_time_are_all_yielded() {
    let lp = EventLoop::virtual_clock();
    let seen = lp
        .run_until_complete(async {
            let tasks = [1.0, 1.0, 1.0].map(|s| create_task(after(s)));
            // The tasks start, arming their sleeps, before the stream arms
            // its 1 s deadline: equal deadlines fire in the order set, so
            // all three end before the timeout.
            yield_now().await;
            let mut finished = as_completed(tasks, Some(secs(1.0)));
            let mut seen = Vec::new();
            while let Some(item) = finished.next().await {
                seen.push((item.is_ok(), now()));
            }
            seen
        })
        .block()
        .unwrap();
    assert_eq!(seen, [(true, 1.0), (true, 1.0), (true, 1.0)]);
}

#[test]
fn tasks_are_made_at_first_poll() {
    let started = Rc::new(Cell::new(false));
    let s = Rc::clone(&started);
    // Made outside any loop: nothing can run yet.
    let mut finished = as_completed(
        [async move {
            s.set(true);
            sleep(Duration::from_secs(1)).await;
            now()
        }],
        None,
    );
    assert_eq!(finished.remaining(), 1);
    let lp = EventLoop::virtual_clock();
    let seen = lp
        .run_until_complete(async move {
            sleep(Duration::from_secs(1)).await;
            assert!(!started.get(), "not started before the first read");
            finished.next().await
        })
        .block()
        .unwrap();
    assert_eq!(seen, Some(Ok(2.0)));
}

#[test]
fn an_empty_input_ends_at_once() {
    let lp = EventLoop::virtual_clock();
    let first = lp
        .run_until_complete(async {
            let mut finished = as_completed(Vec::<Task<u8>>::new(), Some(secs(1.0)));
            finished.next().await
        })
        .block()
        .unwrap();
    assert_eq!(first, None);
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn remaining_counts_down() {
    let lp = EventLoop::virtual_clock();
    let counts = lp
        .run_until_complete(async {
            let mut finished = as_completed([2.0, 1.0, 3.0].map(after), None);
            let mut counts = vec![finished.remaining()];
            while finished.next().await.is_some() {
                counts.push(finished.remaining());
            }
            counts
        })
        .block()
        .unwrap();
    assert_eq!(counts, [3, 2, 1, 0]);
}

#[test]
fn dropping_the_stream_early_leaves_the_tasks_running() {
    let lp = EventLoop::virtual_clock();
    let ended = Rc::new(Cell::new(0));
    let count = Rc::clone(&ended);
    lp.run_until_complete(async move {
        let inputs = [1.0, 2.0, 3.0].map(|s| {
            let count = Rc::clone(&count);
            async move {
                sleep(secs(s)).await;
                count.set(count.get() + 1);
            }
        });
        let mut finished = as_completed(inputs, None);
        assert!(finished.next().await.is_some());
        drop(finished);
        sleep(Duration::from_secs(5)).await;
    })
    .block()
    .unwrap();
    assert_eq!(ended.get(), 3);
    assert_eq!(lp.time(), 6.0);
}

#[test]
fn reads_as_a_stream() {
    let lp = EventLoop::virtual_clock();
    let seen = lp
        .run_until_complete(async {
            let mut finished = as_completed([2.0, 1.0].map(after), Some(secs(1.5)));
            let mut seen = Vec::new();
            while let Some(item) = StreamExt::next(&mut finished).await {
                seen.push((item.map_err(|err| err.to_string()), now()));
            }
            seen
        })
        .block()
        .unwrap();
    assert_eq!(
        seen,
        [
            (Ok(1.0), 1.0),
            (Err("timed out after 1.5 s".to_string()), 1.5)
        ]
    );
}

#[test]
fn collects_as_a_stream() {
    let lp = EventLoop::virtual_clock();
    let values: Vec<_> = lp
        .run_until_complete(
            as_completed([3.0, 1.0, 2.0].map(after), None)
                .map(Result::unwrap)
                .collect::<Vec<f64>>(),
        )
        .block()
        .unwrap();
    assert_eq!(values, [1.0, 2.0, 3.0]);
    assert_eq!(lp.time(), 3.0);
}
