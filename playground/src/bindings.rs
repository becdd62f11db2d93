//! What the page's JavaScript calls.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::examples::CATALOGUE;
use crate::runner::{self, RunReport};

fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a plain data property on a fresh object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

/// The catalogue: `[{ id, title, rustSource }]`.
#[wasm_bindgen]
pub fn examples() -> Array {
    CATALOGUE
        .iter()
        .map(|example| {
            let entry = Object::new();
            set(&entry, "id", example.id);
            set(&entry, "title", example.title);
            set(&entry, "rustSource", example.rust_source);
            JsValue::from(entry)
        })
        .collect()
}

/// Runs example `id` on a fresh loop on `clock` (`"real"` or `"virtual"`).
/// `on_line(atMs, text)` is called for each line as it is printed. Resolves
/// to `{ totalMs, lines: [{ atMs, text }] }`; rejects with a message for an
/// unknown example or clock, or a run that did not complete.
#[wasm_bindgen(js_name = runExample)]
pub async fn run_example(id: String, clock: String, on_line: Function) -> Result<JsValue, JsValue> {
    let clock = runner::parse_clock(&clock).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let report = runner::run_example(&id, clock, move |line| {
        // A throwing callback must not stop the run; the page logs its own errors.
        let _ = on_line.call2(
            &JsValue::NULL,
            &JsValue::from_f64(line.at_ms),
            &JsValue::from_str(&line.text),
        );
    })
    .await
    .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(report_to_js(&report).into())
}

fn report_to_js(report: &RunReport) -> Object {
    let out = Object::new();
    set(&out, "totalMs", report.total_ms);
    let lines: Array = report
        .lines
        .iter()
        .map(|line| {
            let entry = Object::new();
            set(&entry, "atMs", line.at_ms);
            set(&entry, "text", line.text.as_str());
            JsValue::from(entry)
        })
        .collect();
    set(&out, "lines", lines);
    out
}
