// The trace's files: the Chrome Trace Event export (chrome_trace.js)
// against the format's documented fields, and the page's own saved trace
// file (trace.js), read back or refused with a message saying what is wrong.
// The task table's rows (task_table.js) too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { chromeTrace } from "../../www/chrome_trace.js";
import { TraceModel } from "../../www/trace_model.js";
import { RunHistory } from "../../www/run_history.js";
import { sortRows, taskRows } from "../../www/task_table.js";
import {
  MAX_FILE_RUNS,
  TRACE_FORMAT_VERSION,
  TraceFormatError,
  decodeBatch,
  decodeTraceFile,
  encodeTraceFile,
} from "../../www/trace.js";

const FIXTURE = JSON.parse(await readFile(new URL("./fixtures/trace.json", import.meta.url), "utf8"));
const events = (source) => decodeBatch(FIXTURE.find((entry) => entry.source === source).batch).events;

function run(source, end) {
  const model = new TraceModel();
  model.add(events(source));
  return { label: source, model, end: end ?? model.lastT };
}

test("the export has the Trace Event Format's documented fields: metadata, complete and instant events", () => {
  const trace = chromeTrace([run("executor")], { example: "executor", mode: "run", clock: "virtual" });
  assert.equal(trace.displayTimeUnit, "ms");
  const model = run("executor").model;
  for (const e of trace.traceEvents) {
    assert.ok(["M", "X", "i"].includes(e.ph), e.ph);
    assert.equal(typeof e.name, "string");
    for (const field of ["pid", "tid", "ts"]) assert.ok(Number.isInteger(e[field]), `${field} of ${e.name}`);
    if (e.ph === "X") {
      assert.ok(Number.isInteger(e.dur) && e.dur >= 0);
      assert.equal(typeof e.cat, "string");
    }
    if (e.ph === "i") assert.ok(["t", "p"].includes(e.s));
    if (e.ph === "M")
      assert.ok(["process_name", "process_sort_index", "thread_name", "thread_sort_index"].includes(e.name));
  }
  // A named track per task, in creation order, and one per worker lane.
  const names = trace.traceEvents.filter((e) => e.name === "thread_name").map((e) => [e.tid, e.args.name]);
  const tasks = [...model.tasks.values()].map((t) => [t.id, t.name]);
  assert.deepEqual(names.slice(0, tasks.length), tasks);
  assert.ok(names.slice(tasks.length).every(([tid, name]) => tid >= 1e9 && /^(worker \d+|on the loop)$/.test(name)));
  // Every span of every task, in microseconds.
  const spans = [...model.tasks.values()].flatMap((t) => model.spansOf(t, model.lastT).map((s) => [t.id, s]));
  const complete = trace.traceEvents.filter((e) => e.ph === "X" && e.tid < 1e9);
  assert.equal(complete.length, spans.length);
  for (const [i, [tid, span]] of spans.entries()) {
    assert.equal(complete[i].tid, tid);
    assert.equal(complete[i].ts, Math.round(span.from * 1000));
    assert.equal(complete[i].name, span.state === "waiting" ? `waiting on ${span.on}` : span.state);
  }
  assert.ok(trace.traceEvents.some((e) => e.ph === "X" && e.cat === "job" && e.name === "count_primes"));
  assert.ok(trace.traceEvents.some((e) => e.ph === "i" && e.name === "print" && e.s === "t"));
});

test("compare mode exports a process per run; warnings are instant events on their task's track", () => {
  const trace = chromeTrace([run("gather-two"), run("beyond-these-runs")], {
    example: "x",
    mode: "compare",
    clock: "real",
  });
  const processes = trace.traceEvents.filter((e) => e.name === "process_name").map((e) => [e.pid, e.args.name]);
  assert.deepEqual(processes, [
    [1, "x: gather-two"],
    [2, "x: beyond-these-runs"],
  ]);
  const warning = trace.traceEvents.find((e) => e.cat === "warning");
  assert.deepEqual([warning.pid, warning.tid, warning.name, warning.ph, warning.ts], [2, 1, "slow-step", "i", 9000]);
});

test("a saved file reads back as it was saved", () => {
  const runs = [
    { label: "One after another", totalMs: 3000, stopped: false, events: events("hello") },
    { label: "Together", totalMs: 2000, stopped: true, events: events("gather-two") },
  ];
  const text = encodeTraceFile({ example: "gather-two", mode: "compare", clock: "virtual", runs });
  assert.deepEqual(decodeTraceFile(text), { example: "gather-two", mode: "compare", clock: "virtual", runs });
});

test("bad, cut-short and foreign files are refused, saying what is wrong", () => {
  const good = JSON.parse(
    encodeTraceFile({
      example: "hello",
      mode: "run",
      clock: "virtual",
      runs: [{ label: "Run", totalMs: 1000, stopped: false, events: events("hello") }],
    }),
  );
  const text = JSON.stringify(good);
  const variant = (change) => {
    const copy = structuredClone(good);
    change(copy);
    return JSON.stringify(copy);
  };
  const refused = [
    [text.slice(0, 100), /cut short/],
    [text.slice(0, -1), /cut short/],
    ["", /cut short|not JSON/],
    ["hello", /not JSON/],
    ['{"traceEvents": []}', /not a saved asyncio playground trace/],
    [variant((f) => (f.version = TRACE_FORMAT_VERSION + 1)), /saved by another version of the playground/],
    [variant((f) => (f.runs = [])), /list of 1 or 2 runs/],
    [variant((f) => (f.runs = Array(MAX_FILE_RUNS + 1).fill(f.runs[0]))), /list of 1 or 2 runs/],
    [variant((f) => delete f.clock), /has no field "clock"/],
    [variant((f) => (f.runs[0].totalMs = "soon")), /totalMs should be a finite number/],
    [variant((f) => (f.runs[0].events[3].at_ms = 5000)), /event 4 happens before the one ahead of it/],
    [variant((f) => (f.runs[0].events[1].kind = "teleported")), /run 1's event 1 is of kind/],
    [variant((f) => (f.runs[0].events[4].awaits = "first")), /event 4 \(waiting\): awaits should be a whole number/],
  ];
  for (const [input, pattern] of refused) {
    assert.throws(
      () => decodeTraceFile(input),
      (error) => error instanceof TraceFormatError && pattern.test(error.message),
      String(pattern),
    );
  }
});

test("the task table's rows: counts at a point, sorted by any column", () => {
  const h = new RunHistory();
  h.add(events("gather-two"));
  const state = h.stateAt(h.countAt(1500));
  const rows = taskRows(state, 1500);
  assert.deepEqual(
    rows.map((r) => [r.name, r.state, r.steps, r.running, r.waiting, r.woken, r.ended]),
    [
      ["Task-1", "waiting", 2, 0, 1500, 1, null],
      ["first", "finished", 2, 0, 1000, 1, 1000],
      ["second", "waiting", 1, 0, 1500, 0, null],
    ],
  );
  assert.deepEqual(
    sortRows(rows, "ended").map((r) => r.name),
    ["first", "Task-1", "second"],
    "those that ended first, then those still going, in creation order",
  );
  assert.deepEqual(
    sortRows(rows, "waiting", false).map((r) => r.name),
    ["Task-1", "second", "first"],
  );
  assert.deepEqual(
    sortRows(rows, "waitsOn").map((r) => r.name),
    ["first", "second", "Task-1"],
    "by text: none, sleep…, task…",
  );
  assert.deepEqual(
    taskRows(state, 1500, "Together: ").map((r) => r.name),
    ["Together: Task-1", "Together: first", "Together: second"],
  );
});
