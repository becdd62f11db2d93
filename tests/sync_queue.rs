//! `Queue`, `LifoQueue` and `PriorityQueue` on the virtual clock: bounds,
//! blocking producers and consumers, exact wake-ups, items and slots
//! surviving any cancellation, `task_done` and `join`.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_queues.py`:
//! - `QueueBasicTests`: `test_empty`, `test_full`, `test_order`,
//!   `test_maxsize`; `test_repr` and `test_str` as `debug_shows_sizes_and_waiters`
//! - `QueueGetTests`: `test_blocking_get`, `test_get_with_putters`,
//!   `test_blocking_get_wait`, `test_nonblocking_get`,
//!   `test_nonblocking_get_exception`, `test_get_cancelled_race`,
//!   `test_get_with_waiting_putters`, `test_why_are_getters_waiting`,
//!   `test_cancelled_getters_not_being_held_in_self_getters`
//! - `QueuePutTests`: `test_blocking_put`, `test_blocking_put_wait`,
//!   `test_nonblocking_put`, `test_get_cancel_drop_one_pending_reader`,
//!   `test_get_cancel_drop_many_pending_readers`, `test_put_cancel_drop`,
//!   `test_nonblocking_put_exception`, `test_put_cancelled`,
//!   `test_put_cancelled_race`, `test_put_with_waiting_getters`,
//!   `test_why_are_putters_waiting`,
//!   `test_cancelled_puts_not_being_held_in_self_putters`,
//!   `test_cancelled_put_silence_value_error_exception`
//!
//! The orders of `LifoQueue` and `PriorityQueue`, `task_done` and `join`,
//! and behaviour beyond CPython's suite are in `sync_queue_join.rs`.
//!
//! Each test is named after its CPython original (`test_` dropped).
//!
//! Left out:
//! - `test_generic_alias`: Python typing.
//! - `test_float_maxsize`: `maxsize` is a `usize`.
//! - `_QueueShutdownTestMixin` (all): `Queue.shutdown` (Python 3.13) is not
//!   part of this API.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{
    create_task, timeout, yield_now, EventLoop, LifoQueue, PriorityQueue, Queue, QueueEmpty,
    QueueFull,
};
mod support;

fn now() -> f64 {
    asyncio::get_running_loop().map_or(-1.0, |lp| lp.time())
}

fn run<F: std::future::Future + 'static>(future: F) -> F::Output {
    EventLoop::virtual_clock()
        .run_until_complete(future)
        .block()
        .unwrap()
}

// ----- QueueBasicTests ---------------------------------------------------

#[test]
fn empty() {
    run(async {
        let q = Queue::new(0);
        assert!(q.empty());
        q.put(1).await;
        assert!(!q.empty());
        assert_eq!(q.get().await, 1);
        assert!(q.empty());
    });
}

#[test]
fn full() {
    run(async {
        let q = Queue::<u8>::new(0);
        assert!(!q.full());
        let q = Queue::new(1);
        q.put(1).await;
        assert!(q.full());
    });
}

#[test]
fn order() {
    run(async {
        let q = Queue::new(0);
        for i in [1, 3, 2] {
            q.put(i).await;
        }
        let mut items = Vec::new();
        for _ in 0..3 {
            items.push(q.get().await);
        }
        assert_eq!(items, [1, 3, 2]);
    });
}

#[test]
fn maxsize() {
    run(async {
        let q = Queue::new(2);
        assert_eq!(q.maxsize(), 2);
        let have_been_put = Rc::new(RefCell::new(Vec::new()));
        let t = {
            let (q, have_been_put) = (q.clone(), Rc::clone(&have_been_put));
            create_task(async move {
                for i in 0..3 {
                    q.put(i).await;
                    have_been_put.borrow_mut().push(i);
                }
                true
            })
        };
        for _ in 0..2 {
            yield_now().await;
        }
        assert_eq!(*have_been_put.borrow(), [0, 1], "blocked after two");
        assert_eq!(q.get().await, 0);
        yield_now().await;
        assert_eq!(*have_been_put.borrow(), [0, 1, 2]);
        assert_eq!(q.get().await, 1);
        assert_eq!(q.get().await, 2);
        assert!(t.done());
        assert_eq!(t.await, Ok(true));
    });
}

#[test]
fn debug_shows_sizes_and_waiters() {
    run(async {
        let q = Queue::new(1);
        assert_eq!(
            format!("{q:?}"),
            "Queue { order: \"fifo\", maxsize: 1, qsize: 0, unfinished: 0, getters: 0, putters: 0 }"
        );
        let getter = {
            let q = q.clone();
            create_task(async move { q.get().await })
        };
        yield_now().await;
        assert!(format!("{q:?}").contains("getters: 1"));
        q.put_nowait(0).unwrap();
        assert_eq!(getter.await, Ok(0));

        q.put_nowait(1).unwrap();
        let putter = {
            let q = q.clone();
            create_task(async move { q.put(2).await })
        };
        yield_now().await;
        assert!(format!("{q:?}").contains("putters: 1"));
        q.get_nowait().unwrap();
        putter.await.unwrap();
        assert_eq!(
            format!("{q:?}"),
            "Queue { order: \"fifo\", maxsize: 1, qsize: 1, unfinished: 3, getters: 0, putters: 0 }"
        );
        let lifo = LifoQueue::<u8>::new(0);
        assert!(format!("{lifo:?}").starts_with("LifoQueue { order: \"lifo\""));
        let smallest = PriorityQueue::<u8>::new(0);
        assert!(format!("{smallest:?}").starts_with("PriorityQueue { order: \"smallest first\""));
    });
}

// ----- QueueGetTests -----------------------------------------------------

#[test]
fn blocking_get() {
    run(async {
        let q = Queue::new(0);
        q.put_nowait(1).unwrap();
        assert_eq!(q.get().await, 1);
    });
}

#[test]
fn get_with_putters() {
    run(async {
        let q = Queue::new(1);
        q.put(1).await;
        let putter = {
            let q = q.clone();
            create_task(async move { q.put(2).await })
        };
        yield_now().await;
        assert!(!putter.done());
        assert_eq!(q.get().await, 1);
        yield_now().await;
        assert!(putter.done(), "the get woke the waiting putter");
        assert_eq!(q.get_nowait(), Ok(2));
    });
}

#[test]
fn blocking_get_wait() {
    run(async {
        let q = Queue::new(0);
        let finished = Rc::new(Cell::new(false));
        let getter = {
            let (q, finished) = (q.clone(), Rc::clone(&finished));
            create_task(async move {
                let item = q.get().await;
                finished.set(true);
                (item, now())
            })
        };
        yield_now().await;
        assert!(!finished.get());
        let putter = q.clone();
        let _ =
            asyncio::get_running_loop()
                .unwrap()
                .call_later(Duration::from_millis(10), move || {
                    putter.put_nowait(1).unwrap();
                });
        assert_eq!(getter.await, Ok((1, 0.01)));
        assert!(finished.get());
    });
}

#[test]
fn nonblocking_get() {
    let q = Queue::new(0);
    q.put_nowait(1).unwrap();
    assert_eq!(q.get_nowait(), Ok(1));
}

#[test]
fn nonblocking_get_exception() {
    let q = Queue::<u8>::new(0);
    assert_eq!(q.get_nowait(), Err(QueueEmpty));
    assert_eq!(QueueEmpty.to_string(), "the queue is empty");
}

#[test]
fn get_cancelled_race() {
    run(async {
        let q = Queue::new(0);
        let t1 = {
            let q = q.clone();
            create_task(async move { q.get().await })
        };
        let t2 = {
            let q = q.clone();
            create_task(async move { q.get().await })
        };
        yield_now().await;
        t1.cancel();
        yield_now().await;
        assert!(t1.done());
        q.put("a").await;
        yield_now().await;
        assert_eq!(t2.await, Ok("a"));
    });
}

#[test]
fn get_with_waiting_putters() {
    run(async {
        let q = Queue::new(1);
        for item in ["a", "b"] {
            let q = q.clone();
            create_task(async move { q.put(item).await }).detach();
        }
        assert_eq!(q.get().await, "a");
        assert_eq!(q.get().await, "b");
    });
}

#[test]
fn why_are_getters_waiting() {
    run(async {
        let q = Queue::new(1);
        let producer = {
            let q = q.clone();
            create_task(async move {
                for i in 0..5 {
                    q.put(i).await;
                }
            })
        };
        let consumer = {
            let q = q.clone();
            create_task(async move {
                let mut got = Vec::new();
                for _ in 0..5 {
                    got.push(q.get().await);
                }
                got
            })
        };
        producer.await.unwrap();
        assert_eq!(consumer.await, Ok(vec![0, 1, 2, 3, 4]));
    });
}

#[test]
fn cancelled_getters_not_being_held_in_self_getters() {
    run(async {
        let q = Queue::<u8>::new(5);
        assert!(timeout(Duration::from_millis(100), q.get()).await.is_err());
        assert!(format!("{q:?}").contains("getters: 0"));
    });
}

// ----- QueuePutTests -----------------------------------------------------

#[test]
fn blocking_put() {
    run(async {
        let q = Queue::new(0);
        q.put(1).await; // no maxsize: no wait
        assert_eq!(q.get().await, 1);
    });
}

#[test]
fn blocking_put_wait() {
    run(async {
        let q = Queue::new(1);
        let finished = Rc::new(Cell::new(false));
        let getter = q.clone();
        let _ =
            asyncio::get_running_loop()
                .unwrap()
                .call_later(Duration::from_millis(10), move || {
                    getter.get_nowait().unwrap();
                });
        let putter = {
            let (q, finished) = (q.clone(), Rc::clone(&finished));
            create_task(async move {
                q.put(1).await;
                q.put(2).await;
                finished.set(true);
                now()
            })
        };
        yield_now().await;
        assert!(!finished.get());
        assert_eq!(putter.await, Ok(0.01));
    });
}

#[test]
fn nonblocking_put() {
    let q = Queue::new(0);
    q.put_nowait(1).unwrap();
    assert_eq!(q.get_nowait(), Ok(1));
}

#[test]
fn get_cancel_drop_one_pending_reader() {
    run(async {
        let q = Queue::new(0);
        let reader = {
            let q = q.clone();
            create_task(async move { q.get().await })
        };
        yield_now().await;
        q.put_nowait(1).unwrap(); // promised to the reader...
        q.put_nowait(2).unwrap();
        reader.cancel(); // ...which is cancelled before it runs
        let result = match reader.await {
            Ok(item) => item,
            Err(_) => {
                let q = q.clone();
                create_task(async move { q.get().await }).await.unwrap()
            }
        };
        assert_eq!(result, 1, "item 1 was not dropped");
    });
}

#[test]
fn get_cancel_drop_many_pending_readers() {
    run(async {
        let q = Queue::new(0);
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let q = q.clone();
                create_task(async move { q.get().await })
            })
            .collect();
        yield_now().await;
        q.put_nowait(1).unwrap();
        q.put_nowait(2).unwrap();
        readers[0].cancel();
        let mut readers = readers.into_iter();
        assert!(readers.next().unwrap().await.is_err());
        let mut got: Vec<_> = Vec::new();
        for reader in readers {
            got.push(reader.await.unwrap());
        }
        assert_eq!(got, [1, 2]);
    });
}

#[test]
fn put_cancel_drop() {
    run(async {
        let q = Queue::new(1);
        q.put_nowait(1).unwrap();
        let writer = {
            let q = q.clone();
            create_task(async move { q.put(2).await })
        };
        yield_now().await;
        assert_eq!(q.get_nowait(), Ok(1)); // the slot is promised to the writer...
        writer.cancel(); // ...which is cancelled before it runs
        if writer.await.is_err() {
            let q = q.clone();
            create_task(async move { q.put(2).await }).await.unwrap();
        }
        assert_eq!(q.get_nowait(), Ok(2));
        assert_eq!(q.qsize(), 0);
    });
}

#[test]
fn nonblocking_put_exception() {
    let q = Queue::new(1);
    q.put_nowait(1).unwrap();
    let err = q.put_nowait(2).unwrap_err();
    assert_eq!(err, QueueFull(2));
    assert_eq!(err.to_string(), "the queue is full");
    assert_eq!(err.into_inner(), 2, "the item comes back");
}

#[test]
fn put_cancelled() {
    run(async {
        let q = Queue::new(0);
        let t = {
            let q = q.clone();
            create_task(async move {
                q.put(1).await;
                true
            })
        };
        assert_eq!(q.get().await, 1);
        assert!(t.done());
        assert_eq!(t.await, Ok(true));
    });
}

#[test]
fn put_cancelled_race() {
    run(async {
        let q = Queue::new(1);
        let put = |item: &'static str| {
            let q = q.clone();
            create_task(async move { q.put(item).await })
        };
        let (put_a, put_b, put_c) = (put("a"), put("b"), put("X"));
        yield_now().await;
        assert!(put_a.done());
        assert!(!put_b.done());
        put_c.cancel();
        yield_now().await;
        assert!(put_c.done());
        assert_eq!(q.get_nowait(), Ok("a"));
        yield_now().await;
        assert_eq!(q.get_nowait(), Ok("b"));
        put_b.await.unwrap();
        assert!(q.empty());
    });
}

#[test]
fn put_with_waiting_getters() {
    run(async {
        let q = Queue::new(0);
        let t = {
            let q = q.clone();
            create_task(async move { q.get().await })
        };
        yield_now().await;
        q.put("a").await;
        assert_eq!(t.await, Ok("a"));
    });
}

#[test]
fn why_are_putters_waiting() {
    run(async {
        let q = Queue::new(2);
        let getter = {
            let q = q.clone();
            create_task(async move {
                yield_now().await;
                for _ in 0..q.qsize() {
                    q.get_nowait().unwrap();
                }
            })
        };
        let putters: Vec<_> = (0..4)
            .map(|i| {
                let q = q.clone();
                create_task(async move { q.put(i).await })
            })
            .collect();
        getter.await.unwrap();
        for putter in putters {
            putter.await.unwrap();
        }
        assert_eq!(q.qsize(), 2);
    });
}

#[test]
fn cancelled_puts_not_being_held_in_self_putters() {
    run(async {
        let q = Queue::new(1);
        q.put_nowait(1).unwrap();
        let put_task = {
            let q = q.clone();
            create_task(async move { q.put(1).await })
        };
        yield_now().await;
        assert!(format!("{q:?}").contains("putters: 1"));
        put_task.cancel();
        assert!(put_task.await.is_err());
        assert!(format!("{q:?}").contains("putters: 0"));
    });
}

#[test]
fn cancelled_put_silence_value_error_exception() {
    run(async {
        let q = Queue::new(1);
        q.put_nowait(1).unwrap();
        let put_task = {
            let q = q.clone();
            create_task(async move { q.put(2).await })
        };
        yield_now().await;
        q.get_nowait().unwrap(); // the putter is notified...
        put_task.cancel(); // ...and cancelled: no error, the slot is freed
        assert!(put_task.await.is_err());
        assert!(!q.full());
        assert!(format!("{q:?}").contains("putters: 0"));
    });
}
