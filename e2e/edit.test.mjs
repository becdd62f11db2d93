// Editing and running Python in the page: the editor (CodeMirror), a run
// of the edited program in the Python engine's worker on either clock,
// errors marked on their line, Stop on a program that never ends, a share
// link carrying the program, the keyboard in and out of the editor, and
// an author's own programs embedded on another origin.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { baseUrl, launch, listen, recordingPage, requestsTo } from "./browser.mjs";
import { compressProgram } from "../www/share.js";

// Where the screenshots go, to be looked at.
const SCREENSHOTS = fileURLToPath(new URL("../target/screenshots/", import.meta.url));

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The full page, with its editor opened by a click on the listing.
async function openEditor(hash = "") {
  const opened = await recordingPage(browser);
  await opened.page.goto(`${baseUrl}/${hash}`);
  await opened.page.waitForSelector("#run:not([disabled])");
  await opened.page.click("#python-source pre");
  await opened.page.waitForSelector("#python-editor .cm-content");
  return opened;
}

// A fresh page showing "Your own code" on `clock`, closed when test `t` ends.
async function openOwnCode(t, clock) {
  const opened = await openEditor();
  t.after(() => opened.context.close());
  await opened.page.selectOption("#example", "own-code");
  await opened.page.selectOption("#clock", clock);
  return opened;
}

const STATUS_DONE = /^(Done|Stopped|Not started|The program ended|The run failed|The Python engine)/;

async function waitForEnd(page, timeout = 60_000) {
  await page.waitForFunction(
    (done) => new RegExp(done).test(document.getElementById("status").textContent),
    STATUS_DONE.source,
    {
      timeout,
    },
  );
  return page.textContent("#status");
}

// What the program printed (not the warnings for learners, which depend
// on the machine's speed, nor a traceback).
function consoleLines(page) {
  return page.$$eval("#console > div:not(.console-warning, .console-error)", (divs) => divs.map((d) => d.textContent));
}

// Puts `text` in the editor as a reader would: select all, then type.
async function typeProgram(page, text) {
  await page.click("#python-editor .cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // CodeMirror indents after a colon and closes brackets as one types;
  // inserting the text is what pasting does.
  await page.keyboard.insertText(text);
}

async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

// The heartbeat: from now on, the page records the longest gap between
// two animation frames.
async function startHeartbeat(page) {
  await page.evaluate(() => {
    window.heartbeat = { last: performance.now(), longest: 0, on: true };
    const beat = (now) => {
      const h = window.heartbeat;
      h.longest = Math.max(h.longest, now - h.last);
      h.last = now;
      if (h.on) requestAnimationFrame(beat);
    };
    requestAnimationFrame(beat);
  });
}

// Clicks Stop and waits (5 s at most) for the status to match `ended`, a
// regular expression's source; then ends the heartbeat. Returns how long
// Stop took and the heartbeat's longest gap, in ms.
async function stopAndMeasure(page, ended) {
  return page.evaluate(async (source) => {
    const pattern = new RegExp(source);
    const start = performance.now();
    document.getElementById("stop").click();
    while (!pattern.test(document.getElementById("status").textContent) && performance.now() - start < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    window.heartbeat.on = false;
    return { ms: performance.now() - start, longest: window.heartbeat.longest };
  }, ended);
}

test("the editor's bundle loads only when the reader opens the listing, and the caret lands where they clicked", async (t) => {
  const { page, errors, context } = await recordingPage(browser);
  t.after(() => context.close());
  const editorRequests = requestsTo(page, /\/pkg\/codemirror\.js$/);
  await page.goto(`${baseUrl}/#example=hello&clock=virtual`);
  await page.waitForSelector("#run:not([disabled])");
  await page.click("#run");
  assert.match(await waitForEnd(page), /^Done/);
  assert.deepEqual(editorRequests, [], "running an example leaves the editor unloaded");
  assert.equal(await page.locator("#python-editor").isHidden(), true);
  // The middle of the "i" of the first print.
  const point = await page.evaluate(() => {
    const code = document.querySelector("#python-source code");
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf("print");
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at + 2);
      range.setEnd(node, at + 3);
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    return null;
  });
  assert.ok(point, "the listing shows a print");
  await page.mouse.click(point.x, point.y);
  await page.waitForSelector("#python-editor .cm-content");
  assert.equal(editorRequests.length, 1, "the click loaded the editor");
  assert.equal(await page.locator("#python-source pre").isHidden(), true);
  await page.keyboard.type("X");
  const lines = (await page.evaluate(() => document.querySelector("asyncio-playground").code)).split("\n");
  const edited = lines.findIndex((line) => line.includes("X"));
  assert.equal(edited, 4, `the caret was on the print's line: ${lines.join(" / ")}`);
  assert.match(lines[edited], /^ {4}(prX|priX)/);
  assert.equal(lines[edited].replace("X", ""), '    print("Hello")');
  assert.deepEqual(errors, []);
});

test("hello edited to sleep 2 s runs in the Python engine: World at 2.000 s on the virtual clock", async (t) => {
  const { page, errors, context } = await openEditor();
  t.after(() => context.close());
  await page.selectOption("#example", "hello");
  await page.selectOption("#clock", "virtual");
  // Edited by keyboard: the default delay becomes 2.0.
  await page.click("#python-editor .cm-content");
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  // `async def main(delay=1.0):` ends with "1.0):"; go back over "):".
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.type("2.0");
  const code = await page.evaluate(() => document.querySelector("asyncio-playground").code);
  assert.match(code, /async def main\(delay=2\.0\):/);
  // The port's parameter does not apply to the edited Python: not shown.
  assert.equal(await page.isVisible("#params"), false);
  await page.click("#run");
  const status = await waitForEnd(page);
  assert.match(status, /^Done: 2\.000 s of loop time/);
  assert.deepEqual(await consoleLines(page), ["[0.000 s] Hello", "[2.000 s] World"]);
  // A row per task, named as the program names them.
  const rows = await page.evaluate(() =>
    [...document.querySelector("asyncio-playground").playground.runs[0].model.tasks.values()].map((task) => task.name),
  );
  assert.ok(rows.includes("Task-1"), rows.join(" | "));
  assert.ok((await page.locator(".timeline-svg").count()) > 0, "the timeline is drawn");
  // The sleep's span names its line, and pointing at it highlights the line.
  const span = page.locator('.timeline-svg g.span-waiting[data-line="6"]').first();
  assert.match(await span.textContent(), /waiting on sleep at line 6/);
  await span.hover();
  await page.waitForFunction(() => document.querySelector("asyncio-playground").playground.listings.tracedLine === 6);
  await screenshot(page, "edit-hello");
  // Reset brings back the example; unchanged, it runs its Rust port again.
  await page.click("#reset-program");
  assert.match(await page.evaluate(() => document.querySelector("asyncio-playground").code), /delay=1\.0/);
  assert.equal(await page.isVisible("#params"), true);
  assert.deepEqual(errors, []);
});

test("a syntax error marks its line and nothing runs", async (t) => {
  const { page, errors } = await openOwnCode(t, "virtual");
  await typeProgram(page, 'import asyncio\n\nprint("before")\nasync def main(:\n    pass\n');
  await page.click("#run");
  const status = await waitForEnd(page);
  assert.match(status, /^The program ended with SyntaxError on line 4/);
  assert.deepEqual(await consoleLines(page), []);
  assert.match(await page.textContent("#console .console-error"), /SyntaxError/);
  const marked = await page.$$eval("#python-editor .cm-error-line", (lines) => lines.map((l) => l.textContent));
  assert.deepEqual(marked.length, 1);
  assert.match(marked[0], /^async def main\(:/);
  await screenshot(page, "edit-syntax-error");
  // Editing clears the mark.
  await page.click("#python-editor .cm-content");
  await page.keyboard.type(" ");
  assert.equal(await page.locator("#python-editor .cm-error-line").count(), 0);
  assert.deepEqual(errors, []);
});

test("while True: pass, then Stop: the page keeps painting throughout and Stop ends it", async (t) => {
  const { page, errors } = await openOwnCode(t, "real");
  // The engine loaded first (its download and compilation are measured
  // apart); the heartbeat covers the run and the Stop.
  await typeProgram(page, 'print("warm")\n');
  await page.click("#run");
  assert.match(await waitForEnd(page), /^Done/);
  await typeProgram(page, 'print("spinning")\nwhile True:\n    pass\n');
  await startHeartbeat(page);
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("console").textContent.includes("spinning"), null, {
    timeout: 60_000,
  });
  // Spinning in its worker for a while, the page's thread free.
  await page.waitForTimeout(1500);
  const stopped = await stopAndMeasure(page, "^Stopped");
  assert.match(await page.textContent("#status"), /^Stopped/);
  // Generous bounds (a busy machine): the program never held the page.
  assert.ok(stopped.longest < 200, `an animation frame waited ${stopped.longest} ms`);
  assert.ok(stopped.ms < 1000, `Stop took ${stopped.ms} ms`);
  // The next run starts a fresh worker.
  await typeProgram(page, 'print("again")\n');
  await page.selectOption("#clock", "virtual");
  await page.click("#run");
  assert.match(await waitForEnd(page), /^Done/);
  assert.deepEqual(await consoleLines(page), ["[0.000 s] again"]);
  assert.deepEqual(errors, []);
});

test("a million prints: the page keeps painting, the console keeps the last lines and counts the rest, Stop ends it", async (t) => {
  const { page, errors } = await openOwnCode(t, "virtual");
  await typeProgram(page, "for i in range(1000000):\n    print(i)\n");
  await startHeartbeat(page);
  await page.click("#run");
  // Well into the million, the console holds its last thousand lines.
  await page.waitForFunction(
    () => /earlier lines? dropped/.test(document.querySelector("#console .console-dropped")?.textContent ?? ""),
    null,
    { timeout: 60_000 },
  );
  await page.waitForTimeout(1000);
  const seen = await page.evaluate(() => {
    const lines = [...document.querySelectorAll("#console > div")].map((d) => d.textContent);
    const note = document.querySelector("#console .console-dropped").textContent;
    const dropped = Number(/([\d,]+) earlier/.exec(note)[1].replaceAll(",", ""));
    return { lines, dropped };
  });
  const stopped = await stopAndMeasure(page, "^Stopped");
  assert.match(await page.textContent("#status"), /^Stopped/);
  assert.ok(seen.lines.length <= 1000, `${seen.lines.length} lines kept`);
  assert.ok(seen.dropped > 0);
  // The lines kept are the last, in order: consecutive numbers.
  const numbers = seen.lines.map((line) => Number(line.replace(/^\[[\d.]+ s\] /, "")));
  assert.ok(
    numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1),
    numbers.slice(0, 5).join(" "),
  );
  assert.equal(numbers[0], seen.dropped);
  // Bounds that hold on a busy machine (the program runs in a worker).
  assert.ok(stopped.ms < 1000, `Stop took ${stopped.ms} ms`);
  assert.ok(stopped.longest < 500, `an animation frame waited ${stopped.longest} ms`);
  assert.deepEqual(errors, []);
});

test("unbounded allocation is stopped by Stop, and endless recursion ends with an error, the page responsive", async (t) => {
  const { page, errors } = await openOwnCode(t, "virtual");
  await typeProgram(page, "def down(n):\n    return down(n + 1)\n\ndown(0)\n");
  await page.click("#run");
  assert.match(await waitForEnd(page), /^The program ended with \w+/);
  assert.ok((await page.locator("#console .console-error").count()) === 1, "the error is in the console");
  await typeProgram(page, "hoard = []\nwhile True:\n    hoard.append(bytearray(1 << 20))\n");
  await startHeartbeat(page);
  await page.click("#run");
  await page.waitForTimeout(1500);
  const stopped = await stopAndMeasure(page, "^(Stopped|The program ended)");
  // Stopped, or already ended by the memory budget (a fast machine).
  assert.match(await page.textContent("#status"), /^(Stopped|The program ended with MemoryError)/);
  assert.ok(stopped.ms < 1000, `Stop took ${stopped.ms} ms`);
  assert.ok(stopped.longest < 500, `an animation frame waited ${stopped.longest} ms`);
  assert.deepEqual(errors, []);
});

test("a share link carries the edited program, the clock and the example; opening it restores the editor", async (t) => {
  const { page, errors, context } = await openEditor();
  t.after(() => context.close());
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  await page.selectOption("#example", "own-code");
  await page.selectOption("#clock", "virtual");
  const program =
    'import asyncio\n\n\nasync def main():\n    await asyncio.sleep(0.25)\n    print("shared <&> ✓")\n\n\nasyncio.run(main())\n';
  await typeProgram(page, program);
  await page.click("#copy-link");
  await page.waitForFunction(() => /Link copied|Copying/.test(document.getElementById("status").textContent));
  const link = await page.textContent("#share-text");
  assert.match(
    link,
    /#example=own-code&mode=&clock=virtual&code=[A-Za-z0-9_-]+$|#example=own-code&clock=virtual&code=/,
  );
  const other = await openEditor(new URL(link).hash);
  t.after(() => other.context.close());
  await other.page.waitForFunction((text) => document.querySelector("asyncio-playground").code === text, program);
  assert.equal(await other.page.inputValue("#clock"), "virtual");
  await other.page.click("#run");
  assert.match(await waitForEnd(other.page), /^Done: 0\.250 s/);
  assert.deepEqual(await consoleLines(other.page), ["[0.250 s] shared <&> ✓"]);
  // A program too long for a link is refused, saying so.
  const long = Array.from({ length: 6000 }, (_, i) => `print(${(i * 7919) % 100003}, "${(i * 104729) % 99991}")`).join(
    "\n",
  );
  await page.evaluate((text) => {
    document.querySelector("asyncio-playground").playground.listings.source = text;
  }, long);
  await page.click("#copy-link");
  await page.waitForFunction(() => /^Not copied/.test(document.getElementById("status").textContent));
  assert.match(await page.textContent("#status"), /too long for a link/);
  assert.deepEqual(errors, []);
  assert.deepEqual(other.errors, []);
});

test("keyboard only: Enter on the listing opens the editor, Tab indents, undo, then Escape and Tab leave it", async (t) => {
  const { page, errors, context } = await recordingPage(browser);
  t.after(() => context.close());
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector("#run:not([disabled])");
  await page.selectOption("#example", "own-code");
  await page.focus("#reset-program");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.activeElement.matches("#python-source pre")), "focus is on the listing");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#python-editor .cm-content");
  const inEditor = () =>
    page.evaluate(
      () => document.activeElement?.closest?.("#python-editor") !== null || document.activeElement?.shadowRoot !== null,
    );
  assert.ok(await page.evaluate(() => document.activeElement.id === "python-editor"), "focus is in the editor");
  assert.ok(await inEditor());
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.type("x = (1");
  const code = () => page.evaluate(() => document.querySelector("asyncio-playground").code);
  // Tab indented four spaces, and the bracket was closed.
  assert.match(await code(), /\n {4}x = \(1\)$/);
  await page.keyboard.press("Control+z");
  assert.doesNotMatch(await code(), /x = \(1/);
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.activeElement.id !== "python-editor"), "Tab left the editor");
  assert.deepEqual(errors, []);
});

test("a tutorial on another origin: two elements holding the author's programs, one editable", async (t) => {
  const server = await listen((request, response) => {
    if (new URL(request.url, "http://x").pathname !== "/tutorial.html") {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A tutorial</title>
<script type="module" src="${baseUrl}/pkg/embed.js"></script></head><body>
<h1>Tasks</h1>
<asyncio-playground id="first" clock="virtual">
  <pre>
    import asyncio

    async def main():
        print("first &lt;program>")
        await asyncio.sleep(0.5)
        print("first done")

    asyncio.run(main())
  </pre>
</asyncio-playground>
<p>Some prose.</p>
<asyncio-playground id="second" clock="virtual" editable>
<script type="text/x-python">
import asyncio

async def worker(name):
    await asyncio.sleep(1)
    print(name, "finished")

async def main():
    async with asyncio.TaskGroup() as group:
        group.create_task(worker("a"), name="worker-a")
        group.create_task(worker("b"), name="worker-b")

asyncio.run(main())
</script>
</asyncio-playground>
</body></html>`);
  });
  t.after(() => server.close());
  const { page, errors, context } = await recordingPage(browser);
  t.after(() => context.close());
  // Without JavaScript the reader sees the program.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  t.after(() => noScript.close());
  const plain = await noScript.newPage();
  await plain.goto(`${server.origin}/tutorial.html`);
  assert.match(await plain.textContent("#first pre"), /print\("first <program>"\)/);

  await page.goto(`${server.origin}/tutorial.html`);
  await page.waitForFunction(() => window.events.filter((e) => e.type === "ready").length === 2, null, {
    timeout: 30_000,
  });
  const engineRequests = requestsTo(page, /\/pkg\/python\//);
  assert.equal(
    await page.evaluate(() => document.getElementById("first").code),
    'import asyncio\n\nasync def main():\n    print("first <program>")\n    await asyncio.sleep(0.5)\n    print("first done")\n\nasyncio.run(main())\n',
  );
  // The engine loads only when a run starts.
  assert.deepEqual(engineRequests, []);
  const first = await page.evaluate(async () => {
    const element = document.getElementById("first");
    await element.run();
    const root = element.shadowRoot;
    return {
      status: root.querySelector("#status").textContent,
      lines: [...root.querySelectorAll("#console > div:not(.console-warning)")].map((d) => d.textContent),
      editor: root.querySelector("#python-editor").hidden,
    };
  });
  assert.ok(engineRequests.length > 0, "the engine was fetched for the run");
  assert.match(first.status, /^Done: 0\.500 s/);
  assert.deepEqual(first.lines, ["[0.000 s] first <program>", "[0.500 s] first done"]);
  assert.equal(first.editor, true, "the first element is not editable");
  // The editable one: its reader opens the editor, changes the program and runs it.
  await page.click("#second #python-source pre");
  await page.waitForSelector("#second #python-editor .cm-content");
  await page.evaluate(() => {
    const element = document.getElementById("second");
    element.code = element.code.replace("asyncio.sleep(1)", "asyncio.sleep(1.5)");
  });
  const second = await page.evaluate(async () => {
    const element = document.getElementById("second");
    await element.run();
    const root = element.shadowRoot;
    return {
      status: root.querySelector("#status").textContent,
      lines: [...root.querySelectorAll("#console > div:not(.console-warning)")].map((d) => d.textContent),
      tasks: [...element.playground.runs[0].model.tasks.values()].map((task) => task.name),
    };
  });
  assert.match(second.status, /^Done: 1\.500 s/);
  assert.deepEqual(second.lines, ["[1.500 s] a finished", "[1.500 s] b finished"]);
  assert.ok(second.tasks.includes("worker-a") && second.tasks.includes("worker-b"), second.tasks.join(" | "));
  await screenshot(page, "edit-tutorial");
  assert.deepEqual(errors, []);
});

test("the iframe fallback holds a program given in its address", async (t) => {
  const program =
    'import asyncio\n\nasync def main():\n    await asyncio.sleep(0.75)\n    print("from the frame")\n\nasyncio.run(main())\n';
  const { page, errors, context } = await recordingPage(browser);
  t.after(() => context.close());
  await page.goto(`${baseUrl}/embed.html#clock=virtual&editable&code=${await compressProgram(program)}`);
  await page.waitForFunction(() => window.events.some((e) => e.type === "ready"), null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.querySelector("asyncio-playground").code), program);
  const result = await page.evaluate(async () => {
    const element = document.querySelector("asyncio-playground");
    await element.run();
    const root = element.shadowRoot;
    return {
      status: root.querySelector("#status").textContent,
      lines: [...root.querySelectorAll("#console > div:not(.console-warning)")].map((d) => d.textContent),
    };
  });
  assert.match(result.status, /^Done: 0\.750 s/);
  assert.deepEqual(result.lines, ["[0.750 s] from the frame"]);
  // A damaged program is named in the frame's notice.
  await page.goto(`${baseUrl}/embed.html#code=AAAA`);
  await page.reload();
  await page.waitForSelector("#frame-notice:not([hidden])");
  assert.match(await page.textContent("#frame-notice"), /The program in the address could not be read: it is damaged/);
  assert.deepEqual(errors, []);
});

test("Pin this run: the next run is drawn below it on the same axis, with the speed-up; compare mode still works", async (t) => {
  const { page, errors } = await openOwnCode(t, "virtual");
  const program = (body) =>
    `import asyncio\n\n\nasync def nap(n):\n    await asyncio.sleep(0.5)\n\n\nasync def main():\n${body}\n\n\nasyncio.run(main())\n`;
  assert.equal(await page.isDisabled("#pin-run"), true, "nothing to pin before a run");
  await typeProgram(page, program("    for n in range(4):\n        await nap(n)"));
  await page.click("#run");
  assert.match(await waitForEnd(page), /^Done: 2\.000 s/);
  await page.click("#pin-run");
  assert.equal(await page.textContent("#pin-run"), "Unpin");
  await typeProgram(page, program("    await asyncio.gather(*(nap(n) for n in range(4)))"));
  await page.click("#run");
  assert.equal(await waitForEnd(page), "Done: pinned 2.00 s, this run 0.50 s: 4.0× faster than the pinned run.");
  const titles = await page.$$eval(".timeline-svg .run-title", (nodes) => nodes.map((n) => n.textContent));
  assert.deepEqual(titles, ["Pinned: 2.00 s", "This run: 0.50 s"]);
  // One time axis for both.
  assert.equal(await page.locator(".timeline-svg").count(), 1);
  const detail = await page.evaluate(() => window.events.filter((e) => e.type === "run-end").at(-1).detail);
  assert.equal(detail.totalMs, 500);
  await screenshot(page, "edit-pinned");
  // Unpinned, the last run is shown alone; an example's compare mode works
  // as before.
  await page.click("#pin-run");
  assert.deepEqual(await page.$$eval(".timeline-svg .run-title", (nodes) => nodes.map((n) => n.textContent)), []);
  await page.selectOption("#example", "sequential-vs-concurrent");
  await page.selectOption("#variant", "compare");
  await page.click("#run");
  assert.match(await waitForEnd(page), /^Done: .* faster/);
  assert.equal(await page.locator(".timeline-svg g.run").count(), 2);
  assert.deepEqual(errors, []);
});

test("Copy embed code for an edited program gives the script tag and the element holding it, which runs on another origin", async (t) => {
  const { page: source, context: sourceContext } = await openEditor();
  t.after(() => sourceContext.close());
  await source.selectOption("#example", "own-code");
  await source.selectOption("#clock", "virtual");
  const program =
    'import asyncio\n\n\nasync def main():\n    await asyncio.sleep(0.125)\n    print("embedded if a < b & c > d")\n\n\nasyncio.run(main())\n';
  await typeProgram(source, program);
  await source.click("#copy-embed");
  await source.waitForFunction(() => /Embed code|Copying/.test(document.getElementById("status").textContent));
  const snippet = await source.textContent("#share-text");
  assert.match(
    snippet,
    new RegExp(
      `^<script type="module" src="${baseUrl}/pkg/embed.js"></script>\n<asyncio-playground clock="virtual" editable>\n<pre>`,
    ),
  );
  const server = await listen((request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Embedded</title></head><body>\n${snippet}\n</body></html>`,
    );
  });
  t.after(() => server.close());
  const { page, errors, context } = await recordingPage(browser);
  t.after(() => context.close());
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.events.some((e) => e.type === "ready"), null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.querySelector("asyncio-playground").code), program);
  await page.evaluate(() => {
    // Whether the engine's progress is ever shown.
    window.progressShown = false;
    const root = document.querySelector("asyncio-playground").shadowRoot;
    new MutationObserver(() => {
      if (root.querySelector("#engine-progress:not([hidden])")) window.progressShown = true;
    }).observe(root, { subtree: true, attributes: true });
  });
  const result = await page.evaluate(async () => {
    const element = document.querySelector("asyncio-playground");
    await element.run();
    const root = element.shadowRoot;
    return {
      status: root.querySelector("#status").textContent,
      lines: [...root.querySelectorAll("#console > div:not(.console-warning)")].map((d) => d.textContent),
    };
  });
  assert.match(result.status, /^Done: 0\.125 s/);
  assert.deepEqual(result.lines, ["[0.125 s] embedded if a < b & c > d"]);
  assert.equal(await page.evaluate(() => window.progressShown), true, "the engine's loading was shown");
  assert.deepEqual(errors, []);
});
