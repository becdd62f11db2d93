//! The clock, medians, and letting the page settle between measurements.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Milliseconds on the page's monotonic clock (`performance.now()`).
pub fn now_ms() -> f64 {
    performance_now()
}

/// Runs of each timed measurement after its warm-up; the median is reported.
pub const RUNS: usize = 3;

/// The median of `samples` (the mean of the middle two for an even count);
/// NaN for none.
pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Gives the page a macrotask (and a chance to collect garbage) between
/// measurements, so that one's leftovers do not land in the next one's time.
pub async fn settle() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}
