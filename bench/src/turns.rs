//! Measurement 4: the longest time the page is blocked while 100 000 tasks
//! run.
//!
//! Two views. The `asyncio` loop counts its own turns
//! ([`LoopStats::longest_turn_ms`](asyncio::LoopStats)). And, for every
//! contender, a probe written in JavaScript bounces a message over a
//! `MessageChannel` from just before the workload starts until it ends,
//! recording the longest gap between two of its callbacks: as long as that,
//! the page could neither paint nor take input.
//!
//! Two workloads: measurement 1's (trivial tasks, all spawned by one poll
//! of the main task, all handles awaited by one poll), and one that gives
//! the loop something to spread: each task yields once, and the spawner
//! yields after every 1 000 tasks spawned or awaited. A loop can split work
//! only between polls, never inside one.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::report::{ms, Contender, Row, Section, Spread, Verdict};
use crate::spawn::{asyncio_tasks, js_promise_tasks, spawn_local_tasks, Workload, TASKS};
use crate::stopwatch::{settle, RUNS};

#[wasm_bindgen(module = "/src/page.js")]
extern "C" {
    type Probe;
    fn probe_start() -> Probe;
    fn probe_stop(probe: &Probe) -> f64;
}

/// The workload that gives the loop something to spread.
pub const SPREAD: Workload = Workload {
    tasks: TASKS,
    yield_once: true,
    batch: 1_000,
};

/// The longest turn a page should see, in milliseconds, when the loop has
/// something to spread (4b).
pub const TARGET_MS: f64 = 8.0;

/// The longest turn when 100 000 tasks are spawned in one poll and awaited
/// in another (4a): bounded by the cost of those two polls.
pub const ONE_POLL_TARGET_MS: f64 = 5.0;

/// The worst of [`RUNS`] runs of one workload (after a warm-up), per
/// contender.
#[derive(Clone, Debug, Default)]
struct Worst {
    loop_turn_ms: f64,
    /// Every timed run's longest turn, for the spread.
    loop_turns: Vec<f64>,
    turns: u64,
    budget_yields: u64,
    asyncio_gap_ms: f64,
    spawn_local_gap_ms: f64,
    js_gap_ms: f64,
}

async fn worst_of_runs(workload: Workload, notes: &mut Vec<String>) -> Worst {
    let mut worst = Worst::default();
    let mut warm_up = Worst::default();
    for round in 0..=RUNS {
        // The first round is a warm-up: it is measured like the others,
        // then forgotten.
        let into = if round == 0 { &mut warm_up } else { &mut worst };
        let probe = probe_start();
        let run = asyncio_tasks(workload).await;
        let gap = probe_stop(&probe);
        match run {
            Ok(run) => {
                into.asyncio_gap_ms = into.asyncio_gap_ms.max(gap);
                into.loop_turn_ms = into.loop_turn_ms.max(run.stats.longest_turn_ms);
                into.loop_turns.push(run.stats.longest_turn_ms);
                into.turns = run.stats.turns;
                into.budget_yields = run.stats.budget_yields;
            }
            Err(error) => notes.push(format!("asyncio run failed: {error}")),
        }
        settle().await;

        let probe = probe_start();
        spawn_local_tasks(workload).await;
        into.spawn_local_gap_ms = into.spawn_local_gap_ms.max(probe_stop(&probe));
        settle().await;

        let probe = probe_start();
        let run = js_promise_tasks(workload).await;
        let gap = probe_stop(&probe);
        match run {
            Ok(_) => into.js_gap_ms = into.js_gap_ms.max(gap),
            Err(error) => notes.push(format!("JS promises failed: {error}")),
        }
        settle().await;
    }
    worst
}

/// The worst run's longest turn, with the spread of every run's.
fn turns(worst: &Worst) -> String {
    let spread = Spread::of(&worst.loop_turns);
    format!(
        "worst {}; median {}, min {}, {} runs",
        ms(worst.loop_turn_ms),
        ms(spread.median),
        ms(spread.min),
        spread.rounds
    )
}

fn rows(name: &str, worst: &Worst, turn_target_ms: f64) -> Vec<Row> {
    let target = format!("≤ {TARGET_MS:.0} ms");
    vec![
        Row::new(format!("{name}: longest turn, loop's count"))
            .cell(Contender::Asyncio, turns(worst))
            .target(format!("≤ {turn_target_ms:.0} ms")),
        Row::new(format!("{name}: longest probe gap"))
            .cell(Contender::Asyncio, ms(worst.asyncio_gap_ms))
            .cell(Contender::SpawnLocal, ms(worst.spawn_local_gap_ms))
            .cell(Contender::JsPromises, ms(worst.js_gap_ms))
            .target(target),
        Row::new(format!("{name}: turns / budget yields")).cell(
            Contender::Asyncio,
            format!("{} / {}", worst.turns, worst.budget_yields),
        ),
    ]
}

fn verdict(name: &str, measured_ms: f64, measured: String, target_ms: f64) -> Verdict {
    Verdict {
        name: name.into(),
        measured,
        target: format!("≤ {target_ms:.0} ms"),
        met: measured_ms <= target_ms,
    }
}

/// Measurement 4: both workloads, a warm-up and [`RUNS`] runs each, the
/// worst run reported.
pub async fn measure() -> Section {
    let mut notes = Vec::new();
    let trivial = worst_of_runs(Workload::TRIVIAL, &mut notes).await;
    let spread = worst_of_runs(SPREAD, &mut notes).await;
    let mut table = rows("4a. tasks of 1", &trivial, ONE_POLL_TARGET_MS);
    table.extend(rows("4b. yield-once tasks", &spread, TARGET_MS));
    notes.extend([
        "4. worst of the runs after a warm-up (the median and least beside it). Probe: a JavaScript MessageChannel ping-pong; \
         its longest gap is how long the page could not paint or take input"
            .to_string(),
        "4a. measurement 1's workload: the main task spawns all 100 000 tasks in one poll \
         and awaits them in another, and no loop can split a poll"
            .to_string(),
        format!(
            "4b. each task yields once; the main task yields after every {} tasks spawned \
             or awaited",
            SPREAD.batch
        ),
    ]);
    Section {
        rows: table,
        verdicts: vec![
            verdict(
                "longest turn, 100 000 tasks spawned in one poll (loop's count)",
                trivial.loop_turn_ms,
                turns(&trivial),
                ONE_POLL_TARGET_MS,
            ),
            verdict(
                "longest turn, 4b (loop's count)",
                spread.loop_turn_ms,
                turns(&spread),
                TARGET_MS,
            ),
            verdict(
                "longest page block, 4b (probe)",
                spread.asyncio_gap_ms,
                ms(spread.asyncio_gap_ms),
                TARGET_MS,
            ),
        ],
        notes,
    }
}
