// Replay and inspection of finished runs, from their recorded trace: the
// time cursor with the keyboard and the pointer, the state at the cursor
// (exact on the virtual clock), the task table, playback, warnings for
// learners, the trace's files (the export checked by Chromium DevTools'
// own trace engine), the large trace's frame times while scrubbing, and
// screenshots under target/screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as TraceEngine from "@paulirish/trace_engine";
import {
  baseUrl,
  launch,
  openPlayground,
  recordingPage,
  requestsTo,
  routeEmbedFixture,
  runExample,
} from "./browser.mjs";
import { largeTraceFile } from "./large_trace.mjs";

const SCREENSHOTS = fileURLToPath(new URL("../target/screenshots/", import.meta.url));

let browser;
before(async () => {
  browser = await launch();
  await mkdir(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
});

// The cursor's position and the text around it, once the page has drawn it.
async function cursor(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => {
    const thumb = document.getElementById("cursor");
    return {
      ms: Number(thumb.getAttribute("aria-valuenow")),
      max: Number(thumb.getAttribute("aria-valuemax")),
      text: thumb.getAttribute("aria-valuetext"),
      event: document.getElementById("cursor-event").textContent,
      states: Object.fromEntries(
        [...document.querySelectorAll("#cursor-state li[data-task]")].map((li) => [
          li.querySelector(".task-name").textContent,
          li.textContent.slice(li.querySelector(".task-name").textContent.length + 2),
        ]),
      ),
      queue: [...document.querySelectorAll("#cursor-state .ready-queue")].map((p) => p.textContent),
      console: [...document.querySelectorAll("#console > div")].map((d) => d.textContent),
    };
  });
}

// The task table's rows: { name: { column: text } }, once it follows the
// cursor (it is redrawn at most ten times a second).
async function table(page) {
  await page.waitForFunction(() => {
    const thumb = document.getElementById("cursor");
    if (thumb.getAttribute("aria-disabled") === "true") return true;
    const at = `At the cursor, ${(Number(thumb.getAttribute("aria-valuenow")) / 1000).toFixed(3)} s.`;
    return document.getElementById("task-table-note").textContent.startsWith(at);
  });
  return page.evaluate(() => {
    const keys = [...document.querySelectorAll("#task-table thead th")].map((th) => th.dataset.key);
    return [...document.querySelectorAll("#task-table tbody tr")].map((tr) =>
      Object.fromEntries([...tr.children].map((cell, i) => [keys[i], cell.textContent])),
    );
  });
}

test("interleaving at 1.5 s: slow waits on a sleep due at 3.0 s, fast on one due at 2.0 s", async () => {
  const { page, errors } = await openPlayground(browser);
  await runExample(page, "interleaving", "virtual");
  let at = await cursor(page);
  assert.deepEqual([at.ms, at.max], [15_000, 15_000], "a finished run's cursor stands at its end");
  // Home, then Page Up: a tenth of the run, 1.5 s exactly.
  await page.focus("#cursor");
  await page.keyboard.press("Home");
  await page.keyboard.press("PageUp");
  at = await cursor(page);
  assert.equal(at.ms, 1500);
  assert.equal(at.states.slow, "waiting on sleep, due at 3.000 s");
  assert.equal(at.states.fast, "waiting on sleep, due at 2.000 s");
  assert.equal(at.states["Task-1"], "waiting on task slow, fast");
  assert.deepEqual(at.queue, ["Ready queue: empty"]);
  assert.deepEqual(at.console, [
    "[0.000 s] slow start",
    "[0.000 s] fast start",
    "[1.000 s] fast 0",
    "[1.500 s] slow 0",
  ]);
  // The table follows the cursor.
  const rows = await table(page);
  assert.deepEqual(
    rows.map((r) => [r.name, r.state, r.waitsOn]),
    [
      ["Task-1", "waiting", "task slow, fast"],
      ["slow", "waiting", "sleep, due at 3.000 s"],
      ["fast", "waiting", "sleep, due at 2.000 s"],
    ],
  );
  // One event back from the first event at 3 s: slow's timer fired, it is queued before fast.
  const trace = await page.evaluate(() => document.querySelector("asyncio-playground").playground.reports[0].trace);
  const polled = trace.findIndex((e) => e.at_ms === 3000 && e.kind === "poll-start");
  await page.keyboard.press("Home");
  for (let i = 0; i < polled; i += 1) await page.keyboard.press("ArrowRight");
  at = await cursor(page);
  assert.equal(at.ms, 3000);
  assert.deepEqual(at.queue, ["Ready queue: slow → fast"]);
  assert.equal(at.states.slow, "ready (1st in the queue)");
  assert.equal(at.states.fast, "ready (2nd in the queue)");
  assert.deepEqual(errors, []);
  await page.close();
});

test("stepping from the start visits every event in order, and back; End and the pointer", async () => {
  const { page, errors } = await openPlayground(browser);
  await runExample(page, "gather-two", "virtual", { variant: "concurrent" });
  const trace = await page.evaluate(() => document.querySelector("asyncio-playground").playground.reports[0].trace);
  // Tab reaches the cursor (after the replay's buttons).
  await page.focus("#replay-speed");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "cursor");
  await page.keyboard.press("Home");
  let at = await cursor(page);
  assert.match(at.event, /before the first event/);
  assert.deepEqual(at.console, []);
  const seen = [];
  for (let k = 1; k <= trace.length; k += 1) {
    await page.keyboard.press("ArrowRight");
    at = await cursor(page);
    assert.equal(at.ms, trace[k - 1].at_ms, `event ${k}'s time`);
    assert.match(at.text, new RegExp(`event ${k} of ${trace.length}$`));
    seen.push(at.event);
  }
  assert.match(seen[0], /Task-1 created\.$/);
  assert.match(seen.at(-1), /Task-1 finished\.$/);
  assert.equal(new Set(seen).size, trace.length, "each step shows another event");
  await page.keyboard.press("ArrowRight");
  assert.equal((await cursor(page)).event, seen.at(-1), "no step past the end");
  for (let k = trace.length - 1; k >= 1; k -= 1) {
    await page.keyboard.press("ArrowLeft");
    assert.equal((await cursor(page)).event, seen[k - 1]);
  }
  await page.keyboard.press("ArrowLeft");
  assert.match((await cursor(page)).event, /before the first event/);
  await page.keyboard.press("End");
  assert.equal((await cursor(page)).ms, 2000);
  // The buttons step too.
  await page.click("#replay-back");
  assert.equal((await cursor(page)).event, seen.at(-2));
  // The pointer: pressing on the track at three quarters puts the cursor near 1.5 s; dragging follows.
  await page.locator("#cursor-track").scrollIntoViewIfNeeded();
  const box = await page.locator("#cursor-track").boundingBox();
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  await page.mouse.down();
  const pressed = (await cursor(page)).ms;
  assert.ok(Math.abs(pressed - 1500) <= 2000 / box.width + 1, `${pressed} ms`);
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  at = await cursor(page);
  assert.ok(Math.abs(at.ms - 500) <= 2000 / box.width + 1, `${at.ms} ms`);
  assert.equal(at.states.first, "waiting on sleep, due at 1.000 s");
  assert.equal(await page.evaluate(() => document.activeElement.id), "cursor");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the task table: gather-two's counts, exactly; sorting; live during a run", async () => {
  const { page, errors } = await openPlayground(browser);
  await runExample(page, "gather-two", "virtual", { variant: "concurrent" });
  const columns = (r) => [r.name, r.state, r.created, r.ended, r.steps, r.running, r.waiting, r.woken, r.waitsOn];
  assert.deepEqual((await table(page)).map(columns), [
    ["Task-1", "finished", "0.000 s", "2.000 s", "3", "0.000 s", "2.000 s", "2 (task 2)", ""],
    ["first", "finished", "0.000 s", "1.000 s", "2", "0.000 s", "1.000 s", "1 (timer 1)", ""],
    ["second", "finished", "0.000 s", "2.000 s", "2", "0.000 s", "2.000 s", "1 (timer 1)", ""],
  ]);
  // Sorted by the time it ended, then the other way.
  await page.click('#task-table button[data-key="ended"]');
  assert.equal(await page.getAttribute('#task-table th[data-key="ended"]', "aria-sort"), "ascending");
  assert.deepEqual(
    (await table(page)).map((r) => r.name),
    ["first", "Task-1", "second"],
  );
  await page.click('#task-table button[data-key="ended"]');
  assert.equal(await page.getAttribute('#task-table th[data-key="ended"]', "aria-sort"), "descending");
  assert.deepEqual(
    (await table(page)).map((r) => r.name),
    ["Task-1", "second", "first"],
  );
  // Live: on the real clock the table shows the tasks waiting while the run goes.
  await page.selectOption("#clock", "real");
  await page.click("#run");
  await page.waitForFunction(() => /^Live/.test(document.getElementById("task-table-note").textContent));
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll("#task-table tbody tr")].filter((tr) => tr.dataset.state === "waiting").length >= 2,
  );
  assert.equal(await page.getAttribute("#cursor", "aria-disabled"), "true", "no cursor while it runs");
  await page.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent), null, {
    timeout: 20_000,
  });
  assert.match(await page.textContent("#task-table-note"), /^At the cursor/);
  assert.deepEqual(
    (await table(page)).map((r) => [r.name, r.state, r.steps]),
    [
      ["Task-1", "finished", "3"],
      ["second", "finished", "2"],
      ["first", "finished", "2"],
    ],
    "the same counts on the real clock, still sorted (Task-1 ends as second does, or after it)",
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test("playback: Play at 4× runs through to the end, Pause holds, Play resumes", async () => {
  const { page, errors } = await openPlayground(browser);
  await runExample(page, "interleaving", "virtual");
  await page.selectOption("#replay-speed", "4");
  await page.click("#replay-play");
  assert.equal(await page.textContent("#replay-play"), "Pause");
  await page.waitForFunction(() => Number(document.getElementById("cursor").getAttribute("aria-valuenow")) > 1000);
  await page.click("#replay-play");
  const held = (await cursor(page)).ms;
  assert.ok(held > 0 && held < 15_000);
  await page.waitForTimeout(300);
  assert.equal((await cursor(page)).ms, held, "paused");
  assert.ok((await cursor(page)).console.length < 27, "the console shows only the lines so far");
  await page.click("#replay-play");
  // 15 s of loop time at 4×: under 4 s of playback, with time to spare on a busy machine.
  await page.waitForFunction(() => document.getElementById("replay-play").textContent === "Play", null, {
    timeout: 30_000,
  });
  const at = await cursor(page);
  assert.equal(at.ms, 15_000);
  assert.equal(at.console.length, 27);
  assert.deepEqual(errors, []);
  await page.close();
});

test("with prefers-reduced-motion the cursor jumps from event to event", async () => {
  const context = await browser.newContext({ reducedMotion: "reduce" });
  const page = await context.newPage();
  await page.goto(baseUrl + "/");
  await page.waitForSelector("#run:not([disabled])");
  await runExample(page, "gather-two", "virtual", { variant: "concurrent" });
  await page.evaluate(() => {
    window.cursorTimes = [];
    new MutationObserver(() =>
      window.cursorTimes.push(Number(document.getElementById("cursor").getAttribute("aria-valuenow"))),
    ).observe(document.getElementById("cursor"), { attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  await page.selectOption("#replay-speed", "2");
  await page.click("#replay-play");
  await page.waitForFunction(() => document.getElementById("replay-play").textContent === "Play", null, {
    timeout: 20_000,
  });
  const times = await page.evaluate(() => window.cursorTimes);
  assert.ok(times.length >= 2, `${times}`);
  for (const t of times) assert.ok([0, 1000, 2000].includes(t), `${t} is an event's time`);
  await context.close();
});

test("warnings: the blocking variant's slow step is marked and named; the offloaded one has none", async () => {
  const { page, errors } = await openPlayground(browser);
  // The largest limit: over 100 ms of computation even on a fast machine.
  await runExample(page, "blocking-vs-offloaded", "virtual", {
    variant: "sequential",
    params: { limit: 3000 },
    timeout: 120_000,
  });
  const warnings = await page.$$eval("#console > div.console-warning", (d) => d.map((x) => x.textContent));
  assert.equal(warnings.length, 1, `${warnings}`);
  assert.match(warnings[0], /^\[0\.300 s\] ⚠ Task-1 held the loop for \d+ ms; nothing else could run$/);
  assert.equal(await page.locator('.timeline-svg .marker-warning[data-warning="slow-step"]').count(), 1);
  assert.match(
    await page.textContent('.timeline-svg .marker-warning[data-warning="slow-step"] title'),
    /held the loop/,
  );
  // Before the warning's event the console does not have it yet.
  await page.focus("#cursor");
  await page.keyboard.press("Home");
  assert.equal((await cursor(page)).console.filter((l) => l.includes("⚠")).length, 0);
  await runExample(page, "blocking-vs-offloaded", "virtual", {
    variant: "concurrent",
    params: { limit: 3000 },
    timeout: 120_000,
  });
  assert.equal(await page.locator("#console > div.console-warning").count(), 0);
  assert.equal(await page.locator(".timeline-svg .marker-warning").count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

// What a click on `selector` downloads, as text.
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), "utf8") };
}

test("Download trace: Chrome's Trace Event JSON, which DevTools' trace engine reads with a track per task", async () => {
  const { page, errors } = await openPlayground(browser);
  await runExample(page, "executor", "virtual", { params: { chunks: 2 }, timeout: 60_000 });
  const tasks = await page.evaluate(() =>
    [...document.querySelector("asyncio-playground").playground.runs[0].model.tasks.values()].map((t) => [
      t.id,
      t.name,
    ]),
  );
  const { name, text } = await download(page, "#download-trace");
  assert.equal(name, "executor-run.trace.json");
  const trace = JSON.parse(text);
  // The format's documented fields.
  for (const event of trace.traceEvents) {
    assert.ok(["X", "i", "M"].includes(event.ph), event.ph);
    assert.equal(typeof event.name, "string");
    assert.ok(Number.isInteger(event.pid) && Number.isInteger(event.tid) && Number.isInteger(event.ts));
    if (event.ph === "X") assert.ok(Number.isInteger(event.dur) && event.dur >= 0);
    if (event.ph === "i") assert.ok(["t", "p", "g"].includes(event.s));
  }
  // A real consumer: the engine behind Chromium DevTools' Performance panel.
  globalThis.DOMRect ??= class DOMRect {};
  const model = TraceEngine.TraceModel.Model.createWithAllHandlers();
  await model.parse(trace.traceEvents);
  const threads = model.parsedTrace().data.Renderer.processes.get(1).threads;
  for (const [id, taskName] of tasks) {
    const thread = threads.get(id);
    assert.ok(thread, `a track for ${taskName}`);
    assert.equal(thread.name, taskName);
    assert.ok(
      thread.entries.some((e) => e.name === "running"),
      `${taskName} runs on its track`,
    );
  }
  assert.ok(
    [...threads.values()].some((t) => /^worker \d$/.test(t.name) && t.entries.some((e) => e.name === "count_primes")),
    "a worker lane with its jobs",
  );
  assert.ok(trace.traceEvents.some((e) => e.ph === "i" && e.name === "print"));
  assert.ok(trace.traceEvents.some((e) => e.ph === "X" && e.name === "waiting on executor"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("Save run, then Open trace: the saved run replays as it ran; bad and cut-short files are refused", async () => {
  const { page, errors } = await openPlayground(browser);
  await runExample(page, "interleaving", "virtual");
  const saved = await download(page, "#save-trace");
  assert.equal(saved.name, "interleaving-run.asyncio-trace.json");
  // Another example, then the saved file.
  await runExample(page, "hello", "virtual");
  await page.setInputFiles("#open-trace", {
    name: saved.name,
    mimeType: "application/json",
    buffer: Buffer.from(saved.text),
  });
  await page.waitForFunction(() => /^Opened/.test(document.getElementById("status").textContent));
  assert.equal(await page.inputValue("#example"), "interleaving");
  await page.focus("#cursor");
  await page.keyboard.press("Home");
  await page.keyboard.press("PageUp");
  const at = await cursor(page);
  assert.equal(at.states.slow, "waiting on sleep, due at 3.000 s");
  assert.equal(at.states.fast, "waiting on sleep, due at 2.000 s");
  assert.equal(await page.locator(".timeline-svg g.task-row").count(), 3);
  // Saving the opened run gives the same file.
  assert.equal((await download(page, "#save-trace")).text, saved.text);
  const refused = async (name, text, pattern) => {
    await page.setInputFiles("#open-trace", { name, mimeType: "application/json", buffer: Buffer.from(text) });
    await page.waitForSelector("#trace-file-error:not([hidden])");
    assert.match(await page.textContent("#trace-file-error"), pattern);
  };
  await refused("cut.json", saved.text.slice(0, saved.text.length / 2), /cut\.json could not be opened: .*cut short/);
  await refused("notes.json", "hello", /notes\.json could not be opened: the file is not JSON/);
  await refused("other.json", '{"traceEvents": []}', /not a saved asyncio playground trace/);
  const changed = saved.text.replace('"kind":"poll-start"', '"kind":"teleported"');
  await refused("changed.json", changed, /of kind the string "teleported", which this page does not know/);
  // What was shown stays.
  assert.equal((await cursor(page)).states.slow, "waiting on sleep, due at 3.000 s");
  assert.deepEqual(errors, []);
  await page.close();
});

test("compare mode: one cursor over both runs, each run's state and tasks", async () => {
  const { page, errors } = await openPlayground(browser);
  await runExample(page, "gather-two", "virtual", { variant: "compare" });
  await page.focus("#cursor");
  await page.keyboard.press("Home");
  await page.keyboard.press("PageUp");
  await page.keyboard.press("PageUp");
  await page.keyboard.press("PageUp");
  await page.keyboard.press("PageUp");
  await page.keyboard.press("PageUp");
  const at = await cursor(page);
  // Half of the sequential run's 3 s: the sequential main task sleeps; both of the other run's tasks too.
  assert.equal(at.ms, 1500);
  const titles = await page.$$eval("#cursor-state .run-state-title", (p) => p.map((x) => x.textContent));
  assert.deepEqual(titles, ["One after another", "Together"]);
  const rows = await table(page);
  assert.deepEqual(
    rows.map((r) => [r.name, r.state]),
    [
      ["One after another: Task-1", "waiting"],
      ["Together: Task-1", "waiting"],
      ["Together: first", "finished"],
      ["Together: second", "waiting"],
    ],
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test("the inspector loads when first needed, not with the page; a speed chosen before it is there holds", async () => {
  const { page, errors, context } = await recordingPage(browser);
  const loads = requestsTo(page, /\/pkg\/page-inspector-[^/]*\.js$/);
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector("#run:not([disabled])");
  assert.deepEqual(loads, [], "the page loads without the inspector");
  assert.equal(
    await page.evaluate(() => document.querySelector("asyncio-playground").playground.inspector.player),
    null,
  );
  assert.equal(await page.inputValue("#replay-speed"), "1");
  await page.selectOption("#replay-speed", "2");
  await page.waitForFunction(() => document.querySelector("asyncio-playground").playground.inspector.player !== null);
  assert.equal(
    await page.evaluate(() => document.querySelector("asyncio-playground").playground.inspector.player.speed),
    2,
  );
  assert.equal(loads.length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the large trace (1 000 tasks × 100 events): scrubbing's frame times", async (t) => {
  const { page, errors } = await openPlayground(browser);
  await page.setViewportSize({ width: 1280, height: 1000 });
  const file = JSON.stringify(largeTraceFile());
  await page.setInputFiles("#open-trace", {
    name: "large.json",
    mimeType: "application/json",
    buffer: Buffer.from(file),
  });
  await page.waitForFunction(() => /^Opened/.test(document.getElementById("status").textContent), null, {
    timeout: 60_000,
  });
  const events = await page.evaluate(
    () => document.querySelector("asyncio-playground").playground.inspector.player.count,
  );
  assert.ok(events >= 95_000, `${events} events`);
  // Frame times while the pointer drags the cursor across the run and back,
  // once the frame that opened the file is over.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 500))));
  await page.evaluate(() => {
    window.frames = [];
    window.longFrames = [];
    new PerformanceObserver((list) => window.longFrames.push(...list.getEntries().map((e) => e.duration))).observe({
      type: "long-animation-frame",
    });
    let last = performance.now();
    const tick = (now) => {
      window.frames.push(now - last);
      last = now;
      if (window.scrubbing) requestAnimationFrame(tick);
    };
    window.scrubbing = true;
    requestAnimationFrame(tick);
  });
  await page.locator("#cursor-track").scrollIntoViewIfNeeded();
  const box = await page.locator("#cursor-track").boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 1, y);
  await page.mouse.down();
  const positions = new Set();
  for (const fraction of [...Array(41).keys()].map((i) => (i <= 20 ? i / 20 : (40 - i) / 20))) {
    await page.mouse.move(box.x + 1 + (box.width - 2) * fraction, y);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    positions.add(await page.getAttribute("#cursor", "aria-valuetext"));
  }
  await page.mouse.up();
  const { frames, longFrames } = await page.evaluate(() => {
    window.scrubbing = false;
    return { frames: window.frames.slice(1), longFrames: window.longFrames };
  });
  assert.ok(positions.size >= 20, `the cursor went through ${positions.size} positions`);
  const sorted = [...frames].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const max = sorted.at(-1);
  const longest = Math.max(0, ...longFrames);
  t.diagnostic(
    `large trace, ${events} events: ${frames.length} frames while scrubbing, median ${median.toFixed(1)} ms, ` +
      `max ${max.toFixed(1)} ms; long animation frames (over 50 ms): ${longFrames.length}, longest ${longest.toFixed(1)} ms`,
  );
  console.log(
    `target scrub frame ≤ 50 ms: max ${max.toFixed(1)} ms, median ${median.toFixed(1)} ms -> ${max <= 50 ? "met" : "MISSED"}`,
  );
  // Figures belong to the report above; here only that nothing froze.
  assert.ok(max < 2000, `no frame froze the page (${max.toFixed(0)} ms)`);
  await page.screenshot({ path: `${SCREENSHOTS}replay-large.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test("in the element: views table and replay alone, the cursor and the table in its shadow root", async () => {
  const html = `<!doctype html><title>replay views</title><script type="module" src="/pkg/embed.js"></script>
    <asyncio-playground id="r" example="gather-two" mode="concurrent" clock="virtual" views="table replay" autorun></asyncio-playground>`;
  const { page, errors, context } = await recordingPage(browser);
  await page.goto(await routeEmbedFixture(page, html));
  await page.waitForFunction(() => window.events.some((e) => e.type === "run-end"), null, { timeout: 20_000 });
  const inside = (selector) => page.locator("#r").locator(selector);
  const shown = await page.evaluate(() =>
    Object.fromEntries(
      [...document.getElementById("r").shadowRoot.querySelectorAll("[data-view]")].map((region) => [
        region.dataset.view,
        region.checkVisibility(),
      ]),
    ),
  );
  assert.deepEqual(shown, { listings: false, console: false, timeline: false, replay: true, table: true });
  assert.equal(await inside("#cursor").getAttribute("aria-valuenow"), "2000");
  assert.equal(await inside("#task-table tbody tr").count(), 3);
  await inside("#cursor").focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() =>
    /event 1 of 37: Task-1 created/.test(
      document.getElementById("r").shadowRoot.getElementById("cursor-event").textContent,
    ),
  );
  assert.match(await inside(".ready-queue").textContent(), /^Ready queue: Task-1$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("in the iframe fallback: the views from its address, replay after the run", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/embed.html#example=hello&clock=virtual&views=replay,table&autorun`);
  const inside = (selector) => page.locator("asyncio-playground").locator(selector);
  await page.waitForFunction(
    () =>
      document
        .querySelector("asyncio-playground")
        .shadowRoot?.getElementById("cursor")
        ?.getAttribute("aria-valuenow") === "1000",
    null,
    { timeout: 20_000 },
  );
  assert.equal(await inside("[data-view=console]").isVisible(), false);
  assert.match(await inside("#cursor").getAttribute("aria-valuetext"), /event 12 of 12$/);
  await inside("#cursor").focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("PageUp");
  await page.waitForFunction(
    () =>
      document.querySelector("asyncio-playground").shadowRoot.getElementById("cursor").getAttribute("aria-valuenow") ===
      "100",
  );
  assert.match(await inside("#cursor-state").textContent(), /Task-1: waiting on sleep, due at 1\.000 s/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("screenshots: replay mid-run, light and dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(baseUrl + "/");
    await page.waitForSelector("#run:not([disabled])");
    await runExample(page, "blocking-vs-offloaded", "virtual", { variant: "sequential", params: { limit: 1000 } });
    await page.focus("#cursor");
    await page.keyboard.press("Home");
    for (let i = 0; i < 5; i += 1) await page.keyboard.press("PageUp");
    await cursor(page);
    await page.locator("[data-view=timeline]").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}replay-${colorScheme}.png`, fullPage: true });
    await context.close();
  }
});
