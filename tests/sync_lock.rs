//! `Lock` on the virtual clock: mutual exclusion, first come first served,
//! no overtaking, and the lock surviving any cancellation.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_locks.py`, `LockTests`:
//! - `test_lock`, `test_release_no_waiters`: `lock_then_release`
//! - `test_acquire`: `waiters_get_the_lock_in_arrival_order`
//! - `test_acquire_cancel`: `a_cancelled_acquire_leaves_no_waiter`
//! - `test_cancel_race`: `a_waiter_cancelled_as_the_lock_is_released_is_skipped`
//! - `test_cancel_release_race`: `cancel_and_release_in_one_callback_hand_the_lock_to_one_task`
//! - `test_finished_waiter_cancelled`:
//!   `a_waiter_cancelled_after_being_handed_the_lock_passes_it_on`
//! - `test_context_manager`: `the_guard_releases_when_dropped`
//! - `test_repr`: `debug_shows_locked_and_waiters` (as `Debug`)
//!
//! Left out:
//! - `test_release_not_acquired`: releasing is dropping a guard, so a lock
//!   that is not held cannot be released; it does not compile.
//! - `test_context_manager_cant_reuse`: a guard is moved into its scope and
//!   dropped once; reuse does not compile.
//! - `test_lock_by_with_statement`, `test_context_manager_no_yield`: about
//!   Python's `with await lock` syntax.
//! - `test_lock_doesnt_accept_loop_parameter`: there is no `loop=` argument.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, sleep, yield_now, EventLoop, Lock, Task, TraceEvent, WaitReason};

type Log = Rc<RefCell<Vec<u32>>>;

fn now() -> f64 {
    asyncio::get_running_loop().map_or(-1.0, |lp| lp.time())
}

/// A task that takes `lock`, logs `tag` and releases it at once.
fn taker(lock: &Lock, log: &Log, tag: u32) -> Task<()> {
    let (lock, log) = (lock.clone(), Rc::clone(log));
    create_task(async move {
        let _guard = lock.lock().await;
        log.borrow_mut().push(tag);
    })
}

#[test]
fn lock_then_release() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        assert!(!lock.locked());
        let guard = lock.lock().await;
        assert!(lock.locked());
        drop(guard);
        assert!(!lock.locked());
    })
    .block()
    .unwrap();
}

#[test]
fn waiters_get_the_lock_in_arrival_order() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let log = Log::default();
        // Held across the test and released by hand, as CPython's test does.
        let mut held = Some(lock.lock().await);
        let hold_next = |lock: &Lock, log: &Log, tag: u32| {
            let (lock, log) = (lock.clone(), Rc::clone(log));
            create_task(async move {
                let guard = lock.lock().await;
                log.borrow_mut().push(tag);
                guard
            })
        };
        let t1 = hold_next(&lock, &log, 1);
        let t2 = hold_next(&lock, &log, 2);
        yield_now().await;
        assert!(log.borrow().is_empty());

        held.take();
        yield_now().await;
        assert_eq!(*log.borrow(), [1]);
        yield_now().await;
        assert_eq!(*log.borrow(), [1]);

        let t3 = hold_next(&lock, &log, 3);
        drop(t1.await.unwrap()); // t1's guard
        yield_now().await;
        assert_eq!(*log.borrow(), [1, 2]);
        drop(t2.await.unwrap());
        yield_now().await;
        assert_eq!(*log.borrow(), [1, 2, 3]);
        drop(t3.await.unwrap());
        assert!(!lock.locked());
    })
    .block()
    .unwrap();
}

#[test]
fn a_cancelled_acquire_leaves_no_waiter() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let _guard = lock.lock().await;
        let task = {
            let lock = lock.clone();
            create_task(async move { drop(lock.lock().await) })
        };
        let _ = asyncio::get_running_loop()
            .unwrap()
            .call_soon(move || assert!(task.cancel()));
        yield_now().await;
        yield_now().await;
        assert_eq!(format!("{lock:?}"), "Lock { locked: true, waiters: 0 }");
    })
    .block()
    .unwrap();
}

#[test]
fn a_waiter_cancelled_as_the_lock_is_released_is_skipped() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let log = Log::default();
        let a_guard = lock.lock().await; // A holds the lock
        let tb = taker(&lock, &log, 2);
        yield_now().await;
        let tc = taker(&lock, &log, 3);
        yield_now().await;
        assert_eq!(format!("{lock:?}"), "Lock { locked: true, waiters: 2 }");

        // In one turn: B is cancelled, then A releases.
        assert!(tb.cancel());
        drop(a_guard);
        yield_now().await;
        assert!(tb.await.is_err());
        tc.await.unwrap();
        assert_eq!(*log.borrow(), [3]);
        assert!(!lock.locked());
    })
    .block()
    .unwrap();
}

#[test]
fn cancel_and_release_in_one_callback_hand_the_lock_to_one_task() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let calls = Rc::new(Cell::new(0));
        let taken = Rc::new(Cell::new(0));
        let guard = lock.lock().await;
        let lockit = || {
            let (lock, calls, taken) = (lock.clone(), Rc::clone(&calls), Rc::clone(&taken));
            create_task(async move {
                calls.set(calls.get() + 1);
                let guard = lock.lock().await;
                taken.set(taken.get() + 1);
                std::mem::forget(guard); // keeps the lock, as the CPython test does
            })
        };
        let t1 = Rc::new(lockit());
        let t2 = lockit();
        let t3 = lockit();
        yield_now().await;

        let victim = Rc::clone(&t1);
        let mut held = Some(guard);
        let _ = asyncio::get_running_loop().unwrap().call_soon(move || {
            victim.cancel();
            held.take(); // release
        });
        for _ in 0..3 {
            yield_now().await;
        }
        assert!(t1.cancelled());
        assert_eq!(taken.get(), 1, "exactly one task took the lock");
        assert_eq!(calls.get(), 3);
        assert!(t2.done());
        assert!(!t3.done());
        t3.cancel();
        yield_now().await;
        assert!(t3.cancelled());
    })
    .block()
    .unwrap();
}

#[test]
fn a_waiter_cancelled_after_being_handed_the_lock_passes_it_on() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let log = Log::default();
        let guard = lock.lock().await;
        let tb = taker(&lock, &log, 2);
        yield_now().await;
        let tc = taker(&lock, &log, 3);
        yield_now().await;
        // Release first (the lock is handed to B), then cancel B before it runs.
        drop(guard);
        assert!(lock.locked(), "handed to B, not free");
        assert!(lock.try_lock().is_none());
        assert!(tb.cancel());
        yield_now().await;
        assert!(tb.cancelled());
        tc.await.unwrap();
        assert_eq!(*log.borrow(), [3]);
        assert_eq!(format!("{lock:?}"), "Lock { locked: false, waiters: 0 }");
    })
    .block()
    .unwrap();
}

#[test]
fn the_guard_releases_when_dropped() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        {
            let _guard = lock.lock().await;
            assert!(lock.locked());
        }
        assert!(!lock.locked());
    })
    .block()
    .unwrap();
}

#[test]
fn debug_shows_locked_and_waiters() {
    let lock = Lock::new();
    assert_eq!(format!("{lock:?}"), "Lock { locked: false, waiters: 0 }");
    let guard = lock.try_lock().unwrap();
    assert_eq!(format!("{lock:?}"), "Lock { locked: true, waiters: 0 }");
    assert_eq!(format!("{guard:?}"), "LockGuard { .. }");
}

#[test]
fn ten_tasks_take_the_lock_in_the_order_they_queued() {
    let lp = EventLoop::virtual_clock();
    let order = lp
        .run_until_complete(async {
            let lock = Lock::new();
            let log = Log::default();
            let guard = lock.lock().await;
            // Queue in the order 9, 8, ..., 0: one task per turn.
            let mut tasks = Vec::new();
            for tag in (0..10).rev() {
                tasks.push(taker(&lock, &log, tag));
                yield_now().await;
            }
            drop(guard);
            for task in tasks {
                task.await.unwrap();
            }
            log.take()
        })
        .block()
        .unwrap();
    assert_eq!(order, (0..10).rev().collect::<Vec<_>>());
}

#[test]
fn a_new_arrival_never_overtakes_queued_waiters() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let log = Log::default();
        let guard = lock.lock().await;
        let queued = taker(&lock, &log, 1);
        yield_now().await;
        drop(guard);
        // The lock is on its way to task 1: neither a try nor a new lock()
        // may take it first.
        assert!(lock.try_lock().is_none());
        let late = taker(&lock, &log, 2);
        let guard = lock.lock().await; // main queues behind task 1, not task 2
        log.borrow_mut().push(0);
        drop(guard);
        queued.await.unwrap();
        late.await.unwrap();
        assert_eq!(*log.borrow(), [1, 0, 2]);
    })
    .block()
    .unwrap();
}

#[test]
fn three_workers_hold_the_lock_one_second_each() {
    let lp = EventLoop::virtual_clock();
    let ends = lp
        .run_until_complete(async {
            let lock = Lock::new();
            let workers: Vec<_> = (0..3)
                .map(|_| {
                    let lock = lock.clone();
                    create_task(async move {
                        let _guard = lock.lock().await;
                        sleep(Duration::from_secs(1)).await;
                        now()
                    })
                })
                .collect();
            let mut ends = Vec::new();
            for worker in workers {
                ends.push(worker.await.unwrap());
            }
            ends
        })
        .block()
        .unwrap();
    assert_eq!(ends, [1.0, 2.0, 3.0]);
}

#[test]
fn cancelling_the_holder_releases_the_lock() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let holder = {
            let lock = lock.clone();
            create_task(async move {
                let _guard = lock.lock().await;
                sleep(Duration::from_secs(60)).await;
            })
        };
        yield_now().await;
        assert!(lock.locked());
        sleep(Duration::from_secs(1)).await;
        holder.cancel();
        let _guard = lock.lock().await;
        assert_eq!(now(), 1.0);
    })
    .block()
    .unwrap();
}

#[test]
fn a_thousand_cancelled_waiters_leave_the_lock_as_it_was() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let log = Log::default();
        let guard = lock.lock().await;
        let tasks: Vec<_> = (0..1000).map(|tag| taker(&lock, &log, tag)).collect();
        yield_now().await;
        assert_eq!(format!("{lock:?}"), "Lock { locked: true, waiters: 1000 }");
        drop(guard); // handed to the first
        for task in &tasks {
            task.cancel();
        }
        for task in tasks {
            assert!(task.await.is_err());
        }
        assert!(log.borrow().is_empty());
        assert_eq!(format!("{lock:?}"), "Lock { locked: false, waiters: 0 }");
        assert!(lock.try_lock().is_some());
    })
    .block()
    .unwrap();
}

#[test]
fn a_queued_acquire_records_one_lock_wait_in_the_trace() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    lp.run_until_complete(async {
        let lock = Lock::new();
        let holder = {
            let lock = lock.clone();
            create_task(async move {
                let _guard = lock.lock().await;
                sleep(Duration::from_secs(1)).await;
            })
        };
        yield_now().await;
        let _guard = lock.lock().await;
        holder.await.unwrap();
    })
    .block()
    .unwrap();
    let lock_waits: Vec<_> = lp
        .trace()
        .into_iter()
        .filter(|record| {
            matches!(
                record.event,
                TraceEvent::Waiting {
                    on: WaitReason::Lock,
                    ..
                }
            )
        })
        .map(|record| record.at_ms)
        .collect();
    assert_eq!(lock_waits, [0.0]);
}
