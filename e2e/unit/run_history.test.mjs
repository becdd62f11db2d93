// run_history.js: the state of a run at any point of its trace, from real
// runs on the virtual clock (fixtures/trace.json), with exact expectations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { decodeBatch } from "../../www/trace.js";
import { RunHistory, pendingTimer, timesAt, waitText } from "../../www/run_history.js";
import { largeRun } from "../large_trace.mjs";

const FIXTURE = JSON.parse(await readFile(new URL("./fixtures/trace.json", import.meta.url), "utf8"));

function history(source) {
  const { batch } = FIXTURE.find((entry) => entry.source === source);
  const h = new RunHistory();
  h.add(decodeBatch(batch).events);
  return h;
}

function byName(state, name) {
  return [...state.tasks.values()].find((task) => task.name === name);
}

test("interleaving at 1.5 s: slow waits on a sleep due at 3.0 s, fast on one due at 2.0 s", () => {
  const h = history("interleaving");
  const state = h.stateAt(h.countAt(1500));
  assert.equal(state.t, 1500);
  const slow = byName(state, "slow");
  const fast = byName(state, "fast");
  assert.equal(slow.state, "waiting");
  assert.equal(slow.on, "sleep");
  assert.equal(pendingTimer(slow)[1], 3000);
  assert.equal(fast.state, "waiting");
  assert.equal(fast.on, "sleep");
  assert.equal(pendingTimer(fast)[1], 2000);
  assert.equal(byName(state, "Task-1").on, "task");
  assert.equal(waitText(byName(state, "Task-1"), state), "task slow, fast");
  assert.equal(waitText(slow, state), "sleep, due at 3.000 s");
  assert.deepEqual(state.ready, []);
  // The console up to that instant: both starts, fast 0 at 1 s, slow 0 at 1.5 s.
  assert.deepEqual(
    h.entries.slice(0, state.entries).map((e) => e.text),
    ["slow start", "fast start", "fast 0", "slow 0"],
  );
});

test("the ready queue, in the order the tasks will run", () => {
  const h = history("interleaving");
  // At 3 s both timers fire (slow's was set first): slow, then fast, are queued.
  const fired = h.events.findIndex((e) => e.at_ms === 3000 && e.kind === "poll-start");
  const state = h.stateAt(fired);
  assert.deepEqual(
    state.ready.map((id) => state.tasks.get(id).name),
    ["slow", "fast"],
  );
  assert.equal(byName(state, "slow").state, "ready");
  // Once slow is polled it leaves the queue; fast is still ready.
  const after = h.stateAt(fired + 1);
  assert.deepEqual(after.ready, [byName(after, "fast").id]);
  assert.equal(byName(after, "slow").state, "running");
  // At the start: Task-1 made, queued, not yet polled.
  const first = h.stateAt(1);
  assert.deepEqual(first.ready, [1]);
  assert.equal(first.tasks.get(1).state, "ready");
  assert.deepEqual(h.stateAt(0).tasks.size, 0);
});

test("gather-two's counts at the end of the run, exactly", () => {
  const h = history("gather-two");
  const state = h.stateAt(h.count);
  const row = (name) => {
    const task = byName(state, name);
    const times = timesAt(task, 2000);
    return {
      state: task.state,
      created: task.created,
      ended: task.ended,
      steps: task.steps,
      running: times.running,
      waiting: times.waiting,
      wakes: task.wakes,
    };
  };
  assert.deepEqual(row("Task-1"), {
    state: "finished",
    created: 0,
    ended: 2000,
    steps: 3,
    running: 0,
    waiting: 2000,
    wakes: { timer: 0, task: 2, callback: 0, io: 0 },
  });
  assert.deepEqual(row("first"), {
    state: "finished",
    created: 0,
    ended: 1000,
    steps: 2,
    running: 0,
    waiting: 1000,
    wakes: { timer: 1, task: 0, callback: 0, io: 0 },
  });
  assert.deepEqual(row("second"), {
    state: "finished",
    created: 0,
    ended: 2000,
    steps: 2,
    running: 0,
    waiting: 2000,
    wakes: { timer: 1, task: 0, callback: 0, io: 0 },
  });
  // Half way: Task-1 has been woken once, by first; second still sleeps.
  const mid = h.stateAt(h.countAt(1500));
  assert.equal(byName(mid, "first").state, "finished");
  assert.equal(byName(mid, "second").state, "waiting");
  assert.deepEqual(byName(mid, "Task-1").lastWake, { kind: "task", id: 2, t: 1000 });
  // gather awaits both; once first has ended, only second is named.
  assert.equal(waitText(byName(h.stateAt(h.countAt(500)), "Task-1"), h.stateAt(h.countAt(500))), "task first, second");
  assert.equal(waitText(byName(mid, "Task-1"), mid), "task second");
});

test("every point reached from a checkpoint equals the state built event by event", () => {
  const run = largeRun({ tasks: 300, steps: 4, seed: 7 });
  const h = new RunHistory();
  h.add(run.events);
  assert.ok(h.checkpoints.length > 3, "the trace spans several checkpoints");
  const stepwise = new RunHistory();
  for (let n = 0; n <= run.events.length; n += 1) {
    if (n % 97 === 0 || n === run.events.length) {
      assert.deepEqual(h.stateAt(n), stepwise.head.copy(), `after ${n} events`);
    }
    if (n < run.events.length) stepwise.add([run.events[n]]);
  }
  // The copy is the caller's own: changing it changes nothing else.
  const copy = h.stateAt(10);
  copy.ready.push(999);
  assert.notDeepEqual(h.stateAt(10).ready, copy.ready);
});

test("a task woken during its own step is ready, not waiting, when the step ends", () => {
  const h = new RunHistory();
  h.add([
    { at_ms: 0, kind: "task-created", task: 1, name: "Task-1", parent: null },
    { at_ms: 0, kind: "poll-start", task: 1 },
    { at_ms: 0, kind: "woken", task: 1, by: { kind: "task", id: 1 } },
    { at_ms: 0, kind: "poll-end", task: 1, ready: false },
  ]);
  assert.equal(h.head.tasks.get(1).state, "ready");
  assert.deepEqual(h.head.ready, [1]);
});

test("the large run: 1 000 tasks, about 100 000 events, in time order", () => {
  const run = largeRun();
  const h = new RunHistory();
  h.add(run.events);
  assert.equal(h.head.tasks.size, 1001);
  assert.ok(run.events.length >= 95_000 && run.events.length <= 110_000, `${run.events.length} events`);
  assert.ok([...h.head.tasks.values()].every((task) => task.state === "finished"));
  for (let i = 1; i < run.events.length; i += 1) assert.ok(run.events[i].at_ms >= run.events[i - 1].at_ms);
  // Checkpoints hold about one task state per event, not one per task per checkpoint.
  const held = h.checkpoints.reduce((sum, c) => sum + c.tasks.size, 0);
  assert.ok(held <= run.events.length * 1.1, `${held} task states held`);
});

test("a source line, I/O and every kind of warning, as the state and the console show them", () => {
  const h = new RunHistory();
  h.add([
    { at_ms: 0, kind: "task-created", task: 1, name: "main", parent: null },
    { at_ms: 0, kind: "poll-start", task: 1 },
    { at_ms: 0, kind: "io-started", io: 1, task: 1, label: "GET http://h/a" },
    { at_ms: 0, kind: "waiting", task: 1, on: "fetch", line: 7, awaits: null },
    { at_ms: 0, kind: "poll-end", task: 1, ready: false },
    { at_ms: 5, kind: "warning", task: 1, warning: "never-awaited", message: "coroutine 'work' was never awaited" },
    {
      at_ms: 6,
      kind: "warning",
      task: null,
      warning: "exception-never-retrieved",
      message: "Task exception was never retrieved",
    },
    { at_ms: 7, kind: "warning", task: 1, warning: "slow-step", message: "main held the loop for 150 ms" },
    { at_ms: 8, kind: "warning", task: 1, warning: "pending-at-close", message: "main was still pending" },
  ]);
  const at = h.stateAt(5);
  assert.equal(waitText(at.tasks.get(1), at), "fetch (GET http://h/a), at line 7");
  assert.equal(at.entries, 0);
  assert.deepEqual(
    h.entries.map((e) => [e.t, e.warning]),
    [
      [5, "never-awaited"],
      [6, "exception-never-retrieved"],
      [7, "slow-step"],
      [8, "pending-at-close"],
    ],
  );
  assert.equal(h.head.tasks.get(1).warnings, 3);
  assert.equal(h.entriesAt(7), 2);
});
