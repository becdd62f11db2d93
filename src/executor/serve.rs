//! The worker's side: running jobs in a worker's own instance.
//!
//! The worker script (`worker.js`) reads each job message (`[id, name,
//! args]`, the arguments as JSON), calls [`run`] with the name and the
//! arguments, and posts `[id, outcome, text]` back: the outcome is the
//! first character of what `run` returns, as a digit ([`DONE`], [`FAILED`]
//! or [`UNKNOWN`]), and the text the rest. One call per job, with plain
//! strings: no message objects to take apart or build on this side.

use wasm_bindgen::prelude::*;

use super::registry::{self, Called};

/// The job finished: the text is its result as JSON.
pub(super) const DONE: u32 = 0;
/// The job returned an error: the text is its message.
pub(super) const FAILED: u32 = 1;
/// No job of that name is registered in the worker: the text is empty.
pub(super) const UNKNOWN: u32 = 2;

/// Runs the job `name` with JSON `args` in this worker: called by the
/// executor's worker script for each job message, once the package is
/// loaded and the jobs registered. Returns the outcome's digit followed by
/// the text. A job that panics traps this instance and the pool replaces
/// the worker.
// Exported to JavaScript (the worker script), not to Rust.
#[allow(unreachable_pub)]
#[wasm_bindgen(js_name = __asyncio_executor_run)]
pub fn run(name: &str, args: &str) -> String {
    let (outcome, text) = match registry::call(name, args) {
        Called::Done(result) => (DONE, result),
        Called::Failed(message) => (FAILED, message),
        Called::Unknown => (UNKNOWN, String::new()),
    };
    let mut reply = String::with_capacity(text.len() + 1);
    reply.extend(char::from_digit(outcome, 10));
    reply.push_str(&text);
    reply
}
