//! What the page's JavaScript calls. Every failure is a rejected promise or
//! a thrown string with a message for the page; nothing here panics.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use crate::catalogue::Example;
use crate::examples::catalogue;
use crate::runner;
use crate::wire;

pub(crate) fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a plain data property on a fresh object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

fn describe(example: &Example) -> Object {
    let entry = Object::new();
    set(&entry, "id", example.id);
    set(&entry, "title", example.title);
    set(&entry, "topic", example.topic.label());
    set(&entry, "explanation", example.explanation);
    let params: Array = example
        .params
        .iter()
        .map(|p| {
            let param = Object::new();
            set(&param, "name", p.name);
            set(&param, "label", p.label);
            set(&param, "min", p.min);
            set(&param, "max", p.max);
            set(&param, "default", p.default);
            set(&param, "step", p.step);
            set(&param, "unit", p.unit);
            JsValue::from(param)
        })
        .collect();
    set(&entry, "params", params);
    let variants: Array = example
        .variants
        .iter()
        .map(|v| {
            let variant = Object::new();
            set(&variant, "id", v.id);
            set(&variant, "label", v.label);
            JsValue::from(variant)
        })
        .collect();
    set(&entry, "variants", variants);
    set(&entry, "comparable", example.comparable());
    let needs = Object::new();
    set(&needs, "server", example.needs.server);
    set(&needs, "workers", example.needs.workers);
    set(&needs, "browser", example.needs.browser);
    set(&entry, "needs", needs);
    set(
        &entry,
        "module",
        if example.in_io_module() { "io" } else { "page" },
    );
    entry
}

/// The catalogue: `[{ id, title, topic, explanation, params: [{ name,
/// label, min, max, default, step, unit }], variants: [{ id, label }],
/// comparable, needs: { server, workers, browser }, module }]`, where
/// `module` is `"io"` for the examples only the I/O module runs (see
/// [`Example::in_io_module`]) and `"page"` for the rest. The listings are
/// not in the module: the page fetches `examples/<id>.json` beside it.
#[wasm_bindgen]
pub fn examples() -> Array {
    catalogue()
        .iter()
        .map(|e| JsValue::from(describe(e)))
        .collect()
}

/// `{ name: number }` as pairs; anything that is not a number becomes NaN,
/// which the range check refuses with its message.
fn read_params(params: &JsValue) -> Vec<(String, f64)> {
    if !params.is_object() {
        return Vec::new();
    }
    let keys = Object::keys(params.unchecked_ref::<Object>());
    keys.iter()
        .filter_map(|key| {
            let name = key.as_string()?;
            let value = Reflect::get(params, &key).ok()?;
            Some((name, value.as_f64().unwrap_or(f64::NAN)))
        })
        .collect()
}

/// Checks parameters for example `id`: `undefined` if they are fine, else
/// the message to show (which says the allowed range).
#[wasm_bindgen(js_name = checkParams)]
pub fn check_params(id: &str, params: JsValue) -> Option<String> {
    let example = match crate::examples::find(id) {
        Some(example) => example,
        None => return Some(format!("there is no example called '{id}'")),
    };
    runner::check_params(example, &read_params(&params), "")
        .err()
        .map(|e| e.to_string())
}

/// A run in progress: its live trace, a way to stop it, and its outcome.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Run {
    lp: asyncio::EventLoop,
    finished: Promise,
}

#[wasm_bindgen]
impl Run {
    /// The trace records from index `start` on, as the JSON text of
    /// `{ version, start, events }` (the trace's serde form, which the
    /// page's decoder checks).
    #[wasm_bindgen(js_name = traceSince)]
    pub fn trace_since(&self, start: usize) -> Result<String, JsValue> {
        wire::trace_batch(start, &self.lp.trace_since(start))
            .map_err(|err| JsValue::from_str(&format!("the trace could not be written: {err}")))
    }

    /// The loop's time now, in milliseconds.
    pub fn time(&self) -> f64 {
        self.lp.time_ms()
    }

    /// Stops the run: the loop stops, then every task left is cancelled,
    /// so its fetches are aborted, its sockets closed and its executor jobs
    /// stopped.
    pub fn stop(&self) {
        self.lp.stop();
    }

    /// Resolves to the JSON text of `{ version, totalMs, stopped, lines:
    /// [{ atMs, text }], trace }` when the run ends; rejects with a message
    /// if it could not complete.
    #[wasm_bindgen(getter)]
    pub fn finished(&self) -> Promise {
        self.finished.clone()
    }
}

/// Starts `variant` of example `id` on a fresh loop on `clock` (`"real"` or
/// `"virtual"`), with `params` (`{ name: number }`) and the development
/// server at `baseUrl`. `onLine(atMs, text)` is called for each line as it
/// is printed. Throws a message for an unknown example, variant or clock,
/// or a parameter out of its range.
#[wasm_bindgen(js_name = startRun)]
pub fn start_run(
    id: &str,
    variant: &str,
    clock: &str,
    params: JsValue,
    base_url: &str,
    on_line: Function,
) -> Result<Run, JsValue> {
    let message = |err: runner::RunnerError| JsValue::from_str(&err.to_string());
    let (example, variant) = runner::find(id, variant).map_err(message)?;
    let params = runner::check_params(example, &read_params(&params), base_url).map_err(message)?;
    let clock = runner::parse_clock(clock).map_err(message)?;
    let lp = runner::new_loop(clock).map_err(message)?;
    let run_loop = lp.clone();
    let finished = wasm_bindgen_futures::future_to_promise(async move {
        let report = runner::run_on(&run_loop, variant, params, move |line| {
            // A throwing callback must not stop the run.
            let _ = on_line.call2(
                &JsValue::NULL,
                &JsValue::from_f64(line.at_ms),
                &JsValue::from_str(&line.text),
            );
        })
        .await
        .map_err(message)?;
        wire::report(&report)
            .map(JsValue::from)
            .map_err(|err| JsValue::from_str(&format!("the report could not be written: {err}")))
    });
    Ok(Run { lp, finished })
}

/// Runs example `id` to completion with its defaults: `startRun` without
/// the handle, for simple pages.
#[wasm_bindgen(js_name = runExample)]
pub fn run_example(id: &str, clock: &str, on_line: Function) -> Result<Promise, JsValue> {
    let example = crate::examples::find(id)
        .ok_or_else(|| JsValue::from_str(&format!("there is no example called '{id}'")))?;
    let variant = example.variants.first().map_or("run", |v| v.id);
    let origin = js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .and_then(|l| js_sys::Reflect::get(&l, &"origin".into()))
        .ok()
        .and_then(|o| o.as_string())
        .unwrap_or_default();
    Ok(start_run(id, variant, clock, JsValue::UNDEFINED, &origin, on_line)?.finished)
}
