//! Python programs in headless Chromium, each run in the dedicated worker
//! that `js/runner.js` starts (the worker loads this very test package).
//! Times are loose bounds: they hold on a busy machine.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod runner_js;

use runner_js::{runner, PythonRunner};

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("options")
}

async fn run(runner: &PythonRunner, source: &str, opts: &str) -> Value {
    let report = JsFuture::from(runner.run(source, &options(opts)))
        .await
        .expect("a report");
    serde_wasm(&report)
}

fn serde_wasm(value: &JsValue) -> Value {
    let text = js_sys::JSON::stringify(value)
        .expect("JSON")
        .as_string()
        .expect("a string");
    serde_json::from_str(&text).expect("a report")
}

fn stdout(report: &Value) -> Vec<String> {
    report["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|line| line["stream"] == "stdout")
        .map(|line| line["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

const HELLO: &str = "import asyncio\n\nasync def main():\n    print('Hello')\n    await asyncio.sleep(1)\n    print('World')\n\nasyncio.run(main())\n";

#[wasm_bindgen_test]
async fn hello_on_the_real_clock_takes_about_a_second() {
    let runner = runner();
    let report = run(&runner, HELLO, r#"{"clock":"real"}"#).await;
    assert_eq!(stdout(&report), ["Hello", "World"]);
    assert!(report["error"].is_null(), "{report}");
    let world = report["lines"][1]["atMs"].as_f64().unwrap();
    assert!((990.0..3000.0).contains(&world), "World at {world} ms");
    runner.stop();
}

#[wasm_bindgen_test]
async fn five_concurrent_sleeps_take_about_one_second() {
    let runner = runner();
    let program = "import asyncio, time\n\nasync def nap(i):\n    await asyncio.sleep(1)\n    return i\n\nasync def main():\n    start = time.perf_counter()\n    print(await asyncio.gather(*(nap(i) for i in range(5))))\n    print(time.perf_counter() - start < 2.5)\n\nasyncio.run(main())\n";
    let report = run(&runner, program, r#"{"clock":"real"}"#).await;
    assert_eq!(stdout(&report), ["[0, 1, 2, 3, 4]", "True"]);
    let wall = report["wallMs"].as_f64().unwrap();
    assert!((990.0..3000.0).contains(&wall), "{wall} ms");
    runner.stop();
}

#[wasm_bindgen_test]
async fn the_virtual_clock_runs_a_minute_at_once_with_its_trace() {
    let runner = runner();
    let program = "import asyncio\n\nasync def main():\n    await asyncio.sleep(60)\n    print('a minute later')\n\nasyncio.run(main())\n";
    let batches = js_sys::Array::new();
    let sink = batches.clone();
    let on_trace = Closure::<dyn FnMut(JsValue)>::new(move |batch| {
        sink.push(&batch);
    });
    let opts = options(r#"{"clock":"virtual"}"#);
    js_sys::Reflect::set(&opts, &"onTrace".into(), on_trace.as_ref()).unwrap();
    let report = serde_wasm(&JsFuture::from(runner.run(program, &opts)).await.unwrap());
    assert_eq!(stdout(&report), ["a minute later"]);
    assert_eq!(report["totalMs"], 60000.0);
    assert!(report["wallMs"].as_f64().unwrap() < 30_000.0);
    let events: Vec<Value> = batches
        .iter()
        .flat_map(|batch| {
            serde_wasm(&batch)["events"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    assert!(events
        .iter()
        .any(|e| e["kind"] == "waiting" && e["on"] == "sleep" && e["line"] == 4));
    assert!(events
        .iter()
        .any(|e| e["kind"] == "printed" && e["line"] == "a minute later"));
    drop(on_trace);
    runner.stop();
}

#[wasm_bindgen_test]
async fn stop_ends_a_runaway_program_and_the_next_run_works() {
    let runner = runner();
    JsFuture::from(runner.warm()).await.unwrap();
    let spinning = runner.run(
        "print('spinning')\nwhile True:\n    try:\n        pass\n    except BaseException:\n        pass\n",
        &options(r#"{"clock":"real","maxSteps":1000000000000}"#),
    );
    // Let it start spinning, then stop it.
    JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys_window();
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 500);
    }))
    .await
    .unwrap();
    runner.stop();
    let report = serde_wasm(&JsFuture::from(spinning).await.unwrap());
    assert_eq!(report["stopped"], true);
    let report = run(&runner, HELLO, r#"{"clock":"virtual"}"#).await;
    assert_eq!(stdout(&report), ["Hello", "World"]);
    runner.stop();
}

#[wasm_bindgen_test]
async fn a_trapped_worker_is_replaced() {
    let runner = runner();
    // 800 MB in one allocation, past twice the 64 MB budget: refused, the
    // module traps, the worker is gone.
    let report = run(
        &runner,
        "x = [0] * 10**8\n",
        r#"{"clock":"virtual","maxMemoryMb":64}"#,
    )
    .await;
    assert_eq!(report["error"]["kind"], "RuntimeError", "{report}");
    assert!(report["error"]["message"]
        .as_str()
        .unwrap()
        .contains("the interpreter stopped"));
    let report = run(&runner, HELLO, r#"{"clock":"virtual"}"#).await;
    assert_eq!(stdout(&report), ["Hello", "World"]);
    // A request too big for a 32-bit memory is refused before allocating
    // (as an OverflowError here; CPython on 64 bits says MemoryError).
    let report = run(&runner, "x = [0] * 10**10\n", r#"{"clock":"virtual"}"#).await;
    let kind = report["error"]["kind"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        ["MemoryError", "OverflowError"].contains(&kind.as_str()),
        "{report}"
    );
    runner.stop();
}

#[wasm_bindgen_test]
async fn the_step_budget_stops_an_endless_loop_in_the_worker() {
    let runner = runner();
    let report = run(
        &runner,
        "while True:\n    pass\n",
        r#"{"clock":"real","maxSteps":20000}"#,
    )
    .await;
    assert_eq!(report["error"]["kind"], "BudgetExceeded", "{report}");
    assert_eq!(report["error"]["line"], 2);
    runner.stop();
}

const SERVER: &str = match option_env!("ASYNCIO_TEST_SERVER") {
    Some(url) => url,
    None => "http://127.0.0.1:8000",
};

#[wasm_bindgen_test]
async fn an_aiohttp_program_talks_to_the_dev_server() {
    let runner = runner();
    let program = r#"
import asyncio
import aiohttp

async def fetch(session, n):
    async with session.get(f"/api/page/{n}") as response:
        response.raise_for_status()
        body = await response.read()
        page = await response.json()
        return response.status, type(page).__name__, len(body) > 0

async def main():
    async with aiohttp.ClientSession(BASE) as session:
        print(await asyncio.gather(*(fetch(session, n) for n in (1, 2))))
        async with session.get("/api/delay", params={"ms": 300}) as response:
            print(response.status, type(await response.json()).__name__)
        async with session.get("/api/no-such-endpoint") as response:
            try:
                response.raise_for_status()
            except aiohttp.ClientResponseError as err:
                print("ClientResponseError", err.status)
        async with session.ws_connect(BASE.replace("http", "ws", 1) + "/ws/echo") as ws:
            await ws.send_str("hello")
            reply = await ws.receive()
            print("echo:", reply.data)
            await ws.close(code=1000, message=b"done")

asyncio.run(main())
"#
    .replace("BASE", &format!("{SERVER:?}"));
    let report = run(&runner, &program, r#"{"clock":"real"}"#).await;
    assert!(report["error"].is_null(), "{report}");
    assert_eq!(
        stdout(&report),
        [
            "[(200, 'dict', True), (200, 'dict', True)]",
            "200 dict",
            "ClientResponseError 404",
            "echo: hello",
        ]
    );
    runner.stop();
}

#[wasm_bindgen_test]
async fn a_process_pool_job_runs_on_a_worker() {
    let runner = runner();
    let program = "import asyncio
from concurrent.futures import ProcessPoolExecutor

def count_primes(lo, hi):
    return sum(1 for n in range(max(lo, 2), hi) if all(n % d for d in range(2, int(n ** 0.5) + 1)))

async def main():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor() as pool:
        counts = await asyncio.gather(*(loop.run_in_executor(pool, count_primes, i * 1000, (i + 1) * 1000) for i in range(2)))
    print(counts)

asyncio.run(main())
";
    let batches = js_sys::Array::new();
    let sink = batches.clone();
    let on_trace = Closure::<dyn FnMut(JsValue)>::new(move |batch| {
        sink.push(&batch);
    });
    let opts = options(r#"{"clock":"real"}"#);
    js_sys::Reflect::set(&opts, &"onTrace".into(), on_trace.as_ref()).unwrap();
    let report = serde_wasm(&JsFuture::from(runner.run(program, &opts)).await.unwrap());
    assert!(report["error"].is_null(), "{report}");
    assert_eq!(stdout(&report), ["[168, 135]"]);
    let events: Vec<Value> = batches
        .iter()
        .flat_map(|batch| {
            serde_wasm(&batch)["events"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let on_workers = events
        .iter()
        .filter(|e| e["kind"] == "job-started" && e["worker"].is_number())
        .count();
    assert_eq!(on_workers, 2, "both jobs ran on workers");
    drop(on_trace);
    runner.stop();
}

/// The catalogue's network listings print what CPython with aiohttp
/// printed for them against the same server (`tests/fixtures/network/`,
/// recorded by its record.sh). The server's JSON carries its own clock and
/// request ids, and the concurrent requests answer in any order: for
/// http_concurrent those parts are rewritten and the lines compared as a
/// set.
#[wasm_bindgen_test]
async fn network_listings_print_what_cpython_prints() {
    let listings = [
        (
            "http_gather",
            include_str!("../../playground/src/examples/http_gather.py"),
            include_str!("fixtures/network/http_gather.out"),
        ),
        (
            "websocket_echo",
            include_str!("../../playground/src/examples/websocket_echo.py"),
            include_str!("fixtures/network/websocket_echo.out"),
        ),
        (
            "http_concurrent",
            include_str!("../../playground/src/examples/http_concurrent.py"),
            include_str!("fixtures/network/http_concurrent.out"),
        ),
    ];
    let host = SERVER.trim_start_matches("http://");
    let runner = runner();
    for (name, listing, expected) in listings {
        let source = listing.replace(
            "BASE_URL = \"http://127.0.0.1:8000\"",
            &format!("BASE_URL = {SERVER:?}"),
        );
        let report = run(&runner, &source, r#"{"clock":"real"}"#).await;
        assert!(report["error"].is_null(), "{name}: {report}");
        let got: Vec<String> = stdout(&report)
            .iter()
            .map(|line| line.replace(host, "SERVER"))
            .collect();
        let mut got = got;
        let mut want: Vec<String> = expected.lines().map(str::to_string).collect();
        if name == "http_concurrent" {
            let settle = |line: &String| match (line.find('{'), line.find(" took ")) {
                (Some(at), _) => format!("{}{{…}}", &line[..at]),
                (None, Some(at)) => format!("{} took … s", &line[..at]),
                _ => line.clone(),
            };
            got = got.iter().map(settle).collect();
            want = want.iter().map(settle).collect();
            got.sort();
            want.sort();
        }
        assert_eq!(got, want, "{name}");
    }
    runner.stop();
}

fn web_sys_window() -> web_sys::Window {
    web_sys::window().expect("a window")
}
