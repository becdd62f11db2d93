// The trace's wire format, decoded in this one place. The runtime's trace
// types serialise with serde (src/trace.rs says how); the playground sends
// them as JSON: `{ version, start, events }` batches while a run goes, and
// its report `{ version, totalMs, stopped, lines, trace }` when it ends.
// Each event is `{ at_ms, kind, ...fields }`.
//
// A saved run (the page's "Save trace", read back by "Open trace") is a
// file of the same events: `{ format: "asyncio-playground-trace", version,
// example, mode, clock, runs: [{ label, totalMs, stopped, events }] }`,
// one run, or two in compare mode; `decodeTraceFile` reads it.
//
// The decoder refuses what it does not know, with a TraceFormatError that
// says where: another format version, an unknown kind, a missing, extra or
// mistyped field. What it returns is known to be well formed, so nothing
// downstream guesses.

// The version of the format this decoder reads (FORMAT_VERSION in
// src/trace.rs).
export const TRACE_FORMAT_VERSION = 2;

// What a saved trace file says it is.
export const TRACE_FILE_FORMAT = "asyncio-playground-trace";
// The most runs a file holds: compare mode's two.
export const MAX_FILE_RUNS = 2;

export class TraceFormatError extends Error {
  constructor(message) {
    super(message);
    this.name = "TraceFormatError";
  }
}

// What a task waits on (WaitReason, in kebab case).
export const WAIT_REASONS = Object.freeze([
  "sleep",
  "task",
  "future",
  "event",
  "lock",
  "semaphore",
  "condition",
  "queue-put",
  "queue-get",
  "fetch",
  "websocket",
  "executor",
]);

// What a learner is warned of (WarningKind, in kebab case).
export const WARNING_KINDS = Object.freeze([
  "slow-step",
  "pending-at-close",
  "exception-never-retrieved",
  "never-awaited",
]);

// Who woke a task (WakeSource): whether each kind carries an `id`.
const WAKE_SOURCES = new Map([
  ["timer", true],
  ["task", true],
  ["callback", false],
  ["io", false],
]);

// Each kind's fields and their types: `id` (a whole number ≥ 0), `id?` (or
// null), `number` (finite), `string`, `boolean`, `wake`, `reason`, `warning`.
const EVENTS = new Map(
  Object.entries({
    "task-created": { task: "id", name: "string", parent: "id?" },
    "poll-start": { task: "id" },
    "poll-end": { task: "id", ready: "boolean" },
    woken: { task: "id", by: "wake" },
    waiting: { task: "id", on: "reason", line: "id?", awaits: "id?" },
    "timer-armed": { timer: "id", deadline_ms: "number", task: "id?" },
    "timer-fired": { timer: "id" },
    "timer-cancelled": { timer: "id" },
    "task-renamed": { task: "id", name: "string" },
    "task-finished": { task: "id" },
    "task-cancelled": { task: "id" },
    "io-started": { io: "id", task: "id?", label: "string" },
    "io-ended": { io: "id", outcome: "string" },
    "job-queued": { job: "id", name: "string" },
    "job-started": { job: "id", worker: "id?" },
    "job-finished": { job: "id", worker: "id?", outcome: "string" },
    printed: { task: "id?", line: "string" },
    warning: { task: "id?", warning: "warning", message: "string" },
  }),
);

// Every kind of event the decoder knows.
export const EVENT_KINDS = Object.freeze([...EVENTS.keys()]);

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

function isId(value) {
  return Number.isSafeInteger(value) && value >= 0;
}

// Throws unless `value` is of `type`; returns it (copied if it is an object).
function check(value, type, where) {
  const fail = (what) => {
    throw new TraceFormatError(`${where} should be ${what}, not ${describe(value)}`);
  };
  switch (type) {
    case "id":
      if (!isId(value)) fail("a whole number of at least 0");
      return value;
    case "id?":
      if (value !== null && !isId(value)) fail("a whole number of at least 0, or null");
      return value;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) fail("a finite number");
      return value;
    case "string":
      if (typeof value !== "string") fail("a string");
      return value;
    case "boolean":
      if (typeof value !== "boolean") fail("true or false");
      return value;
    case "reason":
      if (!WAIT_REASONS.includes(value)) fail(`one of ${WAIT_REASONS.join(", ")}`);
      return value;
    case "warning":
      if (!WARNING_KINDS.includes(value)) fail(`one of ${WARNING_KINDS.join(", ")}`);
      return value;
    case "wake": {
      if (!isObject(value)) fail("an object such as {kind: timer, id: 1}");
      const hasId = WAKE_SOURCES.get(value.kind);
      if (hasId === undefined) fail(`a wake source of kind ${[...WAKE_SOURCES.keys()].join(", ")}`);
      expectKeys(value, hasId ? ["kind", "id"] : ["kind"], where);
      return hasId ? { kind: value.kind, id: check(value.id, "id", `${where}.id`) } : { kind: value.kind };
    }
    default:
      throw new TraceFormatError(`unknown field type ${type}`);
  }
}

// Throws if `value` lacks one of `keys` or has another.
function expectKeys(value, keys, where) {
  for (const key of keys) {
    if (!Object.hasOwn(value, key)) throw new TraceFormatError(`${where} has no field "${key}"`);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new TraceFormatError(`${where} has a field "${key}" the format does not have`);
  }
}

// Whether `value` is of `type` (as `check` has it), without a message.
function valid(value, type) {
  switch (type) {
    case "id":
      return isId(value);
    case "id?":
      return value === null || isId(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "reason":
      return WAIT_REASONS.includes(value);
    case "warning":
      return WARNING_KINDS.includes(value);
    case "wake": {
      if (!isObject(value)) return false;
      const hasId = WAKE_SOURCES.get(value.kind);
      if (hasId === undefined) return false;
      const keys = Object.keys(value);
      return hasId ? keys.length === 2 && Object.hasOwn(value, "id") && isId(value.id) : keys.length === 1;
    }
    default:
      return false;
  }
}

// Each kind's fields as [name, type] pairs.
const FIELD_LISTS = new Map([...EVENTS].map(([kind, fields]) => [kind, Object.entries(fields)]));

// A well-formed event, copied; null if anything is wrong with it (then
// `decodeEvent` finds what, for its message). Builds no text, so that a
// trace of 100 000 events decodes quickly.
function wellFormed(value) {
  if (!isObject(value) || typeof value.kind !== "string") return null;
  const fields = FIELD_LISTS.get(value.kind);
  if (!fields || Object.keys(value).length !== fields.length + 2) return null;
  if (!Object.hasOwn(value, "at_ms") || !valid(value.at_ms, "number")) return null;
  const event = { at_ms: value.at_ms, kind: value.kind };
  for (const [name, type] of fields) {
    if (!Object.hasOwn(value, name) || !valid(value[name], type)) return null;
    const field = value[name];
    event[name] = type === "wake" ? { ...field } : field;
  }
  return event;
}

// One event, checked and copied.
export function decodeEvent(value, where = "the trace event") {
  const quick = wellFormed(value);
  if (quick) return quick;
  if (!isObject(value)) throw new TraceFormatError(`${where} should be an object, not ${describe(value)}`);
  const fields = EVENTS.get(value.kind);
  if (typeof value.kind !== "string" || !fields) {
    throw new TraceFormatError(`${where} is of kind ${describe(value.kind)}, which this page does not know`);
  }
  where = `${where} (${value.kind})`;
  expectKeys(value, ["at_ms", "kind", ...Object.keys(fields)], where);
  const event = { at_ms: check(value.at_ms, "number", `${where}: at_ms`), kind: value.kind };
  for (const [name, type] of Object.entries(fields)) event[name] = check(value[name], type, `${where}: ${name}`);
  return event;
}

function decodeEvents(value, where) {
  if (!Array.isArray(value)) throw new TraceFormatError(`${where} should be an array, not ${describe(value)}`);
  return value.map((event, i) => wellFormed(event) ?? decodeEvent(event, `${where} event ${i}`));
}

// `text` parsed (or `value` itself) as an object carrying this version.
function versioned(value, what) {
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new TraceFormatError(`the ${what} is not JSON: ${error.message}`);
    }
  }
  if (!isObject(value)) throw new TraceFormatError(`the ${what} should be an object, not ${describe(value)}`);
  if (value.version !== TRACE_FORMAT_VERSION) {
    throw new TraceFormatError(
      `the ${what} is in trace format ${describe(value.version)}, but this page reads format ${TRACE_FORMAT_VERSION}: reload the page`,
    );
  }
  return value;
}

// A batch (`traceSince`'s JSON text, or its parsed value): `{ start,
// events }`; a Python run's batches also name their event loop, `{ loop,
// start, events }` (a program may run several, each with its own trace;
// the first is 1), and `loop` is null for the playground's.
export function decodeBatch(input) {
  const value = versioned(input, "trace batch");
  const hasLoop = Object.hasOwn(value, "loop");
  expectKeys(
    value,
    hasLoop ? ["version", "loop", "start", "events"] : ["version", "start", "events"],
    "the trace batch",
  );
  return {
    loop: hasLoop ? check(value.loop, "id", "the trace batch's loop") : null,
    start: check(value.start, "id", "the trace batch's start"),
    events: decodeEvents(value.events, "the trace batch's"),
  };
}

// Where a Python program's line was written.
export const STREAMS = Object.freeze(["stdout", "stderr", "notice"]);

function nullable(value, type, where) {
  return value === null ? null : check(value, type, where);
}

// A line a Python program printed (the runner's `onLine`): `{ atMs, text,
// stream, task, loop }`, `atMs` on the run's clock.
export function decodePythonLine(value) {
  const where = "the Python line";
  if (!isObject(value)) throw new TraceFormatError(`${where} should be an object, not ${describe(value)}`);
  expectKeys(value, ["atMs", "text", "stream", "task", "loop"], where);
  if (!STREAMS.includes(value.stream)) {
    throw new TraceFormatError(
      `${where}'s stream should be one of ${STREAMS.join(", ")}, not ${describe(value.stream)}`,
    );
  }
  return {
    atMs: check(value.atMs, "number", `${where}'s atMs`),
    text: check(value.text, "string", `${where}'s text`),
    stream: value.stream,
    task: check(value.task, "id?", `${where}'s task`),
    loop: check(value.loop, "id?", `${where}'s loop`),
  };
}

// The exception or syntax error that ended a Python run: `{ kind, message,
// line, column, frames: [{ file, line, name, text }], text }`.
function decodePythonError(value, where) {
  if (!isObject(value)) throw new TraceFormatError(`${where} should be an object, not ${describe(value)}`);
  expectKeys(value, ["kind", "message", "line", "column", "frames", "text"], where);
  if (!Array.isArray(value.frames)) throw new TraceFormatError(`${where}'s frames should be an array`);
  return {
    kind: check(value.kind, "string", `${where}'s kind`),
    message: check(value.message, "string", `${where}'s message`),
    line: check(value.line, "id?", `${where}'s line`),
    column: check(value.column, "id?", `${where}'s column`),
    frames: value.frames.map((frame, i) => {
      const at = `${where}'s frame ${i}`;
      if (!isObject(frame)) throw new TraceFormatError(`${at} should be an object, not ${describe(frame)}`);
      expectKeys(frame, ["file", "line", "name", "text"], at);
      return {
        file: check(frame.file, "string", `${at}: file`),
        line: check(frame.line, "id", `${at}: line`),
        name: check(frame.name, "string", `${at}: name`),
        text: nullable(frame.text, "string", `${at}: text`),
      };
    }),
    text: check(value.text, "string", `${where}'s text`),
  };
}

// A Python run's report (the runner's): `{ totalMs, steps, stopped, lines,
// notices, error, wallMs }`; `totalMs` and `steps` are null, and `wallMs`
// absent, for a run that was stopped or whose worker died.
export function decodePythonReport(input) {
  const value = versioned(input, "Python run's report");
  const where = "the Python run's report";
  const keys = ["version", "totalMs", "steps", "stopped", "lines", "notices", "error"];
  expectKeys(value, Object.hasOwn(value, "wallMs") ? [...keys, "wallMs"] : keys, where);
  if (!Array.isArray(value.lines)) throw new TraceFormatError(`${where}'s lines should be an array`);
  if (!Array.isArray(value.notices)) throw new TraceFormatError(`${where}'s notices should be an array`);
  return {
    totalMs: nullable(value.totalMs, "number", `${where}'s totalMs`),
    steps: nullable(value.steps, "id", `${where}'s steps`),
    stopped: check(value.stopped, "boolean", `${where}'s stopped`),
    lines: value.lines.map((line) => decodePythonLine(line)),
    error: value.error === null ? null : decodePythonError(value.error, `${where}'s error`),
    wallMs: Object.hasOwn(value, "wallMs") ? check(value.wallMs, "number", `${where}'s wallMs`) : null,
  };
}

// A run's report (the JSON text `finished` resolves to, or its parsed
// value): `{ totalMs, stopped, lines: [{ atMs, text }], trace }`.
export function decodeReport(input) {
  const value = versioned(input, "run's report");
  expectKeys(value, ["version", "totalMs", "stopped", "lines", "trace"], "the run's report");
  if (!Array.isArray(value.lines)) throw new TraceFormatError("the run's report's lines should be an array");
  return {
    totalMs: check(value.totalMs, "number", "the run's report's totalMs"),
    stopped: check(value.stopped, "boolean", "the run's report's stopped"),
    lines: value.lines.map((line, i) => {
      const where = `the run's report's line ${i}`;
      if (!isObject(line)) throw new TraceFormatError(`${where} should be an object, not ${describe(line)}`);
      expectKeys(line, ["atMs", "text"], where);
      return { atMs: check(line.atMs, "number", `${where}: atMs`), text: check(line.text, "string", `${where}: text`) };
    }),
    trace: decodeEvents(value.trace, "the run's report's"),
  };
}

// Whether JSON `text` ends inside a value (a string, an array or an
// object left open), as a file cut short does.
function endsInside(text) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth += 1;
    else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return inString || depth > 0;
}

// A saved trace file's text: `{ example, mode, clock, runs: [{ label,
// totalMs, stopped, events }] }`, every event checked, each run's events in
// time order. A file cut short, or that is not such a file, gets a
// TraceFormatError that says what is wrong with it.
export function decodeTraceFile(text) {
  if (typeof text !== "string") throw new TraceFormatError("the file should be text");
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TraceFormatError(
      endsInside(text)
        ? `the file ends in the middle of its JSON: it was cut short (${error.message})`
        : `the file is not JSON: ${error.message}`,
    );
  }
  if (!isObject(value) || value.format !== TRACE_FILE_FORMAT) {
    throw new TraceFormatError(
      `the file is not a saved asyncio playground trace (it has no "format": "${TRACE_FILE_FORMAT}")`,
    );
  }
  if (value.version !== TRACE_FORMAT_VERSION) {
    throw new TraceFormatError(
      `the file is in trace format ${describe(value.version)}, and this page reads format ${TRACE_FORMAT_VERSION}: it was saved by another version of the playground`,
    );
  }
  const where = "the file";
  expectKeys(value, ["format", "version", "example", "mode", "clock", "runs"], where);
  if (!Array.isArray(value.runs) || value.runs.length < 1 || value.runs.length > MAX_FILE_RUNS) {
    throw new TraceFormatError(
      `${where}'s runs should be a list of 1 or ${MAX_FILE_RUNS} runs, not ${describe(value.runs)}`,
    );
  }
  return {
    example: check(value.example, "string", `${where}'s example`),
    mode: check(value.mode, "string", `${where}'s mode`),
    clock: check(value.clock, "string", `${where}'s clock`),
    runs: value.runs.map((run, r) => {
      const at = `${where}'s run ${r + 1}`;
      if (!isObject(run)) throw new TraceFormatError(`${at} should be an object, not ${describe(run)}`);
      expectKeys(run, ["label", "totalMs", "stopped", "events"], at);
      const events = decodeEvents(run.events, `${at}'s`);
      for (let i = 1; i < events.length; i += 1) {
        if (events[i].at_ms < events[i - 1].at_ms) {
          throw new TraceFormatError(
            `${at}'s event ${i} happens before the one ahead of it: the events are out of order`,
          );
        }
      }
      return {
        label: check(run.label, "string", `${at}'s label`),
        totalMs: check(run.totalMs, "number", `${at}'s totalMs`),
        stopped: check(run.stopped, "boolean", `${at}'s stopped`),
        events,
      };
    }),
  };
}

// Runs (`{ label, totalMs, stopped, events }`) and what they ran, as a
// saved trace file's text, which `decodeTraceFile` reads back.
export function encodeTraceFile({ example, mode, clock, runs }) {
  return JSON.stringify({
    format: TRACE_FILE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    example,
    mode,
    clock,
    runs: runs.map(({ label, totalMs, stopped, events }) => ({ label, totalMs, stopped, events })),
  });
}
