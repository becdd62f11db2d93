// compare.js: the speed-up line of compare mode, from two runs' models.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pinnedSpeedUpText, speedUpText } from "../../www/compare.js";
import { decodeEvent } from "../../www/trace.js";
import { TraceModel } from "../../www/trace_model.js";

// A model of tasks that each wait on a sleep from `from` to `to`.
function sleeps(spans) {
  const model = new TraceModel();
  const events = spans.flatMap(([from, to], i) => [
    { at_ms: from, kind: "poll-start", task: i + 1 },
    { at_ms: from, kind: "waiting", task: i + 1, on: "sleep", line: null, awaits: null },
    { at_ms: from, kind: "poll-end", task: i + 1, ready: false },
    { at_ms: to, kind: "woken", task: i + 1, by: { kind: "timer", id: i + 1 } },
  ]);
  model.add(events.sort((a, b) => a.at_ms - b.at_ms).map((e) => decodeEvent(e)));
  return model;
}

test("faster, with the ideal from the longest single wait", () => {
  const sequential = {
    totalMs: 3000,
    model: sleeps([
      [0, 1000],
      [1000, 2000],
      [2000, 3000],
    ]),
  };
  const concurrent = {
    totalMs: 1000,
    model: sleeps([
      [0, 1000],
      [0, 1000],
      [0, 1000],
    ]),
  };
  assert.equal(
    speedUpText(sequential, concurrent),
    "3.00 s vs 1.00 s: 3.0× faster (ideal 3.0×: with every wait overlapped, it would take as long as the longest one, 1.00 s).",
  );
});

test("slower, and runs that took no loop time", () => {
  const empty = new TraceModel();
  assert.equal(
    speedUpText({ totalMs: 500, model: empty }, { totalMs: 1000, model: empty }),
    "0.50 s vs 1.00 s: 2.0× slower.",
  );
  assert.equal(
    speedUpText({ totalMs: 0, model: empty }, { totalMs: 0, model: empty }),
    "0.00 s vs 0.00 s: both took no loop time.",
  );
  assert.equal(
    speedUpText({ totalMs: 10, model: empty }, { totalMs: 0, model: empty }),
    "0.01 s vs 0.00 s: the concurrent run took no loop time.",
  );
});

test("a pinned run against the next: faster, slower, the same, or no loop time", () => {
  assert.equal(
    pinnedSpeedUpText({ totalMs: 2000 }, { totalMs: 500 }),
    "pinned 2.00 s, this run 0.50 s: 4.0× faster than the pinned run.",
  );
  assert.equal(
    pinnedSpeedUpText({ totalMs: 1000 }, { totalMs: 3000 }),
    "pinned 1.00 s, this run 3.00 s: 3.0× slower than the pinned run.",
  );
  assert.equal(
    pinnedSpeedUpText({ totalMs: 1000 }, { totalMs: 1000 }),
    "pinned 1.00 s, this run 1.00 s: as fast as the pinned run.",
  );
  assert.equal(
    pinnedSpeedUpText({ totalMs: 0 }, { totalMs: 0 }),
    "pinned 0.00 s, this run 0.00 s: both took no loop time.",
  );
  assert.equal(
    pinnedSpeedUpText({ totalMs: 1000 }, { totalMs: 0 }),
    "pinned 1.00 s, this run 0.00 s: this run took no loop time.",
  );
});
