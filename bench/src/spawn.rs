//! Measurement 1: 100 000 tasks spawned and run to completion.
//!
//! The same workload for each contender: spawn every task, then wait until
//! all have finished. [`Workload`] also describes the heavier variant that
//! [`turns`](crate::turns) runs, where each task yields once and the spawner
//! yields between batches.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use asyncio::{EventLoop, LoopStats, RunError};
use futures::channel::oneshot;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::report::{
    ms, ratio, slow_peer_note, times, us, Contender, Row, Section, Spread, Verdict,
};
use crate::stopwatch::{median, now_ms, settle};

#[wasm_bindgen(module = "/src/page.js")]
extern "C" {
    fn js_tasks(n: u32, yield_once: bool, batch: u32) -> js_sys::Promise;
}

/// The target: asyncio with handles against `spawn_local` without.
pub const SPAWN_TARGET: f64 = 1.3;

/// Tasks spawned in measurement 1.
pub const TASKS: usize = 100_000;

/// What the spawned tasks do and how they are spawned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    /// How many tasks.
    pub tasks: usize,
    /// Whether each task yields once (goes to the back of the queue) before
    /// finishing.
    pub yield_once: bool,
    /// The spawner yields after every `batch` tasks spawned and, with
    /// handles, every `batch` tasks awaited; `tasks` means never.
    pub batch: usize,
}

impl Workload {
    /// Measurement 1's: trivial tasks, all spawned in one go.
    pub const TRIVIAL: Workload = Workload {
        tasks: TASKS,
        yield_once: false,
        batch: TASKS,
    };

    fn yields_after(&self, done: usize) -> bool {
        done % self.batch == 0 && done < self.tasks
    }
}

/// One run of a workload on an `asyncio` loop.
#[derive(Clone, Copy, Debug)]
pub struct LoopRun {
    /// Wall time of `run_until_complete`, in milliseconds.
    pub elapsed_ms: f64,
    /// The loop's counters at the end of the run.
    pub stats: LoopStats,
    /// Tasks that ran to the end.
    pub completed: usize,
}

/// A future that is pending once, waking itself, then ready: one trip to
/// the back of its executor's queue.
#[derive(Debug, Default)]
pub struct YieldOnce {
    yielded: bool,
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Runs `workload` as `asyncio` tasks inside one `run_until_complete`,
/// keeping every [`Task`](asyncio::Task) handle and awaiting them all.
///
/// # Errors
/// The loop's [`RunError`], should the run fail.
pub async fn asyncio_tasks(workload: Workload) -> Result<LoopRun, RunError> {
    let lp = EventLoop::new();
    let completed = Rc::new(Cell::new(0usize));
    let counter = Rc::clone(&completed);
    let start = now_ms();
    let result = lp
        .run_until_complete(async move {
            let mut tasks = Vec::with_capacity(workload.tasks);
            for spawned in 1..=workload.tasks {
                let counter = Rc::clone(&counter);
                tasks.push(asyncio::create_task(async move {
                    if workload.yield_once {
                        asyncio::yield_now().await;
                    }
                    counter.set(counter.get() + 1);
                }));
                if workload.yields_after(spawned) {
                    asyncio::yield_now().await;
                }
            }
            for (awaited, task) in (1..).zip(tasks) {
                let _ = task.await;
                if workload.yields_after(awaited) {
                    asyncio::yield_now().await;
                }
            }
        })
        .await;
    let elapsed_ms = now_ms() - start;
    let stats = lp.stats();
    let _ = lp.close();
    result.map(|()| LoopRun {
        elapsed_ms,
        stats,
        completed: completed.get(),
    })
}

/// Runs `workload` with `wasm_bindgen_futures::spawn_local`, waiting for a
/// oneshot that the last task to finish fires. Returns milliseconds.
pub async fn spawn_local_tasks(workload: Workload) -> f64 {
    let completed = Rc::new(Cell::new(0usize));
    let (sender, receiver) = oneshot::channel::<()>();
    let sender = Rc::new(RefCell::new(Some(sender)));
    let start = now_ms();
    for spawned in 1..=workload.tasks {
        let completed = Rc::clone(&completed);
        let sender = Rc::clone(&sender);
        wasm_bindgen_futures::spawn_local(async move {
            if workload.yield_once {
                YieldOnce::default().await;
            }
            completed.set(completed.get() + 1);
            if completed.get() == workload.tasks {
                if let Some(sender) = sender.borrow_mut().take() {
                    let _ = sender.send(());
                }
            }
        });
        if workload.yields_after(spawned) {
            YieldOnce::default().await;
        }
    }
    let _ = receiver.await;
    now_ms() - start
}

/// Runs `workload` as JavaScript promises (`Promise.resolve().then(f)`)
/// joined with `Promise.all`. Returns milliseconds, or the JavaScript error.
pub async fn js_promise_tasks(workload: Workload) -> Result<f64, String> {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let promise = js_tasks(
        count(workload.tasks),
        workload.yield_once,
        count(workload.batch),
    );
    match JsFuture::from(promise).await {
        Ok(value) => value.as_f64().ok_or_else(|| describe(&value)),
        Err(error) => Err(describe(&error)),
    }
}

/// A JavaScript value as text, for error notes.
pub fn describe(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            js_sys::JSON::stringify(value)
                .ok()
                .and_then(|s| s.as_string())
        })
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Rounds of measurement 1 after its warm-up. Each takes about a tenth of a
/// second. A round's ratio ranges from about half to twice the median (the
/// machine's speed changes within a round), so the median of 25 rounds
/// moved by ±5 % from one run of the benchmark to the next; 101 halve that.
const SPAWN_RUNS: usize = 101;

/// Measurement 1: one warm-up round, then [`SPAWN_RUNS`] rounds, the
/// contenders taking turns within each round; medians reported.
pub async fn measure() -> Section {
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut js = Vec::new();
    let mut notes = Vec::new();
    for round in 0..=SPAWN_RUNS {
        let timed = round > 0;
        let asyncio = match asyncio_tasks(Workload::TRIVIAL).await {
            Ok(run) if run.completed != TASKS => {
                notes.push(format!(
                    "asyncio: only {} of {TASKS} tasks ran",
                    run.completed
                ));
                None
            }
            Ok(run) => Some(run.elapsed_ms),
            Err(error) => {
                notes.push(format!("asyncio run failed: {error}"));
                None
            }
        };
        settle().await;
        let elapsed = spawn_local_tasks(Workload::TRIVIAL).await;
        settle().await;
        let promises = js_promise_tasks(Workload::TRIVIAL)
            .await
            .map_err(|error| notes.push(format!("JS promises failed: {error}")))
            .ok();
        settle().await;
        if timed {
            // Paired by round: a failed asyncio round drops its peer too.
            if let Some(asyncio) = asyncio {
                ours.push(asyncio);
                theirs.push(elapsed);
            }
            js.extend(promises);
        }
    }
    let spread = Spread::of_ratios(&ours, &theirs);
    let (ours, theirs, js) = (median(&ours), median(&theirs), median(&js));
    notes.push(format!(
        "1. {SPAWN_RUNS} rounds after a warm-up round; asyncio, spawn_local and JS take turns in each \
         round; the ratio is each round's asyncio ÷ spawn_local, its median with the least and \
         greatest. asyncio keeps every Task handle and awaits it; spawn_local has no handle"
    ));
    notes.extend(slow_peer_note(theirs, js));
    let per_task = |total: f64| total / TASKS as f64;
    let target = format!("≤ {SPAWN_TARGET}× spawn_local");
    Section {
        rows: vec![
            Row::new("1. 100 000 tasks spawned + done: total")
                .cell(Contender::Asyncio, ms(ours))
                .cell(Contender::SpawnLocal, ms(theirs))
                .cell(Contender::JsPromises, ms(js))
                .target(target.clone()),
            Row::new("1. 100 000 tasks: per task")
                .cell(Contender::Asyncio, us(per_task(ours)))
                .cell(Contender::SpawnLocal, us(per_task(theirs)))
                .cell(Contender::JsPromises, us(per_task(js))),
            Row::new("1. 100 000 tasks: ÷ spawn_local")
                .cell(Contender::Asyncio, spread.show(ratio))
                .target(target),
            Row::new("1. 100 000 tasks: spawn_local ÷ JS promises")
                .cell(Contender::SpawnLocal, times(theirs / js)),
        ],
        verdicts: vec![Verdict {
            name: "spawn 100 000 tasks".into(),
            measured: format!(
                "{} spawn_local ({} vs {}, medians)",
                spread.show(ratio),
                ms(ours),
                ms(theirs)
            ),
            target: format!("≤ {SPAWN_TARGET:.2}×"),
            met: spread.median <= SPAWN_TARGET,
        }],
        notes,
    }
}
