//! `LifoQueue` and `PriorityQueue` orders, `task_done` and `join` for all
//! three queues, and what CPython's suite does not cover (exact wake-ups,
//! items and slots surviving cancellation, the trace), on the virtual clock.
//!
//! Ported from CPython's `Lib/test/test_asyncio/test_queues.py`:
//! - `LifoQueueTests.test_order`, `PriorityQueueTests.test_order`
//! - `_QueueJoinTestMixin` for all three queues: `test_task_done_underflow`,
//!   `test_task_done`, `test_join_empty_queue`
//!
//! Left out: `_QueueJoinTestMixin.test_format`, a private helper of `repr`;
//! `Debug` is covered in `sync_queue.rs`.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{
    create_task, sleep, timeout, yield_now, EventLoop, LifoQueue, PriorityQueue, Queue, QueueFull,
    TaskDoneError, TraceEvent, WaitReason,
};
mod support;
use support::{logged, Log};

fn now() -> f64 {
    asyncio::get_running_loop().map_or(-1.0, |lp| lp.time())
}

fn run<F: std::future::Future + 'static>(future: F) -> F::Output {
    EventLoop::virtual_clock()
        .run_until_complete(future)
        .block()
        .unwrap()
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
