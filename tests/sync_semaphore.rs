//! `Semaphore` and `BoundedSemaphore` on the virtual clock: permits, first
//! come first served, permits surviving any cancellation, the bound.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_locks.py`,
//! `SemaphoreTests`:
//! - `test_initial_value_zero`: `zero_permits_is_locked`
//! - `test_semaphore`, `test_release_no_waiters`: `acquire_then_release`
//! - `test_acquire`: `released_permits_go_to_the_waiters_in_order`
//! - `test_acquire_cancel`: `a_cancelled_acquire_leaves_no_waiter`
//! - `test_acquire_cancel_before_awoken`: `cancelled_waiters_pass_a_released_permit_on`
//! - `test_acquire_hang`: `a_released_permit_skips_a_cancelled_waiter`
//! - `test_acquire_no_hang`: `a_waiter_cancelled_by_the_releaser_does_not_keep_the_permit`
//! - `test_release_not_acquired`: `a_bounded_semaphore_refuses_a_release_past_its_bound`
//! - `test_acquire_fifo_order`: `acquirers_alternate_in_arrival_order`
//! - `test_acquire_fifo_order_2`: `a_task_that_releases_and_reacquires` (see
//!   the test for the one difference)
//! - `test_acquire_fifo_order_3`: `a_cancelled_first_waiter_is_skipped`
//! - `test_repr`: `debug_shows_permits_and_waiters` (as `Debug`)
//!
//! Left out:
//! - `test_semaphore_value`: a negative count cannot be written (`usize`).
//! - `test_lock_by_with_statement`: about Python's `with await` syntax.
//! - `test_lock_doesnt_accept_loop_parameter`: there is no `loop=` argument.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{
    create_task, sleep, timeout, yield_now, BoundedSemaphore, EventLoop, Semaphore, Task,
    TooManyReleases, TraceEvent, WaitReason,
};
mod support;
use support::{logged, Log};

fn now() -> f64 {
    asyncio::get_running_loop().map_or(-1.0, |lp| lp.time())
}

/// A task that takes a permit, logs `tag` and keeps the permit (forgotten).
fn keeper(sem: &Semaphore, log: &Log, tag: &str) -> Task<()> {
    let (sem, log, tag) = (sem.clone(), Rc::clone(log), tag.to_string());
    create_task(async move {
        sem.acquire().await.forget();
        log.borrow_mut().push(tag);
    })
}

#[test]
fn zero_permits_is_locked() {
    let sem = Semaphore::new(0);
    assert!(sem.locked());
    assert_eq!(sem.available(), 0);
}

#[test]
fn acquire_then_release() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(1);
        assert!(!sem.locked());
        let permit = sem.acquire().await;
        assert!(sem.locked());
        drop(permit);
        assert!(!sem.locked());
        assert_eq!(sem.available(), 1);
    })
    .block()
    .unwrap();
}

#[test]
fn released_permits_go_to_the_waiters_in_order() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(3);
        let log = Log::default();
        sem.acquire().await.forget();
        sem.acquire().await.forget();
        assert!(!sem.locked());

        let t1 = keeper(&sem, &log, "1");
        let t2 = keeper(&sem, &log, "2");
        let t3 = keeper(&sem, &log, "3");
        yield_now().await;
        assert_eq!(logged(&log), ["1"]);
        assert!(sem.locked());
        assert_eq!(
            format!("{sem:?}"),
            "Semaphore { available: 0, bound: None, waiters: 2 }"
        );

        let t4 = keeper(&sem, &log, "4");
        sem.release();
        sem.release();
        assert_eq!(sem.available(), 0, "both went to waiters");

        yield_now().await;
        assert_eq!(sem.available(), 0);
        // t4 ran first (it was ready before the releases) and queued behind
        // t2 and t3, which had been handed the two permits.
        assert_eq!(logged(&log), ["1", "2", "3"]);
        assert!(t1.done() && t2.done() && t3.done());
        assert!(!t4.done());
        assert_eq!(
            format!("{sem:?}"),
            "Semaphore { available: 0, bound: None, waiters: 1 }"
        );

        sem.release();
        t4.await.unwrap();
        assert_eq!(logged(&log), ["1", "2", "3", "4"]);
    })
    .block()
    .unwrap();
}

#[test]
fn a_cancelled_acquire_leaves_no_waiter() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(1);
        let _permit = sem.acquire().await;
        let acquire = {
            let sem = sem.clone();
            create_task(async move { drop(sem.acquire().await) })
        };
        let _ = asyncio::get_running_loop()
            .unwrap()
            .call_soon(move || assert!(acquire.cancel()));
        yield_now().await;
        yield_now().await;
        assert_eq!(
            format!("{sem:?}"),
            "Semaphore { available: 0, bound: None, waiters: 0 }"
        );
    })
    .block()
    .unwrap();
}

#[test]
fn cancelled_waiters_pass_a_released_permit_on() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(0);
        let log = Log::default();
        let tasks: Vec<_> = ["1", "2", "3", "4"]
            .iter()
            .map(|tag| keeper(&sem, &log, tag))
            .collect();
        yield_now().await;

        tasks[0].cancel();
        tasks[1].cancel();
        sem.release(); // handed to t1, which is cancelled: on to t2, then t3

        yield_now().await;
        yield_now().await;
        assert!(tasks[2].done());
        assert!(!tasks[3].done());
        assert_eq!(logged(&log), ["3"]);
        assert_eq!(sem.available(), 0);
        tasks[3].cancel();
        yield_now().await;
        assert_eq!(
            format!("{sem:?}"),
            "Semaphore { available: 0, bound: None, waiters: 0 }"
        );
    })
    .block()
    .unwrap();
}

#[test]
fn a_released_permit_skips_a_cancelled_waiter() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(0);
        let log = Log::default();
        let t1 = keeper(&sem, &log, "1");
        let t2 = keeper(&sem, &log, "2");
        yield_now().await;

        t1.cancel();
        sem.release();
        yield_now().await;
        yield_now().await;
        assert!(sem.locked());
        assert!(t2.done());
        assert!(t1.await.is_err());
    })
    .block()
    .unwrap();
}

#[test]
fn a_waiter_cancelled_by_the_releaser_does_not_keep_the_permit() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(1);
        let second: Rc<RefCell<Option<Task<()>>>> = Rc::default();
        let first = {
            let (sem, second) = (sem.clone(), Rc::clone(&second));
            create_task(async move {
                {
                    let _permit = sem.acquire().await;
                    yield_now().await;
                } // released: handed to the second task...
                if let Some(task) = second.borrow().as_ref() {
                    task.cancel(); // ...which is cancelled before it runs
                }
            })
        };
        *second.borrow_mut() = Some({
            let sem = sem.clone();
            create_task(async move {
                let _permit = sem.acquire().await;
                unreachable!("cancelled before it could run");
            })
        });
        first.await.unwrap();
        let second = second.borrow_mut().take().unwrap();
        assert!(second.await.is_err());
        // The permit came back: it can be taken at once.
        assert!(timeout(Duration::from_secs(1), sem.acquire()).await.is_ok());
        assert_eq!(now(), 0.0);
    })
    .block()
    .unwrap();
}

#[test]
fn a_bounded_semaphore_refuses_a_release_past_its_bound() {
    let sem = BoundedSemaphore::new(1);
    assert_eq!(sem.release(), Err(TooManyReleases));
    assert_eq!(sem.available(), 1);
    let permit = sem.try_acquire().unwrap();
    assert_eq!(sem.available(), 0);
    drop(permit);
    assert_eq!(sem.release(), Err(TooManyReleases));
    assert_eq!(
        TooManyReleases.to_string(),
        "BoundedSemaphore released too many times"
    );
}

#[test]
fn acquirers_alternate_in_arrival_order() {
    let lp = EventLoop::virtual_clock();
    let log = lp
        .run_until_complete(async {
            let sem = Semaphore::new(1);
            let log = Log::default();
            let tasks: Vec<_> = ["c1", "c2", "c3"]
                .into_iter()
                .map(|tag| {
                    let (sem, log) = (sem.clone(), Rc::clone(&log));
                    create_task(async move {
                        for round in 1..=2 {
                            let _permit = sem.acquire().await;
                            log.borrow_mut().push(format!("{tag}_{round} at {}", now()));
                            sleep(Duration::from_millis(10)).await;
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
            logged(&log)
        })
        .block()
        .unwrap();
    assert_eq!(
        log,
        [
            "c1_1 at 0",
            "c2_1 at 0.01",
            "c3_1 at 0.02",
            "c1_2 at 0.03",
            "c2_2 at 0.04",
            "c3_2 at 0.05"
        ]
    );
    assert_eq!(lp.time(), 0.06);
}

/// CPython gives `[1, 2, 3, 4]`: there a task must wait while any woken
/// waiter has not yet run. Here task 3 already holds the promise of the
/// second released permit, so when task 2 gives its permit back and asks
/// again, that permit is free and nobody is waiting for it: task 2 takes it
/// without waiting. Nobody is overtaken; no permit is taken twice.
#[test]
fn a_task_that_releases_and_reacquires() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(1);
        let log = Log::default();
        let t1 = keeper(&sem, &log, "1");
        let t2 = {
            let (sem, log) = (sem.clone(), Rc::clone(&log));
            create_task(async move {
                let permit = sem.acquire().await;
                log.borrow_mut().push("2".into());
                drop(permit);
                sem.acquire().await.forget();
                log.borrow_mut().push("4".into());
            })
        };
        let t3 = keeper(&sem, &log, "3");
        yield_now().await;
        sem.release();
        sem.release();
        for task in [t1, t2, t3] {
            task.await.unwrap();
        }
        assert_eq!(logged(&log), ["1", "2", "4", "3"]);
        assert_eq!(sem.available(), 0);
    })
    .block()
    .unwrap();
}

#[test]
fn a_cancelled_first_waiter_is_skipped() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(0);
        let log = Log::default();
        let tasks: Vec<_> = ["1", "2", "3"]
            .iter()
            .map(|tag| keeper(&sem, &log, tag))
            .collect();
        yield_now().await;
        tasks[0].cancel();
        yield_now().await;
        sem.release();
        sem.release();
        for task in tasks {
            let _ = task.await;
        }
        assert_eq!(logged(&log), ["2", "3"]);
    })
    .block()
    .unwrap();
}

#[test]
fn debug_shows_permits_and_waiters() {
    let sem = Semaphore::new(1);
    assert_eq!(
        format!("{sem:?}"),
        "Semaphore { available: 1, bound: None, waiters: 0 }"
    );
    let bounded = BoundedSemaphore::new(2);
    let permit = bounded.try_acquire().unwrap();
    assert_eq!(
        format!("{bounded:?}"),
        "BoundedSemaphore { sem: Semaphore { available: 1, bound: Some(2), waiters: 0 } }"
    );
    assert_eq!(format!("{permit:?}"), "SemaphorePermit { held: true }");
}

#[test]
fn a_thousand_cancelled_waiters_leave_the_count_exactly_as_before() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(2);
        let log = Log::default();
        let held = (sem.acquire().await, sem.acquire().await);
        let tasks: Vec<_> = (0..1000)
            .map(|i| keeper(&sem, &log, &i.to_string()))
            .collect();
        yield_now().await;
        assert_eq!(
            format!("{sem:?}"),
            "Semaphore { available: 0, bound: None, waiters: 1000 }"
        );
        for task in &tasks {
            task.cancel();
        }
        for task in tasks {
            assert!(task.await.is_err());
        }
        assert_eq!(
            format!("{sem:?}"),
            "Semaphore { available: 0, bound: None, waiters: 0 }"
        );
        drop(held);
        assert_eq!(sem.available(), 2);
        assert!(log.borrow().is_empty());
    })
    .block()
    .unwrap();
}

#[test]
fn permits_handed_to_cancelled_waiters_all_come_back() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(3);
        let log = Log::default();
        let held = [
            sem.acquire().await,
            sem.acquire().await,
            sem.acquire().await,
        ];
        let tasks: Vec<_> = (0..1000)
            .map(|i| keeper(&sem, &log, &i.to_string()))
            .collect();
        yield_now().await;
        // In one turn: three permits are handed to the first three waiters,
        // then every waiter is cancelled before it runs.
        drop(held);
        for task in &tasks {
            task.cancel();
        }
        for task in tasks {
            assert!(task.await.is_err());
        }
        assert!(log.borrow().is_empty());
        assert_eq!(
            format!("{sem:?}"),
            "Semaphore { available: 3, bound: None, waiters: 0 }"
        );
    })
    .block()
    .unwrap();
}

#[test]
fn two_permits_run_six_jobs_in_three_seconds() {
    let lp = EventLoop::virtual_clock();
    let ends = lp
        .run_until_complete(async {
            let sem = Semaphore::new(2);
            let jobs: Vec<_> = (0..6)
                .map(|_| {
                    let sem = sem.clone();
                    create_task(async move {
                        let _permit = sem.acquire().await;
                        sleep(Duration::from_secs(1)).await;
                        now()
                    })
                })
                .collect();
            let mut ends = Vec::new();
            for job in jobs {
                ends.push(job.await.unwrap());
            }
            ends
        })
        .block()
        .unwrap();
    assert_eq!(ends, [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]);
}

#[test]
fn try_acquire_never_overtakes_a_waiter() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = Semaphore::new(1);
        let log = Log::default();
        let permit = sem.acquire().await;
        let waiter = keeper(&sem, &log, "waiter");
        yield_now().await;
        drop(permit); // handed to the waiter
        assert!(sem.try_acquire().is_none());
        waiter.await.unwrap();
        assert_eq!(logged(&log), ["waiter"]);
    })
    .block()
    .unwrap();
}

#[test]
fn forget_keeps_a_permit_until_release_adds_one() {
    let sem = Semaphore::new(1);
    sem.try_acquire().unwrap().forget();
    assert!(sem.locked());
    sem.release();
    assert_eq!(sem.available(), 1);
    sem.release(); // an unbounded semaphore grows
    assert_eq!(sem.available(), 2);
}

#[test]
fn a_bounded_permit_released_twice_is_discarded_not_a_panic() {
    let sem = BoundedSemaphore::new(1);
    let permit = sem.try_acquire().unwrap();
    assert_eq!(sem.release(), Ok(())); // gives back the permit still held...
    drop(permit); // ...so this one is over the bound: discarded, with a warning
    assert_eq!(sem.available(), 1);
}

#[test]
fn a_bounded_release_counts_permits_promised_to_waiters() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let sem = BoundedSemaphore::new(1);
        sem.acquire().await.forget();
        let waiter = {
            let sem = sem.clone();
            create_task(async move { sem.acquire().await.forget() })
        };
        yield_now().await;
        assert_eq!(sem.release(), Ok(())); // promised to the waiter
        assert_eq!(sem.release(), Err(TooManyReleases));
        waiter.await.unwrap();
        assert_eq!(sem.release(), Ok(()));
        assert_eq!(sem.available(), 1);
    })
    .block()
    .unwrap();
}

#[test]
fn a_queued_acquire_records_one_semaphore_wait_in_the_trace() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    lp.run_until_complete(async {
        let sem = Semaphore::new(0);
        let releaser = sem.clone();
        let _ = asyncio::get_running_loop()
            .unwrap()
            .call_later(Duration::from_secs(1), move || releaser.release());
        let _permit = sem.acquire().await;
    })
    .block()
    .unwrap();
    let waits: Vec<_> = lp
        .trace()
        .into_iter()
        .filter_map(|record| match record.event {
            TraceEvent::Waiting { on, .. } => Some((record.at_ms, on)),
            _ => None,
        })
        .collect();
    assert_eq!(waits, [(0.0, WaitReason::Semaphore)]);
}
