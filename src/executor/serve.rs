//! The worker's side: serving jobs in a worker's own instance.

use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

use super::registry::{self, Called};

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
            let data = event.data();
            let field = |name: &str| Reflect::get(&data, &name.into()).unwrap_or_default();
            let id = field("id");
            let name = field("name").as_string().unwrap_or_default();
            let args = field("args").as_string().unwrap_or_default();
            let reply = Object::new();
            let _ = Reflect::set(&reply, &"id".into(), &id);
            match registry::call(&name, &args) {
                Called::Done(result) => {
                    let _ = Reflect::set(&reply, &"kind".into(), &"done".into());
                    let _ = Reflect::set(&reply, &"result".into(), &result.into());
                }
                Called::Failed(message) => {
                    let _ = Reflect::set(&reply, &"kind".into(), &"failed".into());
                    let _ = Reflect::set(&reply, &"message".into(), &message.into());
                }
                Called::Unknown => {
                    let _ = Reflect::set(&reply, &"kind".into(), &"unknown".into());
                }
            }
            let _ = reply_to.post_message(&reply);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"kind".into(), &"ready".into());
    let _ = scope.post_message(&ready);
}
