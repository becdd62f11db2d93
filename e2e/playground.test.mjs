// The playground page, built as `cargo xtask serve` builds it, in headless
// Chromium against the dev server.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { baseUrl, launch, openPlayground, requestsTo, runExample } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("hello on the virtual clock prints Hello, then World at 1.000 s", async () => {
  const { page, errors } = await openPlayground(browser);
  const { lines, status } = await runExample(page, "hello", "virtual");
  assert.deepEqual(lines, ["[0.000 s] Hello", "[1.000 s] World"]);
  assert.match(status, /^Done: 1\.000 s of loop time/);
  assert.deepEqual(errors, []);
});

test("hello on the real clock takes its second, and is not held up", async () => {
  const { page } = await openPlayground(browser);
  const { lines, status } = await runExample(page, "hello", "real");
  assert.equal(lines.length, 2);
  const total = Number(/Done: ([\d.]+) s/.exec(status)[1]);
  // A timer never fires early, but may fire late on a busy machine.
  assert.ok(total >= 1.0 && total < 3, `took ${total} s`);
});

test("the executor example runs its jobs on Web Workers loaded from the page's package", async () => {
  const { page, errors } = await openPlayground(browser);
  const { lines, status } = await runExample(page, "executor", "real");
  assert.match(status, /^Done/);
  const text = lines.map((line) => line.replace(/^\[[\d.]+ s\] /, ""));
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
  assert.deepEqual(errors, []);
});

test("the executor example also completes on the virtual clock", async () => {
  const { page } = await openPlayground(browser);
  const { lines, status } = await runExample(page, "executor", "virtual");
  assert.match(status, /^Done/);
  assert.equal(lines.at(-1).replace(/^\[[\d.]+ s\] /, ""), "primes below 1000000: 78498");
});

test("an example's listings are fetched when it is shown; one that cannot be fetched is named, and the example still runs", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const fetched = requestsTo(page, /\/pkg\/examples\/([^/]+)\.json$/);
  await page.route("**/pkg/examples/event.json", (route) => route.fulfill({ status: 404, body: "gone" }));
  try {
    await page.goto(`${baseUrl}/#example=hello&clock=virtual`);
    await page.waitForSelector("#run:not([disabled])");
    // Ready means the listings are there.
    assert.match(await page.textContent("#python-source code"), /print\("Hello"\)/);
    assert.match(await page.textContent("#rust-source code"), /print\("Hello"\)/);
    assert.deepEqual(fetched, ["hello"]);
    await page.selectOption("#example", "gather-two");
    await page.waitForFunction(() => /asyncio\.gather/.test(document.querySelector("#python-source code").textContent));
    assert.equal(await page.locator("#python-source pre[aria-busy]").count(), 0);
    // Back to one already fetched: not fetched again.
    await page.selectOption("#example", "hello");
    await page.waitForFunction(() =>
      /print\("Hello"\)/.test(document.querySelector("#python-source code").textContent),
    );
    assert.deepEqual(fetched, ["hello", "gather-two"]);
    await page.selectOption("#example", "event");
    await page.waitForFunction(() => !document.getElementById("notice").hidden);
    assert.match(
      await page.textContent("#notice"),
      /^The example's listings could not be shown: the listing of "event" could not be fetched \(HTTP 404\)\. It still runs\.$/,
    );
    await page.click("#run");
    await page.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent));
    assert.notEqual(await page.textContent("#console"), "");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
