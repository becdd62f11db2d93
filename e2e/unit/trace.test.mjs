// trace.js, the one decoder of the trace's wire format: the runtime's own
// JSON (fixtures/trace.json, which playground/tests/trace_wire.rs writes
// from real runs and keeps current) reads back as the same events, and
// anything the format does not have is refused with a TraceFormatError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import {
  EVENT_KINDS,
  TRACE_FORMAT_VERSION,
  TraceFormatError,
  decodeBatch,
  decodeEvent,
  decodeReport,
} from "../../www/trace.js";
import { TraceModel } from "../../www/trace_model.js";

const FIXTURE = JSON.parse(await readFile(new URL("./fixtures/trace.json", import.meta.url), "utf8"));

test("the runtime's trace of real runs decodes to the same events, and holds every kind", () => {
  const seen = new Set();
  for (const { source, batch } of FIXTURE) {
    assert.equal(batch.version, TRACE_FORMAT_VERSION, source);
    const decoded = decodeBatch(JSON.stringify(batch));
    assert.equal(decoded.start, 0);
    assert.deepEqual(decoded.events, batch.events, source);
    for (const event of decoded.events) seen.add(event.kind);
  }
  assert.deepEqual([...seen].sort(), [...EVENT_KINDS].sort());
});

test("hello's trace, event by event", () => {
  const { batch } = FIXTURE.find((entry) => entry.source === "hello");
  const events = decodeBatch(batch).events;
  assert.deepEqual(events, [
    { at_ms: 0, kind: "task-created", task: 1, name: "Task-1", parent: null },
    { at_ms: 0, kind: "poll-start", task: 1 },
    { at_ms: 0, kind: "printed", task: 1, line: "Hello" },
    { at_ms: 0, kind: "timer-armed", timer: 1, deadline_ms: 1000, task: 1 },
    { at_ms: 0, kind: "waiting", task: 1, on: "sleep", line: null, awaits: null },
    { at_ms: 0, kind: "poll-end", task: 1, ready: false },
    { at_ms: 1000, kind: "timer-fired", timer: 1 },
    { at_ms: 1000, kind: "woken", task: 1, by: { kind: "timer", id: 1 } },
    { at_ms: 1000, kind: "poll-start", task: 1 },
    { at_ms: 1000, kind: "printed", task: 1, line: "World" },
    { at_ms: 1000, kind: "poll-end", task: 1, ready: true },
    { at_ms: 1000, kind: "task-finished", task: 1 },
  ]);
  // The model the timeline draws: one task, running, waiting on the sleep, ready, running.
  const model = new TraceModel();
  model.add(events);
  const task = model.tasks.get(1);
  assert.deepEqual(
    task.spans.map(({ state, from, to, on }) => [state, from, to, on]),
    [
      ["ready", 0, 0, null],
      ["running", 0, 0, null],
      ["waiting", 0, 1000, "sleep"],
      ["ready", 1000, 1000, null],
      ["running", 1000, 1000, null],
    ],
  );
  assert.equal(task.outcome, "finished");
  assert.deepEqual(
    model.markers.map((m) => [m.kind, m.t]),
    [
      ["print", 0],
      ["timer", 1000],
      ["print", 1000],
    ],
  );
});

test("the events beyond the native runs: I/O spans, hosts in flight, worker lanes, a warning", () => {
  const { batch } = FIXTURE.find((entry) => entry.source === "beyond-these-runs");
  const model = new TraceModel();
  model.add(decodeBatch(batch).events);
  assert.deepEqual(model.busiestHost, ["127.0.0.1:8000", 2]);
  assert.deepEqual(
    [...model.lanes.values()].map((lane) => [lane.name, lane.spans.map((s) => [s.from, s.to, s.on, s.outcome])]),
    [["worker 0", [[7, 9, "count_primes", "done"]]]],
  );
  const warnings = decodeBatch(batch).events.filter((event) => event.kind === "warning");
  assert.deepEqual(
    warnings.map((w) => [w.task, w.warning, w.message]),
    [[1, "slow-step", "Task-1 held the loop for 150 ms; nothing else could run"]],
  );
});

test("a report decodes with its lines and trace", () => {
  const report = decodeReport(
    JSON.stringify({
      version: TRACE_FORMAT_VERSION,
      totalMs: 1000,
      stopped: false,
      lines: [{ atMs: 0, text: "Hello" }],
      trace: [{ at_ms: 0, kind: "poll-start", task: 1 }],
    }),
  );
  assert.deepEqual(report, {
    totalMs: 1000,
    stopped: false,
    lines: [{ atMs: 0, text: "Hello" }],
    trace: [{ at_ms: 0, kind: "poll-start", task: 1 }],
  });
});

const batch = (events, extra = {}) => JSON.stringify({ version: TRACE_FORMAT_VERSION, start: 0, events, ...extra });

test("what the format does not have is refused, saying where", () => {
  const refused = [
    ["not JSON", "{", /not JSON/],
    [
      "another version",
      JSON.stringify({ version: TRACE_FORMAT_VERSION + 1, start: 0, events: [] }),
      new RegExp(`format number ${TRACE_FORMAT_VERSION + 1}.*reads format ${TRACE_FORMAT_VERSION}`),
    ],
    ["no version", JSON.stringify({ start: 0, events: [] }), /format undefined/],
    [
      "an unknown kind",
      batch([{ at_ms: 0, kind: "teleported", task: 1 }]),
      /event 0 is of kind the string "teleported"/,
    ],
    ["no kind", batch([{ at_ms: 0, task: 1 }]), /event 0 is of kind undefined/],
    ["a missing field", batch([{ at_ms: 0, kind: "poll-end", task: 1 }]), /event 0 \(poll-end\) has no field "ready"/],
    [
      "an extra field",
      batch([{ at_ms: 0, kind: "poll-start", task: 1, colour: "blue" }]),
      /has a field "colour" the format does not have/,
    ],
    ["a mistyped id", batch([{ at_ms: 0, kind: "poll-start", task: "1" }]), /task should be a whole number/],
    ["a negative id", batch([{ at_ms: 0, kind: "poll-start", task: -1 }]), /task should be a whole number/],
    ["a null time", batch([{ at_ms: null, kind: "poll-start", task: 1 }]), /at_ms should be a finite number, not null/],
    ["a null non-optional", batch([{ at_ms: 0, kind: "printed", task: 1, line: null }]), /line should be a string/],
    [
      "an unknown wait",
      batch([{ at_ms: 0, kind: "waiting", task: 1, on: "godot", line: null, awaits: null }]),
      /on should be one of sleep/,
    ],
    [
      "an unknown waker",
      batch([{ at_ms: 0, kind: "woken", task: 1, by: { kind: "fate" } }]),
      /by should be a wake source/,
    ],
    [
      "a timer waker without its id",
      batch([{ at_ms: 0, kind: "woken", task: 1, by: { kind: "timer" } }]),
      /by has no field "id"/,
    ],
    ["events not a list", batch({}), /should be an array/],
    ["an event not an object", batch([7]), /event 0 should be an object, not number 7/],
    ["an extra batch field", batch([], { more: true }), /has a field "more"/],
    [
      "a report line without text",
      JSON.stringify({ version: TRACE_FORMAT_VERSION, totalMs: 0, stopped: false, lines: [{ atMs: 0 }], trace: [] }),
      /line 0 has no field "text"/,
    ],
  ];
  for (const [what, input, message] of refused) {
    const decode = what.startsWith("a report") ? decodeReport : decodeBatch;
    assert.throws(
      () => decode(input),
      (error) => error instanceof TraceFormatError && message.test(error.message),
      what,
    );
  }
  // The prototype's names are not fields.
  assert.throws(() => decodeEvent({ at_ms: 0, kind: "constructor" }), TraceFormatError);
  assert.throws(() => decodeEvent(JSON.parse('{"at_ms":0,"kind":"poll-start","task":1,"__proto__":{}}')), /__proto__/);
});
