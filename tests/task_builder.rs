//! Tasks made with options: names, cancellation delivered as a request (the
//! way an interpreter's coroutines take it), the untyped task handle,
//! `current_task`/`all_tasks`, source lines in the trace, and blocking
//! steps, on the virtual clock.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::RefCell;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use asyncio::{
    all_tasks, blocking_sleep, create_task, current_task, set_task_line, sleep, take_cancellation,
    yield_now, Cancelled, EventLoop, TaskBuilder, TraceEvent, WaitReason,
};
mod support;
use support::now;

/// Awaits `inner`, but returns `Err` with the cancellation as soon as one is
/// delivered: what a driver of a coroutine does before throwing it in.
async fn until_cancelled<F: Future>(inner: F) -> Result<F::Output, Cancelled> {
    let mut inner = Box::pin(inner);
    std::future::poll_fn(move |cx| match take_cancellation() {
        Some(cancelled) => Poll::Ready(Err(cancelled)),
        None => Pin::new(&mut inner).poll(cx).map(Ok),
    })
    .await
}

#[test]
fn a_delivering_task_handles_its_cancellation_and_goes_on() {
    let lp = EventLoop::virtual_clock();
    let log = Rc::new(RefCell::new(Vec::new()));
    let inner = Rc::clone(&log);
    let value = lp
        .run_until_complete(async move {
            let task = TaskBuilder::new().deliver_cancellation().spawn(async move {
                let first = until_cancelled(sleep(Duration::from_secs(10))).await;
                inner.borrow_mut().push(format!("{first:?} at {}", now()));
                // Cleans up after the cancellation, awaiting, then returns.
                sleep(Duration::from_secs(1)).await;
                inner.borrow_mut().push(format!("cleaned up at {}", now()));
                "handled"
            });
            sleep(Duration::from_secs(2)).await;
            assert!(task.cancel_with_message("stop"));
            assert_eq!(task.cancelling(), 1);
            task.await
        })
        .block()
        .unwrap();
    assert_eq!(value, Ok("handled"), "the task suppressed the cancellation");
    assert_eq!(
        *log.borrow(),
        [
            "Err(Cancelled { message: Some(\"stop\") }) at 2",
            "cleaned up at 3"
        ]
    );
}

#[test]
fn a_delivered_cancellation_that_is_not_taken_ends_the_task_cancelled() {
    let lp = EventLoop::virtual_clock();
    let outcome = lp
        .run_until_complete(async {
            let task = TaskBuilder::new()
                .deliver_cancellation()
                .spawn(async { sleep(Duration::from_secs(1)).await });
            yield_now().await;
            task.cancel();
            // The sleep ends at 1 s, with the request still pending.
            let outcome = task.await;
            (outcome, now())
        })
        .block()
        .unwrap();
    assert!(outcome.0.is_err(), "a pending request at the end cancels");
    assert_eq!(outcome.1, 1.0, "the future was not dropped early");
}

#[test]
fn a_delivering_awaiter_learns_of_its_cancellation_from_the_awaited_task() {
    // Python: cancelling an outer task that awaits an inner task cancels
    // the inner one; if it accepts, the outer is not told directly but gets
    // the inner's CancelledError when it ends.
    let lp = EventLoop::virtual_clock();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (a, b) = (Rc::clone(&log), Rc::clone(&log));
    lp.run_until_complete(async move {
        let inner = TaskBuilder::new()
            .name("inner")
            .deliver_cancellation()
            .spawn(async move {
                let got = until_cancelled(sleep(Duration::from_secs(10))).await;
                a.borrow_mut().push(format!("inner: {}", got.is_err()));
                // Accepts: ends cancelled by returning with the request
                // re-raised, as a coroutine that lets CancelledError out.
                if got.is_err() {
                    current_task().unwrap().cancel();
                }
            });
        let outer = TaskBuilder::new()
            .name("outer")
            .deliver_cancellation()
            .spawn(async move {
                let got = until_cancelled(inner.into_future()).await;
                b.borrow_mut().push(format!(
                    "outer: direct={} inner={}",
                    got.is_err(),
                    got.is_ok_and(|joined| joined.is_err())
                ));
            });
        sleep(Duration::from_secs(1)).await;
        assert!(outer.cancel());
        let _ = outer.await;
    })
    .block()
    .unwrap();
    assert_eq!(
        *log.borrow(),
        ["inner: true", "outer: direct=false inner=true"]
    );
}

#[test]
fn uncancel_withdraws_a_request() {
    let lp = EventLoop::virtual_clock();
    let counts = lp
        .run_until_complete(async {
            let task = TaskBuilder::new().deliver_cancellation().spawn(async {
                until_cancelled(sleep(Duration::from_secs(1)))
                    .await
                    .is_err()
            });
            yield_now().await;
            task.cancel();
            task.cancel();
            let two = task.cancelling();
            let one = task.uncancel();
            (two, one, task.await)
        })
        .block()
        .unwrap();
    assert_eq!(counts, (2, 1, Ok(true)));
}

#[test]
fn names_given_at_creation_reach_the_trace_and_the_repr() {
    let lp = EventLoop::builder()
        .clock(asyncio::Clock::Virtual)
        .trace(true)
        .build()
        .unwrap();
    let repr = lp
        .run_until_complete(async {
            let task = TaskBuilder::new().name("fetcher").spawn(async { 1 });
            let repr = task.to_string();
            let _ = task.await;
            repr
        })
        .block()
        .unwrap();
    assert_eq!(repr, "<Task pending name='fetcher'>");
    let created: Vec<String> = lp
        .trace()
        .iter()
        .filter_map(|record| match &record.event {
            TraceEvent::TaskCreated { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(created, ["Task-1", "fetcher"]);
}

#[test]
fn spawn_on_a_loop_and_outside_any_loop() {
    let lp = EventLoop::virtual_clock();
    let task = TaskBuilder::new().name("early").spawn_on(&lp, async { 5 });
    assert_eq!(lp.run_until_complete(task).block(), Ok(Ok(5)));
    let orphan = TaskBuilder::new().spawn(async { 6 });
    assert!(orphan.cancelled(), "no loop to run it");
}

#[test]
fn current_task_and_all_tasks_see_the_running_loops_tasks() {
    let lp = EventLoop::virtual_clock();
    let seen = lp
        .run_until_complete(async {
            let me = current_task().unwrap();
            let child = create_task(async { current_task().map(|task| task.name()) });
            let listed: Vec<String> = all_tasks().iter().map(|task| task.to_string()).collect();
            let child_saw = child.await.unwrap();
            (me.name(), listed, child_saw)
        })
        .block()
        .unwrap();
    assert_eq!(seen.0, "Task-1");
    assert_eq!(
        seen.1,
        [
            "<Task pending name='Task-1'>",
            "<Task pending name='Task-2'>"
        ]
    );
    assert_eq!(seen.2.as_deref(), Some("Task-2"));
    assert!(current_task().is_none() && all_tasks().is_empty());
}

#[test]
fn a_task_ref_cancels_and_compares_by_identity() {
    let lp = EventLoop::virtual_clock();
    lp.run_until_complete(async {
        let task = create_task(sleep(Duration::from_secs(5)));
        let (one, two) = (task.to_ref(), task.to_ref());
        assert_eq!(one, two);
        assert_ne!(one, current_task().unwrap());
        assert!(one.cancel_with_message("by ref"));
        assert_eq!(task.await.unwrap_err().message(), Some("by ref"));
        assert!(two.done() && two.cancelled());
    })
    .block()
    .unwrap();
}

#[test]
fn the_source_line_a_task_is_at_is_recorded_with_its_waits() {
    let lp = EventLoop::builder()
        .clock(asyncio::Clock::Virtual)
        .trace(true)
        .build()
        .unwrap();
    lp.run_until_complete(async {
        set_task_line(Some(4));
        sleep(Duration::from_secs(1)).await;
        set_task_line(None);
        sleep(Duration::from_secs(1)).await;
    })
    .block()
    .unwrap();
    let waits: Vec<(WaitReason, Option<u32>)> = lp
        .trace()
        .iter()
        .filter_map(|record| match record.event {
            TraceEvent::Waiting { on, line, .. } => Some((on, line)),
            _ => None,
        })
        .collect();
    assert_eq!(
        waits,
        [(WaitReason::Sleep, Some(4)), (WaitReason::Sleep, None)]
    );
}

#[test]
fn a_blocking_step_holds_the_loop_and_moves_the_virtual_clock() {
    let lp = EventLoop::virtual_clock();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (a, b) = (Rc::clone(&log), Rc::clone(&log));
    lp.run_until_complete(async move {
        let ticker = create_task(async move {
            for _ in 0..3 {
                a.borrow_mut().push(format!("tick {}", now()));
                sleep(Duration::from_millis(500)).await;
            }
        });
        yield_now().await;
        blocking_sleep(Duration::from_secs(2));
        b.borrow_mut().push(format!("blocked until {}", now()));
        let _ = ticker.await;
    })
    .block()
    .unwrap();
    // The ticker's 0.5 s timer came due during the block and ran late.
    assert_eq!(
        *log.borrow(),
        ["tick 0", "blocked until 2", "tick 2", "tick 2.5"]
    );
}
