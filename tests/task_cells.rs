//! What a task's cell owns, and when it lets go: the future, dropped once
//! when it returns or is cancelled; the output, dropped once by whoever
//! holds it last (the handle that took it, or the cell); and the cell
//! itself, kept by handles, the loop and wakers, whichever goes last.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use asyncio::{create_task, yield_now, EventLoop};

/// Counts its drops in a shared counter.
struct Counted(Rc<Cell<u32>>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn an_output_nobody_takes_is_dropped_once_with_the_cell() {
    let drops = Rc::new(Cell::new(0));
    let count = Rc::clone(&drops);
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        let task = create_task(async move { Counted(count) });
        yield_now().await; // it runs and finishes
        assert!(task.done());
        assert_eq!(drops.get(), 0, "the output waits in the cell");
        drop(task);
        assert_eq!(drops.get(), 1, "the last pointer dropped the output");
        drops
    })
    .block()
    .map(|drops| assert_eq!(drops.get(), 1, "and only once"))
    .unwrap();
}

#[test]
fn a_taken_output_belongs_to_the_taker() {
    let drops = Rc::new(Cell::new(0));
    let count = Rc::clone(&drops);
    let lp = EventLoop::virtual_clock();
    let taken = lp
        .run_until_complete(async move {
            let task = create_task(async move { Counted(count) });
            task.await.unwrap()
        })
        .block()
        .unwrap();
    assert_eq!(drops.get(), 0, "the cell gave the output up");
    drop(taken);
    assert_eq!(drops.get(), 1);
}

/// The cell outlives the handle that took the output (the task's waker,
/// which on WebAssembly is a pointer to the cell, is kept): when it goes,
/// neither the future nor the output is dropped again.
#[test]
fn a_cell_that_outlives_its_taken_output_drops_nothing_again() {
    let drops = Rc::new(Cell::new(0));
    let kept: Rc<RefCell<Option<Waker>>> = Rc::default();
    let (count, keep) = (Rc::clone(&drops), Rc::clone(&kept));
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        let guard = Counted(Rc::clone(&count));
        let task = create_task(async move {
            poll_fn(|cx| {
                *keep.borrow_mut() = Some(cx.waker().clone());
                Poll::Ready(())
            })
            .await;
            drop(guard);
            Counted(count)
        });
        let output = task.await.unwrap();
        drop(output);
    })
    .block()
    .unwrap();
    assert_eq!(drops.get(), 2, "the future's guard, then the output");
    drop(kept.borrow_mut().take());
    assert_eq!(drops.get(), 2, "the cell's last pointer dropped nothing");
}

#[test]
fn a_cancelled_future_is_dropped_once_and_leaves_no_output() {
    let drops = Rc::new(Cell::new(0));
    let guard = Counted(Rc::clone(&drops));
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        let task = create_task(async move {
            let _guard = guard;
            std::future::pending::<Counted>().await
        });
        yield_now().await; // it starts and waits
        assert!(task.cancel());
        let outcome = task.await;
        assert!(outcome.is_err(), "a cancelled task gives no value");
    })
    .block()
    .unwrap();
    assert_eq!(drops.get(), 1, "the future's destructors ran once");
}

#[test]
fn a_result_read_twice_is_cloned_and_the_output_stays() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(async { String::from("seven") });
        yield_now().await;
        assert_eq!(task.result().as_deref(), Ok("seven"));
        assert_eq!(task.result().as_deref(), Ok("seven"));
        assert_eq!(
            task.to_string(),
            "<Task finished name='Task-2' result=\"seven\">"
        );
        assert_eq!(task.await.as_deref(), Ok("seven"));
    })
    .block()
    .unwrap();
}

#[test]
fn a_waker_kept_past_the_loop_keeps_nothing_running_and_wakes_nothing() {
    let drops = Rc::new(Cell::new(0));
    let count = Rc::clone(&drops);
    let kept: Rc<RefCell<Vec<Waker>>> = Rc::default();
    let keep = Rc::clone(&kept);
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        let task = create_task(async move {
            let mut first = true;
            poll_fn(|cx| {
                keep.borrow_mut().push(cx.waker().clone());
                if std::mem::take(&mut first) {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                } else {
                    Poll::Ready(())
                }
            })
            .await;
            Counted(count)
        });
        task.await.unwrap()
    })
    .block()
    .map(drop)
    .unwrap();
    assert_eq!(drops.get(), 1);
    drop(lp);
    // The loop is gone; its task's wakers still point at the task.
    let wakers = kept.take();
    assert_eq!(wakers.len(), 2);
    for waker in &wakers {
        waker.wake_by_ref();
        let _ = waker.clone();
    }
    for waker in wakers {
        waker.wake();
    }
    assert_eq!(drops.get(), 1, "nothing ran again");
}

#[test]
fn many_tasks_each_give_their_own_output() {
    let lp = EventLoop::virtual_clock();
    let sum = lp
        .run_until_complete(async {
            let small: Vec<_> = (0..1000u64)
                .map(|i| create_task(async move { i }))
                .collect();
            let large: Vec<_> = (0..100u64)
                .map(|i| create_task(async move { [i; 64] }))
                .collect();
            let mut sum = 0;
            for task in small {
                sum += task.await.unwrap();
            }
            for task in large {
                sum += task.await.unwrap().iter().sum::<u64>();
            }
            sum
        })
        .block()
        .unwrap();
    assert_eq!(sum, 999 * 1000 / 2 + 64 * 99 * 100 / 2);
}

/// A future that must not move once polled: it notes where it was polled,
/// and when dropped, whether it is still there.
struct Pinned {
    polled_at: Cell<usize>,
    dropped_in_place: Rc<Cell<Option<bool>>>,
    _pin: PhantomPinned,
}

impl Pinned {
    fn new(dropped_in_place: &Rc<Cell<Option<bool>>>) -> Self {
        Pinned {
            polled_at: Cell::new(0),
            dropped_in_place: Rc::clone(dropped_in_place),
            _pin: PhantomPinned,
        }
    }
}

impl Future for Pinned {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        self.polled_at.set(std::ptr::from_ref(&*self) as usize);
        Poll::Pending
    }
}

impl Drop for Pinned {
    fn drop(&mut self) {
        let here = std::ptr::from_ref(&*self) as usize;
        self.dropped_in_place
            .set(Some(self.polled_at.get() == here));
    }
}

#[test]
fn a_cancelled_future_is_dropped_where_it_was_pinned() {
    let dropped_in_place = Rc::new(Cell::new(None));
    let future = Pinned::new(&dropped_in_place);
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        let task = create_task(future);
        yield_now().await; // polled once, pending
        assert!(task.cancel());
        assert!(task.await.is_err());
    })
    .block()
    .unwrap();
    assert_eq!(dropped_in_place.get(), Some(true));
}

#[test]
fn a_future_pending_when_its_loop_closes_is_dropped_where_it_was_pinned() {
    let dropped_in_place = Rc::new(Cell::new(None));
    let future = Pinned::new(&dropped_in_place);
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async move {
        create_task(future).detach();
        yield_now().await; // polled once, pending
    })
    .block()
    .unwrap();
    assert_eq!(dropped_in_place.get(), None, "still pending");
    lp.close().unwrap();
    assert_eq!(dropped_in_place.get(), Some(true));
}
