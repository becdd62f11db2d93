//! `Event` on the virtual clock: set wakes every waiter, clear, waits that
//! start on a set flag, cancellation, and the trace.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_locks.py`, `EventTests`:
//! - `test_wait`: `three_waiters_resume_in_ready_order`
//! - `test_wait_on_set`: `a_wait_on_a_set_event_returns_at_once`
//! - `test_wait_cancel`: `a_cancelled_wait_leaves_no_waiter`
//! - `test_clear`: `clear_lowers_the_flag`
//! - `test_clear_with_waiters`: `clear_after_set_still_releases_the_waiters`
//! - `test_repr`: `debug_shows_the_flag_and_the_waiters` (as `Debug`)
//!
//! Left out:
//! - `test_ctor_loop`, `test_ctor_noloop`, `test_lock_doesnt_accept_loop_parameter`:
//!   there is no `loop=` argument; primitives belong to no loop.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, sleep, yield_now, EventLoop, TraceEvent, WaitReason};
use asyncio::{Event, Task};

type Log = Rc<RefCell<Vec<u32>>>;

fn now() -> f64 {
    asyncio::get_running_loop().map_or(-1.0, |lp| lp.time())
}

/// A task that waits for `event`, then logs `tag`.
fn waiter(event: &Event, log: &Log, tag: u32) -> Task<()> {
    let (event, log) = (event.clone(), Rc::clone(log));
    create_task(async move {
        event.wait().await;
        log.borrow_mut().push(tag);
    })
}

#[test]
fn three_waiters_resume_in_ready_order() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let event = Event::new();
        assert!(!event.is_set());
        let log = Log::default();
        let t1 = waiter(&event, &log, 1);
        let t2 = waiter(&event, &log, 2);
        yield_now().await;
        assert!(log.borrow().is_empty());
        // Made before `set`, so already ready: it runs first and finds the
        // flag set; then the two waiters `set` woke, in order.
        let t3 = waiter(&event, &log, 3);
        event.set();
        yield_now().await;
        assert_eq!(*log.borrow(), [3, 1, 2]);
        for task in [t1, t2, t3] {
            assert!(task.done());
            assert_eq!(task.await, Ok(()));
        }
    })
    .block()
    .unwrap();
}

#[test]
fn a_wait_on_a_set_event_returns_at_once() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let event = Event::new();
        event.set();
        event.wait().await;
        assert_eq!(format!("{event:?}"), "Event { set: true, waiters: 0 }");
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn a_cancelled_wait_leaves_no_waiter() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let event = Event::new();
        let wait = {
            let event = event.clone();
            create_task(async move { event.wait().await })
        };
        yield_now().await;
        assert_eq!(format!("{event:?}"), "Event { set: false, waiters: 1 }");
        let _ = asyncio::get_running_loop()
            .unwrap()
            .call_soon(move || assert!(wait.cancel()));
        yield_now().await;
        yield_now().await;
        assert_eq!(format!("{event:?}"), "Event { set: false, waiters: 0 }");
    })
    .block()
    .unwrap();
}

#[test]
fn clear_lowers_the_flag() {
    let event = Event::new();
    assert!(!event.is_set());
    event.set();
    assert!(event.is_set());
    event.clear();
    assert!(!event.is_set());
}

#[test]
fn clear_after_set_still_releases_the_waiters() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let event = Event::new();
        let log = Log::default();
        let t = waiter(&event, &log, 1);
        yield_now().await;
        assert!(log.borrow().is_empty());

        event.set();
        event.clear();
        assert!(!event.is_set());
        event.set();
        event.set();
        // Notified, not yet run: still counted.
        assert_eq!(format!("{event:?}"), "Event { set: true, waiters: 1 }");

        yield_now().await;
        assert_eq!(*log.borrow(), [1]);
        assert_eq!(format!("{event:?}"), "Event { set: true, waiters: 0 }");
        assert_eq!(t.await, Ok(()));
    })
    .block()
    .unwrap();
}

#[test]
fn a_waiter_released_by_set_completes_even_if_cleared_before_it_runs() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let event = Event::new();
        let log = Log::default();
        let tasks: Vec<_> = (1..=3).map(|tag| waiter(&event, &log, tag)).collect();
        yield_now().await;
        event.set();
        event.clear();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*log.borrow(), [1, 2, 3]);
        // A wait that starts now waits for the next set.
        let late = waiter(&event, &log, 4);
        yield_now().await;
        assert!(!late.done());
        late.cancel();
    })
    .block()
    .unwrap();
}

#[test]
fn debug_shows_the_flag_and_the_waiters() {
    let event = Event::new();
    assert_eq!(format!("{event:?}"), "Event { set: false, waiters: 0 }");
    event.set();
    assert_eq!(format!("{event:?}"), "Event { set: true, waiters: 0 }");
}

#[test]
fn set_releases_every_waiter_at_the_same_virtual_instant() {
    let lp = EventLoop::virtual_clock();
    let times = lp
        .run_until_complete(async {
            let event = Event::new();
            let waiters: Vec<_> = (0..5)
                .map(|i| {
                    let event = event.clone();
                    create_task(async move {
                        sleep(Duration::from_millis(100 * i)).await;
                        event.wait().await;
                        now()
                    })
                })
                .collect();
            let setter = event.clone();
            let _ = asyncio::get_running_loop()
                .unwrap()
                .call_later(Duration::from_secs(2), move || setter.set());
            let mut times = Vec::new();
            for waiter in waiters {
                times.push(waiter.await.unwrap());
            }
            times
        })
        .block()
        .unwrap();
    assert_eq!(times, [2.0; 5]);
    assert_eq!(lp.time(), 2.0);
}

#[test]
fn cancelling_a_released_waiter_before_it_runs_affects_no_other() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let event = Event::new();
        let log = Log::default();
        let tasks: Vec<_> = (1..=3).map(|tag| waiter(&event, &log, tag)).collect();
        yield_now().await;
        event.set();
        assert!(tasks[1].cancel()); // woken, cancelled in the same turn
        for task in tasks {
            let _ = task.await;
        }
        assert_eq!(*log.borrow(), [1, 3]);
        assert_eq!(format!("{event:?}"), "Event { set: true, waiters: 0 }");
    })
    .block()
    .unwrap();
}

#[test]
fn dropping_waits_at_any_point_leaves_the_event_consistent() {
    let event = Event::new();
    drop(event.wait()); // never polled
    let lp = EventLoop::virtual_clock();
    let shared = event.clone();
    lp.run_until_complete(async move {
        let mut waits: Vec<_> = (0..4).map(|_| shared.wait()).collect();
        // Poll each once, so all four are queued, then drop two.
        std::future::poll_fn(|cx| {
            for wait in &mut waits {
                assert!(std::pin::Pin::new(wait).poll(cx).is_pending());
            }
            std::task::Poll::Ready(())
        })
        .await;
        assert_eq!(format!("{shared:?}"), "Event { set: false, waiters: 4 }");
        waits.truncate(2);
        shared.set();
        for wait in waits {
            wait.await;
        }
    })
    .block()
    .unwrap();
    assert_eq!(format!("{event:?}"), "Event { set: true, waiters: 0 }");
}

#[test]
fn a_wait_records_one_event_wait_in_the_trace() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    let seen = Rc::new(Cell::new(false));
    let flag = Rc::clone(&seen);
    lp.run_until_complete(async move {
        let event = Event::new();
        let setter = event.clone();
        let _ = asyncio::get_running_loop()
            .unwrap()
            .call_later(Duration::from_secs(1), move || setter.set());
        event.wait().await;
        flag.set(true);
    })
    .block()
    .unwrap();
    assert!(seen.get());
    let waits: Vec<_> = lp
        .trace()
        .into_iter()
        .filter_map(|record| match record.event {
            TraceEvent::Waiting { on, .. } => Some((record.at_ms, on)),
            _ => None,
        })
        .collect();
    assert_eq!(waits, [(0.0, WaitReason::Event)]);
}
