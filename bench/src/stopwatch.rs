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

pub use crate::report::median;

/// Rounds of each timed measurement after its warm-up, unless the
/// measurement says otherwise: enough that the median of a ratio between
/// two contenders moves by a few percent at most from run to run.
pub const RUNS: usize = 9;

/// Gives the page a macrotask (and a chance to collect garbage) between
/// measurements, so that one's leftovers do not land in the next one's time.
pub async fn settle() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}
