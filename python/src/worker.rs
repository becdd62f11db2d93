//! The dedicated Web Worker that runs Python programs for a page.
//!
//! The page never loads the interpreter: `js/runner.js` starts a worker
//! from `js/worker.js`, which imports this package, compiles it off the
//! main thread and calls [`serve_python_worker`]. The worker then runs one
//! program at a time, with its own event loops on either clock, and posts
//! JSON messages (strings) to the page:
//!
//! - `{"kind":"ready","engineMs":…}` once the interpreter exists;
//! - `{"kind":"line","line":{atMs,text,stream,task,loop}}` per line;
//! - `{"kind":"trace","batch":{version,loop,start,events}}` as the trace
//!   grows (see [`crate::wire`]);
//! - `{"kind":"done","report":{…}}` when the program ends;
//! - `{"kind":"refused","message":…}` for a request it cannot take.
//!
//! The page asks with `{"kind":"run","source":…,"clock":"real"|"virtual",
//! "filename":…,"maxSteps":…,"maxMemoryMb":…,"trace":true}`. Stop is the
//! page terminating the worker: nothing in here has to cooperate, so a
//! runaway program, a trap or an exhausted memory cannot outlive it.

use std::cell::Cell;

use serde::Deserialize;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::Engine;
use crate::report::RunOptions;
use crate::wire;

thread_local! {
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// A run request from the page.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Request {
    kind: String,
    source: String,
    #[serde(default)]
    clock: Option<String>,
    #[serde(default)]
    filename: Option<String>,
    #[serde(default)]
    max_steps: Option<u64>,
    #[serde(default)]
    max_memory_mb: Option<usize>,
    #[serde(default)]
    trace: Option<bool>,
}

fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|performance| {
            let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?;
            let now: js_sys::Function = now.dyn_into().ok()?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

fn post(message: &serde_json::Value) {
    if let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() {
        let _ = scope.post_message(&JsValue::from_str(&message.to_string()));
    }
}

fn options(request: &Request) -> Result<RunOptions, String> {
    let clock = match request.clock.as_deref() {
        None | Some("real") => asyncio::Clock::Real,
        Some("virtual") => asyncio::Clock::Virtual,
        Some(other) => return Err(format!("unknown clock '{other}': use 'real' or 'virtual'")),
    };
    let mut options = RunOptions {
        clock,
        ..RunOptions::default()
    };
    if let Some(filename) = &request.filename {
        options.filename = filename.clone();
    }
    if let Some(steps) = request.max_steps {
        options.max_steps = steps;
    }
    if let Some(mb) = request.max_memory_mb {
        options.max_memory = mb.saturating_mul(1 << 20);
    }
    options.trace = request.trace.unwrap_or(true);
    Ok(options)
}

fn handle(engine: &'static Engine, event: MessageEvent) {
    let request: Request = match event
        .data()
        .as_string()
        .ok_or_else(|| "a request is a JSON string".to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|err| err.to_string()))
    {
        Ok(request) => request,
        Err(message) => {
            post(&json!({"kind": "refused", "message": message}));
            return;
        }
    };
    if request.kind != "run" {
        post(&json!({"kind": "refused", "message": format!("unknown request '{}'", request.kind)}));
        return;
    }
    let options = match options(&request) {
        Ok(options) => options,
        Err(message) => {
            post(&json!({"kind": "refused", "message": message}));
            return;
        }
    };
    if BUSY.with(|busy| busy.replace(true)) {
        post(&json!({"kind": "refused", "message": "a program is already running in this worker"}));
        return;
    }
    crate::budget::BudgetAllocator::set_ceiling(
        crate::budget::allocated_bytes().saturating_add(options.max_memory.saturating_mul(2)),
    );
    let started = now_ms();
    wasm_bindgen_futures::spawn_local(async move {
        let run = crate::run::start(
            engine,
            &request.source,
            &options,
            Some(Box::new(|line| {
                post(&json!({"kind": "line", "line": wire::line(line)}))
            })),
            Some(Box::new(|serial, start, records| {
                post(&json!({"kind": "trace", "batch": wire::trace_batch(serial, start, records)}));
            })),
        );
        let report = run.await;
        let mut message = wire::report(&report, false);
        message["wallMs"] = json!(now_ms() - started);
        post(&json!({"kind": "done", "report": message}));
        BUSY.with(|busy| busy.set(false));
    });
}

/// The worker's entry point (called by `js/worker.js` once the package is
/// loaded): makes the interpreter, says it is ready, and serves runs.
///
/// # Errors
/// Outside a dedicated worker.
#[wasm_bindgen(js_name = servePythonWorker)]
pub fn serve_python_worker() -> Result<(), JsValue> {
    let scope: DedicatedWorkerGlobalScope = js_sys::global()
        .dyn_into()
        .map_err(|_| JsValue::from_str("servePythonWorker runs in a dedicated worker"))?;
    let started = now_ms();
    // The worker lives until the page terminates it: so does its engine.
    let engine: &'static Engine = Box::leak(Box::new(Engine::new()));
    let engine_ms = now_ms() - started;
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event| handle(engine, event));
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&json!({"kind": "ready", "engineMs": engine_ms}));
    Ok(())
}

#[wasm_bindgen]
extern "C" {
    type ImportMeta;

    #[wasm_bindgen(thread_local_v2, js_namespace = import, js_name = meta)]
    static IMPORT_META: ImportMeta;

    #[wasm_bindgen(method, getter)]
    fn url(this: &ImportMeta) -> String;
}

#[wasm_bindgen(module = "/js/worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = workerScriptUrl)]
    fn worker_script_url() -> String;
}

/// What `js/runner.js` takes, for a page that has loaded this package
/// (its browser tests): `{ glue, worker, module }`, the package's
/// JavaScript URL, the worker script's URL and the compiled module, which
/// the worker then need not fetch. Other pages know where they serve the
/// files.
#[wasm_bindgen(js_name = pythonWorkerUrls)]
pub fn python_worker_urls() -> JsValue {
    let urls = js_sys::Object::new();
    let glue = IMPORT_META.with(ImportMeta::url);
    let _ = js_sys::Reflect::set(&urls, &"glue".into(), &glue.into());
    let _ = js_sys::Reflect::set(&urls, &"worker".into(), &worker_script_url().into());
    let _ = js_sys::Reflect::set(&urls, &"module".into(), &wasm_bindgen::module());
    urls.into()
}
