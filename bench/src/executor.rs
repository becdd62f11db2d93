//! Measurements 7–9, printed as a third table: the executor.
//!
//! 7. Primes below 2 000 000 counted by trial division in 8 chunks, on a
//!    pool of 2 Web Workers against the same chunks on the inline executor
//!    (the loop's own thread), and, for the machine's ceiling, the same
//!    loop in plain JavaScript on 2 workers and on 1.
//! 8. A ticker task on the loop, sleeping 10 ms at a time while those jobs
//!    run: its largest gap, and the loop's longest turn.
//! 9. The round trip of a job that does nothing, on a warm pool: submitted
//!    one after another, and all gathered at once.
//!
//! Each worker loads this same package and calls its [`register_jobs`]
//! export, so the jobs are registered there as on the page.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use asyncio::executor::{register, Executor, PoolOptions, WorkerScript};
use asyncio::{create_task, gather, sleep, EventLoop};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::report::{ms, ratio, Spread, Table, Verdict, NOT_APPLICABLE};
use crate::spawn::describe;
use crate::stopwatch::{median, now_ms, settle};

#[wasm_bindgen(module = "/src/page.js")]
extern "C" {
    type JsPool;
    #[wasm_bindgen(catch)]
    fn js_pool(size: u32) -> Result<JsPool, JsValue>;
    fn js_run(pool: &JsPool, bounds: Vec<f64>, lanes: u32) -> js_sys::Promise;
    fn js_close(pool: &JsPool);
}

const LIMIT: u64 = 2_000_000;
const CHUNK: u64 = 250_000;
/// Primes below 2 000 000.
const PRIMES: f64 = 148_933.0;
const WORKERS: usize = 2;
const TICK_MS: u64 = 10;
/// Trivial jobs per round trip measurement.
const NOOPS: usize = 1_000;
/// The targets: speed-up on 2 workers, largest ticker gap with them (ms).
const SPEEDUP_TARGET: f64 = 1.7;
/// The target for trivial jobs: the pool's round trip over a plain
/// JavaScript `postMessage` round trip.
const ROUND_TRIP_TARGET: f64 = 1.2;
/// Rounds of measurements 7 and 8 after the warm-up: each takes about two
/// seconds.
const RUNS: usize = 5;
/// Rounds of measurement 9 after the warm-up (the first [`RUNS`] with 7 and
/// 8): each takes about a third of a second, and a round trip's ratio to
/// JavaScript's moves from half to twice its median between rounds (the
/// thread hops on both sides do), where a speed-up moves by a few percent.
/// The median of 31 rounds still moved by ±10 % between runs of the
/// benchmark; 61 narrow that by about a third.
const ROUND_TRIP_RUNS: usize = 61;
const GAP_TARGET_MS: f64 = 50.0;

/// The table's columns; each measurement gives samples for some of them.
const COLUMNS: [&str; 4] = [
    "asyncio, 2 workers",
    "asyncio inline",
    "JS, 2 workers",
    "JS, 1 worker",
];
/// What a sample is of: indices into a column's samples.
const TIME: usize = 0;
const COUNT: usize = 1;
const GAP: usize = 2;
const TURN: usize = 3;
const EACH: usize = 4;
const GATHERED: usize = 5;

/// A sample: what it is of, and its value.
type Sample = (usize, f64);
type Samples = Result<Vec<Sample>, String>;

/// Counts the primes in `lo..hi` by trial division.
pub fn count_primes((lo, hi): (u64, u64)) -> u64 {
    (lo.max(2)..hi)
        .filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count() as u64
}

fn noop(_: ()) {}

/// Registers the jobs measured here: `count_primes((lo, hi)) -> u64` and
/// `noop(()) -> ()`. Called on the page before any executor is made, and
/// by every worker when it starts.
#[wasm_bindgen]
pub fn register_jobs() {
    register("count_primes", count_primes);
    register("noop", noop);
}

fn chunks() -> impl Iterator<Item = (u64, u64)> {
    (0..LIMIT / CHUNK).map(|i| (i * CHUNK, (i + 1) * CHUNK))
}

/// Runs `main` on a new loop whose output (the inline executor's warning,
/// which is this table's premise) goes nowhere. Gives `main`'s samples and
/// the loop's longest turn.
async fn on_a_loop(
    main: impl Future<Output = Samples> + 'static,
) -> Result<(Vec<Sample>, f64), String> {
    let lp = EventLoop::new();
    lp.set_output(|_| {});
    let run = lp.run_until_complete(main).await;
    let turn = lp.stats().longest_turn_ms;
    let _ = lp.close();
    Ok((run.map_err(|e| format!("run failed: {e}"))??, turn))
}

/// Measurements 7 and 8: the chunks gathered on `executor`, with a ticker
/// on the loop.
async fn split(executor: Executor) -> Samples {
    let (mut samples, turn) = on_a_loop(async move {
        let (stop, gap) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(0.0f64)));
        let (stopped, largest) = (Rc::clone(&stop), Rc::clone(&gap));
        let ticker = create_task(async move {
            let mut last = now_ms();
            while !stopped.get() {
                sleep(Duration::from_millis(TICK_MS)).await;
                largest.set(largest.get().max(now_ms() - last));
                last = now_ms();
            }
        });
        sleep(Duration::from_millis(3 * TICK_MS)).await;
        let start = now_ms();
        let jobs = chunks().map(|c| executor.submit::<_, u64>("count_primes", &c));
        let counts = gather(jobs).await.map_err(|_| "a job was cancelled")?;
        let elapsed = now_ms() - start;
        stop.set(true);
        let _ = ticker.await;
        let count: u64 = counts
            .into_iter()
            .sum::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        Ok(vec![
            (TIME, elapsed),
            (COUNT, count as f64),
            (GAP, gap.get()),
        ])
    })
    .await?;
    samples.push((TURN, turn));
    Ok(samples)
}

/// Measurement 9: [`NOOPS`] trivial jobs awaited one after another, then
/// as many gathered.
async fn round_trips(executor: Executor) -> Samples {
    let (samples, _) = on_a_loop(async move {
        let start = now_ms();
        for _ in 0..NOOPS {
            executor
                .submit::<_, ()>("noop", &())
                .await
                .map_err(|e| e.to_string())?;
        }
        let each = (now_ms() - start) / NOOPS as f64;
        let start = now_ms();
        let all = gather((0..NOOPS).map(|_| executor.submit::<_, ()>("noop", &()))).await;
        let gathered = now_ms() - start;
        let all = all.map_err(|_| "a job was cancelled")?;
        all.into_iter()
            .collect::<Result<Vec<()>, _>>()
            .map_err(|e| e.to_string())?;
        Ok(vec![(EACH, each), (GATHERED, gathered)])
    })
    .await?;
    Ok(samples)
}

/// The JavaScript pool's chunks `bounds` (`[lo, hi, lo, hi, …]`) on its
/// first `lanes` workers, each taking the next chunk when free.
async fn js_split(pool: &JsPool, bounds: &[f64], lanes: u32) -> Result<(f64, f64), String> {
    let promise = js_run(pool, bounds.to_vec(), lanes);
    let value = JsFuture::from(promise).await.map_err(|e| describe(&e))?;
    let pair = js_sys::Array::from(&value);
    match (pair.get(0).as_f64(), pair.get(1).as_f64()) {
        (Some(elapsed), Some(count)) => Ok((elapsed, count)),
        _ => Err(describe(&value)),
    }
}

/// The samples of one measurement in one column, or `None` where that
/// column has no such measurement.
async fn sample(
    column: usize,
    primes: bool,
    pool: &Option<Executor>,
    js: &Option<JsPool>,
) -> Option<Samples> {
    let inline = Executor::inline;
    Some(match (column, primes) {
        (0, true) => split(pool.clone()?).await,
        (0, false) => round_trips(pool.clone()?).await,
        (1, true) => split(inline()).await,
        (1, false) => round_trips(inline()).await,
        (_, primes) => {
            let lanes = if column == 2 { 2 } else { 1 };
            let bounds: Vec<f64> = match primes {
                true => chunks()
                    .flat_map(|(lo, hi)| [lo as f64, hi as f64])
                    .collect(),
                false => vec![0.0; 2 * NOOPS],
            };
            let run = js_split(js.as_ref()?, &bounds, lanes).await;
            run.map(|(elapsed, count)| match primes {
                true => vec![(TIME, elapsed), (COUNT, count)],
                // One worker: the jobs in a row, one at a time.
                false if lanes == 1 => vec![(GATHERED, elapsed), (EACH, elapsed / NOOPS as f64)],
                false => vec![(GATHERED, elapsed)],
            })
        }
    })
}

/// One cell per column, "n/a" where nothing was measured (NaN).
fn cells(values: [f64; 4], show: &dyn Fn(f64) -> String) -> Vec<String> {
    let shown = |v: f64| match v.is_nan() {
        true => NOT_APPLICABLE.to_string(),
        false => show(v),
    };
    values.map(shown).to_vec()
}

/// The table's rows: label and target.
const ROWS: [(&str, &str); 10] = [
    ("7. primes < 2 000 000, 8 chunks: time", ""),
    ("7. speed-up over 1 thread", "≥ 1.7× (2 workers)"),
    ("7. primes counted, every run", "148933"),
    ("8. ticker every 10 ms: largest gap", "< 50 ms (2 workers)"),
    ("8. largest gap ÷ time", "inline ≥ 0.90"),
    ("8. loop's longest turn", ""),
    ("9a. noop, 1 000 in a row: each", "≤ 1.2× JS, 1 worker"),
    ("9b. noop, 1 000 gathered: total", "≤ 1.2× JS, 2 workers"),
    ("9a. in a row ÷ JS, 1 worker", "≤ 1.2×"),
    ("9b. gathered ÷ JS, 2 workers", "≤ 1.2×"),
];

/// Measurements 7–9, as a table of their own: a warm-up round (which also
/// starts the workers), then [`RUNS`] rounds of all three and more of 9
/// alone, to [`ROUND_TRIP_RUNS`], the columns taking turns.
pub async fn measure() -> Table {
    register_jobs();
    let mut table = Table::new(&COLUMNS);
    let notes = &mut table.notes;
    // The test runner serves the package's snippet files to the page but
    // not to workers: take the worker script as a blob.
    let options = PoolOptions {
        workers: WORKERS,
        script: WorkerScript::Blob,
        ..PoolOptions::default()
    };
    let pool = Executor::workers(options)
        .map_err(|e| notes.push(format!("no pool: {e}")))
        .ok();
    let js = js_pool(WORKERS as u32)
        .map_err(|e| notes.push(describe(&e)))
        .ok();
    let mut samples: [[Vec<f64>; 6]; 4] = Default::default();
    for round in 0..=ROUND_TRIP_RUNS {
        let primes_too = round <= RUNS;
        let columns = (0..4).flat_map(|c| [(c, true), (c, false)]);
        for (column, primes) in columns.filter(|&(_, primes)| primes_too || !primes) {
            match sample(column, primes, &pool, &js).await {
                Some(Ok(pairs)) if round > 0 => {
                    for (of, value) in pairs {
                        samples[column][of].push(value);
                    }
                }
                Some(Err(e)) => notes.push(format!("{}: {e}", COLUMNS[column])),
                _ => {}
            }
            settle().await;
        }
    }
    js.as_ref().map(js_close);
    let started = pool.as_ref().map_or(0, Executor::workers_started);
    drop(pool);

    let [t, each, gathered] =
        [TIME, EACH, GATHERED].map(|of| samples.each_ref().map(|c| median(&c[of])));
    let worst = |of: usize| {
        samples
            .each_ref()
            .map(|c| c[of].iter().fold(f64::NAN, |a, &b| a.max(b)))
    };
    let [gap, turn] = [GAP, TURN].map(worst);
    // Every run's count if they agreed, -1 if not.
    let count = samples.each_ref().map(|c| match c[COUNT].first() {
        Some(&n) if c[COUNT].iter().all(|&m| m == n) => n,
        Some(_) => -1.0,
        None => f64::NAN,
    });
    let (speedup, js_speedup) = (t[1] / t[0], t[3] / t[2]);
    let gap_ratio = [0, 1, 2, 3].map(|i| gap[i] / t[i]);
    let times = |r: f64| format!("{r:.2}×");
    let counted = |n: f64| match n < 0.0 {
        true => "varied".to_string(),
        false => format!("{n}"),
    };
    let share = |r: f64| format!("{r:.2}");
    let per_job = |n: f64| format!("{} ({} each)", ms(n), ms(n / NOOPS as f64));
    let speedups = [speedup, f64::NAN, js_speedup, f64::NAN];
    // Each round's pool ÷ JavaScript: in a row against one JS worker (one
    // message in flight, as the pool's one job in flight per worker),
    // gathered against two.
    let in_a_row = Spread::of_ratios(&samples[0][EACH], &samples[3][EACH]);
    let gathered_ratio = Spread::of_ratios(&samples[0][GATHERED], &samples[2][GATHERED]);
    let shown = |spread: &Spread| vec![spread.show(ratio)];
    let values = [
        cells(t, &ms),
        cells(speedups, &times),
        cells(count, &counted),
        cells(gap, &ms),
        cells(gap_ratio, &share),
        cells(turn, &ms),
        cells(each, &ms),
        cells(gathered, &per_job),
        shown(&in_a_row),
        shown(&gathered_ratio),
    ];
    for ((label, target), row) in ROWS.into_iter().zip(values) {
        table.row(label, &row, target);
    }
    table.notes.extend([
        format!(
            "7–9. median of {RUNS} rounds (9: {ROUND_TRIP_RUNS}) after a warm-up round that also \
             starts the workers ({started} started in all); largest gaps and longest turns: the \
             worst of the {RUNS}"
        ),
        "7. asyncio: gather of 8 count_primes jobs (trial division in u64) on \
         Executor::workers with 2 workers, or Executor::inline(). JS: the same loop in plain \
         JavaScript, in workers made from a Blob, each taking the next chunk when free as the \
         pool's do; its speed-up (1 worker ÷ 2) is what this machine's vCPUs give"
            .into(),
        "8. a task sleeping 10 ms at a time, from 30 ms before the first job until the last is \
         back. Inline, each job runs in its own task, one per loop turn, but the ticker's \
         wake-up queues behind every job still waiting, so it waits for all of them"
            .into(),
        "9. the pool keeps one job in flight per worker: in a row, one at a time; gathered, on \
         both workers. JS: a postMessage round trip per job, kept in flight the same way"
            .into(),
    ]);
    let (inline_t, pool_t) = (ms(t[1]), ms(t[0]));
    let [pool_count, inline_count] = [count[0], count[1]].map(counted);
    let faster = format!("{speedup:.2}× ({inline_t} inline ÷ {pool_t}; JS: {js_speedup:.2}×)");
    let counts = format!("{pool_count} on 2 workers, {inline_count} inline");
    let stalled = format!(
        "{} = {:.2} of the run ({inline_t})",
        ms(gap[1]),
        gap_ratio[1]
    );
    let fast_enough = speedup >= SPEEDUP_TARGET;
    let correct = count[..2] == [PRIMES; 2];
    let responsive = gap[0] < GAP_TARGET_MS;
    let blocked = gap_ratio[1] >= 0.9;
    let verdicts = [
        ("speed-up, 2 workers", faster, "≥ 1.7×", fast_enough),
        ("primes below 2 000 000", counts, "148933", correct),
        ("ticker gap, 2 workers", ms(gap[0]), "< 50 ms", responsive),
        ("ticker gap, inline", stalled, "≥ 0.90 of the run", blocked),
        (
            "trivial jobs in a row vs JS postMessage",
            format!(
                "{} ({} vs {} each)",
                in_a_row.show(ratio),
                ms(each[0]),
                ms(each[3])
            ),
            "≤ 1.20×",
            in_a_row.median <= ROUND_TRIP_TARGET,
        ),
        (
            "trivial jobs gathered vs JS postMessage",
            format!(
                "{} ({} vs {})",
                gathered_ratio.show(ratio),
                ms(gathered[0]),
                ms(gathered[2])
            ),
            "≤ 1.20×",
            gathered_ratio.median <= ROUND_TRIP_TARGET,
        ),
    ];
    table
        .verdicts
        .extend(verdicts.map(|(name, measured, target, met)| Verdict {
            name: name.into(),
            measured,
            target: target.into(),
            met,
        }));
    table
}
