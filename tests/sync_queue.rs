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
//! - `LifoQueueTests.test_order`, `PriorityQueueTests.test_order`
//! - `_QueueJoinTestMixin` for all three queues: `test_task_done_underflow`,
//!   `test_task_done`, `test_join_empty_queue`
//!
//! Each test is named after its CPython original (`test_` dropped).
//!
//! Left out:
//! - `test_generic_alias`: Python typing.
//! - `test_float_maxsize`: `maxsize` is a `usize`.
//! - `_QueueJoinTestMixin.test_format`: a private helper of `repr`;
//!   `Debug` is covered by `debug_shows_sizes_and_waiters`.
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
    create_task, sleep, timeout, yield_now, EventLoop, LifoQueue, PriorityQueue, Queue, QueueEmpty,
    QueueFull, TaskDoneError, TraceEvent, WaitReason,
};

type Log = Rc<RefCell<Vec<String>>>;

fn now() -> f64 {
    asyncio::get_running_loop().map_or(-1.0, |lp| lp.time())
}

fn logged(log: &Log) -> Vec<String> {
    log.borrow().clone()
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

// ----- LifoQueueTests, PriorityQueueTests --------------------------------

#[test]
fn lifo_order() {
    run(async {
        let q = LifoQueue::new(0);
        for i in [1, 3, 2] {
            q.put(i).await;
        }
        let mut items = Vec::new();
        for _ in 0..3 {
            items.push(q.get().await);
        }
        assert_eq!(items, [2, 3, 1]);
    });
}

#[test]
fn priority_order() {
    run(async {
        let q = PriorityQueue::new(0);
        for i in [1, 3, 2] {
            q.put(i).await;
        }
        let mut items = Vec::new();
        for _ in 0..3 {
            items.push(q.get().await);
        }
        assert_eq!(items, [1, 2, 3]);
    });
}

// ----- _QueueJoinTestMixin, for all three ---------------------------------

/// The three queues behind one interface, so each join test runs on all.
trait AnyQueue: Clone + 'static {
    fn make() -> Self;
    fn put_nowait(&self, item: u32) -> Result<(), QueueFull<u32>>;
    async fn get(&self) -> u32;
    fn task_done(&self) -> Result<(), TaskDoneError>;
    async fn join(&self);
}

macro_rules! any_queue {
    ($queue:ident) => {
        impl AnyQueue for $queue<u32> {
            fn make() -> Self {
                $queue::new(0)
            }
            fn put_nowait(&self, item: u32) -> Result<(), QueueFull<u32>> {
                $queue::put_nowait(self, item)
            }
            async fn get(&self) -> u32 {
                $queue::get(self).await
            }
            fn task_done(&self) -> Result<(), TaskDoneError> {
                $queue::task_done(self)
            }
            async fn join(&self) {
                $queue::join(self).await
            }
        }
    };
}

any_queue!(Queue);
any_queue!(LifoQueue);
any_queue!(PriorityQueue);

fn task_done_underflow<Q: AnyQueue>() {
    let q = Q::make();
    assert_eq!(q.task_done(), Err(TaskDoneError));
    assert_eq!(
        TaskDoneError.to_string(),
        "task_done() called too many times"
    );
}

fn task_done<Q: AnyQueue>() {
    run(async {
        let q = Q::make();
        for i in 0..100 {
            q.put_nowait(i).unwrap();
        }
        let total = Rc::new(Cell::new(0));
        let running = Rc::new(Cell::new(true));
        // Two workers get items and mark each done.
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (q, total, running) = (q.clone(), Rc::clone(&total), Rc::clone(&running));
                create_task(async move {
                    while running.get() {
                        let item = q.get().await;
                        total.set(total.get() + item);
                        q.task_done().unwrap();
                    }
                })
            })
            .collect();
        q.join().await;
        assert_eq!(total.get(), (0..100).sum::<u32>());
        // Release the workers.
        running.set(false);
        for _ in &workers {
            q.put_nowait(0).unwrap();
        }
        for worker in workers {
            worker.await.unwrap();
        }
    });
}

fn join_empty_queue<Q: AnyQueue>() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let q = Q::make();
        q.join().await;
        q.join().await;
    })
    .block()
    .unwrap();
    assert_eq!(lp.time(), 0.0);
}

#[test]
fn task_done_underflow_all_queues() {
    task_done_underflow::<Queue<u32>>();
    task_done_underflow::<LifoQueue<u32>>();
    task_done_underflow::<PriorityQueue<u32>>();
}

#[test]
fn task_done_all_queues() {
    task_done::<Queue<u32>>();
    task_done::<LifoQueue<u32>>();
    task_done::<PriorityQueue<u32>>();
}

#[test]
fn join_empty_queue_all_queues() {
    join_empty_queue::<Queue<u32>>();
    join_empty_queue::<LifoQueue<u32>>();
    join_empty_queue::<PriorityQueue<u32>>();
}

// ----- beyond CPython's suite --------------------------------------------

#[test]
fn a_bounded_queue_blocks_producers_and_each_get_wakes_exactly_one() {
    run(async {
        let q = Queue::new(1);
        let log = Log::default();
        q.put_nowait(0).unwrap();
        let producers: Vec<_> = (1..=3)
            .map(|i| {
                let (q, log) = (q.clone(), Rc::clone(&log));
                create_task(async move {
                    q.put(i).await;
                    log.borrow_mut().push(format!("put {i}"));
                })
            })
            .collect();
        yield_now().await;
        assert!(log.borrow().is_empty(), "all three wait at the bound");
        for expected in 0..=3 {
            assert_eq!(q.get_nowait(), Ok(expected));
            yield_now().await;
            let puts = logged(&log).len();
            assert_eq!(puts, (expected as usize + 1).min(3), "one producer per get");
        }
        assert_eq!(logged(&log), ["put 1", "put 2", "put 3"]);
        for producer in producers {
            producer.await.unwrap();
        }
    });
}

#[test]
fn join_returns_when_consumers_sleeping_one_second_per_item_are_done() {
    let lp = EventLoop::virtual_clock();
    let (joined_at, log) = lp
        .run_until_complete(async {
            let q = Queue::new(2);
            let log = Log::default();
            for _ in 0..2 {
                let (q, log) = (q.clone(), Rc::clone(&log));
                create_task(async move {
                    loop {
                        let item: u32 = q.get().await;
                        sleep(Duration::from_secs(1)).await;
                        log.borrow_mut().push(format!("{item} done at {}", now()));
                        q.task_done().unwrap();
                    }
                })
                .detach();
            }
            for item in 0..5 {
                q.put(item).await;
            }
            q.join().await;
            (now(), logged(&log))
        })
        .block()
        .unwrap();
    assert_eq!(
        log,
        [
            "0 done at 1",
            "1 done at 1",
            "2 done at 2",
            "3 done at 2",
            "4 done at 3"
        ]
    );
    assert_eq!(joined_at, 3.0);
}

#[test]
fn a_producer_at_the_bound_resumes_when_a_slow_consumer_takes_an_item() {
    let lp = EventLoop::virtual_clock();
    let puts = lp
        .run_until_complete(async {
            let q = Queue::new(2);
            let consumer = {
                let q = q.clone();
                create_task(async move {
                    for _ in 0..5 {
                        sleep(Duration::from_secs(1)).await;
                        q.get().await;
                    }
                })
            };
            let mut puts = Vec::new();
            for item in 0..5 {
                q.put(item).await;
                puts.push(now());
            }
            consumer.await.unwrap();
            puts
        })
        .block()
        .unwrap();
    assert_eq!(puts, [0.0, 0.0, 1.0, 2.0, 3.0]);
    assert_eq!(lp.time(), 5.0);
}

#[test]
fn a_getter_cancelled_as_it_is_handed_an_item_passes_it_to_the_next() {
    run(async {
        let q = Queue::new(0);
        let getters: Vec<_> = (0..3)
            .map(|_| {
                let q = q.clone();
                create_task(async move { q.get().await })
            })
            .collect();
        yield_now().await;
        q.put_nowait("only").unwrap(); // promised to the first getter
        getters[0].cancel(); // cancelled in the same turn
        let mut getters = getters.into_iter();
        assert!(getters.next().unwrap().await.is_err());
        let second = getters.next().unwrap();
        let third = getters.next().unwrap();
        assert_eq!(second.await, Ok("only"));
        yield_now().await;
        assert!(!third.done());
        third.cancel();
        assert!(format!("{q:?}").contains("qsize: 0"));
    });
}

#[test]
fn a_putter_cancelled_as_it_is_handed_a_slot_passes_it_to_the_next() {
    run(async {
        let q = Queue::new(1);
        q.put_nowait(0).unwrap();
        let putters: Vec<_> = (1..=2)
            .map(|i| {
                let q = q.clone();
                create_task(async move { q.put(i).await })
            })
            .collect();
        yield_now().await;
        assert_eq!(q.get_nowait(), Ok(0)); // the slot is promised to putter 1
        assert!(q.full(), "promised, so put_nowait may not take it");
        assert_eq!(q.put_nowait(9), Err(QueueFull(9)));
        putters[0].cancel();
        let mut putters = putters.into_iter();
        assert!(putters.next().unwrap().await.is_err());
        putters.next().unwrap().await.unwrap();
        assert_eq!(q.get_nowait(), Ok(2));
        assert!(q.empty());
    });
}

#[test]
fn a_thousand_cancelled_getters_and_putters_leave_the_queue_as_it_was() {
    run(async {
        let q = Queue::new(1);
        let getters: Vec<_> = (0..1000)
            .map(|_| {
                let q = q.clone();
                create_task(async move { q.get().await })
            })
            .collect();
        yield_now().await;
        q.put_nowait(7u32).unwrap(); // promised to the first getter
        for getter in &getters {
            getter.cancel();
        }
        for getter in getters {
            assert!(getter.await.is_err());
        }
        assert_eq!(q.qsize(), 1, "the item came back");
        let putters: Vec<_> = (0..1000)
            .map(|i| {
                let q = q.clone();
                create_task(async move { q.put(i).await })
            })
            .collect();
        yield_now().await;
        assert_eq!(q.get_nowait(), Ok(7)); // a slot is promised to the first putter
        for putter in &putters {
            putter.cancel();
        }
        for putter in putters {
            assert!(putter.await.is_err());
        }
        assert!(q.empty() && !q.full());
        assert_eq!(
            format!("{q:?}"),
            "Queue { order: \"fifo\", maxsize: 1, qsize: 0, unfinished: 1, getters: 0, putters: 0 }"
        );
    });
}

#[test]
fn a_joiner_released_by_task_done_completes_even_if_more_is_put() {
    run(async {
        let q = Queue::new(0);
        q.put_nowait(1).unwrap();
        let joiner = {
            let q = q.clone();
            create_task(async move { q.join().await })
        };
        yield_now().await;
        q.get_nowait().unwrap();
        q.task_done().unwrap();
        q.put_nowait(2).unwrap(); // before the joiner runs
        joiner.await.unwrap();
        // A join that starts now waits for item 2.
        assert!(timeout(Duration::from_secs(1), q.join()).await.is_err());
    });
}

#[test]
fn equal_priorities_come_out_in_the_order_they_were_put() {
    let q = PriorityQueue::new(0);
    for job in [(2, "c"), (1, "a"), (2, "d"), (1, "b")] {
        q.put_nowait(job).unwrap();
    }
    let order: Vec<_> = std::iter::from_fn(|| q.get_nowait().ok()).collect();
    assert_eq!(order, [(1, "a"), (1, "b"), (2, "c"), (2, "d")]);
}

#[test]
fn a_dropped_put_drops_its_item_and_frees_nothing_else() {
    struct Flag(Rc<Cell<bool>>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    run(async {
        let q = Queue::new(1);
        q.put_nowait(Flag(Rc::default())).unwrap();
        let dropped = Rc::new(Cell::new(false));
        let put = {
            let (q, dropped) = (q.clone(), Rc::clone(&dropped));
            create_task(async move { q.put(Flag(dropped)).await })
        };
        yield_now().await;
        put.cancel();
        assert!(put.await.is_err());
        assert!(dropped.get(), "the unput item was dropped");
        assert_eq!(q.qsize(), 1);
    });
}

#[test]
fn waits_record_queue_put_and_queue_get_in_the_trace() {
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    lp.run_until_complete(async {
        let q = Queue::new(1);
        let consumer = {
            let q = q.clone();
            create_task(async move {
                for _ in 0..2 {
                    q.get().await;
                    sleep(Duration::from_secs(1)).await;
                }
            })
        };
        yield_now().await; // the consumer waits for an item
        q.put(1).await; // handed to the consumer, which has not run yet
        q.put(2).await; // so this waits for room, as does the next
        q.put(3).await;
        consumer.await.unwrap();
    })
    .block()
    .unwrap();
    let waits: Vec<_> = lp
        .trace()
        .into_iter()
        .filter_map(|record| match record.event {
            TraceEvent::Waiting {
                on: on @ (WaitReason::QueueGet | WaitReason::QueuePut),
                ..
            } => Some((record.at_ms, on)),
            _ => None,
        })
        .collect();
    assert_eq!(
        waits,
        [
            (0.0, WaitReason::QueueGet),
            (0.0, WaitReason::QueuePut),
            (0.0, WaitReason::QueuePut)
        ]
    );
}
