//! `gather`, `gather_results`, `try_gather` and `gather!`: argument order,
//! cancellation in both directions, and lazily made tasks, on the virtual
//! clock.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_tasks.py`
//! (`GatherTestsBase`, `FutureGatherTests`, `CoroutineGatherTests` and the
//! gather cases of `BaseTaskTests`):
//! - `test_constructor_empty_sequence` → `empty_gather_is_an_empty_list_at_once`
//! - `test_constructor_homogenous_futures`, `test_result_exception_success`
//!   → `gather_over_tasks_returns_their_values_not_nested_results`,
//!   `gathering_existing_tasks_uses_those_same_tasks`
//! - `test_one_cancellation` → `a_cancelled_child_gives_cancelled_and_the_others_keep_running`,
//!   `the_first_child_cancelled_is_the_one_reported`,
//!   `an_already_cancelled_first_child_does_not_keep_the_others_from_starting`,
//!   `a_list_gather_starts_every_child_even_after_an_ended_one`
//! - `test_result_exception_one_cancellation`, `test_return_exceptions`
//!   → `gather_results_keeps_every_outcome_in_argument_order`
//! - `test_one_exception` → in `gather_try.rs`
//! - `test_cancellation_broadcast`, `test_cancel_gather_1`,
//!   `test_cancel_gather_2` → `cancelling_the_awaiting_task_cancels_the_children`,
//!   `cancelling_a_gather_results_awaiter_cancels_the_children`,
//!   `dropping_a_gather_macro_future_cancels_its_children`
//! - `test_constructor_heterogenous_futures` (types, not loops) →
//!   `gather_macro_joins_different_types`
//! - `test_constructor_use_running_loop`, `test_constructor_without_loop`
//!   → `gather_makes_its_tasks_at_first_poll`,
//!   `run_until_complete_of_a_gather_made_outside_the_loop`
//! - `test_exception_marking` → in `gather_try.rs`
//!
//! Left out:
//! - `test_constructor_loop_selection`, `test_constructor_heterogenous_futures`
//!   (futures of two loops), `test_env_var_debug`, `test_issue46672`: loop=
//!   arguments, debug environment variables and mixing loops do not exist
//!   here.
//! - `test_duplicate_coroutines`: a `Task` or a future is moved into the
//!   gather, so passing the same one twice does not compile.
//! - coroutine-versus-future distinctions (`test_gather_coroutine_*`
//!   subclasses): every input runs as a task here.
//! - Exceptions as values: a child's `Err` is an ordinary value for
//!   `gather`; only `try_gather` treats it as a failure.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{
    create_task, gather, gather_results, sleep, try_gather, yield_now, Cancelled, EventLoop,
    TaskId, TraceEvent,
};
mod support;
use support::{flag, now, secs, DropFlag};

async fn after(s: f64, value: u32) -> u32 {
    sleep(secs(s)).await;
    value
}

#[test]
fn gather_of_a_thousand_sleepers_ends_at_one_second_in_argument_order() {
    let lp = EventLoop::virtual_clock();
    let values = lp
        .run_until_complete(async {
            gather((0..1000u32).map(|i| async move {
                sleep(Duration::from_secs(1)).await;
                i
            }))
            .await
        })
        .block()
        .unwrap()
        .unwrap();
    assert_eq!(values, (0..1000).collect::<Vec<u32>>());
    assert_eq!(lp.time(), 1.0);
    assert_eq!(lp.stats().pending_tasks, 0);
}

#[test]
fn values_come_back_in_argument_order_not_finishing_order() {
    let lp = EventLoop::virtual_clock();
    let finished = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&finished);
    let values = lp
        .run_until_complete(gather([3.0, 0.5, 2.0, 1.0].map(move |s| {
            let log = Rc::clone(&log);
            async move {
                sleep(secs(s)).await;
                log.borrow_mut().push(s);
                s
            }
        })))
        .block()
        .unwrap();
    assert_eq!(values, Ok(vec![3.0, 0.5, 2.0, 1.0]));
    assert_eq!(*finished.borrow(), [0.5, 1.0, 2.0, 3.0]);
    assert_eq!(lp.time(), 3.0);
}

#[test]
fn empty_gather_is_an_empty_list_at_once() {
    let lp = EventLoop::virtual_clock();
    let values = lp
        .run_until_complete(gather(Vec::<asyncio::Task<u32>>::new()))
        .block()
        .unwrap();
    assert_eq!(values, Ok(vec![]));
    let outcomes = lp
        .run_until_complete(gather_results(Vec::<asyncio::Task<u32>>::new()))
        .block()
        .unwrap();
    assert!(outcomes.is_empty());
    let tried = lp
        .run_until_complete(try_gather(Vec::<asyncio::Task<Result<u32, String>>>::new()))
        .block()
        .unwrap();
    assert_eq!(tried, Ok(vec![]));
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn gather_over_tasks_returns_their_values_not_nested_results() {
    let lp = EventLoop::virtual_clock();
    let values = lp
        .run_until_complete(async {
            let a = create_task(after(1.0, 1));
            let b = create_task(after(0.5, 2));
            // The type says it: plain values, not `Result`s of tasks.
            let values: Result<Vec<u32>, Cancelled> = gather([a, b]).await;
            (values, now())
        })
        .block()
        .unwrap();
    assert_eq!(values, (Ok(vec![1, 2]), 1.0));
}

#[test]
fn gathering_existing_tasks_uses_those_same_tasks() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    let lp2 = lp.clone();
    let (ids, created_before, created_after) = lp
        .run_until_complete(async move {
            let a = create_task(after(1.0, 10));
            let b = create_task(after(2.0, 20));
            let ids = [a.id(), b.id()];
            let created_before = lp2.stats().tasks_created;
            assert_eq!(gather([a, b]).await, Ok(vec![10, 20]));
            (ids, created_before, lp2.stats().tasks_created)
        })
        .block()
        .unwrap();
    assert_eq!(
        created_before, created_after,
        "gather made no task of its own"
    );
    let finished: Vec<TaskId> = lp
        .trace()
        .iter()
        .filter_map(|record| match record.event {
            TraceEvent::TaskFinished { task } => Some(task),
            _ => None,
        })
        .filter(|task| ids.contains(task))
        .collect();
    assert_eq!(finished, ids, "the tasks that finished are the ones passed");
    assert_eq!(lp.time(), 2.0);
}

#[test]
fn gathering_a_task_that_already_finished_gives_its_value() {
    let lp = EventLoop::virtual_clock();
    let values = lp
        .run_until_complete(async {
            let early = create_task(async { 7 });
            yield_now().await;
            assert!(early.done());
            gather([early, create_task(after(1.0, 8))]).await
        })
        .block()
        .unwrap();
    assert_eq!(values, Ok(vec![7, 8]));
    assert_eq!(lp.time(), 1.0);
}

#[test]
fn a_cancelled_child_gives_cancelled_and_the_others_keep_running() {
    let lp = EventLoop::virtual_clock();
    let finished = flag();
    let done = Rc::clone(&finished);
    let (outcome, returned_at, finished_later) = lp
        .run_until_complete(async move {
            let a = create_task(async move {
                sleep(Duration::from_secs(1)).await;
                done.set(true);
                1
            });
            let b = create_task(after(10.0, 2));
            sleep(secs(0.5)).await;
            b.cancel_with_message("not needed");
            let outcome = gather([a, b]).await;
            let returned_at = now();
            sleep(Duration::from_secs(1)).await;
            (outcome, returned_at, now())
        })
        .block()
        .unwrap();
    let cancelled = outcome.unwrap_err();
    assert_eq!(cancelled.message(), Some("not needed"));
    assert_eq!(
        returned_at, 0.5,
        "the gather returns as soon as b is cancelled"
    );
    assert!(finished.get(), "a was not cancelled: it ran to its end");
    assert_eq!(finished_later, 1.5);
}

#[test]
fn the_first_child_cancelled_is_the_one_reported() {
    // `b` is cancelled one loop turn before `a`, both at t = 0: Python's
    // gather raises the CancelledError whose done callback ran first.
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let a = create_task(after(10.0, 1));
            let b = create_task(after(10.0, 2));
            yield_now().await;
            b.cancel_with_message("b, cancelled first");
            a.cancel_with_message("a, cancelled second");
            gather([a, b]).await
        })
        .block()
        .unwrap();
    assert_eq!(outcome.unwrap_err().message(), Some("b, cancelled first"));
}

#[test]
fn gather_results_keeps_every_outcome_in_argument_order() {
    let lp = EventLoop::virtual_clock();
    let outcomes = lp
        .run_until_complete(async {
            let doomed = create_task(after(5.0, 0));
            doomed.cancel();
            gather_results([
                create_task(after(2.0, 1)),
                doomed,
                create_task(after(1.0, 3)),
            ])
            .await
        })
        .block()
        .unwrap();
    assert_eq!(outcomes.len(), 3);
    assert_eq!(outcomes[0], Ok(1));
    assert!(outcomes[1].is_err());
    assert_eq!(outcomes[2], Ok(3));
    assert_eq!(
        lp.time(),
        2.0,
        "waits for all, but not for the cancelled one"
    );
}

#[test]
fn gather_results_passes_err_values_through_as_values() {
    let lp = EventLoop::virtual_clock();
    let outcomes = lp
        .run_until_complete(gather_results([1u32, 2, 3].map(|n| async move {
            sleep(Duration::from_secs(u64::from(n))).await;
            if n == 2 {
                Err(format!("{n} failed"))
            } else {
                Ok(n)
            }
        })))
        .block()
        .unwrap();
    assert_eq!(
        outcomes,
        [Ok(Ok(1)), Ok(Err("2 failed".to_string())), Ok(Ok(3))]
    );
    assert_eq!(lp.time(), 3.0);
}

#[test]
fn cancelling_the_awaiting_task_cancels_the_children() {
    let lp = EventLoop::virtual_clock();
    let dropped = [flag(), flag()];
    let guards = [
        DropFlag(Rc::clone(&dropped[0])),
        DropFlag(Rc::clone(&dropped[1])),
    ];
    let completed = flag();
    let done = Rc::clone(&completed);
    let outcome = lp
        .run_until_complete(async move {
            let children: Vec<_> = guards
                .into_iter()
                .map(|guard| {
                    let done = Rc::clone(&done);
                    async move {
                        let _guard = guard;
                        sleep(Duration::from_secs(10)).await;
                        done.set(true);
                    }
                })
                .collect();
            let outer = create_task(gather(children));
            sleep(Duration::from_secs(1)).await;
            assert!(outer.cancel());
            let outcome = outer.await;
            yield_now().await; // the children's turn to be dropped
            sleep(Duration::from_secs(20)).await;
            outcome
        })
        .block()
        .unwrap();
    assert!(outcome.is_err(), "the awaiting task was cancelled");
    assert!(dropped.iter().all(|d| d.get()), "every child was dropped");
    assert!(!completed.get(), "no child ran to its end");
    assert_eq!(lp.time(), 21.0);
}

#[test]
fn cancelling_a_gather_results_awaiter_cancels_the_children() {
    let lp = EventLoop::virtual_clock();
    let dropped = flag();
    let guard = DropFlag(Rc::clone(&dropped));
    lp.run_until_complete(async move {
        let outer = create_task(gather_results([async move {
            let _guard = guard;
            sleep(Duration::from_secs(10)).await;
        }]));
        sleep(Duration::from_secs(1)).await;
        outer.cancel();
        assert!(outer.await.is_err());
        yield_now().await;
    })
    .block()
    .unwrap();
    assert!(dropped.get());
    assert_eq!(lp.time(), 1.0);
}

#[test]
fn gather_macro_joins_different_types() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let task = create_task(after(3.0, 3));
            asyncio::gather!(
                async {
                    sleep(Duration::from_secs(1)).await;
                    "one"
                },
                async {
                    sleep(Duration::from_secs(2)).await;
                    2.5f64
                },
                task,
                async { vec!['x'] },
            )
            .await
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Ok(("one", 2.5, 3, vec!['x'])));
    assert_eq!(lp.time(), 3.0);
}

#[test]
fn gather_macro_gives_cancelled_for_a_cancelled_child() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let doomed = create_task(after(5.0, 1));
            doomed.cancel();
            let outcome = asyncio::gather!(after(1.0, 0), doomed).await;
            (outcome, now())
        })
        .block()
        .unwrap();
    assert!(outcome.0.is_err());
    assert_eq!(outcome.1, 0.0);
}

#[test]
fn dropping_a_gather_macro_future_cancels_its_children() {
    let lp = EventLoop::virtual_clock();
    let dropped = flag();
    let guard = DropFlag(Rc::clone(&dropped));
    lp.run_until_complete(async move {
        let outer = create_task(async move {
            asyncio::gather!(after(1.0, 1), async move {
                let _guard = guard;
                sleep(Duration::from_secs(10)).await;
            })
            .await
        });
        sleep(secs(0.5)).await;
        outer.cancel();
        assert!(outer.await.is_err());
        yield_now().await;
    })
    .block()
    .unwrap();
    assert!(dropped.get());
    assert_eq!(lp.time(), 0.5);
}

#[test]
fn gather_makes_its_tasks_at_first_poll() {
    let lp = EventLoop::virtual_clock();
    let started = flag();
    let flag_in_child = Rc::clone(&started);
    let (started_before_await, values) = lp
        .run_until_complete(async move {
            let pending = gather([async move {
                flag_in_child.set(true);
                sleep(Duration::from_secs(1)).await;
                now()
            }]);
            sleep(Duration::from_secs(1)).await;
            let started_before_await = started.get();
            (started_before_await, pending.await)
        })
        .block()
        .unwrap();
    assert!(
        !started_before_await,
        "nothing runs before the gather is awaited"
    );
    assert_eq!(
        values,
        Ok(vec![2.0]),
        "the child started at 1 s, when awaited"
    );
    assert_eq!(lp.time(), 2.0);
}

#[test]
fn run_until_complete_of_a_gather_made_outside_the_loop() {
    // No loop is running when the gather is made: its tasks are made at
    // its first poll, inside the loop.
    let pending = gather([2.0, 1.0].map(|s| after(s, s as u32)));
    let lp = EventLoop::virtual_clock();
    let values = lp.run_until_complete(pending).block().unwrap();
    assert_eq!(values, Ok(vec![2, 1]));
    assert_eq!(lp.time(), 2.0);
}

// CPython's `test_one_cancellation` with the cancelled child ended before
// the gather first looks, and first in the list: every other child still
// starts (Python wraps them all in tasks up front) and keeps running.
#[test]
fn an_already_cancelled_first_child_does_not_keep_the_others_from_starting() {
    let lp = EventLoop::virtual_clock();
    let started = flag();
    let finished = flag();
    let (s, f) = (Rc::clone(&started), Rc::clone(&finished));
    let (outcome, later) = lp
        .run_until_complete(async move {
            let cancelled = create_task(after(10.0, 0));
            cancelled.cancel();
            yield_now().await;
            assert!(cancelled.cancelled());
            let other = async move {
                s.set(true);
                sleep(Duration::from_secs(1)).await;
                f.set(true);
                1
            };
            let outcome = asyncio::gather!(cancelled, other).await;
            sleep(Duration::from_secs(2)).await;
            (outcome.map(|_| ()), now())
        })
        .block()
        .unwrap();
    assert!(outcome.is_err(), "the gather reports the cancellation");
    assert!(started.get(), "the later child was started");
    assert!(finished.get(), "and ran to its end, not cancelled");
    assert_eq!(later, 2.0);
}

#[test]
fn a_list_gather_starts_every_child_even_after_an_ended_one() {
    let lp = EventLoop::virtual_clock();
    let started = Rc::new(Cell::new(0));
    let count = Rc::clone(&started);
    lp.run_until_complete(async move {
        let cancelled = create_task(after(10.0, 0));
        cancelled.cancel();
        yield_now().await;
        let mut children = vec![cancelled];
        for n in 1..=3 {
            let count = Rc::clone(&count);
            children.push(create_task(async move {
                count.set(count.get() + 1);
                n
            }));
        }
        assert!(gather(children).await.is_err());
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(started.get(), 3);
}
