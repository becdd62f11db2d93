//! The page's `js/runner.js`, as the browser tests and the figures drive
//! it: a runner whose worker loads this very test package.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/runner.js")]
extern "C" {
    pub(crate) type PythonRunner;

    #[wasm_bindgen(constructor)]
    pub(crate) fn new(urls: &JsValue) -> PythonRunner;

    #[wasm_bindgen(method)]
    pub(crate) fn run(this: &PythonRunner, source: &str, options: &JsValue) -> js_sys::Promise;

    #[wasm_bindgen(method)]
    pub(crate) fn warm(this: &PythonRunner) -> js_sys::Promise;

    #[wasm_bindgen(method)]
    pub(crate) fn stop(this: &PythonRunner);
}

/// A runner for this test package's worker.
pub(crate) fn runner() -> PythonRunner {
    PythonRunner::new(&asyncio_python::python_worker_urls())
}
