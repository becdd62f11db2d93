//! The worker's side: running jobs in a worker's own instance.
//!
//! The worker script (`worker.js`) reads each job message (`[id, name,
//! args]`: the arguments as JSON, absent for `null`), looks the job's name
//! up once with [`find`] and keeps its index, calls [`run`] with the index
//! and the arguments, takes the outcome's text with [`reply`] when `run`
//! says there is one ([`HAS_TEXT`]), and posts `[id, outcome]` or `[id,
//! outcome, text]` back. The outcome is [`DONE`] (the text is the result
//! as JSON, absent for `null`, which is what unit results are), [`FAILED`]
//! (the text is the error) or [`UNKNOWN`]. So a job with unit arguments
//! and result crosses between JavaScript and WebAssembly with numbers
//! alone: no text to encode or decode.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::registry::{self, Called};

/// The job finished: the text is its result as JSON, absent for `null`.
pub(super) const DONE: u32 = 0;
/// The job returned an error: the text is its message.
pub(super) const FAILED: u32 = 1;
/// No job of that name is registered in the worker: no text.
pub(super) const UNKNOWN: u32 = 2;

/// Added to what [`run`] returns when the outcome has a text, which
/// [`reply`] gives; the worker script knows this value.
pub(super) const HAS_TEXT: u32 = 4;

/// JSON's `null`, which travels as no text at all.
pub(super) const NULL: &str = "null";

thread_local! {
    /// The text of the last outcome, until [`reply`] takes it.
    static REPLY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The index of the job registered as `name` in this worker, if there is
/// one: the worker script keeps it and calls [`run`] with it.
// Exported to JavaScript (the worker script), not to Rust.
#[allow(unreachable_pub)]
#[wasm_bindgen(js_name = __asyncio_executor_find)]
pub fn find(name: &str) -> Option<u32> {
    registry::find(name)
}

/// Runs the job at index `job` (from [`find`]; none: no such job) with
/// JSON `args` (none: `null`) in this worker, and gives the outcome, plus
/// [`HAS_TEXT`] if it has a text, which waits for [`reply`]. A job that
/// panics traps this instance and the pool replaces the worker.
// Exported to JavaScript (the worker script), not to Rust.
#[allow(unreachable_pub)]
#[wasm_bindgen(js_name = __asyncio_executor_run)]
pub fn run(job: Option<u32>, args: Option<String>) -> u32 {
    let called = match job {
        Some(index) => registry::call_index(index, args.as_deref().unwrap_or(NULL)),
        None => Called::Unknown,
    };
    let (outcome, text) = match called {
        Called::Done(result) if result == NULL => (DONE, None),
        Called::Done(result) => (DONE, Some(result)),
        Called::Failed(message) => (FAILED, Some(message)),
        Called::Unknown => (UNKNOWN, None),
    };
    let flag = if text.is_some() { HAS_TEXT } else { 0 };
    let _ = REPLY.try_with(|reply| *reply.borrow_mut() = text);
    outcome | flag
}

/// The text of the outcome [`run`] last gave, taken: none when it has
/// none.
// Exported to JavaScript (the worker script), not to Rust.
#[allow(unreachable_pub)]
#[wasm_bindgen(js_name = __asyncio_executor_reply)]
pub fn reply() -> Option<String> {
    REPLY
        .try_with(|reply| reply.borrow_mut().take())
        .ok()
        .flatten()
}
