//! The executor's pool of Web Workers, in every engine the tests run in.
//! Each worker
//! loads this test package (the same one the test page runs) and calls its
//! `register_jobs` export, as the playground's workers do with its own.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use asyncio::executor::{register, Executor, ExecutorError, PoolOptions, WorkerScript};
use asyncio::{create_task, gather, sleep, EventLoop, TraceEvent};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const TICKS: &str = "asyncio-executor-test-ticks";

fn count_primes(range: (u64, u64)) -> u64 {
    (range.0..range.1)
        .filter(|&n| n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count() as u64
}

fn spin(ms: f64) -> f64 {
    let start = js_sys::Date::now();
    while js_sys::Date::now() - start < ms {}
    ms
}

/// Spins for `ms`, posting a tick on a BroadcastChannel every 5 ms: a side
/// effect the page can watch stop when the worker is terminated.
fn tick_for(ms: f64) -> u32 {
    let Ok(channel) = web_sys::BroadcastChannel::new(TICKS) else {
        return 0;
    };
    let start = js_sys::Date::now();
    let mut ticks = 0;
    let mut last = start;
    while js_sys::Date::now() - start < ms {
        if js_sys::Date::now() - last >= 5.0 {
            last = js_sys::Date::now();
            ticks += 1;
            let _ = channel.post_message(&JsValue::from(ticks));
        }
    }
    ticks
}

/// Half of an even number; nothing for an odd one or for nothing.
fn halve(n: Option<u32>) -> Option<u32> {
    n.filter(|n| n % 2 == 0).map(|n| n / 2)
}

fn echo(text: String) -> String {
    text
}

fn explode(_: ()) -> u32 {
    panic!("this job always panics")
}

/// Called by every worker when it starts, and by the tests on the page.
#[wasm_bindgen]
pub fn register_jobs() {
    register("count_primes", count_primes);
    register("spin", spin);
    register("tick_for", tick_for);
    register("explode", explode);
    register("halve", halve);
    register("echo", echo);
}

#[wasm_bindgen(inline_js = "
export function now() { return performance.now(); }
export function watch_ticks(name) {
    const seen = { count: 0 };
    const channel = new BroadcastChannel(name);
    channel.onmessage = () => { seen.count += 1; };
    seen.close = () => channel.close();
    return seen;
}
export function ticks_seen(seen) { return seen.count; }
export function stop_watching(seen) { seen.close(); }
")]
extern "C" {
    fn now() -> f64;
    fn watch_ticks(name: &str) -> JsValue;
    fn ticks_seen(seen: &JsValue) -> u32;
    fn stop_watching(seen: &JsValue);
}

/// The test runner serves the package's snippet files to the page but not
/// to workers, so these pools take their script as a blob (the page's pools
/// use the file, which its Content-Security-Policy allows).
fn pool(workers: usize) -> Executor {
    register_jobs();
    Executor::workers(PoolOptions {
        workers,
        script: WorkerScript::Blob,
        ..PoolOptions::default()
    })
    .unwrap()
}

fn chunks() -> Vec<(u64, u64)> {
    (0..8).map(|i| (i * 250_000, (i + 1) * 250_000)).collect()
}

#[wasm_bindgen_test]
async fn results_come_back_in_order() {
    let executor = pool(2);
    let lp = EventLoop::new();
    let counts = lp
        .run_until_complete(gather(
            chunks()
                .into_iter()
                .map(move |c| executor.submit::<_, u64>("count_primes", &c)),
        ))
        .await
        .unwrap()
        .unwrap();
    let counts: Vec<u64> = counts.into_iter().map(Result::unwrap).collect();
    let expected: Vec<u64> = chunks().into_iter().map(count_primes).collect();
    assert_eq!(counts, expected);
    assert_eq!(
        counts.iter().sum::<u64>(),
        148_933,
        "primes below 2 000 000"
    );
}

#[wasm_bindgen_test]
async fn jobs_beyond_the_workers_wait_first_in_first_out() {
    let executor = pool(2);
    let lp = EventLoop::builder().trace(true).build().unwrap();
    lp.run_until_complete(async move {
        let jobs: Vec<_> = (0..6)
            .map(|_| executor.submit::<_, f64>("spin", &30.0))
            .collect();
        gather(jobs).await.unwrap()
    })
    .await
    .unwrap();
    let started: Vec<u64> = lp
        .trace()
        .into_iter()
        .filter_map(|r| match r.event {
            TraceEvent::JobStarted { job, worker } => {
                assert!(worker.is_some_and(|w| w < 2), "two lanes");
                Some(job)
            }
            _ => None,
        })
        .collect();
    assert_eq!(started, [1, 2, 3, 4, 5, 6]);
}

#[wasm_bindgen_test]
async fn a_job_cancelled_before_it_starts_is_removed() {
    let executor = pool(1);
    let lp = EventLoop::builder().trace(true).build().unwrap();
    let ex = executor.clone();
    lp.run_until_complete(async move {
        // The first job spins long enough that the second is still queued
        // when it is cancelled, even if the loop's timer fires late.
        let first = create_task(ex.submit::<_, f64>("spin", &1000.0));
        let second = create_task(ex.submit::<_, f64>("spin", &1000.0));
        sleep(Duration::from_millis(50)).await;
        assert!(second.cancel());
        assert_eq!(first.await.unwrap(), Ok(1000.0));
        assert!(second.await.is_err());
        // The pool goes on serving.
        assert_eq!(ex.submit::<_, u64>("count_primes", &(0, 10)).await, Ok(4));
    })
    .await
    .unwrap();
    let started = lp
        .trace()
        .iter()
        .filter(|r| matches!(r.event, TraceEvent::JobStarted { .. }))
        .count();
    assert_eq!(started, 2, "the cancelled job never started");
    assert_eq!(executor.workers_started(), 1, "no worker was terminated");
}

/// Chromium lets a busy worker run for up to about 2 s after `terminate()`
/// before it forcibly stops it (a worker that yields stops at once), so the
/// job's side effects stop within a few seconds, long before the job would
/// have ended, while its future ends and a fresh worker serves without
/// waiting for the old one.
#[wasm_bindgen_test]
async fn cancelling_a_running_job_terminates_its_worker() {
    let executor = pool(1);
    let seen = watch_ticks(TICKS);
    let lp = EventLoop::new();
    let ex = executor.clone();
    let (at_cancel, samples, fresh_ms) = lp
        .run_until_complete(async move {
            let job = create_task(ex.submit::<_, u32>("tick_for", &10_000.0));
            // Until the job is seen running (the worker's start-up takes
            // longer on a busy machine).
            for _ in 0..100 {
                if ticks_seen(&seen) >= 10 {
                    break;
                }
                sleep(Duration::from_millis(50)).await;
            }
            let at_cancel = ticks_seen(&seen);
            assert!(job.cancel());
            assert!(job.await.is_err(), "the job's future ends at once");
            // A fresh worker serves the next job without waiting for the old one.
            let start = now();
            assert_eq!(ex.submit::<_, u64>("count_primes", &(0, 10)).await, Ok(4));
            let fresh_ms = now() - start;
            let mut samples = Vec::new();
            for _ in 0..14 {
                sleep(Duration::from_millis(250)).await;
                samples.push(ticks_seen(&seen));
            }
            stop_watching(&seen);
            (at_cancel, samples, fresh_ms)
        })
        .await
        .unwrap();
    assert!(at_cancel >= 10, "the job was ticking: {at_cancel}");
    let last = samples[samples.len() - 1];
    assert_eq!(
        samples[samples.len() - 2],
        last,
        "ticks stopped: {samples:?}"
    );
    // Had it run on, 10 s of ticks every 5 ms would be about 2 000.
    assert!(
        last < 1_000,
        "stopped well before the job's end: {samples:?}"
    );
    // The old job had about 10 s to go.
    assert!(
        fresh_ms < 5_000.0,
        "the replacement served in {fresh_ms:.0} ms"
    );
    assert_eq!(executor.workers_started(), 2, "the worker was replaced");
}

#[wasm_bindgen_test]
async fn a_panicking_job_fails_alone_and_its_worker_is_replaced() {
    let executor = pool(1);
    let lp = EventLoop::new();
    let ex = executor.clone();
    let (boom, after) = lp
        .run_until_complete(async move {
            let boom = ex.submit::<_, u32>("explode", &()).await;
            let after = ex.submit::<_, u64>("count_primes", &(0, 100)).await;
            (boom, after)
        })
        .await
        .unwrap();
    assert!(
        matches!(boom, Err(ExecutorError::JobFailed { .. })),
        "{boom:?}"
    );
    assert_eq!(after, Ok(25));
    assert_eq!(executor.workers_started(), 2);
}

/// `null` travels between page and worker as no text at all: arguments and
/// results that are `null` and ones that are not, the text "null" (which is
/// not JSON's `null`), and arguments that fit no job all come back right.
#[wasm_bindgen_test]
async fn null_and_text_arguments_and_results_come_back_as_sent() {
    let executor = pool(1);
    let lp = EventLoop::new();
    let halves = [None, Some(4), Some(3)].map(|n| executor.submit::<_, Option<u32>>("halve", &n));
    let echoes = ["null", "", "\"null\""].map(|t| executor.submit::<_, String>("echo", t));
    let misfit = executor.submit::<_, Option<u32>>("halve", "four");
    let (halves, echoes, misfit) = lp
        .run_until_complete(
            async move { (gather(halves).await, gather(echoes).await, misfit.await) },
        )
        .await
        .unwrap();
    let halves: Vec<_> = halves.unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(halves, [None, Some(2), None]);
    let echoes: Vec<_> = echoes.unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(echoes, ["null", "", "\"null\""]);
    match misfit {
        Err(ExecutorError::JobFailed { name, message }) => {
            assert_eq!(name, "halve");
            assert!(message.contains("do not fit"), "{message}");
        }
        other => panic!("expected the job to fail, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn an_unknown_job_is_a_typed_error_from_the_worker() {
    let executor = pool(1);
    let lp = EventLoop::new();
    let outcome = lp
        .run_until_complete(executor.submit::<_, u32>("nobody", &()))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        Err(ExecutorError::UnknownJob {
            name: "nobody".into()
        })
    );
}

#[wasm_bindgen_test]
async fn a_worker_that_cannot_load_fails_its_caller_and_the_pool_gives_up() {
    register_jobs();
    let executor = Executor::workers(PoolOptions {
        workers: 1,
        setup_export: Some("no_such_export".into()),
        script: WorkerScript::Blob,
    })
    .unwrap();
    let lp = EventLoop::new();
    let outcomes = lp
        .run_until_complete(gather(
            (0..5).map(move |_| executor.submit::<_, u64>("count_primes", &(0, 10))),
        ))
        .await
        .unwrap()
        .unwrap();
    for outcome in outcomes {
        assert!(
            matches!(outcome, Err(ExecutorError::WorkerFailedToLoad { .. })),
            "{outcome:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn shutdown_without_waiting_ends_jobs_and_refuses_more() {
    let executor = pool(1);
    let lp = EventLoop::new();
    let ex = executor.clone();
    let (running, later) = lp
        .run_until_complete(async move {
            let running = create_task(ex.submit::<_, f64>("spin", &2000.0));
            sleep(Duration::from_millis(100)).await;
            ex.shutdown(false).await;
            let later = ex.submit::<_, f64>("spin", &1.0).await;
            (running.await.unwrap(), later)
        })
        .await
        .unwrap();
    assert_eq!(running, Err(ExecutorError::ShutDown));
    assert_eq!(later, Err(ExecutorError::ShutDown));
}

#[wasm_bindgen_test]
async fn shutdown_with_waiting_lets_jobs_finish() {
    let executor = pool(1);
    let lp = EventLoop::new();
    let ex = executor.clone();
    let running = lp
        .run_until_complete(async move {
            let running = create_task(ex.submit::<_, f64>("spin", &200.0));
            sleep(Duration::from_millis(50)).await;
            ex.shutdown(true).await;
            running.await.unwrap()
        })
        .await
        .unwrap();
    assert_eq!(running, Ok(200.0));
}

#[wasm_bindgen_test]
async fn the_inline_fallback_runs_jobs_on_the_loop_and_warns() {
    register_jobs();
    let lp = EventLoop::new();
    let warned = Rc::new(Cell::new(false));
    let flag = Rc::clone(&warned);
    lp.set_output(move |line| flag.set(flag.get() || line.text.contains("inline")));
    let executor = Executor::inline();
    let count = lp
        .run_until_complete(executor.submit::<_, u64>("count_primes", &(0, 100)))
        .await
        .unwrap();
    assert_eq!(count, Ok(25));
    assert!(warned.get());
}

/// The `blocking-vs-offloaded` lesson, as behaviour (the benchmark measures
/// the speed-up and the ticker's gaps): eight chunks of prime counting with
/// a ticker on the loop every 10 ms. On two workers, jobs run on both at
/// once and the ticker ticks while they run; inline, every job blocks the
/// loop, so no tick falls inside one.
#[wasm_bindgen_test]
async fn workers_run_in_parallel_and_keep_the_loop_responsive() {
    /// Job spans `(worker, started, finished)` in loop milliseconds, and
    /// the ticks' loop times.
    async fn run(executor: Executor) -> (Vec<(Option<u32>, f64, f64)>, Vec<f64>) {
        let lp = EventLoop::builder().trace(true).build().unwrap();
        let clock = lp.clone();
        let ticks = lp
            .run_until_complete(async move {
                let stop = Rc::new(Cell::new(false));
                let ticker = {
                    let stop = Rc::clone(&stop);
                    create_task(async move {
                        let mut ticks = Vec::new();
                        while !stop.get() {
                            sleep(Duration::from_millis(10)).await;
                            ticks.push(clock.time_ms());
                        }
                        ticks
                    })
                };
                sleep(Duration::from_millis(30)).await;
                let jobs = chunks()
                    .into_iter()
                    .map(|c| executor.submit::<_, u64>("count_primes", &c));
                let counts = gather(jobs).await.unwrap();
                assert!(counts.iter().all(Result::is_ok), "{counts:?}");
                stop.set(true);
                ticker.await.unwrap()
            })
            .await
            .unwrap();
        let trace = lp.trace();
        let spans = trace
            .iter()
            .filter_map(|r| match r.event {
                TraceEvent::JobStarted { job, worker } => {
                    let finished = trace.iter().find_map(|f| match f.event {
                        TraceEvent::JobFinished { job: j, .. } if j == job => Some(f.at_ms),
                        _ => None,
                    });
                    Some((worker, r.at_ms, finished.expect("every job finished")))
                }
                _ => None,
            })
            .collect();
        (spans, ticks)
    }
    let inside = |ticks: &[f64], spans: &[(Option<u32>, f64, f64)]| {
        ticks
            .iter()
            .filter(|&&t| spans.iter().any(|&(_, start, end)| start < t && t < end))
            .count()
    };

    let (spans, ticks) = run(pool(2)).await;
    assert_eq!(spans.len(), 8, "{spans:?}");
    let overlapping = spans
        .iter()
        .any(|a| spans.iter().any(|b| a.0 != b.0 && a.1 < b.2 && b.1 < a.2));
    assert!(
        overlapping,
        "two jobs on different workers at once: {spans:?}"
    );
    assert!(
        spans
            .iter()
            .all(|(worker, ..)| worker.is_some_and(|w| w < 2)),
        "{spans:?}"
    );
    let ticked = inside(&ticks, &spans);
    assert!(
        ticked >= 1,
        "the ticker never ticked while the jobs ran: ticks {ticks:?}, jobs {spans:?}"
    );

    let (spans, ticks) = run(Executor::inline()).await;
    assert_eq!(spans.len(), 8, "{spans:?}");
    assert!(spans.iter().all(|(worker, ..)| worker.is_none()));
    assert_eq!(
        inside(&ticks, &spans),
        0,
        "inline, each job blocks the loop: ticks {ticks:?}, jobs {spans:?}"
    );
    assert!(
        !ticks.is_empty(),
        "the ticker ran between and after the jobs"
    );
}

/// On the virtual clock, time stands still while a job runs on a worker: a
/// ticker sleeping in a loop does not spin through virtual time (which would
/// never let the worker's answer in), and the run completes.
#[wasm_bindgen_test]
async fn on_the_virtual_clock_time_waits_for_worker_jobs() {
    let executor = pool(1);
    let lp = EventLoop::virtual_clock();
    let (ticks, value) = lp
        .run_until_complete(async move {
            let done = Rc::new(Cell::new(false));
            let ticks = Rc::new(Cell::new(0u32));
            let ticker = {
                let (done, ticks) = (Rc::clone(&done), Rc::clone(&ticks));
                create_task(async move {
                    while !done.get() {
                        sleep(Duration::from_millis(10)).await;
                        ticks.set(ticks.get() + 1);
                    }
                })
            };
            let value = executor.submit::<_, f64>("spin", &300.0).await;
            done.set(true);
            let _ = ticker.await;
            (ticks.get(), value)
        })
        .await
        .unwrap();
    assert_eq!(value, Ok(300.0));
    assert!(
        ticks <= 2,
        "virtual time stood still while the job ran: {ticks} ticks"
    );
}
