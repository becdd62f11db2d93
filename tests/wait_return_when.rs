//! `wait`: when it returns for each `ReturnWhen`, with and without a
//! timeout, what it gives back (input order inside `done` and `pending`),
//! and that it never cancels anything itself.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_tasks.py`:
//! - `test_wait` → `all_completed_waits_for_every_task`
//! - `test_wait_first_completed` → `first_completed_returns_at_the_first_end_and_cancels_nothing`
//! - `test_wait_really_done` → `first_completed_reports_every_task_done_by_then`
//! - `test_wait_first_exception` → `first_exception_returns_at_the_first_err`
//! - `test_wait_first_exception_in_wait` → `first_exception_raised_while_waiting`
//! - `test_wait_with_exception` → `all_completed_keeps_failed_tasks_in_done_with_their_errors`
//! - `test_wait_with_timeout` → `a_timeout_returns_at_the_deadline_with_what_is_done`
//! - `test_wait_concurrent_complete` → `a_task_ending_at_the_deadline_counts_as_done`
//! - `test_wait_with_iterator_of_tasks` → `any_iterator_of_tasks_is_accepted`
//! - `test_wait_errors` (empty set) → `an_empty_wait_returns_at_once` (here not
//!   an error: two empty lists)
//!
//! Added for this port: cancelled tasks are not exceptions, `Fallible` for
//! an output type of one's own, already-done tasks, and cancelling the
//! awaiting task leaves the tasks running.
//!
//! Left out:
//! - `test_wait_duplicate_coroutines`: a `Task` is moved into `wait`, so it
//!   cannot be passed twice.
//! - `test_wait_errors` (a bad `return_when` value): `ReturnWhen` is an enum.
//! - coroutines passed to `wait` (deprecated, then an error, in Python):
//!   `wait` takes `Task`s only, so the question does not arise.
//! - `loop=` arguments and the `*_with_global_loop` variants.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, sleep, wait, yield_now, EventLoop, Fallible, ReturnWhen, Task};
mod support;
use support::{now, secs};

async fn after(s: f64) -> f64 {
    sleep(secs(s)).await;
    s
}

async fn fail_after(s: f64) -> Result<f64, String> {
    sleep(secs(s)).await;
    Err(format!("failed at {s}"))
}

async fn ok_after(s: f64) -> Result<f64, String> {
    sleep(secs(s)).await;
    Ok(s)
}

fn ids<T>(tasks: &[Task<T>]) -> Vec<asyncio::TaskId> {
    tasks.iter().map(Task::id).collect()
}

#[test]
fn all_completed_waits_for_every_task() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks = [create_task(after(1.5)), create_task(after(0.5))];
        let order = ids(&tasks);
        let (done, pending) = wait(tasks, None, ReturnWhen::AllCompleted).await;
        assert_eq!(now(), 1.5);
        assert_eq!(ids(&done), order, "done keeps the order given");
        assert!(pending.is_empty());
        let values: Vec<_> = done.iter().map(|t| t.result().unwrap()).collect();
        assert_eq!(values, [1.5, 0.5]);
    })
    .block()
    .unwrap();
    assert_eq!(ReturnWhen::default(), ReturnWhen::AllCompleted);
}

#[test]
fn first_completed_returns_at_the_first_end_and_cancels_nothing() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let slow = create_task(after(10.0));
        let fast = create_task(after(0.5));
        let (slow_id, fast_id) = (slow.id(), fast.id());
        let (done, mut pending) = wait([slow, fast], None, ReturnWhen::FirstCompleted).await;
        assert_eq!(now(), 0.5);
        assert_eq!(ids(&done), [fast_id]);
        assert_eq!(ids(&pending), [slow_id]);
        let slow = pending.remove(0);
        assert!(!slow.done() && !slow.cancelled(), "still running");
        assert_eq!(slow.await, Ok(10.0));
        assert_eq!(now(), 10.0);
    })
    .block()
    .unwrap();
}

#[test]
fn first_completed_reports_every_task_done_by_then() {
    // `a` ends first and wakes the waiter, but `b` ends before the waiter's
    // turn: both are done when it looks.
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let a = create_task(yield_now());
        let b = create_task(yield_now());
        let order = [b.id(), a.id()];
        let (done, pending) = wait([b, a], None, ReturnWhen::FirstCompleted).await;
        assert_eq!(ids(&done), order);
        assert!(pending.is_empty());
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn first_exception_returns_at_the_first_err() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let slow = create_task(ok_after(10.0));
        let bad = create_task(fail_after(1.0));
        let (done, pending) = wait([slow, bad], None, ReturnWhen::FirstException).await;
        assert_eq!(now(), 1.0);
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].result(), Ok(Err("failed at 1".to_string())));
        assert_eq!(pending.len(), 1);
        assert!(!pending[0].done(), "the other task is still running");
        sleep(Duration::from_secs(10)).await;
        assert_eq!(pending[0].result(), Ok(Ok(10.0)));
    })
    .block()
    .unwrap();
}

#[test]
fn first_exception_raised_while_waiting() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let first = create_task(ok_after(0.5));
        let bad = create_task(fail_after(1.0));
        let slow = create_task(ok_after(10.0));
        let order = [first.id(), bad.id()];
        let (done, pending) = wait([first, bad, slow], None, ReturnWhen::FirstException).await;
        assert_eq!(now(), 1.0, "an Ok at 0.5 s does not end the wait");
        assert_eq!(ids(&done), order);
        assert_eq!(pending.len(), 1);
    })
    .block()
    .unwrap();
}

#[test]
fn first_exception_without_errors_waits_for_all() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks = [create_task(ok_after(2.0)), create_task(ok_after(1.0))];
        let (done, pending) = wait(tasks, None, ReturnWhen::FirstException).await;
        assert_eq!(now(), 2.0);
        assert_eq!(done.len(), 2);
        assert!(pending.is_empty());
    })
    .block()
    .unwrap();
}

#[test]
fn a_cancelled_task_is_not_an_exception() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let doomed = create_task(ok_after(5.0));
        doomed.cancel();
        let other = create_task(ok_after(2.0));
        let (done, pending) = wait([doomed, other], None, ReturnWhen::FirstException).await;
        assert_eq!(now(), 2.0, "the cancellation at 0 s did not end the wait");
        assert!(done[0].cancelled());
        assert_eq!(done[1].result(), Ok(Ok(2.0)));
        assert!(pending.is_empty());
    })
    .block()
    .unwrap();
}

#[test]
fn all_completed_keeps_failed_tasks_in_done_with_their_errors() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks = [create_task(fail_after(0.5)), create_task(ok_after(1.0))];
        let (done, pending) = wait(tasks, None, ReturnWhen::AllCompleted).await;
        assert_eq!(now(), 1.0, "an Err does not end an AllCompleted wait");
        assert!(pending.is_empty());
        let mut done = done.into_iter();
        assert_eq!(
            done.next().unwrap().await,
            Ok(Err("failed at 0.5".to_string()))
        );
        assert_eq!(done.next().unwrap().await, Ok(Ok(1.0)));
    })
    .block()
    .unwrap();
}

#[test]
fn a_timeout_returns_at_the_deadline_with_what_is_done() {
    let finished = Rc::new(Cell::new(false));
    let flag = Rc::clone(&finished);
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        let fast = create_task(after(0.5));
        let slow = create_task(async move {
            sleep(Duration::from_secs(3)).await;
            flag.set(true);
            3.0
        });
        let (fast_id, slow_id) = (fast.id(), slow.id());
        let (done, pending) = wait([slow, fast], Some(secs(1.5)), ReturnWhen::AllCompleted).await;
        assert_eq!(now(), 1.5);
        assert_eq!(ids(&done), [fast_id]);
        assert_eq!(ids(&pending), [slow_id]);
        assert!(
            !pending[0].cancelled(),
            "wait cancels nothing at its deadline"
        );
        sleep(Duration::from_secs(2)).await;
        assert!(pending[0].done());
    })
    .block()
    .unwrap();
    assert!(finished.get(), "the pending task ran to its end");
    assert_eq!(lp.time(), 3.5);
}

#[test]
fn a_timeout_with_nothing_done_gives_everything_pending() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        for when in [ReturnWhen::FirstCompleted, ReturnWhen::FirstException] {
            let start = now();
            let tasks = [create_task(ok_after(5.0)), create_task(ok_after(6.0))];
            let (done, pending) = wait(tasks, Some(secs(0.25)), when).await;
            assert_eq!(now() - start, 0.25);
            assert!(done.is_empty());
            assert_eq!(pending.len(), 2);
            for task in &pending {
                assert!(!task.done());
                task.cancel();
            }
        }
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 0.5);
}

#[test]
fn a_task_ending_at_the_deadline_counts_as_done() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let on_time = create_task(after(1.0));
        let late = create_task(after(1.5));
        // As in Python, the tasks start (and arm their timers) before the
        // wait arms its deadline: equal deadlines fire in the order set.
        yield_now().await;
        let (done, pending) =
            wait([on_time, late], Some(secs(1.0)), ReturnWhen::AllCompleted).await;
        assert_eq!(now(), 1.0);
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].result(), Ok(1.0));
        assert_eq!(pending.len(), 1);
    })
    .block()
    .unwrap();
}

#[test]
fn a_timeout_unused_does_not_delay_the_return() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks = [create_task(after(1.0))];
        let (done, pending) = wait(tasks, Some(secs(10.0)), ReturnWhen::AllCompleted).await;
        assert_eq!((done.len(), pending.len()), (1, 0));
        assert_eq!(now(), 1.0);
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 1.0);
}

#[test]
fn tasks_already_done_return_at_once() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks = [create_task(async { 1u8 }), create_task(async { 2u8 })];
        yield_now().await;
        for when in [
            ReturnWhen::FirstCompleted,
            ReturnWhen::FirstException,
            ReturnWhen::AllCompleted,
        ] {
            let tasks = [create_task(async { 1u8 }), create_task(async { 2u8 })];
            yield_now().await;
            let (done, pending) = wait(tasks, None, when).await;
            assert_eq!((done.len(), pending.len()), (2, 0));
        }
        let (done, _) = wait(tasks, None, ReturnWhen::FirstCompleted).await;
        let values: Vec<_> = done.iter().map(|t| t.result().unwrap()).collect();
        assert_eq!(values, [1, 2]);
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn an_empty_wait_returns_at_once() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        for when in [
            ReturnWhen::FirstCompleted,
            ReturnWhen::FirstException,
            ReturnWhen::AllCompleted,
        ] {
            let (done, pending) = wait(Vec::<Task<u32>>::new(), Some(secs(5.0)), when).await;
            assert!(done.is_empty() && pending.is_empty());
        }
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn any_iterator_of_tasks_is_accepted() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks = (1..=3).map(|s| create_task(after(f64::from(s))));
        let (done, pending) = wait(tasks, None, ReturnWhen::AllCompleted).await;
        let values: Vec<_> = done.iter().map(|t| t.result().unwrap()).collect();
        assert_eq!(values, [1.0, 2.0, 3.0]);
        assert!(pending.is_empty());
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 3.0);
}

#[derive(Clone, Debug, PartialEq)]
enum Reply {
    Page(u32),
    NotFound,
}

impl Fallible for Reply {
    fn is_error(&self) -> bool {
        matches!(self, Reply::NotFound)
    }
}

#[test]
fn fallible_of_ones_own_type_drives_first_exception() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let fetch = |s: f64, reply: Reply| {
            create_task(async move {
                sleep(secs(s)).await;
                reply
            })
        };
        let tasks = [
            fetch(0.5, Reply::Page(1)),
            fetch(1.0, Reply::NotFound),
            fetch(2.0, Reply::Page(3)),
        ];
        let (done, pending) = wait(tasks, None, ReturnWhen::FirstException).await;
        assert_eq!(now(), 1.0);
        let replies: Vec<_> = done.iter().map(|t| t.result().unwrap()).collect();
        assert_eq!(replies, [Reply::Page(1), Reply::NotFound]);
        assert_eq!(pending.len(), 1);
    })
    .block()
    .unwrap();
}

#[test]
fn plain_values_never_count_as_exceptions() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let none: Task<Option<u8>> = create_task(async {
            sleep(secs(0.5)).await;
            None
        });
        let some = create_task(async {
            sleep(secs(1.0)).await;
            Some(1)
        });
        let (done, _) = wait([none, some], None, ReturnWhen::FirstException).await;
        assert_eq!(done.len(), 2);
        assert_eq!(now(), 1.0);
    })
    .block()
    .unwrap();
}

#[test]
fn cancelling_the_awaiting_task_leaves_the_tasks_running() {
    let finished = Rc::new(Cell::new(0));
    let count = Rc::clone(&finished);
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        let tasks: Vec<_> = [1.0, 2.0]
            .into_iter()
            .map(|s| {
                let count = Rc::clone(&count);
                create_task(async move {
                    sleep(secs(s)).await;
                    count.set(count.get() + 1);
                })
            })
            .collect();
        let waiter = create_task(wait(tasks, None, ReturnWhen::AllCompleted));
        sleep(secs(0.5)).await;
        waiter.cancel();
        assert!(waiter.await.is_err());
        sleep(Duration::from_secs(2)).await;
    })
    .block()
    .unwrap();
    assert_eq!(finished.get(), 2, "both tasks ran to their end");
    assert_eq!(lp.time(), 2.5);
}

#[test]
fn done_tasks_keep_their_values_for_awaiting() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks = [create_task(after(1.0))];
        let (done, _) = wait(tasks, None, ReturnWhen::FirstCompleted).await;
        let task = done.into_iter().next().unwrap();
        assert_eq!(task.result(), Ok(1.0));
        assert_eq!(task.await, Ok(1.0));
    })
    .block()
    .unwrap();
}
