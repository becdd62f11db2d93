// The network, executor and loop examples on the real page, against the
// dev server: request timings, gather's order, the WebSocket echo, the
// blocking call's stall and the loop backends' table.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { baseUrl, launch, openPlayground, runExample } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const text = (lines) => lines.map((line) => line.replace(/^\[[\d.]+ s\] /, ""));

// Runs `variant` of `example` with `params` through the page's WebAssembly
// package directly, against the server that serves the page (or `server`), for what the
// page does not show as text: the loop time and the trace. Resolves to
// `{ totalMs, lines, trace }`.
async function runVariant(page, example, variant, clock, params = {}, server = null) {
  return page.evaluate(
    async ({ example, variant, clock, params, server }) => {
      const url = new URL("pkg/playground_io.js", document.baseURI).href;
      const wasm = await import(url);
      await wasm.default(); // initialises the I/O module, unless the page has
      const run = wasm.startRun(example, variant, clock, params, server ?? location.origin, () => {});
      const { decodeReport } = await import(new URL("trace.js", document.baseURI).href);
      const report = decodeReport(await run.finished);
      return {
        totalMs: report.totalMs,
        lines: report.lines.map((line) => line.text),
        trace: report.trace.map((event) => ({ ...event })),
      };
    },
    { example, variant, clock, params, server },
  );
}

test("http-concurrent: five 3 s requests together take one delay, not five", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPlayground(browser);
  const { totalMs, lines } = await runVariant(page, "http-concurrent", "concurrent", "real");
  const responses = lines.filter((l) => l.startsWith("response "));
  assert.equal(responses.length, 5, lines.join(" | "));
  for (const line of responses) {
    assert.match(line, /^response \d: 200 \{.*"requested_ms":3000/);
  }
  // At least the server's 3 s; one after another they would take 15 s.
  assert.ok(totalMs >= 3000 && totalMs < 9000, `took ${totalMs} ms`);
  assert.match(lines.at(-1), /^5 requests took [\d.]+ s$/);
  assert.deepEqual(errors, []);
});

test("http-concurrent: one after another, the delays add up", { timeout: 60_000 }, async () => {
  const { page } = await openPlayground(browser);
  const { totalMs, lines } = await runVariant(page, "http-concurrent", "sequential", "real", { n: 3, delay: 0.5 });
  assert.deepEqual(
    lines.filter((l) => l.startsWith("response ")).map((l) => l.slice(0, 14)),
    ["response 1: 20", "response 2: 20", "response 3: 20"],
  );
  // Three 0.5 s delays in a row, at least.
  assert.ok(totalMs >= 1500 && totalMs < 15_000, `took ${totalMs} ms`);
});

test("http-concurrent: an unreachable server gets a clear message", { timeout: 60_000 }, async () => {
  const { page } = await openPlayground(browser);
  const lines = await page.evaluate(async () => {
    const wasm = await import(new URL("pkg/playground_io.js", document.baseURI).href);
    await wasm.default();
    const run = wasm.startRun("http-concurrent", "concurrent", "real", { delay: 0 }, "http://127.0.0.1:9", () => {});
    const { decodeReport } = await import(new URL("trace.js", document.baseURI).href);
    return decodeReport(await run.finished).lines.map((line) => line.text);
  });
  assert.equal(lines.length, 1, lines.join(" | "));
  assert.match(lines[0], /needs it \(start it with `cargo xtask serve`\) or another base URL/);
});

test("http-gather: pages arrive out of order, print in request order", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPlayground(browser);
  const { lines, status } = await runExample(page, "http-gather", "real");
  assert.match(status, /^Done/);
  const out = text(lines);
  assert.deepEqual(
    out.filter((l) => l.endsWith("arrived")),
    ["page 5 arrived", "page 4 arrived", "page 3 arrived", "page 2 arrived", "page 1 arrived"],
  );
  const titles = out.filter((l) => l.startsWith("Page "));
  assert.deepEqual(
    titles.map((l) => l.split(":")[0]),
    ["Page 1", "Page 2", "Page 3", "Page 4", "Page 5"],
  );
  for (const line of titles) assert.match(line, /: \d items, \d+ bytes$/);
  assert.deepEqual(errors, []);
});

test("websocket-echo: each message comes back; open and close are in the trace", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPlayground(browser);
  const { lines, status } = await runExample(page, "websocket-echo", "real");
  assert.match(status, /^Done/);
  const out = text(lines);
  assert.deepEqual(
    out.filter((l) => l.startsWith("received:")),
    ["received: hello 1", "received: hello 2", "received: hello 3"],
  );
  assert.equal(out.at(-1), "closed with code 1000: done");
  const { trace } = await runVariant(page, "websocket-echo", "run", "real", { messages: 1 });
  const started = trace.find((e) => e.kind === "io-started" && e.label.includes("/ws/echo"));
  assert.ok(started, "the connection's span starts");
  const ended = trace.find((e) => e.kind === "io-ended" && e.io === started.io);
  assert.ok(ended, "and ends");
  assert.equal(ended.outcome, "closed 1000 done");
  assert.deepEqual(errors, []);
});

test("websocket-echo: the socket's address is built as a URL, whatever path or query the server's has", async () => {
  const { page, errors } = await openPlayground(browser);
  const origin = new URL(baseUrl).origin;
  const ws = origin.replace(/^http/, "ws");
  for (const server of [`${origin}/?a=/ws/echo`, `${origin}/some/path/`, `${origin}/some/path?x=1#frag`]) {
    const { lines } = await runVariant(page, "websocket-echo", "run", "real", { messages: 1 }, server);
    assert.equal(lines[0], `connecting to ${ws}/ws/echo`, server);
    assert.deepEqual(lines.slice(-2), ["received: hello 1", "closed with code 1000: done"], server);
  }
  const refused = await runVariant(page, "websocket-echo", "run", "real", { messages: 1 }, "ftp://127.0.0.1/");
  assert.deepEqual(refused.lines, ["no WebSocket address: 'ftp://127.0.0.1' is a ftp: URL, not http or https"]);
  assert.deepEqual(errors, []);
});

const ticksDuring = (lines) => {
  const line = lines.find((l) => l.startsWith("ticks while the work ran: "));
  assert.ok(line, lines.join(" | "));
  return Number(line.split(": ")[1]);
};

test("blocking-vs-offloaded: the ticker stops while blocked, not when offloaded", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPlayground(browser);
  const options = (variant) => ({ variant, params: { limit: 2000 }, timeout: 50_000 });
  const blocking = text((await runExample(page, "blocking-vs-offloaded", "real", options("sequential"))).lines);
  const offloaded = text((await runExample(page, "blocking-vs-offloaded", "real", options("concurrent"))).lines);
  assert.ok(blocking.includes("primes below 2000000: 148933"), blocking.join(" | "));
  assert.ok(offloaded.includes("primes below 2000000: 148933"), offloaded.join(" | "));
  assert.equal(ticksDuring(blocking), 0);
  assert.ok(!offloaded.some((l) => l.includes("inline")), offloaded.join(" | "));
  assert.ok(ticksDuring(offloaded) >= 1, offloaded.join(" | "));
  assert.deepEqual(errors, []);
});

test("loop-backends: a row per backend", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPlayground(browser);
  const { lines, status } = await runExample(page, "loop-backends", "virtual");
  assert.match(status, /^Done/);
  const out = text(lines);
  assert.match(out[0], /^backend +200000 switches +200000 × sleep\(0\) +turns$/);
  for (const name of ["microtask", "set-timeout", "post-task"]) {
    const row = out.find((l) => l.startsWith(`${name} `));
    assert.ok(row, `${name}: ${out.join(" | ")}`);
    assert.match(row, new RegExp(`^${name} +(\\d+\\.\\d ms +\\d+\\.\\d ms +\\d+|unavailable: .+)$`));
  }
  assert.deepEqual(errors, []);
});
