//! The trace as the page receives it: real runs of several examples on the
//! virtual clock, plus the events only a browser produces (I/O, worker
//! lanes), written with the same code the bindings use. Together they hold
//! every kind of event; the page's decoder reads them back in its unit
//! tests (`e2e/unit/trace.test.mjs`) from the copy committed at
//! `e2e/unit/fixtures/trace.json`, which this test keeps current: it fails
//! when the copy differs, and rewrites it when `UPDATE_TRACE_FIXTURE` is set.

// One of the runs is the executor example, one of the I/O examples.
#![cfg(feature = "io")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use asyncio::{Clock, TaskId, TraceEvent, TraceRecord, WakeSource, WarningKind};
use futures::executor::block_on;
use playground::runner::{self, check_params, RunReport};
use playground::wire;
use serde_json::{json, Value};

/// Every kind of event the runtime records.
const KINDS: [&str; 18] = [
    "task-created",
    "poll-start",
    "poll-end",
    "woken",
    "waiting",
    "timer-armed",
    "timer-fired",
    "timer-cancelled",
    "task-renamed",
    "task-finished",
    "task-cancelled",
    "io-started",
    "io-ended",
    "job-queued",
    "job-started",
    "job-finished",
    "printed",
    "warning",
];

/// An example's id, the variant run and the parameters given.
type Run = (&'static str, &'static str, &'static [(&'static str, f64)]);

/// The examples run (interleaving and gather-two also give the replay's
/// unit tests their exact expectations).
const RUNS: [Run; 8] = [
    ("hello", "run", &[]),
    ("interleaving", "run", &[]),
    ("gather-two", "concurrent", &[]),
    ("wait-for", "run", &[]),
    ("event", "run", &[]),
    ("future-callbacks", "run", &[]),
    ("create-task", "run", &[]),
    ("executor", "run", &[("chunks", 2.0)]),
];

fn run(id: &str, variant: &str, given: &[(&str, f64)]) -> RunReport {
    playground::jobs::register_jobs();
    let (example, variant) = runner::find(id, variant).unwrap();
    let given: Vec<(String, f64)> = given.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    let params = check_params(example, &given, "http://127.0.0.1:8000").unwrap();
    let lp = runner::new_loop(Clock::Virtual).unwrap();
    // Slow-step warnings measure the wall clock, which a fixture cannot
    // hold still; `beyond_these_runs` has one instead.
    lp.set_slow_step(std::time::Duration::from_secs(3600));
    block_on(runner::run_on(&lp, variant, params, |_| {})).unwrap()
}

/// What these runs do not record natively: a request and a socket, a wake
/// from outside the loop and jobs on worker lanes (a browser's), and a
/// warning.
fn beyond_these_runs() -> Vec<TraceRecord> {
    let task = Some(TaskId(1));
    let record = |at_ms: f64, event| TraceRecord { at_ms, event };
    vec![
        record(
            0.0,
            TraceEvent::IoStarted {
                io: 1,
                task,
                label: "GET http://127.0.0.1:8000/api/delay?ms=5".into(),
            },
        ),
        record(
            0.0,
            TraceEvent::IoStarted {
                io: 2,
                task: None,
                label: "WebSocket ws://127.0.0.1:8000/ws/echo".into(),
            },
        ),
        record(
            5.0,
            TraceEvent::IoEnded {
                io: 1,
                outcome: "200 OK".into(),
            },
        ),
        record(
            5.0,
            TraceEvent::Woken {
                task: TaskId(1),
                by: WakeSource::Io,
            },
        ),
        record(
            6.0,
            TraceEvent::IoEnded {
                io: 2,
                outcome: "closed 1000 done".into(),
            },
        ),
        record(
            7.0,
            TraceEvent::JobQueued {
                job: 1,
                name: "count_primes".into(),
            },
        ),
        record(
            7.0,
            TraceEvent::JobStarted {
                job: 1,
                worker: Some(0),
            },
        ),
        record(
            9.0,
            TraceEvent::JobFinished {
                job: 1,
                worker: Some(0),
                outcome: "done".into(),
            },
        ),
        record(
            9.0,
            TraceEvent::Warning {
                task,
                warning: WarningKind::SlowStep,
                message: "Task-1 held the loop for 150 ms; nothing else could run".into(),
            },
        ),
    ]
}

fn kind(event: &Value) -> &str {
    event["kind"].as_str().unwrap_or_default()
}

/// The fixture: `[{ source, batch }]`, each batch as `traceSince(0)` gives it.
fn fixture() -> Value {
    let mut batches = Vec::new();
    for (id, variant, given) in RUNS {
        let report = run(id, variant, given);
        let text = wire::trace_batch(0, &report.trace).unwrap();
        batches
            .push(json!({ "source": id, "batch": serde_json::from_str::<Value>(&text).unwrap() }));
    }
    let text = wire::trace_batch(0, &beyond_these_runs()).unwrap();
    batches.push(
        json!({ "source": "beyond-these-runs", "batch": serde_json::from_str::<Value>(&text).unwrap() }),
    );
    Value::Array(batches)
}

#[test]
fn the_fixture_holds_every_kind_and_is_current() {
    let fixture = fixture();
    let kinds: BTreeSet<&str> = fixture
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["batch"]["events"].as_array().unwrap())
        .map(kind)
        .collect();
    assert_eq!(kinds, KINDS.into_iter().collect::<BTreeSet<_>>());
    // Every batch carries the version, and reads back into the same records.
    for entry in fixture.as_array().unwrap() {
        assert_eq!(entry["batch"]["version"], asyncio::trace::FORMAT_VERSION);
        let records: Vec<TraceRecord> =
            serde_json::from_value(entry["batch"]["events"].clone()).unwrap();
        assert_eq!(
            serde_json::to_value(&records).unwrap(),
            entry["batch"]["events"]
        );
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../e2e/unit/fixtures/trace.json");
    let written = serde_json::to_string_pretty(&fixture).unwrap() + "\n";
    if std::env::var_os("UPDATE_TRACE_FIXTURE").is_some() {
        std::fs::write(&path, &written).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == written,
        "{} is not what the runtime writes now: run this test with UPDATE_TRACE_FIXTURE=1 \
         and review the change (a format change also changes FORMAT_VERSION and www/trace.js)",
        path.display()
    );
}

#[test]
fn a_report_carries_the_version_the_lines_and_the_trace() {
    let report = run("hello", "run", &[]);
    let value: Value = serde_json::from_str(&wire::report(&report).unwrap()).unwrap();
    assert_eq!(value["version"], asyncio::trace::FORMAT_VERSION);
    assert_eq!(value["totalMs"], 1000.0);
    assert_eq!(value["stopped"], false);
    assert_eq!(
        value["lines"],
        json!([{ "atMs": 0.0, "text": "Hello" }, { "atMs": 1000.0, "text": "World" }])
    );
    assert_eq!(value["trace"], serde_json::to_value(&report.trace).unwrap());
}
