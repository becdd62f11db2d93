//! Task handles: cancellation drops the future at its next turn, results,
//! names, done callbacks and the Python-like repr.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, sleep, yield_now, EventLoop, TaskResultError};

/// Sets its flag when dropped: proves a future's destructors ran.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn cancel_drops_the_future_at_its_next_turn_and_await_gives_cancelled() {
    let lp = EventLoop::virtual_clock();
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    let outcome = lp
        .run_until_complete(async move {
            let task = create_task(async move {
                let _guard = DropFlag(flag);
                sleep(Duration::from_secs(10)).await;
                "never"
            });
            yield_now().await; // the task starts and sleeps
            assert!(task.cancel());
            assert!(
                !task.done(),
                "cancellation takes effect at the task's next turn"
            );
            task.await
        })
        .block()
        .unwrap();
    assert!(outcome.is_err());
    assert!(dropped.get(), "the future's destructors ran");
    assert_eq!(
        lp.time(),
        0.0,
        "the cancelled sleep's timer did not hold the loop"
    );
}

#[test]
fn a_task_cancelled_before_it_starts_never_runs() {
    let lp = EventLoop::virtual_clock();
    let ran = Rc::new(Cell::new(false));
    let flag = Rc::clone(&ran);
    lp.run_until_complete(async move {
        let task = create_task(async move { flag.set(true) });
        assert!(task.cancel());
        assert!(task.await.is_err());
    })
    .block()
    .unwrap();
    assert!(!ran.get());
}

#[test]
fn cancelling_a_finished_task_is_a_no_op_that_says_so() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(async { 5 });
        yield_now().await;
        assert!(task.done());
        assert!(!task.cancel());
        assert!(!task.cancelled());
        assert_eq!(task.result(), Ok(5));
        assert_eq!(task.await, Ok(5));
    })
    .block()
    .unwrap();
}

#[test]
fn cancelling_twice_still_reports_the_request() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(sleep(Duration::from_secs(1)));
        assert!(task.cancel());
        assert!(task.cancel());
        assert!(task.await.is_err());
    })
    .block()
    .unwrap();
}

#[test]
fn cancel_message_reaches_the_error() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(sleep(Duration::from_secs(1)));
        task.cancel_with_message("stop it");
        let err = task.await.unwrap_err();
        assert_eq!(err.message(), Some("stop it"));
        assert_eq!(err.to_string(), "cancelled: stop it");
    })
    .block()
    .unwrap();
}

#[test]
fn dropping_the_handle_does_not_stop_the_task() {
    let lp = EventLoop::virtual_clock();
    let finished = Rc::new(Cell::new(false));
    let flag = Rc::clone(&finished);
    lp.run_until_complete(async move {
        create_task(async move {
            sleep(Duration::from_secs(1)).await;
            flag.set(true);
        })
        .detach();
        sleep(Duration::from_secs(2)).await;
    })
    .block()
    .unwrap();
    assert!(finished.get());
}

#[test]
fn display_follows_pythons_task_repr() {
    let lp = EventLoop::virtual_clock();
    let reprs = lp
        .run_until_complete(async {
            let mut seen = Vec::new();
            let finished = create_task(async { 1 });
            let cancelled = create_task(sleep(Duration::from_secs(1)));
            seen.push(finished.to_string());
            cancelled.cancel();
            yield_now().await;
            yield_now().await;
            seen.push(finished.to_string());
            seen.push(cancelled.to_string());
            finished.set_name("worker");
            seen.push(finished.to_string());
            let _ = finished.await;
            seen
        })
        .block()
        .unwrap();
    assert_eq!(
        reprs,
        [
            "<Task pending name='Task-2'>",
            "<Task finished name='Task-2' result=1>",
            "<Task cancelled name='Task-3'>",
            "<Task finished name='worker' result=1>",
        ]
    );
}

#[test]
fn result_before_done_is_an_invalid_state_error() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(sleep(Duration::from_secs(1)));
        assert_eq!(task.result(), Err(TaskResultError::Pending));
        task.cancel();
        assert!(matches!(task.result(), Err(TaskResultError::Pending)));
        assert!(task.await.is_err());
    })
    .block()
    .unwrap();
}

#[test]
fn done_callbacks_run_soon_in_order_with_the_task_info() {
    let lp = EventLoop::virtual_clock();
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    lp.run_until_complete(async move {
        let task = create_task(sleep(Duration::from_secs(1)));
        task.set_name("sleeper");
        for i in 0..3 {
            let l = Rc::clone(&l);
            task.add_done_callback(move |info| {
                l.borrow_mut()
                    .push(format!("{i} {} {}", info.name, info.cancelled))
            });
        }
        assert!(l.borrow().is_empty(), "nothing runs before the task ends");
        let _ = task.await;
        // Added before the await, they ran (via the loop, in order) before
        // the awaiter resumed, as in Python.
        assert_eq!(l.borrow().len(), 3);
        yield_now().await;
        // Added after the task ended: scheduled at once.
        let done = create_task(async {});
        yield_now().await;
        let l2 = Rc::clone(&l);
        done.add_done_callback(move |info| l2.borrow_mut().push(format!("late {}", info.id)));
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(
        *log.borrow(),
        [
            "0 sleeper false",
            "1 sleeper false",
            "2 sleeper false",
            "late Task-3"
        ]
    );
}

#[test]
fn create_task_outside_a_loop_gives_a_cancelled_task_not_a_panic() {
    let task = create_task(async { 1 });
    assert!(task.cancelled());
    let err = EventLoop::virtual_clock()
        .run_until_complete(task)
        .block()
        .unwrap()
        .unwrap_err();
    assert_eq!(err.message(), Some("no running event loop"));
}

#[test]
fn a_task_can_cancel_itself_through_its_handle() {
    let lp = EventLoop::virtual_clock();
    let slot: Rc<RefCell<Option<asyncio::Task<()>>>> = Rc::new(RefCell::new(None));
    let inner = Rc::clone(&slot);
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    lp.run_until_complete(async move {
        let task = create_task(async move {
            let _guard = DropFlag(flag);
            yield_now().await;
            if let Some(me) = inner.borrow().as_ref() {
                me.cancel();
            }
            sleep(Duration::from_secs(5)).await;
        });
        *slot.borrow_mut() = Some(task);
        sleep(Duration::from_secs(1)).await;
        let task = slot.borrow_mut().take().unwrap();
        assert!(task.cancelled());
    })
    .block()
    .unwrap();
    assert!(dropped.get());
}
