//! Measurement 2: sequential zero-length sleeps.
//!
//! `asyncio::sleep(Duration::ZERO)` goes to the back of the ready queue
//! without a timer. `gloo-timers` and plain JavaScript have only
//! `setTimeout(0)`, which browsers clamp to 4 ms once timeouts nest five
//! deep, so they run fewer iterations to keep the benchmark short.

use std::time::Duration;

use asyncio::{EventLoop, RunError};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

use crate::report::{ms, us, Contender, Row, Section, Verdict};
use crate::spawn::describe;
use crate::stopwatch::{median, now_ms, settle, RUNS};

#[wasm_bindgen(module = "/src/page.js")]
extern "C" {
    fn js_sleep_zero(n: u32) -> js_sys::Promise;
}

/// Sleeps in a row on the `asyncio` loop.
pub const SLEEPS: u32 = 1_000;

/// Sleeps in a row for the `setTimeout`-based contenders.
pub const TIMEOUT_SLEEPS: u32 = 250;

/// Milliseconds per `asyncio::sleep(Duration::ZERO)`, timed inside one run.
///
/// # Errors
/// The loop's [`RunError`], should the run fail.
pub async fn asyncio_sleep_zero(n: u32) -> Result<f64, RunError> {
    let lp = EventLoop::new();
    let result = lp
        .run_until_complete(async move {
            let start = now_ms();
            for _ in 0..n {
                asyncio::sleep(Duration::ZERO).await;
            }
            (now_ms() - start) / f64::from(n)
        })
        .await;
    let _ = lp.close();
    result
}

/// Milliseconds per `gloo_timers::future::TimeoutFuture::new(0)`.
pub async fn gloo_sleep_zero(n: u32) -> f64 {
    let start = now_ms();
    for _ in 0..n {
        TimeoutFuture::new(0).await;
    }
    (now_ms() - start) / f64::from(n)
}

/// Milliseconds per `await new Promise(r => setTimeout(r, 0))`.
pub async fn js_promise_sleep_zero(n: u32) -> Result<f64, String> {
    match JsFuture::from(js_sleep_zero(n)).await {
        Ok(value) => value.as_f64().ok_or_else(|| describe(&value)),
        Err(error) => Err(describe(&error)),
    }
}

/// Measurement 2: `asyncio` after a warm-up, median of [`RUNS`]; the
/// `setTimeout` contenders once each.
pub async fn measure() -> Section {
    let mut notes = Vec::new();
    let mut ours = Vec::new();
    for round in 0..=RUNS {
        match asyncio_sleep_zero(SLEEPS).await {
            Ok(each) if round > 0 => ours.push(each),
            Ok(_) => {}
            Err(error) => notes.push(format!("asyncio run failed: {error}")),
        }
    }
    settle().await;
    let ours = median(&ours);
    let gloo = gloo_sleep_zero(TIMEOUT_SLEEPS).await;
    settle().await;
    let js = match js_promise_sleep_zero(TIMEOUT_SLEEPS).await {
        Ok(each) => ms(each),
        Err(error) => {
            notes.push(format!("JS promises failed: {error}"));
            "error".into()
        }
    };
    settle().await;
    notes.push(format!(
        "2. asyncio: median of {RUNS} runs after a warm-up; gloo-timers and JS: one run of \
         {TIMEOUT_SLEEPS}, as browsers clamp setTimeout(0) nested 5 deep to 4 ms"
    ));
    let target = "< 0.05 ms";
    Section {
        rows: vec![Row::new(format!(
            "2. sleep(0) ×{SLEEPS} (gloo, JS: ×{TIMEOUT_SLEEPS}): each"
        ))
        .cell(Contender::Asyncio, format!("{} ({})", ms(ours), us(ours)))
        .cell(Contender::GlooTimers, ms(gloo))
        .cell(Contender::JsPromises, js)
        .target(target)],
        verdicts: vec![Verdict {
            name: "sleep(0)".into(),
            measured: format!("{} each", ms(ours)),
            target: target.into(),
            met: ours < 0.05,
        }],
        notes,
    }
}
