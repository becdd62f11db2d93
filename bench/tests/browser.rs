//! Runs every benchmark in one browser page and prints three tables:
//! the event loop's, the synchronisation primitives', then the executor's.
//!
//! Not a test: nothing is asserted, so it always passes and its output is
//! always printed (given `--nocapture`; see the crate's README).

#![cfg(target_arch = "wasm32")]

use bench::report::Report;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn benchmarks() {
    let mut report = Report::new();
    // `cargo xtask bench` takes this first line as the sign that the page
    // started (see its watchdog): keep it first, and starting with "1/4".
    console_log!("1/4 spawning 100 000 tasks…");
    report.push(bench::spawn::measure().await);
    console_log!("2/4 sequential sleep(0)…");
    report.push(bench::sleep_zero::measure().await);
    console_log!("3/4 10 000 concurrent sleeps…");
    report.push(bench::timers::measure().await);
    console_log!("4/4 longest turn while 100 000 tasks run…");
    report.push(bench::turns::measure().await);
    // Each table is printed as soon as it is measured: should a later
    // measurement not finish, the earlier numbers are out.
    console_log!("\n{report}");
    console_log!("5–6 queue against mpsc, 10 000 tasks on one lock…");
    let sync = bench::sync::measure().await;
    console_log!("\n{sync}");
    console_log!("7–9 executor: 2 workers against inline, round trips…");
    let executor = bench::executor::measure().await;
    console_log!("\n{executor}");
}
