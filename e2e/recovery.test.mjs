// Recovery from a trapped module, wherever the trap happens: in a call the
// page makes during a run, or in a callback the module registered itself
// (its loop's timer, a promise job, a MessageChannel, a worker's
// messages), where it surfaces
// only as an uncaught error on the window. Each ends the run visibly,
// leaves Run working on a fresh module, and nothing of the dead run reaches
// the page again. Traps are provoked as the other trap test does, by
// standing in for the module's function or callback with one that throws
// the RuntimeError a trap throws.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openPlayground, runExample } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const consoleLines = (page) => page.$$eval("#console > div", (divs) => divs.map((d) => d.textContent));
const status = (page) => page.textContent("#status");

async function waitForCrash(page) {
  await page.waitForFunction(() => /crashed/.test(document.getElementById("status").textContent), null, {
    timeout: 10_000,
  });
  assert.match(
    await status(page),
    /^The WebAssembly module crashed \(RuntimeError: unreachable.*\)\. The next run starts a fresh module\.$/,
  );
  assert.equal(await page.isEnabled("#run"), true, "Run works again");
  assert.equal(await page.isEnabled("#stop"), false);
}

// A fresh module runs hello; a while later its console still holds only
// its own two lines.
async function runsAfresh(page, settle) {
  const { lines, status: done } = await runExample(page, "hello", "virtual");
  assert.match(done, /^Done/);
  assert.deepEqual(lines, ["[0.000 s] Hello", "[1.000 s] World"]);
  await page.waitForTimeout(settle);
  assert.deepEqual(await consoleLines(page), ["[0.000 s] Hello", "[1.000 s] World"], "no line of the dead run");
  assert.equal(await page.evaluate(() => document.querySelector("asyncio-playground").playground.pkg.generation), 2);
}

test("a trap in a call during a run: the run ends, and the dead run, stopped or not, never reaches the page", async () => {
  const { page, errors } = await openPlayground(browser);
  await page.selectOption("#example", "hello");
  await page.selectOption("#clock", "real");
  await page.fill('#params input[name="delay"]', "2");
  // The handle of this run traps when the page asks for its trace the
  // second time; the instance cannot even be stopped, so its loop goes on
  // and prints World at 2 s, unless something keeps it from the page.
  await page.evaluate(() => {
    const api = document.querySelector("asyncio-playground").playground.pkg.api;
    const startRun = api.startRun;
    api.startRun = (...args) => {
      const handle = startRun(...args);
      const traceSince = handle.traceSince.bind(handle);
      let calls = 0;
      handle.traceSince = (start) => {
        calls += 1;
        if (calls === 2) throw new WebAssembly.RuntimeError("unreachable");
        return traceSince(start);
      };
      handle.stop = () => {
        window.stopsTried = (window.stopsTried ?? 0) + 1;
        throw new WebAssembly.RuntimeError("unreachable");
      };
      return handle;
    };
  });
  await page.click("#run");
  await waitForCrash(page);
  assert.equal(await page.evaluate(() => window.stopsTried), 1, "the dead run was told to stop");
  assert.deepEqual(await consoleLines(page).then((lines) => lines.map((l) => l.replace(/^\[0\.0\d\d s\] /, ""))), [
    "Hello",
  ]);
  await runsAfresh(page, 2_500);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a trap in the loop's own timer callback ends the run; the next runs on a fresh module", async () => {
  const { page } = await openPlayground(browser);
  await page.selectOption("#example", "hello");
  await page.selectOption("#clock", "real");
  await page.fill('#params input[name="delay"]', "1");
  // The loop arms one setTimeout for hello's 1 s sleep: its callback traps
  // instead of running, so the loop never wakes.
  await page.evaluate(() => {
    const setTimeout = window.setTimeout;
    window.setTimeout = function (callback, ms, ...rest) {
      if (typeof callback === "function" && ms >= 500) {
        window.setTimeout = setTimeout;
        return setTimeout.call(
          this,
          () => {
            throw new WebAssembly.RuntimeError("unreachable (in the loop's timer)");
          },
          ms,
          ...rest,
        );
      }
      return setTimeout.call(this, callback, ms, ...rest);
    };
  });
  await page.click("#run");
  await waitForCrash(page);
  assert.deepEqual(await consoleLines(page).then((lines) => lines.map((l) => l.replace(/^\[0\.0\d\d s\] /, ""))), [
    "Hello",
  ]);
  await runsAfresh(page, 500);
  await page.close();
});

test("a trap in a promise job or a MessageChannel callback ends the run the same way", async (t) => {
  const provoke = {
    "promise job": () => {
      Promise.reject(new WebAssembly.RuntimeError("unreachable (in a promise job)"));
    },
    "MessageChannel callback": () => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        throw new WebAssembly.RuntimeError("unreachable (in a MessageChannel callback)");
      };
      channel.port2.postMessage(0);
    },
  };
  for (const [where, trap] of Object.entries(provoke)) {
    await t.test(where, async () => {
      const { page } = await openPlayground(browser);
      await page.selectOption("#example", "hello");
      await page.selectOption("#clock", "real");
      await page.fill('#params input[name="delay"]', "2");
      await page.click("#run");
      await page.waitForFunction(() => document.querySelectorAll("#console > div").length === 1);
      await page.evaluate(trap);
      await waitForCrash(page);
      await runsAfresh(page, 2_000);
      await page.close();
    });
  }
});

test("a trap in the handler of a worker's messages ends the run the same way", async () => {
  const { page } = await openPlayground(browser);
  // The first message a worker of the pool sends traps in the module's
  // handler instead of reaching it.
  await page.evaluate(() => {
    const onmessage = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage");
    Object.defineProperty(Worker.prototype, "onmessage", {
      configurable: true,
      get() {
        return onmessage.get.call(this);
      },
      set(handler) {
        const trapping = (event) => {
          if (!window.workerTrapped) {
            window.workerTrapped = true;
            throw new WebAssembly.RuntimeError("unreachable (in a worker's message handler)");
          }
          return handler(event);
        };
        onmessage.set.call(this, typeof handler === "function" ? trapping : handler);
      },
    });
  });
  await page.selectOption("#example", "executor");
  await page.selectOption("#clock", "real");
  await page.click("#run");
  await waitForCrash(page);
  assert.equal(await page.evaluate(() => window.workerTrapped), true);
  await runsAfresh(page, 2_000);
  await page.close();
});

test("a trap an older instance throws later does not end the current run", async () => {
  const { page } = await openPlayground(browser);
  await page.evaluate(() =>
    document.querySelector("asyncio-playground").playground.pkg.trapped(new WebAssembly.RuntimeError("unreachable")),
  );
  await page.selectOption("#example", "hello");
  await page.selectOption("#clock", "real");
  await page.fill('#params input[name="delay"]', "1");
  await page.click("#run");
  await page.waitForFunction(() => document.querySelectorAll("#console > div").length === 1);
  assert.equal(await page.evaluate(() => document.querySelector("asyncio-playground").playground.pkg.generation), 2);
  // A trap whose stack names the first instance's script.
  await page.evaluate(() => {
    const error = new WebAssembly.RuntimeError("unreachable");
    error.stack = `RuntimeError: unreachable\n    at real (${new URL("pkg/playground.js", document.baseURI)}:300:21)`;
    setTimeout(() => {
      throw error;
    });
  });
  await page.waitForFunction(() => /^Done/.test(document.getElementById("status").textContent), null, {
    timeout: 5_000,
  });
  assert.equal((await consoleLines(page)).length, 2);
  await page.close();
});

test("the I/O module loads only when one of its examples runs, and a trap in it is its own", async () => {
  const { page } = await openPlayground(browser);
  const fetched = [];
  page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  assert.match((await runExample(page, "hello", "virtual")).status, /^Done/);
  assert.ok(!fetched.some((path) => path.startsWith("/pkg/playground_io")), fetched.join(" "));
  const run = await runExample(page, "blocking-vs-offloaded", "virtual", {
    variant: "sequential",
    params: { limit: 3000 },
  });
  assert.match(run.status, /^Done/, run.lines.join(" | "));
  assert.ok(fetched.includes("/pkg/playground_io_bg.wasm"), fetched.join(" "));
  const generations = () =>
    page.evaluate(() => {
      const playground = document.querySelector("asyncio-playground").playground;
      return [playground.pkg.generation, playground.ioPkg.generation];
    });
  assert.deepEqual(await generations(), [1, 1]);
  // A trap whose stack names the I/O module's script: that module is
  // replaced on its next run, the page's is not.
  await page.evaluate(() => {
    const error = new WebAssembly.RuntimeError("unreachable");
    error.stack = `RuntimeError: unreachable\n    at real (${new URL("pkg/playground_io.js", document.baseURI)}:300:21)`;
    setTimeout(() => {
      throw error;
    });
  });
  await page.waitForFunction(() => document.querySelector("asyncio-playground").playground.ioPkg.broken);
  assert.equal(await page.evaluate(() => document.querySelector("asyncio-playground").playground.pkg.broken), false);
  assert.match((await runExample(page, "hello", "virtual")).status, /^Done/);
  const again = await runExample(page, "blocking-vs-offloaded", "virtual", {
    variant: "sequential",
    params: { limit: 3000 },
  });
  assert.match(again.status, /^Done/, again.lines.join(" | "));
  assert.deepEqual(await generations(), [1, 2]);
  await page.close();
});
