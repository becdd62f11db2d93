// Embedding: a tutorial page (fixtures/embed.html, served on the dev
// server's origin under its Content-Security-Policy) with three
// `<asyncio-playground>` elements that run independently on one module,
// their events, methods, theme and styling hooks; and sharing: the URL hash
// of the full page, Copy link, Copy embed code, a malformed link.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { EMBED_FIXTURE, baseUrl, launch, openPlayground, recordingPage, routeEmbedFixture } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Opens `html` at /embed-fixture.html on the server's origin, recording
// every playground event as `{ id, type, detail }` in `window.events`.
async function openFixture(html = EMBED_FIXTURE, colorScheme = "light") {
  const opened = await recordingPage(browser, colorScheme);
  await opened.page.goto(await routeEmbedFixture(opened.page, html));
  return opened;
}

function eventsOf(page, id, type) {
  return page.evaluate(([id, type]) => window.events.filter((e) => e.id === id && e.type === type), [id, type]);
}

async function waitForEvent(page, id, type, count = 1, timeout = 20_000) {
  await page.waitForFunction(
    ([id, type, count]) => window.events.filter((e) => e.id === id && e.type === type).length >= count,
    [id, type, count],
    { timeout },
  );
  return eventsOf(page, id, type);
}

// A region of element `id`, inside its shadow root.
function inside(page, id, selector) {
  return page.locator(`#${id}`).locator(selector);
}

function consoleLines(page, id) {
  return page.evaluate(
    (id) => [...document.getElementById(id).shadowRoot.querySelectorAll("#console > div")].map((d) => d.textContent),
    id,
  );
}

test("three elements on one page: each shows its attributes, with no id shared between them", async () => {
  const { page, errors, context } = await openFixture();
  for (const id of ["a", "b", "c"]) await waitForEvent(page, id, "ready");
  const state = await page.evaluate(() =>
    [...document.querySelectorAll("asyncio-playground")].map((el) => {
      const root = el.shadowRoot;
      return {
        id: el.id,
        example: root.querySelector("#example").value,
        mode: root.querySelector("#variant").value,
        clock: root.querySelector("#clock").value,
        params: Object.fromEntries([...root.querySelectorAll("#params input")].map((i) => [i.name, i.value])),
      };
    }),
  );
  assert.deepEqual(
    state.map((s) => [s.id, s.example, s.clock]),
    [
      ["a", "hello", "virtual"],
      ["b", "sequential-vs-concurrent", "virtual"],
      ["c", "hello", "real"],
    ],
  );
  assert.equal(state[1].mode, "compare");
  assert.deepEqual(state[1].params, { tasks: "3", delay: "0.5" });
  assert.equal(state[0].params.delay, "0.2");
  assert.equal(state[2].params.delay, "0.3");
  // Ids: none in the page itself, and each element's are its own.
  assert.deepEqual(
    await page.evaluate(() => [...document.querySelectorAll("body [id]:not(asyncio-playground)")].map((n) => n.id)),
    [],
  );
  const shared = await page.evaluate(() => {
    const ids = [...document.querySelectorAll("[id]")].map((n) => n.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  assert.deepEqual(shared, []);
  // One page package for all three.
  assert.equal(
    await page.evaluate(() => {
      const [a, b, c] = [...document.querySelectorAll("asyncio-playground")].map((el) => el.playground.pkg);
      return a === b && b === c && a.generation;
    }),
    1,
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("autorun on the virtual clock: ready, run-start and run-end with the run's time and tasks", async () => {
  const { page, errors, context } = await openFixture();
  const [end] = await waitForEvent(page, "a", "run-end");
  const [start] = await eventsOf(page, "a", "run-start");
  assert.deepEqual(start.detail, { example: "hello", mode: "run", clock: "virtual", params: { delay: 0.2 } });
  assert.equal(end.detail.totalMs, 200);
  assert.equal(end.detail.speedup, null);
  assert.ok(end.detail.tasks >= 1, JSON.stringify(end.detail));
  assert.equal(end.detail.stopped, false);
  assert.deepEqual(await consoleLines(page, "a"), ["[0.000 s] Hello", "[0.200 s] World"]);
  // The others did not run.
  assert.deepEqual(await eventsOf(page, "b", "run-start"), []);
  assert.deepEqual(await eventsOf(page, "c", "run-start"), []);
  assert.deepEqual(await consoleLines(page, "b"), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("two elements run at once, each to its own console; compare mode's run-end has the speed-up", async () => {
  const { page, errors, context } = await openFixture();
  for (const id of ["a", "b", "c"]) await waitForEvent(page, id, "ready");
  await waitForEvent(page, "a", "run-end");
  // c runs in real time while b compares on the virtual clock.
  await page.evaluate(() => {
    document.getElementById("c").run();
    document.getElementById("b").run();
  });
  const [b] = await waitForEvent(page, "b", "run-end");
  const [c] = await waitForEvent(page, "c", "run-end");
  assert.equal(b.detail.totalMs, 500);
  assert.ok(Math.abs(b.detail.speedup - 3) < 0.01, `speed-up ${b.detail.speedup}`);
  assert.ok(b.detail.tasks >= 4, `tasks ${b.detail.tasks}`);
  assert.match(await inside(page, "b", "#status").textContent(), /^Done: 1\.50 s vs 0\.50 s: 3\.0× faster/);
  assert.equal(await inside(page, "b", ".timeline-svg g.run").count(), 2);
  // Its 300 ms sleep on the real clock: never less, maybe late on a busy machine.
  assert.ok(c.detail.totalMs >= 300 && c.detail.totalMs < 1500, `real clock ${c.detail.totalMs}`);
  assert.equal(c.detail.speedup, null);
  const lines = await consoleLines(page, "c");
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^\[0\.\d\d\d s\] Hello$/);
  assert.match(lines[1], /^\[0\.3\d\d s\] World$/);
  assert.ok((await consoleLines(page, "b")).every((l) => !/Hello|World/.test(l)));
  assert.deepEqual(await consoleLines(page, "a"), ["[0.000 s] Hello", "[0.200 s] World"], "a is untouched");
  assert.equal((await eventsOf(page, "a", "run-end")).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("stop(), reset(), and an error event for a parameter out of its range", async () => {
  const { page, context } = await openFixture();
  await waitForEvent(page, "c", "ready");
  await page.evaluate(() => document.getElementById("c").setAttribute("params", "delay=5"));
  await page.waitForFunction(
    () => document.getElementById("c").shadowRoot.querySelector('#params input[name="delay"]').value === "5",
  );
  await page.evaluate(() => {
    document.getElementById("c").run();
  });
  await page.waitForFunction(
    () => document.getElementById("c").shadowRoot.querySelectorAll("#console > div").length === 1,
  );
  await page.evaluate(() => document.getElementById("c").stop());
  const [end] = await waitForEvent(page, "c", "run-end", 1, 5_000);
  assert.equal(end.detail.stopped, true);
  assert.ok(end.detail.totalMs < 5_000);
  // Changed by hand, then reset to the attributes.
  await inside(page, "c", "#clock").selectOption("virtual");
  await inside(page, "c", '#params input[name="delay"]').fill("7");
  await page.evaluate(() => document.getElementById("c").reset());
  assert.equal(await inside(page, "c", "#clock").inputValue(), "real");
  assert.equal(await inside(page, "c", '#params input[name="delay"]').inputValue(), "5");
  assert.deepEqual(await consoleLines(page, "c"), []);
  // Out of range: not started, and an error event.
  await page.evaluate(() => document.getElementById("c").setAttribute("params", "delay=99"));
  await page.waitForFunction(
    () => document.getElementById("c").shadowRoot.querySelector('#params input[name="delay"]').value === "99",
  );
  await page.evaluate(() => document.getElementById("c").run());
  const errors = await waitForEvent(page, "c", "error");
  assert.match(errors.at(-1).detail, /Not started: a parameter is out of its range/);
  assert.equal((await eventsOf(page, "c", "run-end")).length, 1, "no run-end for a run that did not start");
  await context.close();
});

test("theme: dark on one element in a light page; custom properties and ::part() from the page", async () => {
  const { page, context } = await openFixture();
  for (const id of ["a", "b", "c"]) await waitForEvent(page, id, "ready");
  const look = await page.evaluate(() =>
    Object.fromEntries(
      ["a", "b", "c"].map((id) => {
        const el = document.getElementById(id);
        const run = el.shadowRoot.querySelector("#run");
        const status = el.shadowRoot.querySelector("#status");
        return [
          id,
          {
            background: getComputedStyle(el).backgroundColor,
            scheme: getComputedStyle(el).colorScheme,
            runBackground: getComputedStyle(run).backgroundColor,
            statusOutline: getComputedStyle(status).outlineColor,
          },
        ];
      }),
    ),
  );
  assert.equal(look.a.background, "rgb(253, 253, 252)");
  assert.equal(look.c.background, "rgb(21, 21, 24)");
  assert.equal(look.c.scheme, "dark");
  assert.equal(look.c.runBackground, "rgb(143, 176, 255)", "the dark accent");
  assert.equal(look.b.runBackground, "rgb(4, 5, 6)", "the page's --accent");
  for (const id of ["a", "b", "c"]) assert.equal(look[id].statusOutline, "rgb(1, 2, 3)", `${id}: ::part(status)`);
  await context.close();
});

test("the full page keeps its state in the hash; Copy link opens the same state; Copy embed code embeds it", async () => {
  const { page, errors } = await openPlayground(browser);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  await page.selectOption("#example", "sequential-vs-concurrent");
  await page.selectOption("#variant", "compare");
  await page.selectOption("#clock", "virtual");
  await page.fill('#params input[name="tasks"]', "4");
  const hash = await page.evaluate(() => location.hash);
  const query = new URLSearchParams(hash.slice(1));
  assert.equal(query.get("example"), "sequential-vs-concurrent");
  assert.equal(query.get("mode"), "compare");
  assert.equal(query.get("clock"), "virtual");
  assert.equal(new URLSearchParams(query.get("params")).get("tasks"), "4");
  await page.click("#copy-link");
  await page.waitForFunction(() => /copied/.test(document.getElementById("status").textContent));
  const link = await page.textContent("#share-text");
  assert.equal(link, `${baseUrl}/${hash}`);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

  const opened = await browser.newPage();
  await opened.goto(link);
  await opened.waitForSelector("#run:not([disabled])");
  assert.equal(await opened.inputValue("#example"), "sequential-vs-concurrent");
  assert.equal(await opened.inputValue("#variant"), "compare");
  assert.equal(await opened.inputValue("#clock"), "virtual");
  assert.equal(await opened.inputValue('#params input[name="tasks"]'), "4");
  assert.equal(await opened.isVisible("#notice"), false);
  await opened.click("#run");
  await opened.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent));
  assert.match(await opened.textContent("#status"), /^Done: 4\.00 s vs 1\.00 s: 4\.0× faster/);
  await opened.close();

  await page.click("#copy-embed");
  await page.waitForFunction(() => /Embed code copied/.test(document.getElementById("status").textContent));
  const code = await page.textContent("#share-text");
  assert.equal(code.split("\n")[0], `<script type="module" src="${baseUrl}/pkg/embed.js"></script>`);
  assert.match(
    code.split("\n")[1],
    /^<asyncio-playground example="sequential-vs-concurrent" mode="compare" clock="virtual" params="tasks=4&amp;delay=1"><\/asyncio-playground>$/,
  );
  // The embed code alone, on a page, shows the same state.
  const embedded = await openFixture(`<!doctype html><title>embed</title>${code}`);
  await embedded.page.waitForFunction(() => window.events.some((e) => e.type === "ready"));
  assert.equal(await embedded.page.locator("asyncio-playground").locator("#variant").inputValue(), "compare");
  assert.equal(
    await embedded.page.locator("asyncio-playground").locator('#params input[name="tasks"]').inputValue(),
    "4",
  );
  assert.deepEqual(embedded.errors, []);
  await embedded.context.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test("a malformed link falls back to the defaults with a visible notice", async (t) => {
  for (const hash of [
    "#example=no-such-example",
    "#example=hello&clock=sundial",
    "#example=hello&params=delay%3Dsoon",
    "#example=hello&params=delay%3D99",
    "#colour=blue",
  ]) {
    await t.test(hash, async () => {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}/${hash}`);
      await page.waitForSelector("#run:not([disabled])");
      assert.ok(await page.isVisible("#notice"), "the notice is shown");
      assert.match(await page.textContent("#notice"), /could not be used.*defaults/);
      assert.equal(await page.inputValue("#example"), "hello");
      assert.equal(await page.inputValue('#params input[name="delay"]'), "1");
      assert.equal(await page.isVisible("#param-error"), false);
      await page.selectOption("#clock", "virtual");
      assert.equal(await page.isVisible("#notice"), false, "a change clears the notice");
      await page.click("#run");
      await page.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent));
      await page.close();
    });
  }
});

test("views: only the regions asked for are shown, and an unknown view is named in a notice", async () => {
  const html = `<!doctype html><title>views</title><script type="module" src="/pkg/embed.js"></script>
    <asyncio-playground id="v" example="hello" clock="virtual" views="console timeline" autorun></asyncio-playground>
    <asyncio-playground id="w" example="hello" views="console, sparkles"></asyncio-playground>`;
  const { page, errors, context } = await openFixture(html);
  await waitForEvent(page, "v", "run-end");
  await waitForEvent(page, "w", "ready");
  const shown = (id) =>
    page.evaluate(
      (id) =>
        Object.fromEntries(
          [...document.getElementById(id).shadowRoot.querySelectorAll("[data-view]")].map((region) => [
            region.dataset.view,
            region.checkVisibility(),
          ]),
        ),
      id,
    );
  const none = { replay: false, table: false };
  assert.deepEqual(await shown("v"), { listings: false, console: true, timeline: true, ...none });
  assert.equal(await inside(page, "v", "#example-title").isVisible(), true, "the title and explanation stay");
  assert.deepEqual(await consoleLines(page, "v"), ["[0.000 s] Hello", "[1.000 s] World"]);
  assert.equal(await inside(page, "v", ".timeline-svg g.run").count(), 1);
  assert.deepEqual(await shown("w"), { listings: false, console: true, timeline: false, ...none });
  assert.match(
    await inside(page, "w", "#notice").textContent(),
    /there is no view "sparkles" \(the views are listings, console, timeline, replay, table\)/,
  );
  // Changing the attribute shows the rest again.
  await page.evaluate(() => document.getElementById("w").removeAttribute("views"));
  await page.waitForFunction(() =>
    document.getElementById("w").shadowRoot.querySelector('[data-view="listings"]').checkVisibility(),
  );
  assert.deepEqual(await shown("w"), { listings: true, console: true, timeline: true, replay: true, table: true });
  assert.equal(await inside(page, "w", "#notice").isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("each element is one landmark, named after its example and numbered", async () => {
  const { page, context } = await openFixture();
  for (const id of ["a", "b", "c"]) await waitForEvent(page, id, "ready");
  const names = await page.evaluate(() =>
    [...document.querySelectorAll("asyncio-playground")].map((el) => [
      el.getAttribute("role"),
      el.getAttribute("aria-label"),
      el.shadowRoot.querySelector("#example-title").textContent,
    ]),
  );
  assert.deepEqual(
    names.map(([role]) => role),
    ["region", "region", "region"],
  );
  names.forEach(([, label, title], i) => assert.equal(label, `asyncio playground ${i + 1}: ${title}`));
  assert.match(names[1][2], /^Five waits/);
  // Inside, no landmarks of its own: the form and sections are unnamed.
  assert.equal(
    await page.evaluate(
      () =>
        document
          .getElementById("a")
          .shadowRoot.querySelectorAll("[aria-label='Run controls'], section[aria-label], section[aria-labelledby]")
          .length,
    ),
    0,
  );
  // A name the page gives is kept.
  await page.evaluate(() => {
    const el = document.createElement("asyncio-playground");
    el.id = "d";
    el.setAttribute("aria-label", "Try it");
    document.body.append(el);
  });
  await waitForEvent(page, "d", "ready");
  assert.equal(await page.getAttribute("#d", "aria-label"), "Try it");
  await context.close();
});

test("theme auto follows the reader's preference; light and dark override it", async () => {
  const html = `<!doctype html><title>themes</title><script type="module" src="/pkg/embed.js"></script>
    <asyncio-playground id="auto" example="hello"></asyncio-playground>
    <asyncio-playground id="light" example="hello" theme="light"></asyncio-playground>
    <asyncio-playground id="dark" example="hello" theme="dark"></asyncio-playground>`;
  for (const scheme of ["light", "dark"]) {
    const { page, context } = await openFixture(html, scheme);
    for (const id of ["auto", "light", "dark"]) await waitForEvent(page, id, "ready");
    const backgrounds = await page.evaluate(() =>
      Object.fromEntries(
        ["auto", "light", "dark"].map((id) => [id, getComputedStyle(document.getElementById(id)).backgroundColor]),
      ),
    );
    const LIGHT = "rgb(253, 253, 252)";
    const DARK = "rgb(21, 21, 24)";
    assert.deepEqual(backgrounds, { auto: scheme === "light" ? LIGHT : DARK, light: LIGHT, dark: DARK }, scheme);
    await context.close();
  }
});
