// Launching the system's Chromium for the end-to-end tests (never a
// downloaded browser), and the dev server's address.
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
  const { variant, params = {}, baseUrl: serverUrl, timeout = 30_000 } =
    typeof options === "number" ? { timeout: options } : options;
  await page.selectOption("#example", example);
  await page.selectOption("#clock", clock);
  if (variant !== undefined) await page.selectOption("#variant", variant);
  for (const [name, value] of Object.entries(params)) {
    await page.fill(`#params input[name="${name}"]`, String(value));
  }
  if (serverUrl !== undefined) await page.fill("#base-url", serverUrl);
  await page.click("#run");
  await page.waitForFunction(
    () => /^(Done|Stopped|Not started|The run failed|The WebAssembly)/.test(document.getElementById("status").textContent),
    null,
    { timeout },
  );
  const lines = await page.$$eval("#console > div", (divs) => divs.map((d) => d.textContent));
  const status = await page.textContent("#status");
  return { lines, status };
}
