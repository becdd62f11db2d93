// The playground page's behaviour: every example, compare mode, parameters,
// the keyboard, Stop, a trapped module, the Content-Security-Policy, and
// screenshots in light and dark, wide and narrow, under
// target/screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { CSP, baseUrl, launch, openPlayground, runExample } from "./browser.mjs";

const SCREENSHOTS = fileURLToPath(new URL("../target/screenshots/", import.meta.url));

let browser;
let catalogue;
before(async () => {
  browser = await launch();
  const { page } = await openPlayground(browser);
  catalogue = await page.evaluate(() =>
    document.querySelector("asyncio-playground").playground.catalogue.map(({ id, needs, comparable, variants }) => ({
      id,
      needs: { ...needs },
      comparable,
      variants: variants.map((v) => v.id),
    })),
  );
  await page.close();
});
after(async () => {
  await browser?.close();
});

// The task ids in a run's trace, and the rows its timeline drew.
async function rowsAndTasks(page) {
  return page.evaluate(() => {
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
}

test("the page is sent with its Content-Security-Policy and loads under it with no errors", async () => {
  const response = await fetch(baseUrl + "/");
  assert.equal(response.headers.get("content-security-policy"), CSP);
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  await page.goto(baseUrl + "/");
  await page.waitForSelector("#run:not([disabled])");
  const { lines, status } = await runExample(page, "hello", "virtual");
  assert.deepEqual(lines, ["[0.000 s] Hello", "[1.000 s] World"]);
  assert.match(status, /^Done/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("every example that needs no server runs on the virtual clock, prints, and has a timeline row per task", async (t) => {
  const { page, errors } = await openPlayground(browser);
  for (const example of catalogue.filter((e) => !e.needs.server)) {
    await t.test(example.id, async () => {
      const { lines, status } = await runExample(page, example.id, "virtual", { timeout: 20_000 });
      assert.match(status, /^Done/, `${example.id}: ${status}`);
      assert.ok(lines.length >= 1, `${example.id} printed nothing`);
      for (const run of await rowsAndTasks(page)) {
        assert.ok(run.tasks.length >= 1, `${example.id}: no task in the trace`);
        if (run.hidden === 0) {
          assert.deepEqual(run.rows, run.tasks, `${example.id}: a row per task`);
        } else {
          assert.equal(run.rows.length + run.hidden, run.tasks.length, `${example.id}: rows plus the aggregate`);
        }
      }
    });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("compare mode: sequential sleeps add up, concurrent ones overlap; the speed-up is their ratio", async (t) => {
  const example = catalogue.find((e) => e.id === "sequential-vs-concurrent");
  if (!example) {
    t.skip("sequential-vs-concurrent is not in the catalogue yet");
    return;
  }
  assert.ok(example.comparable);
  const { page } = await openPlayground(browser);
  const { lines, status } = await runExample(page, example.id, "real", { variant: "compare", timeout: 20_000 });
  assert.ok(lines.length >= 2);
  const match = /^Done: ([\d.]+) s vs ([\d.]+) s: ([\d.]+)× faster/.exec(status);
  assert.ok(match, status);
  const [sequential, concurrent, speedUp] = match.slice(1).map(Number);
  // Five 1 s sleeps one after another, then at once: timers never fire
  // early but may fire late on a busy machine, so only the lower bounds are
  // tight (the benchmark measures timer accuracy).
  assert.ok(sequential >= 5 && sequential < 10, `sequential took ${sequential} s`);
  assert.ok(concurrent >= 1 && concurrent < 3, `concurrent took ${concurrent} s`);
  // The figure shown is the ratio of the two times shown (to rounding).
  assert.ok(Math.abs(speedUp - sequential / concurrent) < 0.1, `speed-up ${speedUp}`);
  assert.equal(await page.locator(".timeline-svg g.run").count(), 2);
  await page.close();
});

test("a parameter out of its range is refused with the range, and nothing runs", async () => {
  const { page } = await openPlayground(browser);
  await page.selectOption("#example", "hello");
  await page.fill('#params input[name="delay"]', "99");
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Not started"));
  const message = await page.textContent("#param-error");
  assert.match(message, /Sleep must be a number .*0.*10/);
  assert.ok(await page.isVisible("#param-error"));
  assert.equal(await page.locator("#console > div").count(), 0);
  assert.equal(await page.getAttribute('#params input[name="delay"]', "aria-invalid"), "true");
  await page.fill('#params input[name="delay"]', "0.5");
  assert.equal(await page.isVisible("#param-error"), false);
  await page.close();
});

test("keyboard only: Tab to the picker, change the example, Ctrl+Enter runs", async () => {
  const { page } = await openPlayground(browser);
  let focused = "";
  for (let i = 0; i < 10 && focused !== "example"; i += 1) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.id);
  }
  assert.equal(focused, "example", "Tab reaches the example picker");
  const first = await page.textContent("#example-title");
  await page.keyboard.press("ArrowDown");
  const second = await page.textContent("#example-title");
  assert.notEqual(second, first, "ArrowDown changes the example");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.textContent("#example-title"), first);
  // On to the clock: pick the virtual one, then run from the keyboard.
  while ((await page.evaluate(() => document.activeElement?.id)) !== "clock") await page.keyboard.press("Tab");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.inputValue("#clock"), "virtual");
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent));
  assert.equal(await page.locator("#console > div").count(), 2);
  await page.close();
});

test("Stop during a long run ends it, stopped", async () => {
  const { page } = await openPlayground(browser);
  await page.selectOption("#example", "hello");
  await page.selectOption("#clock", "real");
  await page.fill('#params input[name="delay"]', "10");
  const started = Date.now();
  await page.click("#run");
  await page.waitForFunction(() => document.querySelectorAll("#console > div").length === 1);
  assert.equal(await page.isEnabled("#stop"), true);
  await page.click("#stop");
  await page.waitForFunction(() => /^Stopped/.test(document.getElementById("status").textContent), null, {
    timeout: 5_000,
  });
  assert.ok(Date.now() - started < 5_000, "it stopped long before the sleep ended");
  assert.equal(await page.isEnabled("#run"), true);
  assert.equal(await page.isEnabled("#stop"), false);
  assert.equal(
    await page.evaluate(() => document.querySelector("asyncio-playground").playground.reports[0].stopped),
    true,
  );
  await page.close();
});

test("Stop during http-concurrent aborts its requests: the server sees them abandoned", async () => {
  const { page } = await openPlayground(browser);
  await fetch(baseUrl + "/api/stats/reset", { method: "POST" });
  await page.selectOption("#example", "http-concurrent");
  await page.selectOption("#variant", "concurrent");
  await page.selectOption("#clock", "real");
  await page.fill('#params input[name="delay"]', "10");
  await page.click("#run");
  // All five requests are in flight at the server before Stop.
  const inFlight = async () => (await (await fetch(baseUrl + "/api/stats")).json()).delay_in_flight;
  for (let i = 0; i < 50 && (await inFlight()) < 5; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await inFlight(), 5);
  await page.click("#stop");
  await page.waitForFunction(() => /^Stopped/.test(document.getElementById("status").textContent), null, {
    timeout: 5_000,
  });
  let stats = {};
  for (let i = 0; i < 50; i++) {
    stats = await (await fetch(baseUrl + "/api/stats")).json();
    if (stats.delay_abandoned >= 5) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(stats.delay_abandoned, 5, JSON.stringify(stats));
  assert.equal(stats.delay_completed, 0, "none ran its 10 s out");
  await page.close();
});

test("after the module traps, the error is shown and the next run starts a fresh module", async () => {
  const { page } = await openPlayground(browser);
  await page.selectOption("#clock", "virtual");
  await page.evaluate(() => {
    const api = document.querySelector("asyncio-playground").playground.pkg.api;
    api.startRun = () => {
      throw new WebAssembly.RuntimeError("unreachable");
    };
  });
  await page.click("#run");
  await page.waitForFunction(() => /crashed/.test(document.getElementById("status").textContent));
  assert.match(await page.textContent("#status"), /RuntimeError: unreachable.*fresh module/);
  const { lines, status } = await runExample(page, "hello", "virtual");
  assert.match(status, /^Done/);
  assert.equal(lines.length, 2);
  assert.equal(await page.evaluate(() => document.querySelector("asyncio-playground").playground.pkg.generation), 2);
  await page.close();
});

test("screenshots: light and dark, wide and narrow; time to the first example ready", async (t) => {
  await mkdir(SCREENSHOTS, { recursive: true });
  const show = catalogue.some((e) => e.id === "sequential-vs-concurrent") ? "sequential-vs-concurrent" : "hello";
  for (const colorScheme of ["light", "dark"]) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(baseUrl + "/");
      await page.waitForSelector("#run:not([disabled])");
      const readyMs = await page.evaluate(() => performance.now());
      t.diagnostic(`${colorScheme} ${width}px: Run enabled ${readyMs.toFixed(0)} ms after navigation start`);
      await runExample(page, show, "virtual");
      await page.locator(".timeline-svg").waitFor();
      const path = `${SCREENSHOTS}playground-${colorScheme}-${width}.png`;
      await page.screenshot({ path, fullPage: true });
      t.diagnostic(path);
      await context.close();
    }
  }
});
