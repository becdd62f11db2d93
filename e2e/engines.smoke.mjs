// Smoke tests of the playground page in the engine E2E_ENGINE names
// ("firefox" or "webkit"), driven through WebDriver (see webdriver.mjs),
// against the dev server: every example on the virtual clock, a compare
// run on the real clock, the executor on Web Workers, the network examples
// and Stop. `cargo xtask test` runs this file once per engine; the full
// end-to-end suite (*.test.mjs) runs in Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { By, Select } from "selenium-webdriver";
import { baseUrl, engineFromEnv, launch, waitInPage } from "./webdriver.mjs";

const engine = engineFromEnv();
let browser;
let driver;
let catalogue;

before(async () => {
  browser = await launch(engine.id);
  driver = browser.driver;
  await openPlayground();
  catalogue = await driver.executeScript(() =>
    document
      .querySelector("asyncio-playground")
      .playground.catalogue.map(({ id, needs, comparable }) => ({ id, server: Boolean(needs.server), comparable })),
  );
});
after(async () => {
  await browser?.quit();
});

// Loads the page, waits until it can run, and records the page's uncaught
// errors from then on in `window.smokeErrors`.
async function openPlayground() {
  await driver.get(baseUrl + "/");
  await waitInPage(driver, () => document.querySelector("#run:not([disabled])"), 30_000, "Run never became enabled");
  await driver.executeScript(() => {
    window.smokeErrors = [];
    addEventListener("error", (event) => window.smokeErrors.push(String(event.message)));
    addEventListener("unhandledrejection", (event) => window.smokeErrors.push(String(event.reason)));
  });
}

const pageErrors = () => driver.executeScript(() => window.smokeErrors);

const select = async (id, value) => new Select(await driver.findElement(By.id(id))).selectByValue(value);

async function setParam(name, value) {
  const input = await driver.findElement(By.css(`#params input[name="${name}"]`));
  await input.clear();
  await input.sendKeys(String(value));
}

// Runs `example` on `clock` through the page's controls, as a reader would:
// `{ variant, params, timeout }`. Resolves to the console lines (without
// their time stamps when `bare`) and the status.
async function runExample(example, clock, { variant, params = {}, timeout = 30_000 } = {}) {
  await select("example", example);
  await select("clock", clock);
  if (variant !== undefined) await select("variant", variant);
  for (const [name, value] of Object.entries(params)) await setParam(name, value);
  // The previous run's status must not be taken for this run's.
  await driver.executeScript(() => {
    document.getElementById("status").textContent = "";
  });
  await driver.findElement(By.id("run")).click();
  const status = await waitInPage(
    driver,
    () => {
      const text = document.getElementById("status").textContent;
      return /^(Done|Stopped|Not started|The run failed|The WebAssembly)/.test(text) && text;
    },
    timeout,
    `${example} on the ${clock} clock did not end`,
  );
  const lines = await driver.executeScript(() =>
    [...document.querySelectorAll("#console > div")].map((d) => d.textContent),
  );
  return { lines, status };
}

const bare = (lines) => lines.map((line) => line.replace(/^\[[\d.]+ s\] /, ""));

// The task ids in each run's trace, and the rows its timeline drew.
const rowsAndTasks = () =>
  driver.executeScript(() => {
    const playground = document.querySelector("asyncio-playground").playground;
    const groups = [...document.querySelectorAll(".timeline-svg g.run")];
    return playground.reports.map((report, i) => ({
      tasks: [...new Set(report.trace.filter((e) => e.kind === "task-created").map((e) => e.task))].sort(
        (a, b) => a - b,
      ),
      rows: [...groups[i].querySelectorAll("g.task-row")].map((g) => Number(g.dataset.task)).sort((a, b) => a - b),
      hidden: Number(groups[i].querySelector("g.aggregate-row")?.dataset.hidden ?? 0),
    }));
  });

test(`${engine.name}: hello on the virtual clock prints the exact timeline`, async () => {
  const { lines, status } = await runExample("hello", "virtual");
  assert.deepEqual(lines, ["[0.000 s] Hello", "[1.000 s] World"]);
  assert.match(status, /^Done: 1\.000 s of loop time/);
  assert.deepEqual(await pageErrors(), []);
});

// Real requests take real time even on the virtual clock: shorter delays.
const QUICK = { "http-concurrent": { delay: 0.2 } };

test(`${engine.name}: every example runs on the virtual clock, prints, and has a timeline row per task`, async (t) => {
  assert.ok(catalogue.length >= 10, `the catalogue has ${catalogue.length} examples`);
  for (const example of catalogue) {
    await t.test(example.id, async () => {
      const { lines, status } = await runExample(example.id, "virtual", { params: QUICK[example.id], timeout: 60_000 });
      assert.match(status, /^Done/, `${example.id}: ${status}`);
      assert.ok(lines.length >= 1, `${example.id} printed nothing`);
      for (const run of await rowsAndTasks()) {
        assert.ok(run.tasks.length >= 1, `${example.id}: no task in the trace`);
        if (run.hidden === 0) {
          assert.deepEqual(run.rows, run.tasks, `${example.id}: a row per task`);
        } else {
          assert.equal(run.rows.length + run.hidden, run.tasks.length, `${example.id}: rows plus the aggregate`);
        }
      }
    });
  }
  assert.deepEqual(await pageErrors(), []);
});

test(`${engine.name}: loop-backends has a row per backend, post-task timed or said to be unavailable`, async (t) => {
  const { lines, status } = await runExample("loop-backends", "virtual", { timeout: 60_000 });
  assert.match(status, /^Done/);
  const out = bare(lines);
  for (const name of ["microtask", "set-timeout", "post-task"]) {
    const row = out.find((l) => l.startsWith(`${name} `));
    assert.ok(row, `${name}: ${out.join(" | ")}`);
    assert.match(row, new RegExp(`^${name} +(\\d+\\.\\d ms +\\d+\\.\\d ms +\\d+|unavailable: .+)$`));
    if (name === "post-task") t.diagnostic(row);
  }
  // The default backend never depends on postTask.
  assert.match(
    out.find((l) => l.startsWith("microtask ")),
    /ms/,
  );
});

test(`${engine.name}: compare on the real clock: sequential sleeps add up, concurrent ones overlap`, async () => {
  const { lines, status } = await runExample("sequential-vs-concurrent", "real", {
    variant: "compare",
    timeout: 60_000,
  });
  assert.ok(lines.length >= 2, lines.join(" | "));
  const match = /^Done: ([\d.]+) s vs ([\d.]+) s/.exec(status);
  assert.ok(match, status);
  const [sequential, concurrent] = match.slice(1, 3).map(Number);
  // Five 1 s sleeps one after another, then the same five at once. Timers
  // never fire early (the status rounds to the millisecond) but may fire
  // late on a busy machine, so only the lower bounds are tight.
  assert.ok(sequential >= 4.999 && sequential < 10, `sequential took ${sequential} s`);
  assert.ok(concurrent >= 0.999 && concurrent < 3, `concurrent took ${concurrent} s`);
  assert.equal(await driver.findElements(By.css(".timeline-svg g.run")).then((runs) => runs.length), 2);
});

test(`${engine.name}: the executor example runs its jobs on Web Workers while the loop ticks`, async () => {
  const { lines, status } = await runExample("executor", "real", { timeout: 60_000 });
  assert.match(status, /^Done/);
  const text = bare(lines);
  assert.ok(!text.some((l) => l.includes("inline")), `ran inline: ${text.join(" | ")}`);
  assert.deepEqual(
    text.filter((l) => l.startsWith("primes in chunk")),
    ["primes in chunk 0: 22044", "primes in chunk 1: 19494", "primes in chunk 2: 18700", "primes in chunk 3: 18260"],
  );
  assert.equal(text.at(-1), "primes below 1000000: 78498");
  assert.ok(
    text.some((l) => l.startsWith("tick 1:")),
    "the loop kept ticking while the jobs ran",
  );
  const lanes = await driver.executeScript(() => {
    const report = document.querySelector("asyncio-playground").playground.reports[0];
    return [...new Set(report.trace.filter((e) => e.kind === "job-started").map((e) => e.worker))];
  });
  assert.ok(
    lanes.length >= 1 && lanes.every((lane) => Number.isInteger(lane)),
    `worker lanes: ${JSON.stringify(lanes)}`,
  );
  assert.deepEqual(await pageErrors(), []);
});

test(`${engine.name}: http-gather: pages arrive out of order, print in request order`, async () => {
  const { lines, status } = await runExample("http-gather", "real", { timeout: 60_000 });
  assert.match(status, /^Done/);
  const out = bare(lines);
  assert.deepEqual(
    out.filter((l) => l.endsWith("arrived")),
    ["page 5 arrived", "page 4 arrived", "page 3 arrived", "page 2 arrived", "page 1 arrived"],
  );
  const titles = out.filter((l) => l.startsWith("Page "));
  assert.deepEqual(
    titles.map((l) => l.split(":")[0]),
    ["Page 1", "Page 2", "Page 3", "Page 4", "Page 5"],
  );
  assert.deepEqual(await pageErrors(), []);
});

test(`${engine.name}: websocket-echo: each message comes back, then a clean close`, async () => {
  const { lines, status } = await runExample("websocket-echo", "real", { timeout: 60_000 });
  assert.match(status, /^Done/);
  const out = bare(lines);
  assert.deepEqual(
    out.filter((l) => l.startsWith("received:")),
    ["received: hello 1", "received: hello 2", "received: hello 3"],
  );
  assert.equal(out.at(-1), "closed with code 1000: done");
});

test(`${engine.name}: Stop during a long run ends it, stopped`, async () => {
  await select("example", "hello");
  await select("clock", "real");
  await setParam("delay", 10);
  const started = Date.now();
  await driver.findElement(By.id("run")).click();
  await waitInPage(
    driver,
    () => document.querySelectorAll("#console > div").length === 1,
    10_000,
    "Hello was never printed",
  );
  assert.equal(await driver.findElement(By.id("stop")).isEnabled(), true);
  await driver.findElement(By.id("stop")).click();
  const status = await waitInPage(
    driver,
    () => {
      const text = document.getElementById("status").textContent;
      return /^Stopped/.test(text) && text;
    },
    8_000,
    "the run did not stop",
  );
  assert.match(status, /^Stopped/);
  assert.ok(Date.now() - started < 9_000, "it stopped before the 10 s sleep ended");
  assert.equal(await driver.findElement(By.id("run")).isEnabled(), true);
  assert.equal(
    await driver.executeScript(() => document.querySelector("asyncio-playground").playground.reports[0].stopped),
    true,
  );
  assert.deepEqual(await pageErrors(), []);
});
