//! `Condition` on the virtual clock: wait, wait_for, notify, notify_all,
//! shared locks, and notifications surviving cancellation.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_locks.py`,
//! `ConditionTests`:
//! - `test_wait`: `notified_waiters_resume_one_at_a_time_as_they_get_the_lock`
//! - `test_wait_cancel`: `a_cancelled_wait_leaves_no_waiter_and_the_lock_free`
//! - `test_wait_cancel_contested`: `a_wait_cancelled_while_retaking_a_contested_lock`
//! - `test_wait_cancel_after_notify`: `a_wait_cancelled_after_notify_ends_cancelled`
//! - `test_wait_for`: `wait_for_returns_once_the_predicate_holds`
//! - `test_wait_for_unacquired` (its first half): `wait_for_a_true_predicate_does_not_wait`
//! - `test_notify`: `notify_wakes_that_many_oldest_first`
//! - `test_notify_all`: `notify_all_wakes_every_waiter`
//! - `test_context_manager`: `the_guard_releases_the_condition`
//! - `test_explicit_lock`: `a_condition_on_an_explicit_lock_shares_it`
//! - `test_timeout_in_block`: `a_timed_out_wait_releases_the_lock`
//! - `test_cancelled_wakeup`: `a_waiter_cancelled_as_it_is_notified_passes_the_notification_on`
//! - `test_cancelled_wakeup_relock`:
//!   `a_waiter_cancelled_while_retaking_the_lock_passes_the_notification_on`
//! - `test_cancelled_error_re_aquire`:
//!   `cancelling_while_retaking_the_lock_ends_with_the_cancel_message`
//! - `test_repr`: `debug_shows_locked_and_waiters` (as `Debug`)
//!
//! Left out:
//! - `test_wait_unacquired`, the second half of `test_wait_for_unacquired`,
//!   `test_notify_unacquired`, `test_notify_all_unacquired`: `wait`,
//!   `wait_for`, `notify` and `notify_all` take the lock's guard, so calling
//!   them without holding the lock does not compile.
//! - `test_cancelled_error_wakeup`: checks that the very same exception
//!   object is re-raised, which has no Rust counterpart; the behaviour
//!   around it is in `cancelling_while_retaking_the_lock_ends_with_the_cancel_message`.
//! - `test_ambiguous_loops`, `test_ctor_loop`, `test_lock_doesnt_accept_loop_parameter`:
//!   there is no `loop=` argument; primitives belong to no loop.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{
    create_task, sleep, timeout, yield_now, Condition, EventLoop, Lock, Task, TraceEvent,
    WaitReason,
};

type Log = Rc<RefCell<Vec<u32>>>;

fn now() -> f64 {
    asyncio::get_running_loop().map_or(-1.0, |lp| lp.time())
}

/// A task that takes the lock, waits once, logs `tag` and keeps the lock
/// (its guard is returned).
fn wait_once(cond: &Condition, log: &Log, tag: u32) -> Task<asyncio::LockGuard> {
    let (cond, log) = (cond.clone(), Rc::clone(log));
    create_task(async move {
        let guard = cond.lock().await;
        let guard = cond.wait(guard).await;
        log.borrow_mut().push(tag);
        guard
    })
}

/// A task that takes the lock, waits once, logs `tag` and releases.
fn wait_and_release(cond: &Condition, log: &Log, tag: u32) -> Task<()> {
    let (cond, log) = (cond.clone(), Rc::clone(log));
    create_task(async move {
        let guard = cond.lock().await;
        let _guard = cond.wait(guard).await;
        log.borrow_mut().push(tag);
    })
}

#[test]
fn notified_waiters_resume_one_at_a_time_as_they_get_the_lock() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let log = Log::default();
        let t1 = wait_once(&cond, &log, 1);
        let t2 = wait_once(&cond, &log, 2);
        let t3 = wait_once(&cond, &log, 3);
        yield_now().await;
        assert!(log.borrow().is_empty());
        assert!(!cond.locked());

        let guard = cond.lock().await;
        assert_eq!(cond.notify(&guard, 1), 1);
        yield_now().await;
        assert!(log.borrow().is_empty(), "t1 needs the lock first");
        assert!(cond.locked());

        drop(guard);
        yield_now().await;
        assert_eq!(*log.borrow(), [1]);
        assert!(cond.locked(), "t1 keeps it");

        let guard = t1.await.unwrap();
        assert_eq!(cond.notify(&guard, 2), 2);
        yield_now().await;
        assert_eq!(*log.borrow(), [1]);

        drop(guard);
        yield_now().await;
        assert_eq!(*log.borrow(), [1, 2]);
        drop(t2.await.unwrap());
        yield_now().await;
        assert_eq!(*log.borrow(), [1, 2, 3]);
        assert!(cond.locked());
        drop(t3.await.unwrap());
        assert!(!cond.locked());
    })
    .block()
    .unwrap();
}

#[test]
fn a_cancelled_wait_leaves_no_waiter_and_the_lock_free() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let guard = cond.lock().await;
        let wait = {
            let cond = cond.clone();
            create_task(async move { drop(cond.wait(guard).await) })
        };
        let _ = asyncio::get_running_loop()
            .unwrap()
            .call_soon(move || assert!(wait.cancel()));
        yield_now().await;
        yield_now().await;
        // CPython re-takes the lock for the cancelled waiter, whose
        // `async with` then releases it; here the guard went with the wait.
        assert_eq!(
            format!("{cond:?}"),
            "Condition { locked: false, waiters: 0 }"
        );
    })
    .block()
    .unwrap();
}

#[test]
fn a_wait_cancelled_while_retaking_a_contested_lock() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let guard = cond.lock().await;
        let wait_task = {
            let cond = cond.clone();
            create_task(async move { cond.wait(guard).await })
        };
        yield_now().await;
        assert!(!cond.locked());

        // Notify, but hold the lock, then cancel and release in callbacks.
        let guard = cond.lock().await;
        assert_eq!(cond.notify(&guard, 1), 1);
        let lp = asyncio::get_running_loop().unwrap();
        let wait_task = Rc::new(wait_task);
        let victim = Rc::clone(&wait_task);
        let _ = lp.call_soon(move || assert!(victim.cancel()));
        let mut held = Some(guard);
        let _ = lp.call_soon(move || drop(held.take()));
        for _ in 0..3 {
            yield_now().await;
        }
        assert!(wait_task.cancelled());
        assert_eq!(
            format!("{cond:?}"),
            "Condition { locked: false, waiters: 0 }"
        );
    })
    .block()
    .unwrap();
}

#[test]
fn a_wait_cancelled_after_notify_ends_cancelled() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let waited = Rc::new(Cell::new(false));
        let waiter = {
            let (cond, waited) = (cond.clone(), Rc::clone(&waited));
            create_task(async move {
                let guard = cond.lock().await;
                waited.set(true);
                let _guard = cond.wait(guard).await;
            })
        };
        yield_now().await; // start waiting

        let guard = cond.lock().await;
        cond.notify(&guard, 1);
        yield_now().await; // the waiter queues for the lock
        waiter.cancel();
        yield_now().await; // the cancellation takes effect
        drop(guard);
        yield_now().await;
        assert!(waiter.cancelled());
        assert!(waited.get());
        assert!(!cond.locked());
    })
    .block()
    .unwrap();
}

#[test]
fn wait_for_returns_once_the_predicate_holds() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let ready = Rc::new(Cell::new(false));
        let log = Log::default();
        let t = {
            let (cond, ready, log) = (cond.clone(), Rc::clone(&ready), Rc::clone(&log));
            create_task(async move {
                let guard = cond.lock().await;
                let _guard = cond.wait_for(guard, || ready.get()).await;
                log.borrow_mut().push(1);
            })
        };
        yield_now().await;
        assert!(log.borrow().is_empty());

        let guard = cond.lock().await;
        cond.notify(&guard, 1);
        drop(guard);
        yield_now().await;
        assert!(
            log.borrow().is_empty(),
            "woken, predicate false, waits again"
        );

        ready.set(true);
        let guard = cond.lock().await;
        cond.notify(&guard, 1);
        drop(guard);
        yield_now().await;
        assert_eq!(*log.borrow(), [1]);
        assert!(t.done());
    })
    .block()
    .unwrap();
}

#[test]
fn wait_for_a_true_predicate_does_not_wait() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let guard = cond.lock().await;
        let calls = Cell::new(0);
        let guard = cond
            .wait_for(guard, || {
                calls.set(calls.get() + 1);
                true
            })
            .await;
        assert_eq!(calls.get(), 1);
        assert!(cond.locked());
        drop(guard);
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn notify_wakes_that_many_oldest_first() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let log = Log::default();
        let tasks: Vec<_> = (1..=3)
            .map(|tag| wait_and_release(&cond, &log, tag))
            .collect();
        yield_now().await;
        assert!(log.borrow().is_empty());

        let guard = cond.lock().await;
        assert_eq!(cond.notify(&guard, 1), 1);
        drop(guard);
        yield_now().await;
        assert_eq!(*log.borrow(), [1]);

        let guard = cond.lock().await;
        assert_eq!(cond.notify(&guard, 1), 1);
        assert_eq!(cond.notify(&guard, 2048), 1, "only one was left waiting");
        drop(guard);
        yield_now().await;
        assert_eq!(*log.borrow(), [1, 2, 3]);
        for task in tasks {
            assert!(task.done());
        }
    })
    .block()
    .unwrap();
}

#[test]
fn notify_all_wakes_every_waiter() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let log = Log::default();
        let t1 = wait_and_release(&cond, &log, 1);
        let t2 = wait_and_release(&cond, &log, 2);
        yield_now().await;
        let guard = cond.lock().await;
        assert_eq!(cond.notify_all(&guard), 2);
        drop(guard);
        yield_now().await;
        assert_eq!(*log.borrow(), [1, 2]);
        assert!(t1.done() && t2.done());
    })
    .block()
    .unwrap();
}

#[test]
fn the_guard_releases_the_condition() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        assert!(!cond.locked());
        {
            let _guard = cond.lock().await;
            assert!(cond.locked());
        }
        assert!(!cond.locked());
    })
    .block()
    .unwrap();
}

#[test]
fn a_condition_on_an_explicit_lock_shares_it() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let lock = Lock::new();
        let cond = Condition::with_lock(lock.clone());
        assert!(!lock.locked() && !cond.locked());
        {
            let _guard = cond.lock().await;
            assert!(lock.locked() && cond.locked());
        }
        assert!(!lock.locked() && !cond.locked());
        {
            let _guard = lock.lock().await;
            assert!(lock.locked() && cond.locked());
        }
        assert!(!lock.locked() && !cond.locked());
    })
    .block()
    .unwrap();
}

#[test]
fn a_timed_out_wait_releases_the_lock() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let guard = cond.lock().await;
        let outcome = timeout(Duration::from_millis(500), cond.wait(guard)).await;
        assert!(outcome.is_err());
        assert_eq!(now(), 0.5);
        assert_eq!(
            format!("{cond:?}"),
            "Condition { locked: false, waiters: 0 }"
        );
    })
    .block()
    .unwrap();
}

/// Two consumers of a counter guarded by the condition. The producer
/// notifies one and, in the same turn, that one is cancelled: the
/// notification must reach the other consumer.
#[test]
fn a_waiter_cancelled_as_it_is_notified_passes_the_notification_on() {
    cancelled_consumer_passes_the_notification_on(false);
}

/// As above, but the notified consumer is cancelled later, while it queues
/// to take the lock back.
#[test]
fn a_waiter_cancelled_while_retaking_the_lock_passes_the_notification_on() {
    cancelled_consumer_passes_the_notification_on(true);
}

fn cancelled_consumer_passes_the_notification_on(let_it_queue_for_the_lock: bool) {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        let cond = Condition::new();
        let state = Rc::new(Cell::new(0i32));
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let (cond, state) = (cond.clone(), Rc::clone(&state));
                create_task(async move {
                    let mut guard = cond.lock().await;
                    loop {
                        guard = cond.wait_for(guard, || state.get() != 0).await;
                        if state.get() < 0 {
                            return;
                        }
                        state.set(state.get() - 1);
                    }
                })
            })
            .collect();
        yield_now().await;

        let guard = cond.lock().await;
        state.set(state.get() + 1);
        assert_eq!(cond.notify(&guard, 1), 1);
        if let_it_queue_for_the_lock {
            yield_now().await;
        }
        consumers[0].cancel();
        // Wait (releasing the lock) for the item to be consumed.
        let _ = timeout(
            Duration::from_millis(10),
            cond.wait_for(guard, || state.get() == 0),
        )
        .await;
        assert_eq!(state.get(), 0, "the notification was not lost");

        let guard = cond.lock().await;
        state.set(-1);
        cond.notify_all(&guard);
        drop(guard);
        let mut consumers = consumers.into_iter();
        assert!(consumers.next().unwrap().await.is_err());
        assert_eq!(consumers.next().unwrap().await, Ok(()));
    })
    .block()
    .unwrap();
}

#[test]
fn cancelling_while_retaking_the_lock_ends_with_the_cancel_message() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let wake = Rc::new(Cell::new(false));
        let task = {
            let (cond, wake) = (cond.clone(), Rc::clone(&wake));
            create_task(async move {
                let guard = cond.lock().await;
                let _guard = cond.wait_for(guard, || wake.get()).await;
            })
        };
        yield_now().await; // waiting on the condition
        let guard = cond.lock().await;
        wake.set(true);
        cond.notify(&guard, 1);
        yield_now().await; // now queued for the lock
        task.cancel_with_message("foo");
        drop(guard);
        let err = task.await.unwrap_err();
        assert_eq!(err.message(), Some("foo"));
        assert_eq!(
            format!("{cond:?}"),
            "Condition { locked: false, waiters: 0 }"
        );
    })
    .block()
    .unwrap();
}

#[test]
fn debug_shows_locked_and_waiters() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        assert_eq!(
            format!("{cond:?}"),
            "Condition { locked: false, waiters: 0 }"
        );
        let log = Log::default();
        let _t1 = wait_and_release(&cond, &log, 1);
        let _t2 = wait_and_release(&cond, &log, 2);
        yield_now().await;
        let _guard = cond.lock().await;
        assert_eq!(
            format!("{cond:?}"),
            "Condition { locked: true, waiters: 2 }"
        );
    })
    .block()
    .unwrap();
}

/// A bounded buffer in the classic style: two conditions on one lock.
#[test]
fn two_conditions_on_one_lock_make_a_bounded_buffer() {
    let lp = EventLoop::virtual_clock();
    let consumed = lp
        .run_until_complete(async {
            let lock = Lock::new();
            let not_full = Condition::with_lock(lock.clone());
            let not_empty = Condition::with_lock(lock.clone());
            let buffer: Rc<RefCell<Vec<u32>>> = Rc::default();
            let producer = {
                let (not_full, not_empty, buffer) =
                    (not_full.clone(), not_empty.clone(), Rc::clone(&buffer));
                create_task(async move {
                    for item in 0..6 {
                        let guard = not_full.lock().await;
                        let guard = not_full.wait_for(guard, || buffer.borrow().len() < 2).await;
                        buffer.borrow_mut().push(item);
                        not_empty.notify(&guard, 1);
                    }
                })
            };
            let mut consumed = Vec::new();
            for _ in 0..6 {
                let guard = lock.lock().await;
                let guard = not_empty
                    .wait_for(guard, || !buffer.borrow().is_empty())
                    .await;
                let item = buffer.borrow_mut().remove(0);
                not_full.notify(&guard, 1);
                drop(guard);
                consumed.push((item, now()));
                sleep(Duration::from_secs(1)).await;
            }
            producer.await.unwrap();
            consumed
        })
        .block()
        .unwrap();
    let expected: Vec<(u32, f64)> = (0..6).map(|i| (i, f64::from(i))).collect();
    assert_eq!(consumed, expected);
}

#[test]
fn a_guard_of_another_lock_is_a_warning_not_a_panic() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let cond = Condition::new();
        let other = Lock::new();
        let waiter = {
            let (cond, other) = (cond.clone(), other.clone());
            create_task(async move {
                let guard = other.lock().await;
                let guard = cond.wait(guard).await; // releases and re-takes `other`
                assert!(other.locked());
                drop(guard);
            })
        };
        yield_now().await;
        assert!(!other.locked());
        let foreign = other.try_lock().unwrap();
        assert_eq!(cond.notify(&foreign, 1), 1);
        drop(foreign);
        waiter.await.unwrap();
    })
    .block()
    .unwrap();
}

#[test]
fn a_wait_records_one_condition_wait_in_the_trace() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    lp.run_until_complete(async {
        let cond = Condition::new();
        let notifier = {
            let cond = cond.clone();
            create_task(async move {
                sleep(Duration::from_secs(1)).await;
                let guard = cond.lock().await;
                cond.notify_all(&guard);
            })
        };
        let guard = cond.lock().await;
        drop(cond.wait(guard).await);
        notifier.await.unwrap();
    })
    .block()
    .unwrap();
    let waits: Vec<_> = lp
        .trace()
        .into_iter()
        .filter_map(|record| match record.event {
            TraceEvent::Waiting {
                on: WaitReason::Condition,
                ..
            } => Some(record.at_ms),
            _ => None,
        })
        .collect();
    assert_eq!(waits, [0.0]);
}
