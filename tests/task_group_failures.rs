//! `TaskGroup`: `join` waits for every child, the first failure cancels the
//! rest, every failure is reported, late children are born cancelled, and
//! a group nobody joins cancels its children.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_taskgroups.py`:
//! - `test_taskgroup_01` → `join_waits_for_every_child`
//! - `test_taskgroup_02` → `a_child_added_before_join_is_waited_for`
//! - `test_taskgroup_03` → `a_child_cancelled_explicitly_is_not_a_failure`
//! - `test_taskgroup_04`, `test_cancel_children_on_child_error` →
//!   `the_first_failure_cancels_the_other_children`
//! - `test_cancel_children_on_child_error` (three children failing together)
//!   → `children_failing_at_the_same_instant_are_all_reported`,
//!   `children_failing_in_their_first_step_are_all_reported`
//! - `test_cancellation`, `test_taskgroup_07`, `test_taskgroup_22`,
//!   `test_taskgroup_17` → `cancelling_the_task_awaiting_join_cancels_the_children`
//! - `test_taskgroup_09`, `test_taskgroup_10` (the body fails before the
//!   group is joined) → `dropping_every_handle_without_joining_cancels_the_children`
//! - `test_taskgroup_11`, `test_taskgroup_12` (a join cut short) →
//!   `a_join_dropped_by_a_timeout_cancels_the_children`
//! - `test_taskgroup_13`, `test_taskgroup_14` → `nested_groups_outer_failure_cancels_the_inner_group`,
//!   `nested_groups_inner_failure_fails_the_outer_group`
//! - `test_taskgroup_23` → `running_counts_the_children_that_have_not_ended`
//! - `test_taskgroup_24` → `children_may_add_children_while_join_waits`
//! - `test_taskgroup_25` → `hydra_children_multiply_until_hercules_fails`
//! - `test_taskgroup_no_create_task_after_failure`, `test_coro_closed_when_tg_closed`
//!   → `children_created_after_a_failure_are_born_cancelled`
//! - `test_taskgroup_finished` → `children_created_after_join_are_born_cancelled`
//! - `test_taskgroup_task_name` → `a_child_can_be_named`
//!
//! Left out:
//! - The body of the `async with` as a member of the group (`test_taskgroup_15`,
//!   `test_taskgroup_16`, `test_taskgroup_18`, `test_taskgroup_19`,
//!   `test_cancellation_in_body`): here the body is ordinary code before
//!   `join`, not cancelled by a failing child.
//! - `KeyboardInterrupt` / `SystemExit` / `BaseException` cases
//!   (`test_taskgroup_20`, `test_taskgroup_20a`, `test_taskgroup_21`,
//!   `test_taskgroup_21a`): Rust has no exception hierarchy; a panic aborts.
//! - Entering twice, not entering, no parent task
//!   (`test_taskgroup_already_entered`, `test_taskgroup_double_enter`,
//!   `test_taskgroup_not_entered`, `test_taskgroup_without_parent_task`):
//!   `join` takes the group by value, so these cannot be written.
//! - `context=` arguments, `ExceptionGroup` refcycle tests, `uncancel`
//!   bookkeeping: no Python counterpart here.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, sleep, timeout, yield_now, EventLoop, TaskGroup, TaskGroupError};
mod support;
use support::{flag, now, secs, DropFlag};

async fn ok_after(s: f64, value: u32) -> Result<u32, String> {
    sleep(secs(s)).await;
    Ok(value)
}

async fn fail_after(s: f64, err: &str) -> Result<u32, String> {
    sleep(secs(s)).await;
    Err(err.to_string())
}

/// Sleeps `s` seconds with a guard: `dropped` tells whether it was dropped,
/// `completed` whether it reached its end.
async fn guarded(
    s: f64,
    dropped: Rc<Cell<bool>>,
    completed: Rc<Cell<bool>>,
) -> Result<u32, String> {
    let _guard = DropFlag(dropped);
    sleep(secs(s)).await;
    completed.set(true);
    Ok(0)
}

#[test]
fn join_waits_for_every_child() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let group = TaskGroup::new();
            let t1 = group.create_task(ok_after(0.5, 42));
            let t2 = group.create_task(ok_after(1.0, 11));
            let joined = group.join().await;
            let at = now();
            (joined, at, t1.await, t2.await)
        })
        .block()
        .unwrap();
    assert_eq!(outcome, (Ok(()), 1.0, Ok(Some(42)), Ok(Some(11))));
}

#[test]
fn an_empty_group_joins_at_once() {
    let lp = EventLoop::virtual_clock();
    let joined = lp
        .run_until_complete(TaskGroup::<String>::new().join())
        .block()
        .unwrap();
    assert_eq!(joined, Ok(()));
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn a_child_added_before_join_is_waited_for() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let group = TaskGroup::new();
            let t1 = group.create_task(ok_after(0.5, 42));
            sleep(secs(0.75)).await;
            let t2 = group.create_task(ok_after(1.0, 11));
            let joined = group.join().await;
            (joined, now(), t1.result(), t2.result())
        })
        .block()
        .unwrap();
    assert_eq!(outcome, (Ok(()), 1.75, Ok(Some(42)), Ok(Some(11))));
}

#[test]
fn a_child_cancelled_explicitly_is_not_a_failure() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let group = TaskGroup::new();
            let t1 = group.create_task(ok_after(1.0, 42));
            sleep(secs(0.25)).await;
            t1.cancel();
            let t2 = group.create_task(ok_after(0.5, 11));
            let joined = group.join().await;
            (joined, now(), t1.cancelled(), t2.result())
        })
        .block()
        .unwrap();
    assert_eq!(outcome, (Ok(()), 0.75, true, Ok(Some(11))));
}

#[test]
fn the_first_failure_cancels_the_other_children() {
    let lp = EventLoop::virtual_clock();
    let (dropped, completed) = (flag(), flag());
    let (d, c) = (Rc::clone(&dropped), Rc::clone(&completed));
    let outcome = lp
        .run_until_complete(async move {
            let group = TaskGroup::new();
            let bad = group.create_task(fail_after(0.5, "division by zero"));
            let slow = group.create_task(guarded(5.0, d, c));
            let joined = group.join().await;
            let at = now();
            let slow = slow.await;
            (joined, at, bad.await, slow, now())
        })
        .block()
        .unwrap();
    assert_eq!(
        outcome.0,
        Err(TaskGroupError {
            errors: vec!["division by zero".to_string()]
        })
    );
    assert_eq!(outcome.1, 0.5, "join returned at the failure");
    assert_eq!(outcome.2, Ok(None), "the failed child's handle gives None");
    assert!(outcome.3.is_err(), "the slow child was cancelled");
    assert_eq!(outcome.4, 0.5);
    assert!(dropped.get());
    assert!(!completed.get());
    assert_eq!(lp.time(), 0.5);
}

#[test]
fn children_failing_at_the_same_instant_are_all_reported() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let group = TaskGroup::new();
            for name in ["first", "second", "third"] {
                let _ = group.create_task(fail_after(0.5, name));
            }
            let _ = group.create_task(ok_after(5.0, 0));
            let joined = group.join().await;
            (joined, now())
        })
        .block()
        .unwrap();
    assert_eq!(outcome.1, 0.5);
    assert_eq!(
        outcome.0.unwrap_err().errors,
        ["first", "second", "third"],
        "every failure of that instant is reported, in the order they failed"
    );
}

#[test]
fn children_failing_in_their_first_step_are_all_reported() {
    let lp = EventLoop::virtual_clock();
    let errors = lp
        .run_until_complete(async {
            let group = TaskGroup::<String>::new();
            let _ = group.create_task(async { Err::<(), _>("a".to_string()) });
            let _ = group.create_task(async { Err::<(), _>("b".to_string()) });
            group.join().await
        })
        .block()
        .unwrap()
        .unwrap_err()
        .errors;
    assert_eq!(errors, ["a", "b"]);
}

#[test]
fn every_error_shows_in_the_display() {
    let one = TaskGroupError {
        errors: vec!["boom"],
    };
    assert_eq!(one.to_string(), "1 task of the group failed: boom");
    let two = TaskGroupError {
        errors: vec!["a", "b"],
    };
    assert_eq!(two.to_string(), "2 tasks of the group failed: a; b");
}

#[test]
fn cancelling_the_task_awaiting_join_cancels_the_children() {
    let lp = EventLoop::virtual_clock();
    let dropped: Vec<_> = (0..5).map(|_| flag()).collect();
    let completed = flag();
    let guards: Vec<_> = dropped.iter().map(Rc::clone).collect();
    let c = Rc::clone(&completed);
    let outcome = lp
        .run_until_complete(async move {
            let runner = create_task(async move {
                let group = TaskGroup::new();
                for d in guards {
                    let _ = group.create_task(guarded(5.0, d, Rc::clone(&c)));
                }
                group.join().await
            });
            sleep(secs(0.25)).await;
            assert!(!runner.done());
            runner.cancel_with_message("test");
            let outcome = runner.await;
            yield_now().await; // the children's turn to be dropped
            outcome
        })
        .block()
        .unwrap();
    assert_eq!(outcome.unwrap_err().message(), Some("test"));
    assert!(
        dropped.iter().all(|d| d.get()),
        "all five children were cancelled"
    );
    assert!(!completed.get());
    assert_eq!(lp.time(), 0.25);
}

#[test]
fn a_join_dropped_by_a_timeout_cancels_the_children() {
    let lp = EventLoop::virtual_clock();
    let (dropped, completed) = (flag(), flag());
    let (d, c) = (Rc::clone(&dropped), Rc::clone(&completed));
    let outcome = lp
        .run_until_complete(async move {
            let group = TaskGroup::new();
            let child = group.create_task(guarded(5.0, d, c));
            let outcome = timeout(secs(0.5), group.join()).await;
            (outcome.is_err(), child.await.is_err(), now())
        })
        .block()
        .unwrap();
    assert_eq!(outcome, (true, true, 0.5));
    assert!(dropped.get());
    assert!(!completed.get());
}

#[test]
fn dropping_every_handle_without_joining_cancels_the_children() {
    async fn body(
        dropped: Rc<Cell<bool>>,
        completed: Rc<Cell<bool>>,
        cancelled: Rc<RefCell<Vec<bool>>>,
    ) -> Result<(), String> {
        let group = TaskGroup::new();
        for s in [1.0, 2.0] {
            let cancelled = Rc::clone(&cancelled);
            group
                .create_task(guarded(s, Rc::clone(&dropped), Rc::clone(&completed)))
                .add_done_callback(move |info| cancelled.borrow_mut().push(info.cancelled));
        }
        sleep(secs(0.5)).await;
        Err("the body failed before joining".to_string())?;
        group.join().await.map_err(|err| err.to_string())
    }

    let lp = EventLoop::virtual_clock();
    let (dropped, completed) = (flag(), flag());
    let cancelled = Rc::new(RefCell::new(Vec::new()));
    let (d, c, k) = (
        Rc::clone(&dropped),
        Rc::clone(&completed),
        Rc::clone(&cancelled),
    );
    let outcome = lp
        .run_until_complete(async move {
            let outcome = body(d, c, k).await;
            yield_now().await; // the children's turn to be dropped
            yield_now().await; // their done callbacks
            outcome
        })
        .block()
        .unwrap();
    assert!(outcome.is_err());
    assert_eq!(*cancelled.borrow(), [true, true]);
    assert!(dropped.get());
    assert!(!completed.get());
    assert_eq!(lp.time(), 0.5);
}

#[test]
fn children_created_after_a_failure_are_born_cancelled() {
    let lp = EventLoop::virtual_clock();
    let (ran, dropped) = (flag(), flag());
    let (r, d) = (Rc::clone(&ran), Rc::clone(&dropped));
    let outcome = lp
        .run_until_complete(async move {
            let group = TaskGroup::new();
            let handle = group.clone();
            let _ = group.create_task(fail_after(0.5, "boom"));
            sleep(Duration::from_secs(1)).await;
            let guard = DropFlag(d);
            let late = handle.create_task(async move {
                let _guard = guard;
                r.set(true);
                Ok(1)
            });
            let late = late.await;
            (group.join().await, late)
        })
        .block()
        .unwrap();
    assert_eq!(outcome.0.unwrap_err().errors, ["boom"]);
    assert!(outcome.1.is_err(), "the late child was born cancelled");
    assert!(!ran.get(), "it never ran");
    assert!(dropped.get(), "its future was dropped, not leaked");
}

#[test]
fn children_created_after_join_are_born_cancelled() {
    let lp = EventLoop::virtual_clock();
    let ran = flag();
    let r = Rc::clone(&ran);
    let outcome = lp
        .run_until_complete(async move {
            let group = TaskGroup::<String>::new();
            let handle = group.clone();
            let _ = group.create_task(ok_after(0.5, 1));
            assert_eq!(group.join().await, Ok(()));
            let late = handle.create_task(async move {
                r.set(true);
                Ok(2)
            });
            let late = late.await;
            yield_now().await; // its done callback
            assert_eq!(handle.running(), 0);
            late
        })
        .block()
        .unwrap();
    assert!(outcome.is_err());
    assert!(!ran.get());
    assert_eq!(lp.time(), 0.5);
}

#[test]
fn nested_groups_outer_failure_cancels_the_inner_group() {
    let lp = EventLoop::virtual_clock();
    let (dropped, completed) = (flag(), flag());
    let (d, c) = (Rc::clone(&dropped), Rc::clone(&completed));
    let outcome = lp
        .run_until_complete(async move {
            let outer = TaskGroup::<String>::new();
            let _ = outer.create_task(fail_after(0.1, "ValueError(0.1)"));
            let _ = outer.create_task(async move {
                let inner = TaskGroup::new();
                let _ = inner.create_task(guarded(10.0, d, c));
                inner.join().await.map_err(|err| err.to_string())
            });
            let joined = outer.join().await;
            yield_now().await;
            (joined, now())
        })
        .block()
        .unwrap();
    assert_eq!(outcome.0.unwrap_err().errors, ["ValueError(0.1)"]);
    assert_eq!(outcome.1, 0.1);
    assert!(dropped.get(), "the inner group's child was cancelled");
    assert!(!completed.get());
}

#[test]
fn nested_groups_inner_failure_fails_the_outer_group() {
    let lp = EventLoop::virtual_clock();
    let (dropped, completed) = (flag(), flag());
    let (d, c) = (Rc::clone(&dropped), Rc::clone(&completed));
    let outcome = lp
        .run_until_complete(async move {
            let outer = TaskGroup::<String>::new();
            let _ = outer.create_task(guarded(10.0, d, c));
            let _ = outer.create_task(async {
                let inner = TaskGroup::new();
                let _ = inner.create_task(fail_after(0.1, "ValueError(0.1)"));
                inner.join().await.map_err(|err| err.to_string())
            });
            let joined = outer.join().await;
            yield_now().await;
            (joined, now())
        })
        .block()
        .unwrap();
    assert_eq!(
        outcome.0.unwrap_err().errors,
        ["1 task of the group failed: ValueError(0.1)"]
    );
    assert_eq!(outcome.1, 0.1);
    assert!(dropped.get(), "the outer group's other child was cancelled");
    assert!(!completed.get());
}

#[test]
fn running_counts_the_children_that_have_not_ended() {
    let lp = EventLoop::virtual_clock();
    let counts = lp
        .run_until_complete(async {
            let group = TaskGroup::<String>::new();
            let mut counts = Vec::new();
            for _ in 0..10 {
                sleep(secs(0.125)).await;
                let _ = group.create_task(ok_after(0.375, 0));
                counts.push(group.running());
            }
            sleep(Duration::from_secs(1)).await;
            counts.push(group.running());
            assert_eq!(group.join().await, Ok(()));
            counts
        })
        .block()
        .unwrap();
    // A child lives 0.375 s and one is added every 0.125 s. The child that
    // ends in the instant the next is added still counts: as in Python, the
    // group forgets a child in its done callback, which runs soon after.
    assert_eq!(counts, [1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 0]);
}

#[test]
fn children_may_add_children_while_join_waits() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let group = TaskGroup::<String>::new();
            let handle = group.clone();
            let _ = group.create_task(async move {
                sleep(secs(0.25)).await;
                let _ = handle.create_task(ok_after(0.25, 1));
                let _ = handle.create_task(ok_after(0.5, 2));
                Ok(0)
            });
            let joined = group.join().await;
            (joined, now())
        })
        .block()
        .unwrap();
    assert_eq!(outcome, (Ok(()), 0.75));
}

#[test]
fn hydra_children_multiply_until_hercules_fails() {
    fn hydra(group: TaskGroup<String>, heads: Rc<Cell<u32>>) {
        let handle = group.clone();
        let _ = group.create_task(async move {
            heads.set(heads.get() + 1);
            sleep(secs(0.01)).await;
            hydra(handle.clone(), Rc::clone(&heads));
            hydra(handle, heads);
            Ok(())
        });
    }

    let lp = EventLoop::virtual_clock();
    let heads = Rc::new(Cell::new(0));
    let h = Rc::clone(&heads);
    let outcome = lp
        .run_until_complete(async move {
            let group = TaskGroup::<String>::new();
            hydra(group.clone(), Rc::clone(&h));
            let watcher = Rc::clone(&h);
            let _ = group.create_task(async move {
                while watcher.get() < 10 {
                    sleep(secs(0.015)).await;
                }
                Err::<(), _>("ZeroDivisionError".to_string())
            });
            let joined = group.join().await;
            (joined, now())
        })
        .block()
        .unwrap();
    assert_eq!(outcome.0.unwrap_err().errors, ["ZeroDivisionError"]);
    assert!(heads.get() >= 10);
    assert_eq!(lp.stats().pending_tasks, 0, "every head was cancelled");
}

#[test]
fn a_child_can_be_named() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let group = TaskGroup::<String>::new();
        let child = group.create_task(async {
            yield_now().await;
            Ok(())
        });
        child.set_name("yolo");
        assert_eq!(child.name(), "yolo");
        assert_eq!(group.join().await, Ok(()));
        assert_eq!(child.await, Ok(Some(())));
    })
    .block()
    .unwrap();
}
