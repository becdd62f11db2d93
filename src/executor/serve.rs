//! The worker's side: serving jobs in a worker's own instance.
//!
//! # Messages
//! A job arrives as an array `[id, name, args]` (a number and two strings,
//! the arguments as JSON) and is answered with an array `[id, outcome,
//! text]`: outcome [`DONE`] with the result as JSON, [`FAILED`] with the
//! job's error message, or [`UNKNOWN`] (no job of that name) with an empty
//! text. Arrays and small numbers, rather than objects with named fields,
//! keep both sides to indexed reads and writes: no property names to make
//! or look up. The worker's own reports (`ready`, `load-failed`) are objects
//! with a `kind`, as the worker script sends them before this runs.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

use super::registry::{self, Called};

/// The job finished: the text is its result as JSON.
pub(super) const DONE: u32 = 0;
/// The job returned an error: the text is its message.
pub(super) const FAILED: u32 = 1;
/// No job of that name is registered in the worker.
pub(super) const UNKNOWN: u32 = 2;

/// Serves executor jobs in this worker: called by the executor's worker
/// script once the package is loaded and the jobs registered. Answers each
/// job message with its outcome; a job that panics traps this instance and
/// the pool replaces the worker.
// Exported to JavaScript (the worker script), not to Rust.
#[allow(unreachable_pub)]
#[wasm_bindgen(js_name = __asyncio_executor_serve)]
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let job: Array = event.data().unchecked_into();
            let id = job.get(0);
            let name = job.get(1).as_string().unwrap_or_default();
            let args = job.get(2).as_string().unwrap_or_default();
            let (outcome, text) = match registry::call(&name, &args) {
                Called::Done(result) => (DONE, JsValue::from_str(&result)),
                Called::Failed(message) => (FAILED, JsValue::from_str(&message)),
                Called::Unknown => (UNKNOWN, JsValue::from_str("")),
            };
            let reply = Array::of3(&id, &JsValue::from(outcome), &text);
            let _ = reply_to.post_message(&reply);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"kind".into(), &"ready".into());
    let _ = scope.post_message(&ready);
}
