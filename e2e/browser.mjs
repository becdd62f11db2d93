// Launching the system's Chromium for the end-to-end tests (never a
// downloaded browser), and the dev server's address.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";

export const baseUrl = process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-timer-throttling",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
    ],
  });
}

// Opens the page and waits for it to be ready to run.
export async function openPlayground(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(baseUrl + "/");
  await page.waitForSelector("#run:not([disabled])");
  return { page, errors };
}

// Runs `example` on `clock` and returns the console lines and the status.
// `options` (or a bare number, the timeout): `{ variant, params, baseUrl,
// timeout }`; `variant` is a variant id or "compare", `params` `{ name:
// value }`.
export async function runExample(page, example, clock, options = {}) {
  const {
    variant,
    params = {},
    baseUrl: serverUrl,
    timeout = 30_000,
  } = typeof options === "number" ? { timeout: options } : options;
  await page.selectOption("#example", example);
  await page.selectOption("#clock", clock);
  if (variant !== undefined) await page.selectOption("#variant", variant);
  for (const [name, value] of Object.entries(params)) {
    await page.fill(`#params input[name="${name}"]`, String(value));
  }
  if (serverUrl !== undefined) await page.fill("#base-url", serverUrl);
  await page.click("#run");
  await page.waitForFunction(
    () =>
      /^(Done|Stopped|Not started|The run failed|The WebAssembly)/.test(document.getElementById("status").textContent),
    null,
    { timeout },
  );
  const lines = await page.$$eval("#console > div", (divs) => divs.map((d) => d.textContent));
  const status = await page.textContent("#status");
  return { lines, status };
}

// The dev server's policy for the page, which the embedding fixtures are
// served under.
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
const FIXTURE_CSS = await readFile(new URL("./fixtures/embed.css", import.meta.url), "utf8");
// The tutorial page with three elements (fixtures/embed.html).
export const EMBED_FIXTURE = await readFile(new URL("./fixtures/embed.html", import.meta.url), "utf8");

// Serves `html` (and the fixture's stylesheet) at /embed-fixture.html on
// the dev server's origin, under its policy; resolves to the page's URL.
export async function routeEmbedFixture(page, html = EMBED_FIXTURE) {
  await page.route(`${baseUrl}/embed-fixture.html`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", headers: { "content-security-policy": CSP }, body: html }),
  );
  await page.route(`${baseUrl}/embed-fixture.css`, (route) =>
    route.fulfill({ status: 200, contentType: "text/css", body: FIXTURE_CSS }),
  );
  return `${baseUrl}/embed-fixture.html`;
}

// A page in a fresh context with `colorScheme` that records page errors
// and console errors in `errors`, and every playground event as
// `{ id, type, detail }` (`type` without its `playground-` prefix) in
// `window.events`; not yet navigated.
export async function recordingPage(browser, colorScheme = "light") {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.addInitScript(() => {
    window.events = [];
    // The element's events are `playground-ready` and so on; recorded as `ready`.
    for (const type of ["ready", "run-start", "run-end", "error"]) {
      document.addEventListener(`playground-${type}`, (event) => {
        if (event.target.localName === "asyncio-playground")
          window.events.push({ id: event.target.id, type, detail: event.detail ?? null });
      });
    }
  });
  return { page, errors, context };
}

// The requests `page` makes from now on whose URL matches `pattern`: an
// array that fills as they are made, of each match's first group (or the
// whole URL when the pattern has none).
export function requestsTo(page, pattern) {
  const seen = [];
  page.on("request", (request) => {
    const match = pattern.exec(request.url());
    if (match) seen.push(match[1] ?? match[0]);
  });
  return seen;
}

// A plain HTTP server on a free loopback port (another origin than the
// dev server's), answering with `handler(request, response)`.
export async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
