//! Figures for Python programs in the browser, not assertions: run with
//! `wasm-pack test --release --headless --chrome python -p asyncio-python
//! --test bench -- --include-ignored --nocapture`. Each figure prints as
//! `target …: … -> met|MISSED`, as the project's benchmarks do.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod runner_js;

use runner_js::{runner, PythonRunner};

#[wasm_bindgen(inline_js = "export function now() { return performance.now(); }")]
extern "C" {
    fn now() -> f64;
}

fn json(value: &JsValue) -> Value {
    let text = js_sys::JSON::stringify(value).unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap()
}

async fn run(runner: &PythonRunner, source: &str, clock: &str) -> Value {
    let options = js_sys::JSON::parse(&format!(r#"{{"clock":"{clock}","trace":false}}"#)).unwrap();
    json(&JsFuture::from(runner.run(source, &options)).await.unwrap())
}

fn target(name: &str, value: f64, unit: &str, limit: f64) {
    let verdict = if value <= limit { "met" } else { "MISSED" };
    web_sys::console::log_1(
        &format!("target {name}: {value:.2} {unit} (limit {limit} {unit}) -> {verdict}").into(),
    );
}

const HELLO: &str = "import asyncio\n\nasync def main():\n    print('Hello')\n    await asyncio.sleep(1)\n    print('World')\n\nasyncio.run(main())\n";

fn sleeps(n: u32) -> String {
    format!("import asyncio\n\nasync def main():\n    for _ in range({n}):\n        await asyncio.sleep(0)\n\nasyncio.run(main())\n")
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: run it with --include-ignored"]
async fn python_figures() {
    let runner = runner();
    let started = now();
    let ready = json(&JsFuture::from(runner.warm()).await.unwrap());
    let engine_ms = ready["engineMs"].as_f64().unwrap();
    let cold = run(&runner, HELLO, "real").await;
    assert_eq!(cold["error"], Value::Null);
    let cold_ms = now() - started;
    web_sys::console::log_1(
        &format!(
            "worker loaded in {:.0} ms, interpreter made in {engine_ms:.0} ms",
            ready["loadMs"]
        )
        .into(),
    );
    target(
        "cold hello (worker, module, interpreter, run; less its 1 s sleep)",
        cold_ms - 1000.0,
        "ms",
        1500.0,
    );
    let mut warm = Vec::new();
    for _ in 0..5 {
        let report = run(&runner, HELLO, "real").await;
        warm.push(report["wallMs"].as_f64().unwrap() - 1000.0);
    }
    warm.sort_by(f64::total_cmp);
    target(
        "warm hello, median (less its 1 s sleep)",
        warm[2],
        "ms",
        50.0,
    );
    let virtual_hello = run(&runner, HELLO, "virtual").await;
    target(
        "warm hello on the virtual clock",
        virtual_hello["wallMs"].as_f64().unwrap(),
        "ms",
        50.0,
    );

    const N: u32 = 20_000;
    let base = run(&runner, &sleeps(0), "virtual").await["wallMs"]
        .as_f64()
        .unwrap();
    let looped = run(&runner, &sleeps(N), "virtual").await["wallMs"]
        .as_f64()
        .unwrap();
    let python_us = (looped - base) * 1000.0 / f64::from(N);
    let lp = asyncio::EventLoop::virtual_clock();
    let start = now();
    lp.run_until_complete(async {
        for _ in 0..N {
            asyncio::sleep(Duration::ZERO).await;
        }
    })
    .block()
    .unwrap();
    let rust_us = (now() - start) * 1000.0 / f64::from(N);
    web_sys::console::log_1(
        &format!(
            "await asyncio.sleep(0): Python {python_us:.2} µs, Rust {rust_us:.3} µs, ratio {:.0}×",
            python_us / rust_us
        )
        .into(),
    );
    target(
        "await asyncio.sleep(0) round trip in Python",
        python_us,
        "µs",
        100.0,
    );
    runner.stop();
}
