//! Measurement 3: 10 000 concurrent sleeps with scrambled deadlines.
//!
//! Sleep `i` lasts `i * 7919 % 1000` ms, so deadlines cover 0–999 ms out of
//! order. The ideal wall time is the longest sleep, 999 ms. The `asyncio`
//! loop keeps its timers in one heap and arms one `setTimeout` at a time, for
//! the earliest deadline (`sync_host_wake` in `src/runtime/core.rs`; the
//! browser host clears the armed timeout before arming another); its count
//! of host timers is read from the loop. `gloo-timers` and plain JavaScript
//! arm one `setTimeout` per sleep.

use std::time::Duration;

use asyncio::{EventLoop, RunError};
use futures::future::join_all;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

use crate::report::{ms, times, Contender, Row, Section, Spread, Verdict};
use crate::spawn::describe;
use crate::stopwatch::{median, now_ms, settle};

#[wasm_bindgen(module = "/src/page.js")]
extern "C" {
    fn js_timers(n: u32) -> js_sys::Promise;
}

/// Concurrent sleeps.
pub const SLEEPS: u32 = 10_000;

/// The longest sleep, in milliseconds: the ideal wall time.
pub const IDEAL_MS: f64 = 999.0;

/// Rounds of measurement 3: each takes about three seconds.
pub const TIMER_RUNS: usize = 5;

/// The target: wall time ÷ the ideal.
pub const TIMER_TARGET: f64 = 1.005;

/// Sleep `i`'s length in milliseconds.
pub fn delay_ms(i: u32) -> u32 {
    i * 7919 % 1000
}

/// One run of the sleeps on an `asyncio` loop.
#[derive(Clone, Copy, Debug)]
pub struct TimerRun {
    /// Wall time of `run_until_complete`, in milliseconds.
    pub elapsed_ms: f64,
    /// `setTimeout`s the loop armed during the run.
    pub host_timers_armed: u64,
    /// Timers that fired.
    pub timers_fired: u64,
}

/// Each sleep in its own `asyncio` task, every handle awaited.
///
/// # Errors
/// The loop's [`RunError`], should the run fail.
pub async fn asyncio_timers(n: u32) -> Result<TimerRun, RunError> {
    let lp = EventLoop::new();
    let start = now_ms();
    lp.run_until_complete(async move {
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let delay = Duration::from_millis(u64::from(delay_ms(i)));
                asyncio::create_task(asyncio::sleep(delay))
            })
            .collect();
        for task in tasks {
            let _ = task.await;
        }
    })
    .await?;
    let elapsed_ms = now_ms() - start;
    let stats = lp.stats();
    let _ = lp.close();
    Ok(TimerRun {
        elapsed_ms,
        host_timers_armed: stats.host_timers_armed,
        timers_fired: stats.timers_fired,
    })
}

/// Every sleep a `gloo_timers::future::TimeoutFuture`, joined. Returns
/// milliseconds.
pub async fn gloo_timers(n: u32) -> f64 {
    let start = now_ms();
    join_all((0..n).map(|i| TimeoutFuture::new(delay_ms(i)))).await;
    now_ms() - start
}

/// Every sleep a `setTimeout` promise, joined with `Promise.all`. Returns
/// milliseconds.
pub async fn js_promise_timers(n: u32) -> Result<f64, String> {
    match JsFuture::from(js_timers(n)).await {
        Ok(value) => value.as_f64().ok_or_else(|| describe(&value)),
        Err(error) => Err(describe(&error)),
    }
}

/// Measurement 3: [`TIMER_RUNS`] rounds, the contenders taking turns; medians.
pub async fn measure() -> Section {
    let mut notes = Vec::new();
    let (mut ours, mut gloo, mut js) = (Vec::new(), Vec::new(), Vec::new());
    let mut host_timers = Vec::new();
    for _ in 0..TIMER_RUNS {
        match asyncio_timers(SLEEPS).await {
            Ok(run) => {
                ours.push(run.elapsed_ms);
                host_timers.push(run.host_timers_armed as f64);
                if run.timers_fired < u64::from(SLEEPS - SLEEPS / 1000) {
                    notes.push(format!("asyncio: only {} timers fired", run.timers_fired));
                }
            }
            Err(error) => notes.push(format!("asyncio run failed: {error}")),
        }
        settle().await;
        gloo.push(gloo_timers(SLEEPS).await);
        settle().await;
        match js_promise_timers(SLEEPS).await {
            Ok(elapsed) => js.push(elapsed),
            Err(error) => notes.push(format!("JS promises failed: {error}")),
        }
        settle().await;
    }
    let ratios: Vec<f64> = ours.iter().map(|wall| wall / IDEAL_MS).collect();
    let spread = Spread::of(&ratios);
    let (ours, gloo, js) = (median(&ours), median(&gloo), median(&js));
    let host_timers = median(&host_timers);
    let zero = (0..SLEEPS).filter(|&i| delay_ms(i) == 0).count();
    notes.push(format!(
        "3. median of {TIMER_RUNS} rounds; wall time runs from before the first sleep is created. \
         asyncio: the {zero} sleeps of 0 ms take no timer, the other {} share one heap \
         behind one setTimeout, re-armed for the earliest deadline as each fires",
        SLEEPS as usize - zero,
    ));
    let one_each = format!("{SLEEPS} (one per sleep)");
    Section {
        rows: vec![
            Row::new("3. 10 000 sleeps, 0–999 ms scrambled: wall")
                .cell(Contender::Asyncio, ms(ours))
                .cell(Contender::GlooTimers, ms(gloo))
                .cell(Contender::JsPromises, ms(js)),
            Row::new("3. 10 000 sleeps: wall ÷ ideal 999 ms")
                .cell(Contender::Asyncio, spread.show(times))
                .cell(Contender::GlooTimers, times(gloo / IDEAL_MS))
                .cell(Contender::JsPromises, times(js / IDEAL_MS))
                .target(format!("≤ {TIMER_TARGET}×")),
            Row::new("3. 10 000 sleeps: host timers armed")
                .cell(
                    Contender::Asyncio,
                    format!("{host_timers:.0} (1 at a time)"),
                )
                .cell(Contender::GlooTimers, one_each.clone())
                .cell(Contender::JsPromises, one_each)
                .target("1 at a time"),
        ],
        verdicts: vec![Verdict {
            name: "10 000 timers".into(),
            measured: format!(
                "{} of ideal ({} median), {host_timers:.0} host timers 1 at a time",
                spread.show(times),
                ms(ours)
            ),
            target: format!("≤ {} with 1 host timer at a time", times(TIMER_TARGET)),
            met: spread.median <= TIMER_TARGET,
        }],
        notes,
    }
}
