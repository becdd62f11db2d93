//! Benchmarks of the `asyncio` event loop in the browser, side by side with
//! what a page would otherwise use: `wasm_bindgen_futures::spawn_local`,
//! `gloo-timers` and plain JavaScript promises; of its queue and lock, the
//! queue against `futures::channel::mpsc`; and of its executor, a pool of
//! Web Workers against the inline executor and plain JavaScript workers.
//!
//! Nothing here asserts. `tests/browser.rs` runs every measurement in one
//! headless Chromium page and prints three tables, the event loop's, the
//! synchronisation primitives' and the executor's, each followed by one
//! line per target saying whether it was met. See `README.md` for the
//! command.
//!
//! Each module measures one thing for every contender that has it:
//!
//! | module | what |
//! |---|---|
//! | [`spawn`] | 100 000 trivial tasks spawned and completed |
//! | [`sleep_zero`] | sequential zero-length sleeps |
//! | [`timers`] | 10 000 concurrent sleeps with scrambled deadlines |
//! | [`turns`] | the longest time the page is blocked while 100 000 tasks run |
//! | [`sync`] | `Queue` against `futures::channel::mpsc`; 10 000 tasks on one `Lock` (second table) |
//! | [`executor`] | prime counting on 2 workers against inline, a ticker meanwhile, trivial jobs' round trip (third table) |
//!
//! [`report`] formats the results; [`stopwatch`] reads the clock and takes
//! medians. The measuring modules exist only on `wasm32`, where there is a
//! browser to measure; the formatting also builds natively.

#![warn(missing_docs)]

#[cfg(target_arch = "wasm32")]
pub mod executor;
pub mod report;
#[cfg(target_arch = "wasm32")]
pub mod sleep_zero;
#[cfg(target_arch = "wasm32")]
pub mod spawn;
#[cfg(target_arch = "wasm32")]
pub mod stopwatch;
#[cfg(target_arch = "wasm32")]
pub mod sync;
#[cfg(target_arch = "wasm32")]
pub mod timers;
#[cfg(target_arch = "wasm32")]
pub mod turns;
