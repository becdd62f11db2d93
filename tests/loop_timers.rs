//! Timer semantics on the virtual clock: exact deadlines, cancellation and
//! the host's single wake-up, delays past `setTimeout`'s limit, bad delays.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, sleep, sleep_secs, EventLoop, InvalidDelay};

#[test]
fn concurrent_sleeps_end_at_the_longest_deadline() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks: Vec<_> = (1..=5)
            .map(|s| create_task(sleep(Duration::from_secs(s))))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 5.0);
}

#[test]
fn sequential_sleeps_add_up_exactly() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        for _ in 0..5 {
            sleep(Duration::from_secs(1)).await;
        }
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 5.0);
}

#[test]
fn a_cancelled_timer_never_fires() {
    let lp = EventLoop::virtual_clock();
    let fired = Rc::new(Cell::new(false));
    let flag = Rc::clone(&fired);
    let handle = lp.call_later(Duration::from_secs(1), move || flag.set(true));
    assert!(handle.cancel());
    assert!(!handle.cancel(), "a second cancel says it did nothing");
    assert!(handle.cancelled());
    lp.run_until_complete(sleep(Duration::from_secs(3)))
        .block()
        .unwrap();
    assert!(!fired.get());
}

#[test]
fn cancelling_the_earliest_timer_moves_the_host_wake_to_the_next() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let fired = Rc::new(Cell::new(0u32));
    let (a, b) = (Rc::clone(&fired), Rc::clone(&fired));
    lp.run_until_complete(async move {
        let early = lp2.call_later(Duration::from_secs(1), move || a.set(a.get() + 1));
        let _late = lp2.call_later(Duration::from_secs(5), move || b.set(b.get() + 10));
        sleep(Duration::from_millis(500)).await;
        assert!(early.cancel());
        sleep(Duration::from_secs(10)).await;
    })
    .block()
    .unwrap();
    assert_eq!(fired.get(), 10, "only the 5 s callback ran");
    // Host wakes: 0.5 s, then 5 s (not the cancelled 1 s), then 10.5 s.
    assert_eq!(lp.stats().host_timers_armed, 3);
    assert_eq!(lp.time(), 10.5);
}

#[test]
fn an_idle_loop_with_one_timer_arms_exactly_one_host_wake() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(sleep(Duration::from_secs(1)))
        .block()
        .unwrap();
    assert_eq!(lp.stats().host_timers_armed, 1);
    assert_eq!(lp.time(), 1.0);
}

#[test]
fn ten_thousand_spread_sleeps_arm_one_host_wake_per_distinct_deadline() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let tasks: Vec<_> = (0..10_000u64)
            // A permutation of 0..1000 ms, ten times each, set out of order.
            .map(|i| create_task(sleep(Duration::from_millis((i * 7919) % 1000))))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 0.999);
    // One wake per distinct non-zero deadline, armed one at a time.
    assert_eq!(lp.stats().host_timers_armed, 999);
    assert_eq!(lp.stats().timers_fired, 9_990);
}

#[test]
fn delays_beyond_the_host_limit_fire_on_time_by_chaining() {
    const LIMIT_MS: u64 = 2_147_483_647;
    let lp = EventLoop::virtual_clock();
    let delay = Duration::from_millis(LIMIT_MS * 2 + 12_345);
    lp.run_until_complete(sleep(delay)).block().unwrap();
    assert_eq!(lp.time_ms(), (LIMIT_MS * 2 + 12_345) as f64);
    // Two chain steps at the limit, then the deadline itself.
    assert_eq!(lp.stats().host_timers_armed, 3);
}

#[test]
fn a_short_timer_set_during_a_long_chain_fires_first() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let fired_at = Rc::new(Cell::new(0.0));
    let at = Rc::clone(&fired_at);
    lp.run_until_complete(async move {
        let long = create_task(sleep(Duration::from_secs(40 * 24 * 3600)));
        sleep(Duration::from_secs(1)).await;
        at.set(lp2.time());
        long.await.unwrap();
    })
    .block()
    .unwrap();
    assert_eq!(fired_at.get(), 1.0);
    assert_eq!(lp.time(), 40.0 * 24.0 * 3600.0);
}

#[test]
fn negative_seconds_mean_zero() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async { sleep_secs(-5.0).unwrap().await })
        .block()
        .unwrap();
    assert_eq!(lp.time(), 0.0);
    let handle = lp.call_later_secs(-1.0, || {}).unwrap();
    assert_eq!(handle.when(), Some(0.0));
}

#[test]
fn nan_and_infinite_seconds_are_refused() {
    assert_eq!(sleep_secs(f64::NAN).unwrap_err(), InvalidDelay::NotANumber);
    assert_eq!(
        sleep_secs(f64::INFINITY).unwrap_err(),
        InvalidDelay::Infinite(f64::INFINITY)
    );
    assert_eq!(
        sleep_secs(f64::NEG_INFINITY).unwrap_err(),
        InvalidDelay::Infinite(f64::NEG_INFINITY)
    );
    let lp = EventLoop::virtual_clock();
    assert!(lp.call_later_secs(f64::NAN, || {}).is_err());
    assert!(lp.call_at(f64::INFINITY, || {}).is_err());
    assert_eq!(
        sleep_secs(f64::NAN).unwrap_err().to_string(),
        "delay must be a number of seconds, got NaN"
    );
}

#[test]
fn call_at_uses_loop_time() {
    let lp = EventLoop::virtual_clock();
    let fired_at = Rc::new(Cell::new(-1.0));
    let at = Rc::clone(&fired_at);
    let lp2 = lp.clone();
    let handle = lp.call_at(2.5, move || at.set(lp2.time())).unwrap();
    assert_eq!(handle.when(), Some(2.5));
    lp.run_until_complete(sleep(Duration::from_secs(3)))
        .block()
        .unwrap();
    assert_eq!(fired_at.get(), 2.5);
}

#[test]
fn dropping_a_sleep_clears_its_timer() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    lp.run_until_complete(async move {
        let task = create_task(sleep(Duration::from_secs(100)));
        asyncio::yield_now().await;
        assert_eq!(lp2.stats().pending_timers, 1);
        task.cancel();
        asyncio::yield_now().await;
        assert_eq!(lp2.stats().pending_timers, 0);
    })
    .block()
    .unwrap();
    // The loop did not wait for the cancelled 100 s timer.
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn sleep_zero_yields_without_a_timer() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        for _ in 0..1000 {
            sleep(Duration::ZERO).await;
        }
    })
    .block()
    .unwrap();
    assert_eq!(lp.stats().host_timers_armed, 0);
    assert_eq!(lp.stats().timers_fired, 0);
    assert_eq!(lp.time(), 0.0);
}
