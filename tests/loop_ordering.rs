//! Ordering guarantees of the ready queue, callbacks and timers, on the
//! virtual clock.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, yield_now, EventLoop};
mod support;
use support::{log, push};

#[test]
fn ready_tasks_run_first_in_first_out() {
    let lp = EventLoop::virtual_clock();
    let order = log();
    let o = Rc::clone(&order);
    lp.run_until_complete(async move {
        let tasks: Vec<_> = (0..5)
            .map(|i| {
                let o = Rc::clone(&o);
                create_task(async move {
                    push(&o, format!("start {i}"));
                    yield_now().await;
                    push(&o, format!("resume {i}"));
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    })
    .block()
    .unwrap();
    let expected: Vec<String> = (0..5)
        .map(|i| format!("start {i}"))
        .chain((0..5).map(|i| format!("resume {i}")))
        .collect();
    assert_eq!(*order.borrow(), expected);
}

#[test]
fn a_task_woken_twice_is_queued_once() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(async {
            // Wake ourselves twice inside one poll; we must be polled once more, not twice.
            std::future::poll_fn(|cx| {
                cx.waker().wake_by_ref();
                cx.waker().wake_by_ref();
                std::task::Poll::Ready(())
            })
            .await;
        });
        task.await.unwrap();
    })
    .block()
    .unwrap();
    let stats = lp.stats();
    assert_eq!(stats.ready, 0);
    assert_eq!(stats.pending_tasks, 0);
}

#[test]
fn call_soon_callbacks_run_in_order() {
    let lp = EventLoop::virtual_clock();
    let order = log();
    for i in 0..10 {
        let o = Rc::clone(&order);
        let _ = lp.call_soon(move || push(&o, i.to_string()));
    }
    lp.run_until_complete(yield_now()).block().unwrap();
    let expected: Vec<String> = (0..10).map(|i| i.to_string()).collect();
    assert_eq!(*order.borrow(), expected);
}

#[test]
fn call_soon_interleaves_with_tasks_in_ready_order() {
    let lp = EventLoop::virtual_clock();
    let order = log();
    let o = Rc::clone(&order);
    let lp2 = lp.clone();
    lp.run_until_complete(async move {
        let o2 = Rc::clone(&o);
        let task = create_task(async move { push(&o2, "task") });
        let o3 = Rc::clone(&o);
        let _ = lp2.call_soon(move || push(&o3, "callback"));
        push(&o, "main");
        task.await.unwrap();
    })
    .block()
    .unwrap();
    assert_eq!(*order.borrow(), ["main", "task", "callback"]);
}

#[test]
fn same_deadline_timers_fire_in_the_order_set() {
    let lp = EventLoop::virtual_clock();
    let order = log();
    for i in 0..20 {
        let o = Rc::clone(&order);
        let _ = lp.call_later(Duration::from_secs(1), move || push(&o, i.to_string()));
    }
    lp.run_until_complete(asyncio::sleep(Duration::from_secs(2)))
        .block()
        .unwrap();
    let expected: Vec<String> = (0..20).map(|i| i.to_string()).collect();
    assert_eq!(*order.borrow(), expected);
}

#[test]
fn same_deadline_sleeps_resume_in_the_order_set() {
    let lp = EventLoop::virtual_clock();
    let order = log();
    let o = Rc::clone(&order);
    lp.run_until_complete(async move {
        let tasks: Vec<_> = (0..5)
            .map(|i| {
                let o = Rc::clone(&o);
                create_task(async move {
                    asyncio::sleep(Duration::from_millis(250)).await;
                    push(&o, i.to_string());
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    })
    .block()
    .unwrap();
    assert_eq!(*order.borrow(), ["0", "1", "2", "3", "4"]);
    assert_eq!(lp.time(), 0.25);
}

#[test]
fn timers_fire_in_deadline_order_whatever_the_order_set() {
    let lp = EventLoop::virtual_clock();
    let order = log();
    for ms in [300u64, 100, 200, 50, 400] {
        let o = Rc::clone(&order);
        let _ = lp.call_later(Duration::from_millis(ms), move || push(&o, ms.to_string()));
    }
    lp.run_until_complete(asyncio::sleep(Duration::from_secs(1)))
        .block()
        .unwrap();
    assert_eq!(*order.borrow(), ["50", "100", "200", "300", "400"]);
}

#[test]
fn tasks_start_when_the_creator_yields_not_when_awaited() {
    let lp = EventLoop::virtual_clock();
    let order = log();
    let o = Rc::clone(&order);
    lp.run_until_complete(async move {
        let o2 = Rc::clone(&o);
        let task = create_task(async move { push(&o2, "task ran") });
        push(&o, "created");
        asyncio::sleep(Duration::from_secs(1)).await;
        push(&o, "awaiting");
        task.await.unwrap();
    })
    .block()
    .unwrap();
    assert_eq!(*order.borrow(), ["created", "task ran", "awaiting"]);
}
