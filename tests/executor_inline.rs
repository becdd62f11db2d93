//! The inline executor, natively and in the browser, on the virtual clock:
//! the registry, serialisation, errors, order, the warning, shutdown.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::RefCell;
use std::rc::Rc;

use asyncio::executor::{register, Executor, ExecutorError, ExecutorKind};
use asyncio::{gather, EventLoop, TraceEvent};

fn square(x: u64) -> u64 {
    x * x
}

fn shout(text: String) -> String {
    text.to_uppercase()
}

fn setup() {
    register("square", square);
    register("shout", shout);
}

fn capture(lp: &EventLoop) -> Rc<RefCell<Vec<String>>> {
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&lines);
    lp.set_output(move |line| sink.borrow_mut().push(line.text.clone()));
    lines
}

#[test]
fn jobs_run_by_name_and_results_come_back_in_order() {
    setup();
    let lp = EventLoop::virtual_clock();
    let executor = Executor::inline();
    assert_eq!(executor.kind(), ExecutorKind::Inline);
    let results = lp
        .run_until_complete(gather(
            (1..=5u64).map(move |n| executor.submit::<_, u64>("square", &n)),
        ))
        .block()
        .unwrap()
        .unwrap();
    let values: Vec<u64> = results.into_iter().map(Result::unwrap).collect();
    assert_eq!(values, [1, 4, 9, 16, 25]);
}

#[test]
fn the_inline_executor_says_it_blocks_the_loop_once() {
    setup();
    let lp = EventLoop::virtual_clock();
    let lines = capture(&lp);
    let executor = Executor::inline();
    lp.run_until_complete(async move {
        let a: String = executor.submit("shout", "a").await.unwrap();
        let b: String = executor.submit("shout", "b").await.unwrap();
        (a, b)
    })
    .block()
    .unwrap();
    let lines = lines.borrow();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("run inline on the event loop and block it"));
}

#[test]
fn an_unknown_job_is_a_typed_error() {
    let lp = EventLoop::virtual_clock();
    let executor = Executor::inline();
    let outcome = lp
        .run_until_complete(executor.submit::<_, u64>("no such job", &1))
        .block()
        .unwrap();
    assert_eq!(
        outcome,
        Err(ExecutorError::UnknownJob {
            name: "no such job".into()
        })
    );
}

#[test]
fn arguments_and_results_of_the_wrong_shape_are_typed_errors() {
    setup();
    let lp = EventLoop::virtual_clock();
    let executor = Executor::inline();
    let (bad_args, bad_result) = lp
        .run_until_complete(async move {
            let bad_args = executor.submit::<_, u64>("square", "not a number").await;
            let bad_result = executor.submit::<_, String>("square", &3u64).await;
            (bad_args, bad_result)
        })
        .block()
        .unwrap();
    assert!(
        matches!(bad_args, Err(ExecutorError::JobFailed { .. })),
        "{bad_args:?}"
    );
    assert!(
        matches!(bad_result, Err(ExecutorError::Serialization { .. })),
        "{bad_result:?}"
    );
}

#[test]
fn the_trace_records_queued_started_and_finished() {
    setup();
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    let executor = Executor::inline();
    lp.run_until_complete(async move { executor.submit::<_, u64>("square", &2).await })
        .block()
        .unwrap()
        .unwrap();
    let jobs: Vec<TraceEvent> = lp
        .trace()
        .into_iter()
        .map(|r| r.event)
        .filter(|e| {
            matches!(
                e,
                TraceEvent::JobQueued { .. }
                    | TraceEvent::JobStarted { .. }
                    | TraceEvent::JobFinished { .. }
            )
        })
        .collect();
    assert_eq!(
        jobs,
        [
            TraceEvent::JobQueued {
                job: 1,
                name: "square".into()
            },
            TraceEvent::JobStarted {
                job: 1,
                worker: None
            },
            TraceEvent::JobFinished {
                job: 1,
                worker: None,
                outcome: "done".into()
            },
        ]
    );
}

#[test]
fn after_shutdown_submissions_fail() {
    setup();
    let lp = EventLoop::virtual_clock();
    let executor = Executor::inline();
    let outcome = lp
        .run_until_complete(async move {
            executor.shutdown(true).await;
            executor.submit::<_, u64>("square", &2).await
        })
        .block()
        .unwrap();
    assert_eq!(outcome, Err(ExecutorError::ShutDown));
}

#[test]
fn a_dropped_job_never_runs() {
    setup();
    let lp = EventLoop::virtual_clock();
    lp.set_trace(true);
    let executor = Executor::inline();
    lp.run_until_complete(async move {
        let job = executor.submit::<_, u64>("square", &2);
        drop(job);
    })
    .block()
    .unwrap();
    let started = lp
        .trace()
        .iter()
        .filter(|r| matches!(r.event, TraceEvent::JobStarted { .. }))
        .count();
    assert_eq!(started, 0);
    assert!(lp.trace().iter().any(
        |r| matches!(&r.event, TraceEvent::JobFinished { outcome, .. } if outcome == "cancelled")
    ));
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn natively_the_default_executor_is_inline_and_workers_are_refused() {
    setup();
    let lp = EventLoop::virtual_clock();
    let lines = capture(&lp);
    let lp2 = lp.clone();
    let value = lp
        .run_until_complete(async move { lp2.run_in_executor::<_, u64>(None, "square", &7).await })
        .block()
        .unwrap();
    assert_eq!(value, Ok(49));
    assert_eq!(lines.borrow().len(), 1, "the inline warning was printed");
    let err = Executor::workers(Default::default()).unwrap_err();
    assert!(matches!(err, ExecutorError::WorkersUnavailable { .. }));
}
