// A run's history: its decoded trace events, and the state of the run at
// any point of it, as replay shows it. The state after the first `n`
// events: each task's state (ready, running, waiting on what, at which
// source line, the timer it waits for), its counts (steps, time running,
// waiting and ready, wakes by kind), the ready queue's order, and how many
// console entries (prints and warnings) had appeared.
//
// The ready queue is the loop's FIFO of tasks, read from the trace: a task
// joins its tail when it is created or woken (the runtime records a wake
// only when it queues the task) and leaves when it is polled, or when it
// ends without being polled (cancelled, or the loop closed). Callbacks
// share the loop's queue but are not recorded, so it shows tasks only.
//
// Events are added as they arrive, so a live run's history grows a few
// events at a time and its latest state is always at hand (`head`). Any
// other point is computed from the nearest checkpoint before it: a copy of
// the state, taken every CHECKPOINT events, or every as many events as
// there are tasks once there are more, so that reaching a point costs
// about as much as copying one state, and the checkpoints together hold
// about one task's state per event.
//
// It takes events as `trace.js` decodes them, so every kind and field it
// reads is known to be there.

// The fewest events between two checkpoints.
export const CHECKPOINT = 256;

// Task states.
export const STATES = Object.freeze(["ready", "running", "waiting", "finished", "cancelled"]);

// A wait reason in words: `queue-get` → `queue get`.
export function reasonText(reason) {
  return reason.replaceAll("-", " ");
}

function newTask(id, t) {
  return {
    id,
    name: `Task-${id}`,
    parent: null,
    created: t,
    ended: null,
    state: "ready",
    since: t,
    // While waiting: what on (a wait reason), the source line, if known,
    // and the tasks it awaits.
    on: null,
    line: null,
    awaits: [],
    // What the poll in progress said it waits on.
    pollOn: null,
    pollLine: null,
    pollAwaits: [],
    // Woken while running (`yield_now`): ready again once its poll ends.
    wokenInPoll: false,
    // Timers this task armed that have neither fired nor been cancelled:
    // [[timer, deadline]] in the order armed.
    timers: [],
    // I/O it started that has not ended: [[io, label]].
    io: [],
    steps: 0,
    runningMs: 0,
    waitingMs: 0,
    readyMs: 0,
    wakes: { timer: 0, task: 0, callback: 0, io: 0 },
    lastWake: null,
    warnings: 0,
  };
}

function copyTask(task) {
  return {
    ...task,
    timers: task.timers.slice(),
    io: task.io.slice(),
    wakes: { ...task.wakes },
    awaits: task.awaits.slice(),
    pollAwaits: task.pollAwaits.slice(),
  };
}

const ACCUMULATOR = { running: "runningMs", waiting: "waitingMs", ready: "readyMs" };

function enter(task, state, t) {
  const field = ACCUMULATOR[task.state];
  if (field) task[field] += t - task.since;
  task.state = state;
  task.since = t;
}

// The state of a run after some of its events.
class RunState {
  constructor() {
    this.tasks = new Map();
    this.ready = [];
    // Events applied.
    this.count = 0;
    this.t = 0;
    // Console entries (prints and warnings) so far.
    this.entries = 0;
  }

  copy() {
    const state = new RunState();
    for (const [id, task] of this.tasks) state.tasks.set(id, copyTask(task));
    state.ready = this.ready.slice();
    state.count = this.count;
    state.t = this.t;
    state.entries = this.entries;
    return state;
  }

  #task(id, t) {
    let task = this.tasks.get(id);
    if (!task) {
      task = newTask(id, t);
      this.tasks.set(id, task);
    }
    return task;
  }

  #unqueue(id) {
    const at = this.ready.indexOf(id);
    if (at >= 0) this.ready.splice(at, 1);
  }

  #end(task, outcome, t) {
    this.#unqueue(task.id);
    if (task.ended === null) task.ended = t;
    enter(task, outcome, t);
    task.on = null;
    task.line = null;
    task.awaits = [];
    task.timers = [];
    task.io = [];
  }

  // Applies one event; `timers` and `io` are the history's tables of every
  // timer and I/O operation (which task armed or started it).
  apply(e, timers, io) {
    const t = e.at_ms;
    this.t = Math.max(this.t, t);
    this.count += 1;
    switch (e.kind) {
      case "task-created": {
        const task = this.#task(e.task, t);
        task.name = e.name;
        task.parent = e.parent;
        task.created = t;
        this.ready.push(e.task);
        break;
      }
      case "task-renamed":
        this.#task(e.task, t).name = e.name;
        break;
      case "poll-start": {
        const task = this.#task(e.task, t);
        this.#unqueue(e.task);
        enter(task, "running", t);
        task.steps += 1;
        task.on = null;
        task.line = null;
        task.pollOn = null;
        task.pollLine = null;
        task.pollAwaits = [];
        task.wokenInPoll = false;
        break;
      }
      case "waiting": {
        const task = this.#task(e.task, t);
        task.pollOn = e.on;
        task.pollLine = e.line;
        if (e.awaits !== null) task.pollAwaits.push(e.awaits);
        break;
      }
      case "poll-end": {
        const task = this.#task(e.task, t);
        if (e.ready) {
          // Ends now; the task-finished or task-cancelled that follows says how.
          this.#end(task, "finished", t);
        } else if (task.wokenInPoll) {
          enter(task, "ready", t);
        } else {
          enter(task, "waiting", t);
          // A poll that records no reason still waits on the last one.
          if (task.pollOn !== null) {
            task.on = task.pollOn;
            task.line = task.pollLine;
            task.awaits = task.pollAwaits;
          } else {
            task.on = task.lastOn ?? null;
            task.line = task.lastLine ?? null;
            task.awaits = task.lastAwaits ?? [];
          }
          task.lastOn = task.on;
          task.lastLine = task.line;
          task.lastAwaits = task.awaits;
          task.pollAwaits = [];
        }
        break;
      }
      case "woken": {
        const task = this.#task(e.task, t);
        this.ready.push(e.task);
        task.wakes[e.by.kind] += 1;
        task.lastWake = { ...e.by, t };
        if (task.state === "running") {
          task.wokenInPoll = true;
        } else if (task.state === "waiting") {
          enter(task, "ready", t);
          task.on = null;
          task.line = null;
          task.awaits = [];
        }
        break;
      }
      case "task-finished":
        this.#end(this.#task(e.task, t), "finished", t);
        break;
      case "task-cancelled":
        this.#end(this.#task(e.task, t), "cancelled", t);
        break;
      case "timer-armed":
        if (e.task !== null) this.#task(e.task, t).timers.push([e.timer, e.deadline_ms]);
        break;
      case "timer-fired":
      case "timer-cancelled": {
        const owner = timers.get(e.timer)?.task ?? null;
        const task = owner === null ? null : this.tasks.get(owner);
        if (task) task.timers = task.timers.filter(([timer]) => timer !== e.timer);
        break;
      }
      case "io-started":
        if (e.task !== null) this.#task(e.task, t).io.push([e.io, e.label]);
        break;
      case "io-ended": {
        const owner = io.get(e.io)?.task ?? null;
        const task = owner === null ? null : this.tasks.get(owner);
        if (task) task.io = task.io.filter(([id]) => id !== e.io);
        break;
      }
      case "printed":
        this.entries += 1;
        break;
      case "warning":
        this.entries += 1;
        if (e.task !== null) this.#task(e.task, t).warnings += 1;
        break;
      default:
        // Jobs belong to worker lanes, not to tasks.
        break;
    }
  }
}

export class RunHistory {
  constructor() {
    this.events = [];
    // The state after every event added so far.
    this.head = new RunState();
    // Console entries in order: { index (of the event), t, task, text, warning (kind or null) }.
    this.entries = [];
    // Warnings: { index, t, task, warning, message }.
    this.warnings = [];
    // Every timer armed: id → { task, deadline }; every I/O: id → { task, label }.
    this.timers = new Map();
    this.io = new Map();
    // Copies of the state, in order of their counts.
    this.checkpoints = [new RunState()];
  }

  get count() {
    return this.events.length;
  }

  // Adds decoded trace events, in order.
  add(events) {
    for (const e of events) {
      const index = this.events.length;
      this.events.push(e);
      if (e.kind === "timer-armed") this.timers.set(e.timer, { task: e.task, deadline: e.deadline_ms });
      if (e.kind === "io-started") this.io.set(e.io, { task: e.task, label: e.label });
      if (e.kind === "printed") {
        this.entries.push({ index, t: e.at_ms, task: e.task, text: e.line, warning: null });
      } else if (e.kind === "warning") {
        this.entries.push({ index, t: e.at_ms, task: e.task, text: e.message, warning: e.warning });
        this.warnings.push({ index, t: e.at_ms, task: e.task, warning: e.warning, message: e.message });
      }
      this.head.apply(e, this.timers, this.io);
      const last = this.checkpoints.at(-1).count;
      if (this.head.count - last >= Math.max(CHECKPOINT, this.head.tasks.size)) {
        this.checkpoints.push(this.head.copy());
      }
    }
  }

  // The state after the first `n` events (0 to count), its own copy.
  stateAt(n) {
    const target = Math.max(0, Math.min(n, this.events.length));
    if (target === this.head.count) return this.head.copy();
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid].count <= target) lo = mid;
      else hi = mid - 1;
    }
    const state = this.checkpoints[lo].copy();
    for (let i = state.count; i < target; i += 1) state.apply(this.events[i], this.timers, this.io);
    return state;
  }

  // How many events happened at or before loop time `t`.
  countAt(t) {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid].at_ms <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // How many console entries the first `n` events made.
  entriesAt(n) {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].index < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // A task's name as of the end of the history.
  nameOf(id) {
    return this.head.tasks.get(id)?.name ?? `Task-${id}`;
  }
}

// A task's time in each state up to loop time `now` (≥ its `since`).
export function timesAt(task, now) {
  const extra = Math.max(0, now - task.since);
  return {
    running: task.runningMs + (task.state === "running" ? extra : 0),
    waiting: task.waitingMs + (task.state === "waiting" ? extra : 0),
    ready: task.readyMs + (task.state === "ready" ? extra : 0),
  };
}

// The timer a waiting task waits for, if it armed one still pending: the
// latest it armed, as [timer, deadline].
export function pendingTimer(task) {
  return task.timers.at(-1) ?? null;
}

// Milliseconds of loop time as seconds, `3.000 s`.
function secs(ms) {
  return `${(ms / 1000).toFixed(3)} s`;
}

// What a waiting task waits on, in words: `sleep, due at 3.000 s`,
// `fetch (GET http://…)`, `task second`, `sleep, at line 12`; null when it
// is not waiting. `state` (the run's, at the same point) names the tasks it
// awaits, leaving out those that have ended.
export function waitText(task, state) {
  if (task.state !== "waiting") return null;
  let text = task.on === null ? "something unrecorded" : reasonText(task.on);
  const awaited = task.awaits
    .map((id) => state.tasks.get(id))
    .filter((other) => other && other.ended === null)
    .map((other) => other.name);
  if (awaited.length) text += ` ${awaited.join(", ")}`;
  const timer = pendingTimer(task);
  if (timer) text += task.on === "sleep" ? `, due at ${secs(timer[1])}` : ` (timer due at ${secs(timer[1])})`;
  if (task.io.length) text += ` (${task.io.map(([, label]) => label).join(", ")})`;
  if (task.line !== null) text += `, at line ${task.line}`;
  return text;
}

// A task's state at the cursor, in words: `waiting on sleep, due at
// 3.000 s`, `ready (2nd in the queue)`, `finished at 2.000 s`; `state`:
// the run's at the same point.
export function stateText(task, state) {
  switch (task.state) {
    case "waiting":
      return `waiting on ${waitText(task, state)}`;
    case "ready": {
      const at = state.ready.indexOf(task.id);
      return at < 0 ? "ready" : `ready (${ordinal(at + 1)} in the queue)`;
    }
    case "running":
      return `running (step ${task.steps})`;
    default:
      return `${task.state} at ${secs(task.ended ?? task.since)}`;
  }
}

function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

function wakeText(by, history) {
  switch (by.kind) {
    case "timer":
      return `timer ${by.id}`;
    case "task":
      return history.nameOf(by.id);
    default:
      return by.kind === "io" ? "I/O" : "a callback";
  }
}

// Event `index` of `history`, in words: `slow woken by timer 4`.
export function describeEvent(history, index) {
  const e = history.events[index];
  const name = (id) => (id === null ? "the loop" : history.nameOf(id));
  switch (e.kind) {
    case "task-created":
      return e.parent === null ? `${e.name} created` : `${e.name} created by ${name(e.parent)}`;
    case "task-renamed":
      return `${name(e.task)} named ${JSON.stringify(e.name)}`;
    case "poll-start":
      return `${name(e.task)} starts a step`;
    case "poll-end":
      return e.ready ? `${name(e.task)} returns` : `${name(e.task)} gives the loop back`;
    case "waiting":
      return `${name(e.task)} waits on ${reasonText(e.on)}${e.line === null ? "" : ` at line ${e.line}`}`;
    case "woken":
      return `${name(e.task)} woken by ${wakeText(e.by, history)}`;
    case "timer-armed":
      return `timer ${e.timer} set by ${name(e.task)}, due at ${secs(e.deadline_ms)}`;
    case "timer-fired":
      return `timer ${e.timer} fires`;
    case "timer-cancelled":
      return `timer ${e.timer} cancelled`;
    case "task-finished":
      return `${name(e.task)} finished`;
    case "task-cancelled":
      return `${name(e.task)} cancelled`;
    case "io-started":
      return `${name(e.task)} starts ${e.label}`;
    case "io-ended":
      return `I/O ${e.io} ends: ${e.outcome}`;
    case "job-queued":
      return `job ${e.job} (${e.name}) queued`;
    case "job-started":
      return `job ${e.job} starts ${e.worker === null ? "on the loop" : `on worker ${e.worker}`}`;
    case "job-finished":
      return `job ${e.job} ends: ${e.outcome}`;
    case "printed":
      return `${name(e.task)} prints ${JSON.stringify(e.line)}`;
    case "warning":
      return `warning: ${e.message}`;
    default:
      return e.kind;
  }
}
