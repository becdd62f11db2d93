//! Stopping a loop and ending a run as Python's loop does: `stop()` lets the
//! batch of ready work running now finish, then the run ends; the main
//! task's end stops the loop through a done callback, so what its last step
//! made ready still runs; `run` then cancels the leftovers and lets them
//! finish, on the virtual clock.
//!
//! Ported from CPython's `Lib/test/test_asyncio`:
//! - `test_tasks.py` `test_stop_while_run_in_complete` →
//!   `stop_inside_the_main_task_ends_the_run_before_it_completes`
//! - `test_events.py` `test_run_until_complete_stopped` →
//!   `a_main_task_that_stops_the_loop_then_awaits_does_not_resume`
//! - `test_base_events.py` `test_run_until_complete_loop_orphan_future_close_loop`
//!   and `test_run_forever_keyboard_interrupt` are left out: they are about
//!   exceptions thrown out of the loop, which Rust futures do not do.
//!
//! The expected orders below were checked against CPython 3.11.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use asyncio::{create_task, get_running_loop, sleep, yield_now, EventLoop, RunError};

type Log = Rc<RefCell<Vec<&'static str>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(log: &Log, entry: &'static str) -> impl FnOnce() + 'static {
    let log = Rc::clone(log);
    move || log.borrow_mut().push(entry)
}

#[test]
fn stop_inside_the_main_task_ends_the_run_before_it_completes() {
    let lp = EventLoop::virtual_clock();
    let x = Rc::new(Cell::new(0));
    let count = Rc::clone(&x);
    let task = lp.create_task(async move {
        while count.get() < 10 {
            sleep(Duration::from_millis(100)).await;
            count.set(count.get() + 1);
            if count.get() == 2 {
                get_running_loop().unwrap().stop();
            }
        }
    });
    let result = lp
        .run_until_complete(sleep(Duration::from_secs(60)))
        .block();
    assert_eq!(result, Err(RunError::Stopped));
    assert_eq!(
        result.unwrap_err().to_string(),
        "the event loop stopped before the main task completed"
    );
    assert!(!task.done(), "stopping cancels nothing");
    assert_eq!(x.get(), 2);
    // CPython's test loop reads 0.3 here because its clock advances while
    // it looks for the next timer; the virtual clock stops at the stop.
    assert_eq!(lp.time(), 0.2);
    assert!(task.cancel());
    let result = lp.run_until_complete(task).block();
    assert!(matches!(result, Ok(Err(_))), "the task ends cancelled");
    assert_eq!(x.get(), 2);
}

#[test]
fn a_main_task_that_stops_the_loop_then_awaits_does_not_resume() {
    let lp = EventLoop::virtual_clock();
    let resumed = Rc::new(Cell::new(false));
    let flag = Rc::clone(&resumed);
    let result = lp
        .run_until_complete(async move {
            get_running_loop().unwrap().stop();
            sleep(Duration::from_millis(100)).await;
            flag.set(true);
            7
        })
        .block();
    assert_eq!(result, Err(RunError::Stopped));
    assert!(!resumed.get());
    assert!(!lp.is_running());
    assert_eq!(lp.time(), 0.0);
    // Closing cancels the main task, still pending: it never resumes.
    lp.close().unwrap();
    assert!(!resumed.get());
}

#[test]
fn a_main_task_that_stops_the_loop_and_returns_gives_its_value() {
    let lp = EventLoop::virtual_clock();
    let result = lp
        .run_until_complete(async {
            get_running_loop().unwrap().stop();
            7
        })
        .block();
    assert_eq!(result, Ok(7));
}

#[test]
fn stop_lets_the_current_batch_finish_and_nothing_it_made_ready() {
    let lp = EventLoop::virtual_clock();
    let log = log();
    let inner = Rc::clone(&log);
    let main = lp.create_task(async move {
        inner.borrow_mut().push("main step");
        let lp = get_running_loop().unwrap();
        lp.stop();
        create_task({
            let log = Rc::clone(&inner);
            async move { log.borrow_mut().push("child started") }
        })
        .detach();
        let _ = lp.call_soon(push(&inner, "d"));
        sleep(Duration::from_millis(100)).await;
        inner.borrow_mut().push("main resumed");
    });
    // Ready before the run: the same batch as the main task's first step.
    let _ = lp.call_soon(push(&log, "c"));
    let result = lp.run_until_complete(main).block();
    assert_eq!(result, Err(RunError::Stopped));
    assert_eq!(*log.borrow(), ["main step", "c"]);
    // Nothing was cancelled: running the loop again carries on.
    lp.run_until_complete(sleep(Duration::from_millis(200)))
        .block()
        .unwrap();
    assert_eq!(
        *log.borrow(),
        ["main step", "c", "child started", "d", "main resumed"]
    );
}

#[test]
fn stop_from_a_callback_ends_the_run_and_leaves_the_tasks_pending() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let finished = Rc::new(Cell::new(false));
    let flag = Rc::clone(&finished);
    let worker = lp.create_task(async move {
        sleep(Duration::from_secs(100)).await;
        flag.set(true);
    });
    let _ = lp.call_later(Duration::from_secs(2), move || lp2.stop());
    let result = lp
        .run_until_complete(sleep(Duration::from_secs(60)))
        .block();
    assert_eq!(result, Err(RunError::Stopped));
    assert_eq!(lp.time(), 2.0);
    assert!(!worker.done() && !worker.cancelled());
    // A later run resumes the worker where it waits.
    lp.run_until_complete(sleep(Duration::from_secs(200)))
        .block()
        .unwrap();
    assert!(finished.get());
    assert_eq!(worker.result(), Ok(()));
}

#[test]
fn stop_before_a_run_stops_it_after_its_first_batch() {
    let lp = EventLoop::virtual_clock();
    let log = log();
    lp.stop();
    let inner = Rc::clone(&log);
    let result = lp
        .run_until_complete(async move {
            inner.borrow_mut().push("first step");
            yield_now().await;
            inner.borrow_mut().push("second step");
        })
        .block();
    assert_eq!(result, Err(RunError::Stopped));
    assert_eq!(*log.borrow(), ["first step"]);
    // The stop was used up: the next run goes to the end.
    let result = lp.run_until_complete(async { 1 }).block();
    assert_eq!(result, Ok(1));
}

#[test]
fn what_the_main_tasks_last_step_made_ready_runs_before_the_run_returns() {
    let lp = EventLoop::virtual_clock();
    let log = log();
    let inner = Rc::clone(&log);
    let value = lp
        .run_until_complete(async move {
            let lp = get_running_loop().unwrap();
            let again = Rc::clone(&inner);
            let _ = lp.call_soon(move || {
                again.borrow_mut().push("cb1");
                let _ = get_running_loop().unwrap().call_soon(push(&again, "cb2"));
            });
            let done = create_task({
                let log = Rc::clone(&inner);
                async move {
                    log.borrow_mut().push("t step1");
                    yield_now().await;
                    log.borrow_mut().push("t step2");
                }
            });
            done.add_done_callback({
                let log = Rc::clone(&inner);
                move |_| log.borrow_mut().push("t done callback")
            });
            5
        })
        .block();
    assert_eq!(value, Ok(5));
    // As CPython: the batch after the main task's end runs (the callback it
    // queued and its new task's first step); what they make ready waits.
    assert_eq!(*log.borrow(), ["cb1", "t step1"]);
    lp.close().unwrap();
}

#[test]
fn a_done_callback_due_when_the_main_task_ends_runs_before_the_run_returns() {
    let lp = EventLoop::virtual_clock();
    let log = log();
    let inner = Rc::clone(&log);
    lp.run_until_complete(async move {
        let child = create_task(async { 1 });
        child.add_done_callback({
            let log = Rc::clone(&inner);
            move |_| log.borrow_mut().push("child done callback")
        });
        // The child ends in the same batch as the main task's last step.
        yield_now().await;
    })
    .block()
    .unwrap();
    assert_eq!(*log.borrow(), ["child done callback"]);
}

// `run` uses the platform's default loop: in a browser, the real clock,
// which cannot be blocked on (the browser host tests cover it there).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn run_runs_the_leftover_callbacks_and_cancels_the_leftover_tasks() {
    let log = log();
    let inner = Rc::clone(&log);
    let value = asyncio::run(async move {
        let lp = get_running_loop().unwrap();
        let again = Rc::clone(&inner);
        let _ = lp.call_soon(move || {
            again.borrow_mut().push("cb1");
            let third = Rc::clone(&again);
            let _ = get_running_loop().unwrap().call_soon(move || {
                third.borrow_mut().push("cb2");
                let _ = get_running_loop().unwrap().call_soon(push(&third, "cb3"));
            });
        });
        create_task({
            let log = Rc::clone(&inner);
            async move {
                log.borrow_mut().push("t step1");
                yield_now().await;
                log.borrow_mut().push("t step2");
            }
        })
        .detach();
        5
    })
    .block();
    assert_eq!(value, Ok(5));
    // As CPython's `asyncio.run`: the leftover task is cancelled before it
    // takes another step; the leftover callbacks all run.
    assert_eq!(*log.borrow(), ["cb1", "t step1", "cb2", "cb3"]);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn run_with_nothing_pending_still_runs_the_callbacks_the_last_step_queued() {
    let log = log();
    let inner = Rc::clone(&log);
    asyncio::run(async move {
        let lp = get_running_loop().unwrap();
        let again = Rc::clone(&inner);
        let _ = lp.call_soon(move || {
            again.borrow_mut().push("queued by the last step");
            let _ = get_running_loop()
                .unwrap()
                .call_soon(push(&again, "queued by that callback"));
        });
    })
    .block()
    .unwrap();
    assert_eq!(
        *log.borrow(),
        ["queued by the last step", "queued by that callback"]
    );
}

/// A loop built on the virtual clock with a budget of `budget_ms` per turn.
fn virtual_loop_with_budget(budget_ms: u64) -> EventLoop {
    EventLoop::builder()
        .clock(asyncio::Clock::Virtual)
        .budget(Duration::from_millis(budget_ms))
        .build()
        .expect("a virtual-clock loop builds")
}

#[test]
fn a_run_ends_when_a_done_callback_after_the_main_tasks_uses_up_the_turns_budget() {
    // The main task's end stops the loop through a done callback; a done
    // callback of the program's, run after it in the same batch, holds the
    // loop past the budget. The turn yields with nothing ready, but the
    // run's end is still due: the next turn ends the run.
    let lp = virtual_loop_with_budget(4);
    let value = lp
        .run_until_complete(async {
            let main = asyncio::current_task().expect("inside a task");
            main.add_done_callback(|_| asyncio::blocking_sleep(Duration::from_millis(10)));
            7
        })
        .block();
    assert_eq!(value, Ok(7));
    assert_eq!(lp.time(), 0.010);
}

#[test]
fn a_stop_called_in_a_step_that_uses_up_the_budget_still_stops() {
    let lp = virtual_loop_with_budget(4);
    let result = lp
        .run_until_complete(async {
            get_running_loop().expect("inside a run").stop();
            asyncio::blocking_sleep(Duration::from_millis(10));
            std::future::pending::<()>().await;
            "resumed"
        })
        .block();
    assert!(matches!(result, Err(RunError::Stopped)), "{result:?}");
}

#[test]
fn a_stop_asked_before_the_run_ends_it_after_one_batch_even_with_nothing_left_ready() {
    // As Python's loop: stop() on a loop that is not running ends its next
    // run once the first batch has run, even if that leaves nothing ready.
    let lp = EventLoop::virtual_clock();
    lp.stop();
    let steps = Rc::new(Cell::new(0));
    let counted = Rc::clone(&steps);
    let result = lp
        .run_until_complete(async move {
            counted.set(counted.get() + 1);
            std::future::pending::<()>().await;
        })
        .block();
    assert!(matches!(result, Err(RunError::Stopped)), "{result:?}");
    assert_eq!(steps.get(), 1);
}
