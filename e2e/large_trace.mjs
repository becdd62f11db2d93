// A large run, as a saved trace file: a main task starts `tasks` workers,
// each of which sleeps `steps` times for a pseudo-random while (seeded, so
// the same every time), printing now and then, and the main task awaits
// them all. The events are what the runtime records for such a program, in
// the order it records them, so replay, the task table and the export
// treat it as any run; 1 000 tasks of 16 sleeps give about 100 000 events.
import { TRACE_FILE_FORMAT, TRACE_FORMAT_VERSION } from "../www/trace.js";

// A small seeded generator (mulberry32).
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function largeRun({ tasks = 1000, steps = 16, seed = 1 } = {}) {
  const next = random(seed);
  const events = [];
  const at = (t, kind, fields) => events.push({ at_ms: t, kind, ...fields });
  // The loop: timers due, in (deadline, id) order; tasks ready, in order.
  const due = [];
  const ready = [];
  let timerId = 0;
  const left = new Map();
  at(0, "task-created", { task: 1, name: "Task-1", parent: null });
  ready.push(1);
  let now = 0;
  let mainWaiting = false;
  let finished = 0;
  const sleep = (task) => {
    timerId += 1;
    const deadline = now + Math.round(10 + next() * 490);
    at(now, "timer-armed", { timer: timerId, deadline_ms: deadline, task });
    at(now, "waiting", { task, on: "sleep", line: null, awaits: null });
    due.push({ deadline, timer: timerId, task });
  };
  while (ready.length || due.length) {
    while (ready.length) {
      const task = ready.shift();
      at(now, "poll-start", { task });
      if (task === 1) {
        if (!mainWaiting) {
          for (let i = 2; i <= tasks + 1; i += 1) {
            at(now, "task-created", { task: i, name: `worker-${i - 1}`, parent: 1 });
            ready.push(i);
            left.set(i, steps);
          }
          mainWaiting = true;
        }
        if (finished < tasks) {
          at(now, "waiting", { task: 1, on: "task", line: null, awaits: tasks + 1 });
          at(now, "poll-end", { task: 1, ready: false });
        } else {
          at(now, "printed", { task: 1, line: `all ${tasks} workers done` });
          at(now, "poll-end", { task: 1, ready: true });
          at(now, "task-finished", { task: 1 });
        }
        continue;
      }
      const remaining = left.get(task);
      if (remaining > 0 && next() < 0.2) at(now, "printed", { task, line: `worker-${task - 1}: ${remaining} to go` });
      if (remaining > 0) {
        left.set(task, remaining - 1);
        sleep(task);
        at(now, "poll-end", { task, ready: false });
      } else {
        at(now, "poll-end", { task, ready: true });
        at(now, "task-finished", { task });
        finished += 1;
        if (finished === tasks) {
          at(now, "woken", { task: 1, by: { kind: "task", id: task } });
          ready.push(1);
        }
      }
    }
    if (!due.length) break;
    due.sort((a, b) => a.deadline - b.deadline || a.timer - b.timer);
    now = due[0].deadline;
    while (due.length && due[0].deadline <= now) {
      const { timer, task } = due.shift();
      at(now, "timer-fired", { timer });
      at(now, "woken", { task, by: { kind: "timer", id: timer } });
      ready.push(task);
    }
  }
  return { label: "Run", totalMs: now, stopped: false, events };
}

// `largeRun(options)` as the page saves a trace.
export function largeTraceFile(options) {
  return {
    format: TRACE_FILE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    example: "large-run",
    mode: "run",
    clock: "virtual",
    runs: [largeRun(options)],
  };
}
