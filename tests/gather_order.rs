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
//! - `test_one_exception` → `try_gather_returns_the_first_error_and_cancels_the_rest`,
//!   `try_gather_returns_the_error_that_happened_first_within_one_instant`,
//!   `try_gather_with_an_already_failed_first_child_cancels_every_other`
//! - `test_cancellation_broadcast`, `test_cancel_gather_1`,
//!   `test_cancel_gather_2` → `cancelling_the_awaiting_task_cancels_the_children`,
//!   `cancelling_a_gather_results_awaiter_cancels_the_children`,
//!   `dropping_a_gather_macro_future_cancels_its_children`
//! - `test_constructor_heterogenous_futures` (types, not loops) →
//!   `gather_macro_joins_different_types`
//! - `test_constructor_use_running_loop`, `test_constructor_without_loop`
//!   → `gather_makes_its_tasks_at_first_poll`,
//!   `run_until_complete_of_a_gather_made_outside_the_loop`
//! - `test_exception_marking` → `try_gather_leaves_a_child_that_already_finished_alone`
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
    create_task, gather, gather_results, get_running_loop, sleep, try_gather, yield_now, Cancelled,
    EventLoop, GatherError, TaskId, TraceEvent,
};

/// Sets its flag when dropped: proves a future's destructors ran.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

fn flag() -> Rc<Cell<bool>> {
    Rc::new(Cell::new(false))
}

fn now() -> f64 {
    get_running_loop().unwrap().time()
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

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
