// Embedding from another origin: the embed code copied from the page into
// a plain HTML file served on a second port (the module script, the wasm,
// the worker script and the network examples' requests all cross origins),
// and the iframe fallback, embed.html, with its height and run / stop
// messages and the origin checks on both sides.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { baseUrl, launch, listen, openPlayground, recordingPage, runExample } from "./browser.mjs";

const FRAME_PARENT = await readFile(new URL("./fixtures/frame-parent.html", import.meta.url), "utf8");

let browser;
let elsewhere;
before(async () => {
  browser = await launch();
  elsewhere = await serveElsewhere();
});
after(async () => {
  await browser?.close();
  await elsewhere?.close();
});

// A plain static server on another port (so another origin) with no
// special headers, answering each path with the HTML `pages` holds for it.
async function serveElsewhere() {
  const pages = new Map();
  const server = await listen((request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    const body = pages.get(path);
    if (body === undefined) {
      // The browser asks for /favicon.ico on its own; nothing else is expected.
      response.writeHead(path === "/favicon.ico" ? 204 : 404);
      response.end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(body);
  });
  assert.notEqual(server.origin, new URL(baseUrl).origin);
  return {
    ...server,
    // Serves `html` at `path`; resolves to its URL.
    page(path, html) {
      pages.set(path, html);
      return server.origin + path;
    },
  };
}

// Opens `url` on a page that records errors and playground events.
async function open(url) {
  const opened = await recordingPage(browser);
  await opened.page.goto(url);
  return opened;
}

// The embed code the page's "Copy embed code" gives for `example` with
// `clock` (and `params`).
async function embedCodeFor(page, example, clock, params = {}) {
  await page.selectOption("#example", example);
  await page.selectOption("#clock", clock);
  for (const [name, value] of Object.entries(params)) await page.fill(`#params input[name="${name}"]`, String(value));
  await page.click("#copy-embed");
  await page.waitForFunction(() => /Embed code|Copying/.test(document.getElementById("status").textContent));
  return page.textContent("#share-text");
}

test("embed code copied from the page works in a plain HTML file on another origin", { timeout: 120_000 }, async () => {
  const { page: source } = await openPlayground(browser);
  const codes = [
    await embedCodeFor(source, "hello", "virtual", { delay: 0.5 }),
    await embedCodeFor(source, "executor", "real", { chunks: 2 }),
    await embedCodeFor(source, "http-gather", "real"),
  ];
  await source.close();
  for (const code of codes)
    assert.match(
      code,
      new RegExp(`^<script type="module" src="${baseUrl}/pkg/embed.js"></script>\n<asyncio-playground `),
    );
  // Pasted one after another, as an author would, each element given an id.
  const body = codes
    .map((code, i) => code.replace("<asyncio-playground ", `<asyncio-playground id="e${i}" `))
    .join("\n<p>Some prose.</p>\n");
  const url = elsewhere.page(
    "/tutorial.html",
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>A tutorial</title></head><body>\n${body}\n</body></html>`,
  );
  const { page, errors, context } = await open(url);
  assert.notEqual(new URL(page.url()).origin, new URL(baseUrl).origin);
  await page.waitForFunction(() => window.events.filter((e) => e.type === "ready").length === 3, null, {
    timeout: 20_000,
  });

  const results = await page.evaluate(async () =>
    Promise.all(
      ["e0", "e1", "e2"].map(async (id) => {
        const element = document.getElementById(id);
        await element.run();
        const lines = [...element.shadowRoot.querySelectorAll("#console > div")].map((d) =>
          d.textContent.replace(/^\[[\d.]+ s\] /, ""),
        );
        const trace = element.playground.reports.flatMap((r) => r.trace);
        return {
          id,
          status: element.shadowRoot.querySelector("#status").textContent,
          lines,
          workers: trace.filter((e) => e.kind === "job-started").map((e) => e.worker),
          requests: trace.filter((e) => e.kind === "io-ended").map((e) => e.outcome),
        };
      }),
    ),
  );
  const [hello, executor, http] = results;
  // The element's stylesheet came across too.
  assert.equal(
    await page.evaluate(() => getComputedStyle(document.getElementById("e0")).backgroundColor),
    "rgb(253, 253, 252)",
  );
  assert.match(hello.status, /^Done/, hello.status);
  assert.deepEqual(hello.lines, ["Hello", "World"]);

  // The pool's workers started across origins (a same-origin blob: module
  // importing the worker script), not the inline fallback.
  assert.match(executor.status, /^Done/, executor.status);
  assert.ok(!executor.lines.some((l) => /warning/.test(l)), executor.lines.join(" | "));
  assert.equal(executor.workers.length, 2);
  assert.ok(
    executor.workers.every((w) => w !== null),
    `lanes ${executor.workers}`,
  );
  assert.ok(executor.lines.includes("primes below 500000: 41538"), executor.lines.join(" | "));

  // The network example reaches the server the script came from.
  assert.match(http.status, /^Done/, http.status);
  assert.ok(http.requests.length >= 1 && http.requests.every((o) => /^200/.test(o)), JSON.stringify(http.requests));
  assert.deepEqual(errors, []);
  const ends = await page.evaluate(() =>
    window.events.filter((e) => e.type === "run-end").map((e) => [e.id, e.detail.stopped]),
  );
  assert.deepEqual(ends.sort(), [
    ["e0", false],
    ["e1", false],
    ["e2", false],
  ]);
  await context.close();
});

// The frame parent page on the second origin, framing embed.html with
// `hash`; resolves when the playground in the frame is ready to run.
async function openFrame(hash, path) {
  const src = `${baseUrl}/embed.html#${hash}`;
  const url = elsewhere.page(path, FRAME_PARENT.replace("FRAME_SRC", src.replaceAll("&", "&amp;")));
  const { page, errors, context } = await open(url);
  const frame = page.frameLocator("#playground");
  await frame.locator("#run:not([disabled])").waitFor({ timeout: 20_000 });
  return { page, errors, context, frame };
}

function messages(page, type) {
  return page.evaluate((type) => window.messages.filter((m) => type === undefined || m.type === type), type);
}

test("iframe fallback: the frame posts its height, and the parent sizes it to fit", async () => {
  const hash = `example=sequential-vs-concurrent&mode=compare&clock=virtual&params=tasks%3D3&origin=${encodeURIComponent(elsewhere.origin)}`;
  const { page, errors, context, frame } = await openFrame(hash, "/frame-height.html");
  await page.waitForFunction(
    () => window.messages.some((m) => m.type === "ready") && window.messages.some((m) => m.type === "height"),
  );
  const frameHeight = () => frame.locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
  const iframeHeight = () => page.locator("#playground").evaluate((f) => f.getBoundingClientRect().height);
  const before = await frameHeight();
  await page.waitForFunction((h) => document.getElementById("playground").getBoundingClientRect().height === h, before);
  assert.equal((await messages(page, "height")).at(-1).height, before);
  assert.ok(before > 300, `the frame is ${before} px tall`);
  // The hash's settings reached the element.
  assert.equal(await frame.locator("#variant").inputValue(), "compare");
  assert.equal(await frame.locator('#params input[name="tasks"]').inputValue(), "3");
  // A run fills the console and the timeline: taller, and told so.
  await page.evaluate(() => window.send("run"));
  await page.waitForFunction(() => window.messages.some((m) => m.type === "run-end"));
  await page.waitForFunction((h) => window.messages.filter((m) => m.type === "height").at(-1).height > h, before);
  const after = await frameHeight();
  await page.waitForFunction((h) => document.getElementById("playground").getBoundingClientRect().height === h, after);
  assert.equal(await iframeHeight(), after);
  // The iframe shows all of it: no scrolling inside.
  assert.equal(await frame.locator("html").evaluate((html) => html.scrollHeight <= innerHeight), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("iframe fallback: run and stop messages, answered with the element's events", async () => {
  const hash = `example=hello&clock=real&params=delay%3D5&origin=${encodeURIComponent(elsewhere.origin)}`;
  const { page, errors, context, frame } = await openFrame(hash, "/frame-run.html");
  await page.waitForFunction(() => window.messages.some((m) => m.type === "ready"));
  await page.evaluate(() => window.send("run"));
  await page.waitForFunction(() => window.messages.some((m) => m.type === "run-start"));
  const [start] = await messages(page, "run-start");
  assert.deepEqual(start.detail, { example: "hello", mode: "run", clock: "real", params: { delay: 5 } });
  await frame.locator("#console > div").first().waitFor();
  await page.evaluate(() => window.send("stop"));
  await page.waitForFunction(() => window.messages.some((m) => m.type === "run-end"), null, { timeout: 4_000 });
  const [end] = await messages(page, "run-end");
  assert.equal(end.detail.stopped, true);
  assert.ok(end.detail.totalMs < 5_000, `${end.detail.totalMs}`);
  assert.match(await frame.locator("#status").textContent(), /^Stopped/);
  // An unknown command does nothing.
  await page.evaluate(() => window.send("explode"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("iframe fallback: a frame told another parent origin sends nothing and obeys nothing", async () => {
  const hash = "example=hello&clock=virtual&origin=http%3A%2F%2Fsomewhere-else.invalid";
  const { page, context, frame } = await openFrame(hash, "/frame-wrong-origin.html");
  // The page's own forged message (not from the frame) is ignored too.
  await page.evaluate(() => window.postMessage({ source: "asyncio-playground", type: "height", height: 5 }, "*"));
  await page.evaluate(() => window.send("run"));
  // The frame is ready and would have posted by now; give a run time to start.
  await page.waitForTimeout(1_000);
  assert.deepEqual(await messages(page), []);
  assert.equal(await frame.locator("#status").textContent(), "Ready.");
  assert.equal(await frame.locator("#console > div").count(), 0);
  assert.notEqual(await page.locator("#playground").evaluate((f) => f.getBoundingClientRect().height), 5);
  await context.close();
});

test("iframe fallback: unknown settings in its address are named in a notice", async () => {
  const hash = `example=hello&colour=blue&origin=${encodeURIComponent(elsewhere.origin)}`;
  const { frame, context } = await openFrame(hash, "/frame-unknown.html");
  assert.match(
    await frame.locator("#frame-notice").textContent(),
    /Unknown settings in the address were ignored: colour/,
  );
  assert.equal(await frame.locator("#example").inputValue(), "hello");
  await context.close();
  const bad = await openFrame("example=hello&origin=nowhere", "/frame-bad-origin.html");
  assert.match(await bad.frame.locator("#frame-notice").textContent(), /"nowhere" is not an origin/);
  await bad.context.close();
});

test("the embed code carries the server for a network example only when it is not the default", async () => {
  const { page } = await openPlayground(browser);
  const plain = await embedCodeFor(page, "http-gather", "real");
  assert.doesNotMatch(plain, /base-url/);
  await page.fill("#base-url", "http://api.example.test:9000");
  const other = await embedCodeFor(page, "http-gather", "real");
  assert.match(other, / base-url="http:\/\/api\.example\.test:9000"><\/asyncio-playground>$/);
  await page.close();
});

const WWW = fileURLToPath(new URL("../www/", import.meta.url));
const TYPES = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
};

// `www/` on a plain static host: files with their types and CORS, nothing
// else (no API, no Content-Security-Policy).
function staticHost() {
  return listen(async (request, response) => {
    let path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(WWW, `.${path}`);
    try {
      if (!file.startsWith(WWW.replace(/[\\/]$/, "") + sep)) throw new Error("outside");
      const body = await readFile(file);
      response.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "access-control-allow-origin": "*",
      });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
}

test(
  "www/ copied to a plain static host: the page runs, workers included; network examples need a server's address",
  { timeout: 120_000 },
  async (t) => {
    const host = await staticHost();
    t.after(() => host.close());
    const context = await browser.newContext();
    t.after(() => context.close());
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${host.origin}/`);
    await page.waitForSelector("#run:not([disabled])");
    const hello = await runExample(page, "hello", "virtual");
    assert.match(hello.status, /^Done/);
    const executor = await runExample(page, "executor", "real", { params: { chunks: 2 } });
    assert.match(executor.status, /^Done/, executor.status);
    assert.ok(
      executor.lines.some((l) => l.endsWith("primes below 500000: 41538")),
      executor.lines.join(" | "),
    );
    assert.ok(!executor.lines.some((l) => /warning/.test(l)), executor.lines.join(" | "));
    // No API here: the network example says so instead of running.
    const alone = await runExample(page, "http-gather", "real");
    assert.match(alone.status, /^Not started: The server at .* answered 404 for \/api\/stats/);
    // Given the dev server's address, it runs against it.
    const served = await runExample(page, "http-gather", "real", { baseUrl });
    assert.match(served.status, /^Done/, served.status);
    assert.deepEqual(errors, []);
  },
);
