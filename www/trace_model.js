// What a run's trace says happened, in the shape the timeline draws: per
// task, spans where it runs (poll-start → poll-end), waits (poll-end → the
// wake, labelled by what it waits on, with the source line of the await
// when the trace has one: Python programs' do) and is ready but not yet polled
// (wake → poll-start); per worker, the jobs it ran; and markers for timers,
// prints and I/O. Events are added as they arrive, so a live run's model
// grows a few events at a time. It takes events as `trace.js` decodes them,
// so every kind and field it reads is known to be there.
import { TraceFormatError } from "./trace.js";

// A wait reason as the timeline labels it: `queue-get` → `queue get`.
function waitLabel(reason) {
  return reason.replaceAll("-", " ");
}

export class TraceModel {
  constructor() {
    this.tasks = new Map();
    this.lanes = new Map();
    this.markers = [];
    // Warnings for learners: { t, task, warning, message }.
    this.warnings = [];
    this.timers = new Map();
    this.jobs = new Map();
    this.io = new Map();
    this.inFlight = new Map();
    // The most requests in flight at once to one host: [host, count].
    this.busiestHost = ["", 0];
    this.count = 0;
    this.lastT = 0;
  }

  // Adds decoded trace events (`at_ms`, `kind` and per-kind fields).
  add(events) {
    for (const event of events) this.#one(event);
    this.count += events.length;
  }

  #open(task, state, t, on = null, line = null) {
    task.open = { state, from: t, on, line };
  }

  #close(task, t) {
    if (task.open) {
      task.spans.push({ ...task.open, to: t });
      task.open = null;
    }
  }

  #task(id, t) {
    let task = this.tasks.get(id);
    if (!task) {
      task = {
        id,
        name: `Task-${id}`,
        parent: null,
        spans: [],
        open: null,
        on: null,
        onLine: null,
        end: null,
        outcome: null,
      };
      this.#open(task, "ready", t);
      this.tasks.set(id, task);
    }
    return task;
  }

  #one(e) {
    const t = e.at_ms;
    this.lastT = Math.max(this.lastT, t);
    switch (e.kind) {
      case "task-created": {
        const task = this.#task(e.task, t);
        task.name = e.name;
        task.parent = e.parent;
        break;
      }
      case "task-renamed":
        this.#task(e.task, t).name = e.name;
        break;
      case "poll-start": {
        const task = this.#task(e.task, t);
        this.#close(task, t);
        this.#open(task, "running", t);
        break;
      }
      case "waiting": {
        const task = this.#task(e.task, t);
        task.on = waitLabel(e.on);
        task.onLine = e.line;
        break;
      }
      case "poll-end": {
        const task = this.#task(e.task, t);
        this.#close(task, t);
        if (e.ready) {
          this.#end(task, t, "finished");
        } else {
          // A poll that records no new reason still waits on the last one.
          if (task.on !== null) task.lastLine = task.onLine;
          task.lastOn = task.on ?? task.lastOn ?? "unknown";
          this.#open(task, "waiting", t, task.lastOn, task.lastLine ?? null);
        }
        task.on = null;
        task.onLine = null;
        break;
      }
      case "woken": {
        const task = this.#task(e.task, t);
        if (task.open?.state === "waiting") {
          this.#close(task, t);
          this.#open(task, "ready", t);
        }
        break;
      }
      case "task-finished":
        this.#end(this.#task(e.task, t), t, "finished");
        break;
      case "task-cancelled":
        this.#end(this.#task(e.task, t), t, "cancelled");
        this.markers.push({ kind: "cancelled", t, task: e.task, text: "cancelled" });
        break;
      case "timer-armed":
        this.timers.set(e.timer, { task: e.task, deadline: e.deadline_ms });
        break;
      case "timer-fired":
        this.markers.push({ kind: "timer", t, task: this.timers.get(e.timer)?.task ?? null, text: "timer fired" });
        break;
      case "timer-cancelled":
        this.markers.push({
          kind: "timer-cancelled",
          t,
          task: this.timers.get(e.timer)?.task ?? null,
          text: "timer cancelled",
        });
        break;
      case "printed":
        this.markers.push({ kind: "print", t, task: e.task, text: `print: ${e.line}` });
        break;
      case "io-started": {
        const host = hostOf(e.label);
        this.io.set(e.io, { task: e.task, label: e.label, host });
        this.markers.push({ kind: "io", t, task: e.task, text: `started ${e.label}` });
        if (host) {
          const now = (this.inFlight.get(host) ?? 0) + 1;
          this.inFlight.set(host, now);
          if (now > this.busiestHost[1]) this.busiestHost = [host, now];
        }
        break;
      }
      case "io-ended": {
        const io = this.io.get(e.io);
        if (!io) break;
        this.markers.push({ kind: "io", t, task: io.task, text: `${e.outcome}: ${io.label}` });
        if (io.host) this.inFlight.set(io.host, this.inFlight.get(io.host) - 1);
        break;
      }
      case "job-queued":
        this.jobs.set(e.job, { name: e.name, worker: null, from: null });
        break;
      case "job-started": {
        const job = this.jobs.get(e.job) ?? { name: `job ${e.job}` };
        job.worker = e.worker;
        job.from = t;
        this.jobs.set(e.job, job);
        this.#lane(e.worker).open.set(e.job, job);
        break;
      }
      case "job-finished": {
        const lane = this.#lane(e.worker);
        const job = lane.open.get(e.job) ?? this.jobs.get(e.job);
        lane.open.delete(e.job);
        lane.spans.push({ state: "job", from: job?.from ?? t, to: t, on: job?.name ?? "job", outcome: e.outcome });
        break;
      }
      case "warning":
        this.warnings.push({ t, task: e.task, warning: e.warning, message: e.message });
        break;
      default:
        throw new TraceFormatError(`the timeline does not know trace events of kind "${e.kind}"`);
    }
  }

  #end(task, t, outcome) {
    this.#close(task, t);
    if (task.end === null) {
      task.end = t;
      task.outcome = outcome;
    }
  }

  #lane(worker) {
    const key = worker ?? "inline";
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { name: worker === null ? "on the loop" : `worker ${worker}`, spans: [], open: new Map() };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  // A task's spans, with its open one running to `now`.
  spansOf(task, now) {
    return task.open ? [...task.spans, { ...task.open, to: Math.max(now, task.open.from) }] : task.spans;
  }

  laneSpans(lane, now) {
    const open = [...lane.open.values()].map((job) => ({
      state: "job",
      from: job.from,
      to: Math.max(now, job.from),
      on: job.name,
    }));
    return open.length ? [...lane.spans, ...open] : lane.spans;
  }
}

// The host of an HTTP or WebSocket label such as `GET http://host/path`.
function hostOf(label) {
  const url = /\b((?:https?|wss?):\/\/\S+)/.exec(label ?? "")?.[1];
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
