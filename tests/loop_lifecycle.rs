//! The loop's life: run, run again, nest, stop, close.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::{get_running_loop, run, sleep, EventLoop, LoopError, RunError};
mod support;
use support::DropFlag;

// `run` uses the platform's default loop: in a browser, the real clock,
// which cannot be blocked on (the browser host tests await it instead).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn run_returns_the_value_and_closes_the_loop() {
    let value = run(async {
        sleep(Duration::from_secs(1)).await;
        "done"
    })
    .block();
    assert_eq!(value, Ok("done"));
}

// `run` uses the platform's default loop: in a browser, the real clock,
// which cannot be blocked on (the browser host tests await it instead).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn run_cancels_leftover_tasks() {
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    let r = run(async move {
        asyncio::create_task(async move {
            let _guard = DropFlag(flag);
            sleep(Duration::from_secs(100)).await;
        })
        .detach();
        sleep(Duration::from_secs(1)).await;
    });
    let lp = r.event_loop().clone();
    r.block().unwrap();
    assert!(dropped.get(), "the leftover task's future was dropped");
    assert!(lp.is_closed());
    assert_eq!(lp.time(), 1.0);
}

#[test]
fn closing_a_loop_cancels_its_pending_tasks() {
    let lp = EventLoop::virtual_clock();
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    let pending = lp.create_task(async move {
        let _guard = DropFlag(flag);
        sleep(Duration::from_secs(10)).await;
    });
    lp.run_until_complete(sleep(Duration::from_secs(1)))
        .block()
        .unwrap();
    assert!(!pending.done(), "still sleeping after the run");
    assert!(!lp.is_running());
    lp.close().unwrap();
    assert!(lp.is_closed());
    assert!(pending.cancelled());
    assert!(dropped.get());
    lp.close().unwrap(); // closing twice is harmless
}

#[test]
fn a_stopped_loop_resumes_pending_tasks_on_the_next_run() {
    let lp = EventLoop::virtual_clock();
    let background = lp.create_task(async {
        sleep(Duration::from_secs(3)).await;
        3
    });
    lp.run_until_complete(sleep(Duration::from_secs(1)))
        .block()
        .unwrap();
    assert!(!background.done());
    let value = lp.run_until_complete(background).block().unwrap();
    assert_eq!(value, Ok(3));
    assert_eq!(lp.time(), 3.0);
}

#[test]
fn running_a_loop_inside_a_running_loop_is_an_error_not_a_hang() {
    let lp = EventLoop::virtual_clock();
    let nested = lp
        .run_until_complete(async {
            let inner = EventLoop::virtual_clock();
            inner.run_until_complete(async { 1 }).await
        })
        .block()
        .unwrap();
    assert_eq!(nested, Err(RunError::NestedLoop));
}

#[test]
fn running_the_same_loop_from_its_own_task_is_an_error() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let again = lp
        .run_until_complete(async move { lp2.run_until_complete(async { 1 }).await })
        .block()
        .unwrap();
    assert_eq!(again, Err(RunError::NestedLoop));
}

#[test]
fn asyncio_run_inside_a_loop_is_an_error() {
    let lp = EventLoop::virtual_clock();
    let nested = lp
        .run_until_complete(async { run(async { 1 }).await })
        .block()
        .unwrap();
    assert_eq!(nested, Err(RunError::NestedLoop));
}

#[test]
fn a_closed_loop_refuses_to_run() {
    let lp = EventLoop::virtual_clock();
    lp.close().unwrap();
    assert_eq!(
        lp.run_until_complete(async { 1 }).block(),
        Err(RunError::Closed)
    );
    let task = lp.create_task(async { 1 });
    assert!(
        task.cancelled(),
        "tasks on a closed loop are born cancelled"
    );
}

#[test]
fn closing_a_running_loop_is_refused() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let refused = lp
        .run_until_complete(async move { lp2.close() })
        .block()
        .unwrap();
    assert_eq!(refused, Err(LoopError::Running));
    assert!(!lp.is_closed());
}

#[test]
fn is_running_is_true_only_inside_a_run() {
    let lp = EventLoop::virtual_clock();
    assert!(!lp.is_running());
    let lp2 = lp.clone();
    let inside = lp
        .run_until_complete(async move { lp2.is_running() })
        .block()
        .unwrap();
    assert!(inside);
    assert!(!lp.is_running());
}

#[test]
fn get_running_loop_finds_the_loop_only_inside() {
    assert!(get_running_loop().is_err());
    let lp = EventLoop::virtual_clock();
    let time = lp
        .run_until_complete(async {
            sleep(Duration::from_millis(1500)).await;
            get_running_loop().map(|lp| lp.time())
        })
        .block()
        .unwrap();
    assert_eq!(time, Ok(1.5));
}

#[test]
fn stop_ends_the_run_and_close_cancels_what_is_left() {
    let lp = EventLoop::virtual_clock();
    let lp2 = lp.clone();
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    let worker = lp.create_task(async move {
        let _guard = DropFlag(flag);
        sleep(Duration::from_secs(100)).await;
    });
    let _ = lp.call_later(Duration::from_secs(2), move || lp2.stop());
    let result = lp
        .run_until_complete(sleep(Duration::from_secs(60)))
        .block();
    assert_eq!(result, Err(RunError::Stopped));
    assert!(!worker.done(), "stopping cancels nothing");
    assert!(!dropped.get());
    assert_eq!(lp.time(), 2.0);
    lp.close().unwrap();
    assert!(worker.cancelled());
    assert!(dropped.get());
}

// In the browser the virtual clock waits for I/O instead of stalling.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_main_task_waiting_on_nothing_stalls_on_the_virtual_clock() {
    let lp = EventLoop::virtual_clock();
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    let result = lp
        .run_until_complete(async move {
            let _guard = DropFlag(flag);
            std::future::pending::<()>().await
        })
        .block();
    assert_eq!(result, Err(RunError::Stalled));
    assert!(dropped.get(), "the stalled main task was dropped");
    assert!(!lp.is_running());
}

#[test]
fn dropping_an_unpolled_run_starts_nothing() {
    let lp = EventLoop::virtual_clock();
    let dropped = Rc::new(Cell::new(false));
    let flag = Rc::clone(&dropped);
    let run = lp.run_until_complete(async move {
        let _guard = DropFlag(flag);
        sleep(Duration::from_secs(1)).await;
    });
    drop(run);
    assert!(!dropped.get(), "never started, so there was no task yet");
    assert!(!lp.is_running());
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_real_clock_is_refused_natively_with_a_clear_error() {
    let err = EventLoop::builder().build().unwrap_err();
    assert_eq!(err, LoopError::RealClockUnavailable);
    assert!(err.to_string().contains("virtual clock"));
}

/// Prints as its future is dropped.
struct PrintOnDrop(&'static str);

impl Drop for PrintOnDrop {
    fn drop(&mut self) {
        asyncio::print(self.0);
    }
}

#[test]
fn what_leftovers_print_while_closing_is_the_loops_output() {
    use std::cell::RefCell;
    let lp = EventLoop::virtual_clock();
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&lines);
    lp.set_output(move |line| sink.borrow_mut().push(line.text.clone()));
    let leftover = lp.create_task(async {
        let _guard = PrintOnDrop("leftover dropped");
        sleep(Duration::from_secs(60)).await;
    });
    lp.run_until_complete(sleep(Duration::from_secs(1)))
        .block()
        .unwrap();
    lp.close().unwrap();
    assert!(leftover.cancelled());
    assert_eq!(*lines.borrow(), ["leftover dropped"]);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn run_lets_leftovers_finish_cancelling_with_the_loop_running() {
    use std::cell::RefCell;
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&lines);
    let r = run(async {
        let leftover = asyncio::create_task(sleep(Duration::from_secs(60)));
        leftover.add_done_callback(|info| {
            asyncio::print(format_args!("{} cancelled: {}", info.name, info.cancelled))
        });
        leftover.detach();
        sleep(Duration::from_secs(1)).await;
    });
    r.event_loop()
        .set_output(move |line| sink.borrow_mut().push(line.text.clone()));
    r.block().unwrap();
    assert_eq!(*lines.borrow(), ["Task-2 cancelled: true"]);
}
