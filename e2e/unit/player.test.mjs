// player.js: the time cursor and playback, on a clock and frames the test
// drives, so that times are exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { decodeBatch } from "../../www/trace.js";
import { Player, SPEEDS } from "../../www/player.js";

const FIXTURE = JSON.parse(await readFile(new URL("./fixtures/trace.json", import.meta.url), "utf8"));
const events = (source) => decodeBatch(FIXTURE.find((entry) => entry.source === source).batch).events;

// A player whose frames come every `frameMs` of a clock the test owns.
function driven({ discrete = false } = {}) {
  let now = 0;
  let pending = null;
  const player = new Player({
    frame: (callback) => {
      pending = callback;
      return 1;
    },
    cancel: () => {
      pending = null;
    },
    clock: () => now,
    discrete,
  });
  // Runs frames every `frameMs` until playback stops; returns the clock's time and what each frame showed.
  const runFrames = (frameMs = 16, limit = 100_000) => {
    const shown = [];
    for (let i = 0; i < limit && pending; i += 1) {
      now += frameMs;
      const callback = pending;
      pending = null;
      callback();
      shown.push([player.position, player.time]);
    }
    return { elapsed: now, shown };
  };
  return { player, runFrames, reset: () => (now = 0) };
}

test("stepping from the start visits every event in order, and back", () => {
  const { player } = driven();
  const run = { events: events("interleaving") };
  player.load([run], 15_000);
  assert.equal(player.position, run.events.length);
  player.home();
  assert.deepEqual([player.position, player.time], [0, 0]);
  for (let k = 1; k <= run.events.length; k += 1) {
    player.step(1);
    assert.equal(player.position, k);
    assert.equal(player.time, run.events[k - 1].at_ms);
    assert.deepEqual(player.eventAt(k - 1), { run: 0, index: k - 1 });
  }
  player.step(1);
  assert.equal(player.position, run.events.length, "no step past the end");
  for (let k = run.events.length - 1; k >= 0; k -= 1) {
    player.step(-1);
    assert.equal(player.position, k);
  }
  player.step(-1);
  assert.equal(player.position, 0);
});

test("seeking puts the cursor after every event at or before the time", () => {
  const { player } = driven();
  const run = { events: events("interleaving") };
  player.load([run], 15_000);
  player.seek(1500);
  assert.equal(player.time, 1500);
  assert.equal(player.position, run.events.filter((e) => e.at_ms <= 1500).length);
  player.seek(1499.5);
  assert.equal(player.position, run.events.filter((e) => e.at_ms < 1500).length);
  player.seek(99_999);
  assert.deepEqual([player.position, player.time], [run.events.length, 15_000]);
  // Time 0 (or before): after every event at 0; only Home goes before them.
  player.seek(-5);
  assert.deepEqual([player.position, player.time], [run.events.filter((e) => e.at_ms === 0).length, 0]);
});

test("two runs share one time axis: events merge in time order, ties to the first run", () => {
  const { player } = driven();
  const a = { events: events("gather-two") };
  const b = { events: events("hello") };
  player.load([a, b], 2000);
  const order = [];
  player.home();
  for (let k = 0; k < player.count; k += 1) {
    player.step(1);
    const { run, index } = player.eventAt(k);
    order.push([run, index, [a, b][run].events[index].at_ms]);
    const counts = player.counts();
    assert.equal(counts[0] + counts[1], k + 1);
  }
  for (let k = 1; k < order.length; k += 1) {
    const [run0, , t0] = order[k - 1];
    const [run1, , t1] = order[k];
    assert.ok(t0 < t1 || (t0 === t1 && run0 <= run1), `event ${k} in order`);
  }
  assert.deepEqual(player.counts(), [a.events.length, b.events.length]);
});

test("playback at each speed takes the run's loop time over the speed", () => {
  for (const speed of SPEEDS) {
    const { player, runFrames } = driven();
    player.load([{ events: events("interleaving") }], 15_000);
    player.setSpeed(speed);
    player.play();
    assert.deepEqual([player.position, player.time], [0, 0], "from the start when at the end");
    const { elapsed } = runFrames(10);
    assert.equal(player.playing, false);
    assert.equal(player.time, 15_000);
    assert.ok(Math.abs(elapsed - 15_000 / speed) <= 10, `${speed}×: ${elapsed} ms`);
  }
});

test("pause and resume carry on from where it stood", () => {
  const { player, runFrames } = driven();
  player.load([{ events: events("interleaving") }], 15_000);
  player.seek(5000);
  player.play();
  runFrames(100, 10);
  assert.equal(player.time, 6000);
  player.pause();
  assert.equal(player.playing, false);
  runFrames(100, 10);
  assert.equal(player.time, 6000, "no frames while paused");
  player.play();
  runFrames(100, 5);
  assert.equal(player.time, 6500);
});

test("discrete playback (reduced motion) shows only event times, a few times a second", () => {
  const { player, runFrames } = driven({ discrete: true });
  const run = { events: events("interleaving") };
  player.load([run], 15_000);
  player.play();
  const { shown } = runFrames(16);
  const times = new Set(run.events.map((e) => e.at_ms));
  const moves = shown.filter((s, i) => i === 0 || s[1] !== shown[i - 1][1]);
  for (const [, t] of shown) assert.ok(times.has(t) || t === 15_000, `${t} is an event's time`);
  // 15 s at 1×, at most 4 updates a second.
  assert.ok(moves.length <= 15 * 4 + 1, `${moves.length} moves`);
  assert.equal(player.time, 15_000);
});

test("a run that took no loop time plays event by event", () => {
  const { player, runFrames } = driven();
  const instant = events("hello").map((e) => ({ ...e, at_ms: 0 }));
  player.load([{ events: instant }], 0);
  player.play();
  const { elapsed } = runFrames(50);
  assert.equal(player.position, instant.length);
  // 20 events a second at 1×.
  assert.ok(Math.abs(elapsed - (instant.length / 20) * 1000) <= 100, `${elapsed} ms`);
});
