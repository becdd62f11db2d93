// `<asyncio-playground>` as a custom element should be: defined once however
// often its script loads; everything it adds to the document released when
// it is removed, its run stopped (the server sees the requests abandoned
// and no new ones); usable again when put back; attributes reflected as
// properties; and events that cannot be taken for the DOM's own.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { baseUrl, launch, recordingPage, routeEmbedFixture } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Opens `body` (after the element's script) on the server's origin, with
// the document's and window's listeners and the ResizeObservers counted:
// `window.listening()` lists those still added, `window.observing()` how
// many observers still observe.
async function open(body) {
  const opened = await recordingPage(browser);
  await opened.page.addInitScript(() => {
    const added = new Map();
    const key = (target, type) => `${target === document ? "document" : "window"} ${type}`;
    for (const target of [window, document]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      target.addEventListener = (type, listener, options) => {
        if (!type.startsWith("playground-")) {
          const entries = added.get(listener) ?? new Set();
          entries.add(key(target, type));
          added.set(listener, entries);
        }
        return add(type, listener, options);
      };
      target.removeEventListener = (type, listener, options) => {
        added.get(listener)?.delete(key(target, type));
        return remove(type, listener, options);
      };
    }
    window.listening = () => [...added.values()].flatMap((entries) => [...entries]).sort();
    const observing = new Set();
    const { observe, disconnect } = ResizeObserver.prototype;
    ResizeObserver.prototype.observe = function (...args) {
      observing.add(this);
      return observe.apply(this, args);
    };
    ResizeObserver.prototype.disconnect = function () {
      observing.delete(this);
      return disconnect.call(this);
    };
    window.observing = () => observing.size;
  });
  const html = `<!doctype html><html lang="en"><head><title>element</title><script type="module" src="/pkg/embed.js"></script></head><body>${body}</body></html>`;
  await opened.page.goto(await routeEmbedFixture(opened.page, html));
  return opened;
}

const stats = async () => (await fetch(`${baseUrl}/api/stats`)).json();

async function until(what, check, timeout = 10_000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what}: not within ${timeout} ms (last: ${JSON.stringify(last)})`);
}

test("the script may load twice, under another URL too: one definition, no error", async () => {
  const { page, errors, context } = await open(`<asyncio-playground id="a" example="hello"></asyncio-playground>
    <script type="module" src="/pkg/embed.js?again"></script>`);
  await page.waitForFunction(() => window.events.some((e) => e.type === "ready"));
  await page.evaluate(() => import("/pkg/embed.js?third=1"));
  await page.evaluate(() => import(new URL("pkg/embed.js#fourth", document.baseURI).href));
  assert.equal(
    await page.evaluate(() => customElements.get("asyncio-playground") === document.getElementById("a").constructor),
    true,
  );
  await page.evaluate(() => {
    const element = document.createElement("asyncio-playground");
    element.id = "b";
    element.setAttribute("example", "hello");
    element.setAttribute("clock", "virtual");
    document.body.append(element);
    return element.run();
  });
  assert.match(await page.locator("#b").locator("#status").textContent(), /^Done/);
  assert.deepEqual(errors, []);
  await context.close();
});

test(
  "removed while running: runs stop, requests are abandoned and none are made, nothing is left listening; put back, it works",
  { timeout: 60_000 },
  async () => {
    const elements = [1, 2, 3, 4, 5]
      .map(
        (i) =>
          `<asyncio-playground id="p${i}" example="http-concurrent" mode="sequential" clock="real" params="n=3&amp;delay=3" autorun></asyncio-playground>`,
      )
      .join("\n");
    await fetch(`${baseUrl}/api/stats/reset`, { method: "POST" });
    const { page, errors, context } = await open(elements);
    await until("five requests in flight", async () => (await stats()).delay_in_flight === 5);
    // The window's error events, once for each package the elements watch
    // for traps: the page's and the I/O module's.
    assert.deepEqual(await page.evaluate(() => window.listening()), [
      "document keydown",
      "document keydown",
      "document keydown",
      "document keydown",
      "document keydown",
      "window error",
      "window error",
      "window unhandledrejection",
      "window unhandledrejection",
    ]);
    assert.equal(await page.evaluate(() => window.observing()), 5);
    const removed = Date.now();
    await page.evaluate(() => {
      window.removed = [...document.querySelectorAll("asyncio-playground")];
      window.ends = [];
      for (const element of window.removed) {
        element.addEventListener("playground-run-end", (event) => window.ends.push([element.id, event.detail.stopped]));
        element.remove();
      }
    });
    await until("the five requests abandoned", async () => (await stats()).delay_abandoned === 5);
    const ends = await page.evaluate(() => window.ends);
    assert.deepEqual(
      ends.sort(),
      [1, 2, 3, 4, 5].map((i) => [`p${i}`, true]),
    );
    assert.ok(Date.now() - removed < 5_000);
    // Long enough for each sequential run to have made its next request.
    await page.waitForTimeout(4_000);
    const after = await stats();
    assert.equal(after.delay_started, 5, `no new requests: ${JSON.stringify(after)}`);
    assert.equal(after.delay_completed, 0);
    assert.deepEqual(await page.evaluate(() => window.listening()), [], "no document or window listener left");
    assert.equal(await page.evaluate(() => window.observing()), 0, "no ResizeObserver left observing");
    const statuses = await page.evaluate(() =>
      window.removed.map((el) => el.shadowRoot.querySelector("#status").textContent),
    );
    for (const text of statuses) assert.match(text, /^Stopped/);
    // Put back, one works again, listening as before.
    await page.evaluate(() => {
      const element = window.removed[0];
      element.params = "n=1&delay=0";
      document.body.append(element);
    });
    await page.evaluate(() => window.removed[0].run());
    assert.match(await page.locator("#p1").locator("#status").textContent(), /^Done/);
    assert.deepEqual(await page.evaluate(() => window.listening()), [
      "document keydown",
      "window error",
      "window error",
      "window unhandledrejection",
      "window unhandledrejection",
    ]);
    assert.equal((await stats()).delay_started, 6);
    assert.deepEqual(errors, []);
    await context.close();
  },
);

test("moved within the page, a run goes on", async () => {
  const { page, context } = await open(
    `<asyncio-playground id="m" example="hello" clock="real" params="delay=1"></asyncio-playground><div id="elsewhere"></div>`,
  );
  await page.waitForFunction(() => window.events.some((e) => e.type === "ready"));
  await page.evaluate(() => {
    const element = document.getElementById("m");
    element.run();
    document.getElementById("elsewhere").append(element);
  });
  await page.waitForFunction(() => window.events.some((e) => e.type === "run-end"), null, { timeout: 5_000 });
  assert.equal(await page.evaluate(() => window.events.find((e) => e.type === "run-end").detail.stopped), false);
  await context.close();
});

test("attributes are reflected as properties, and setting a property changes what is shown", async () => {
  const { page, context } = await open(
    `<asyncio-playground id="r" example="hello" base-url="http://127.0.0.1:1" autorun clock="virtual"></asyncio-playground>`,
  );
  await page.waitForFunction(() => window.events.some((e) => e.type === "run-end"));
  const read = () =>
    page.evaluate(() => {
      const el = document.getElementById("r");
      return {
        example: el.example,
        mode: el.mode,
        clock: el.clock,
        params: el.params,
        views: el.views,
        theme: el.theme,
        baseUrl: el.baseUrl,
        autorun: el.autorun,
      };
    });
  assert.deepEqual(await read(), {
    example: "hello",
    mode: "",
    clock: "virtual",
    params: "",
    views: "",
    theme: "",
    baseUrl: "http://127.0.0.1:1",
    autorun: true,
  });
  await page.evaluate(() => {
    const el = document.getElementById("r");
    el.example = "sequential-vs-concurrent";
    el.mode = "compare";
    el.params = "tasks=4";
    el.views = "console";
    el.theme = "dark";
    el.baseUrl = "http://127.0.0.1:2";
    el.autorun = false;
  });
  assert.deepEqual(await read(), {
    example: "sequential-vs-concurrent",
    mode: "compare",
    clock: "virtual",
    params: "tasks=4",
    views: "console",
    theme: "dark",
    baseUrl: "http://127.0.0.1:2",
    autorun: false,
  });
  assert.deepEqual(
    await page.evaluate(() =>
      ["example", "mode", "params", "views", "theme", "base-url", "autorun"].map((a) =>
        document.getElementById("r").getAttribute(a),
      ),
    ),
    ["sequential-vs-concurrent", "compare", "tasks=4", "console", "dark", "http://127.0.0.1:2", null],
  );
  const r = page.locator("#r");
  await page.waitForFunction(
    () => document.getElementById("r").shadowRoot.querySelector("#example").value === "sequential-vs-concurrent",
  );
  assert.equal(await r.locator("#variant").inputValue(), "compare");
  assert.equal(await r.locator('#params input[name="tasks"]').inputValue(), "4");
  assert.equal(await r.locator('[data-view="listings"]').isVisible(), false);
  assert.equal(
    await page.evaluate(() => getComputedStyle(document.getElementById("r")).backgroundColor),
    "rgb(21, 21, 24)",
  );
  await context.close();
});

test("the element's events are prefixed: none reaches the window as the DOM's own error or load", async () => {
  const { page, context } = await open(
    `<asyncio-playground id="e" example="hello" clock="virtual" views="sparkles" autorun></asyncio-playground>`,
  );
  await page.evaluate(() => {
    window.plain = [];
    for (const type of ["error", "ready", "run-start", "run-end"])
      window.addEventListener(type, () => window.plain.push(type), true);
  });
  await page.waitForFunction(() => window.events.some((e) => e.type === "run-end"));
  await page.evaluate(() => document.getElementById("e").setAttribute("views", "sparkles glitter"));
  await page.waitForFunction(() => window.events.filter((e) => e.type === "error").length >= 2);
  const [first] = await page.evaluate(() => window.events.filter((e) => e.type === "error"));
  assert.match(first.detail, /there is no view "sparkles"/);
  assert.deepEqual(await page.evaluate(() => window.plain), []);
  await context.close();
});
