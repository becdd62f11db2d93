// Settings from links, attributes, the iframe's address and the parameter
// inputs: one parser with the same messages for each, prototype names
// treated as names, a link that cannot carry a parameter that is not a
// number, and notices that stay short however much a link or an attribute
// asks for.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { baseUrl, launch, openPlayground, recordingPage, routeEmbedFixture } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The full page at `hash`, ready; its notice's text ("" when hidden).
async function openLink(hash) {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/${hash}`);
  await page.waitForSelector("#run:not([disabled])");
  const notice = (await page.isVisible("#notice")) ? await page.textContent("#notice") : "";
  return { page, notice };
}

// One element with `attributes`, ready; its notice's text.
async function openElement(attributes) {
  const { page, context } = await recordingPage(browser);
  const html = `<!doctype html><title>settings</title><script type="module" src="/pkg/embed.js"></script><asyncio-playground id="s" ${attributes}></asyncio-playground>`;
  await page.goto(await routeEmbedFixture(page, html));
  await page.waitForFunction(() => window.events.some((e) => e.type === "ready"));
  const notice = await page.locator("#s").locator("#notice").textContent();
  return { page, context, notice };
}

const NOT_A_NUMBER = [
  ["0x10", 'parameter "delay" is not a number: "0x10"'],
  [" 5 ", 'parameter "delay" is not a number: " 5 "'],
  ["1e1", 'parameter "delay" is not a number: "1e1"'],
];

test("a value that is not a plain number is refused alike by a link, an attribute and the input", async (t) => {
  for (const [value, message] of NOT_A_NUMBER) {
    await t.test(JSON.stringify(value), async () => {
      const params = new URLSearchParams({ delay: value }).toString();
      const link = await openLink(`#example=hello&params=${encodeURIComponent(params)}`);
      assert.equal(link.notice, `This link's settings could not be used (${message}), so the defaults are shown.`);
      assert.equal(await link.page.inputValue('#params input[name="delay"]'), "1");
      await link.page.close();
      const element = await openElement(`example="hello" params="${params}"`);
      assert.equal(element.notice, `Some attributes could not be used: ${message}.`);
      await element.context.close();
    });
  }
  // The input takes 1e1 (a number input allows an exponent); the page does not.
  const { page } = await openPlayground(browser);
  await page.fill('#params input[name="delay"]', "1e1");
  assert.equal(await page.textContent("#param-error"), 'parameter "delay" is not a number: "1e1"');
  assert.equal(await page.getAttribute('#params input[name="delay"]', "aria-invalid"), "true");
  await page.click("#run");
  await page.waitForFunction(() => /^Not started/.test(document.getElementById("status").textContent));
  assert.equal(await page.locator("#console > div").count(), 0);
  await page.close();
});

test("Copy link with an empty parameter copies nothing and says why; the hash never holds NaN", async () => {
  const { page } = await openPlayground(browser);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  await page.fill('#params input[name="delay"]', "0.5");
  await page.fill('#params input[name="delay"]', "");
  assert.doesNotMatch(await page.evaluate(() => location.hash), /NaN/);
  await page.click("#copy-link");
  assert.equal(await page.textContent("#status"), 'Not copied: parameter "delay" has no value.');
  assert.equal(await page.isVisible("#share-text"), false);
  assert.equal(await page.textContent("#param-error"), 'parameter "delay" has no value');
  await page.click("#copy-embed");
  assert.match(await page.textContent("#status"), /^Not copied/);
  await page.fill('#params input[name="delay"]', "0.5");
  await page.click("#copy-link");
  await page.waitForFunction(() => /copied/.test(document.getElementById("status").textContent));
  const link = await page.textContent("#share-text");
  assert.match(link, /params=delay%3D0\.5$/);
  const opened = await openLink(new URL(link).hash);
  assert.equal(opened.notice, "");
  assert.equal(await opened.page.inputValue('#params input[name="delay"]'), "0.5");
  await opened.page.close();
  await page.close();
});

test("prototype names are names like any other: each gets the same notice", async () => {
  for (const name of ["__proto__", "constructor", "toString"]) {
    const params = `${name}=1`;
    const link = await openLink(`#example=hello&params=${encodeURIComponent(params)}`);
    assert.equal(
      link.notice,
      `This link's settings could not be used ("hello" has no parameter "${name}"), so the defaults are shown.`,
    );
    await link.page.close();
    const element = await openElement(`example="hello" params="${params}"`);
    assert.equal(element.notice, `Some attributes could not be used: "hello" has no parameter "${name}".`);
    await element.context.close();
  }
  const unknownKey = await openLink("#__proto__=1&example=hello");
  assert.match(unknownKey.notice, /there is no setting "__proto__"/);
  await unknownKey.page.close();
});

test("a notice names the first few problems and counts the rest", async () => {
  const names = Array.from({ length: 300 }, (_, i) => `p${i}=1`).join("&");
  const element = await openElement(`example="hello" params="${names.replaceAll("&", "&amp;")}"`);
  assert.equal(
    element.notice,
    'Some attributes could not be used: "hello" has no parameter "p0"; "hello" has no parameter "p1"; "hello" has no parameter "p2"; ' +
      '"hello" has no parameter "p3"; "hello" has no parameter "p4"; and 295 more.',
  );
  await element.context.close();
  const link = await openLink(`#example=hello&params=${encodeURIComponent(names)}`);
  assert.match(link.notice, /"hello" has no parameter "p4"; and 295 more\), so the defaults are shown\.$/);
  await link.page.close();
});

test("a 1 MB link to embed.html: a short notice at once, and a short message to the parent", async () => {
  const { page, errors, context } = await recordingPage(browser);
  const views = Array(500_000).fill("a").join("+");
  const unknown = Array.from({ length: 10_000 }, (_, i) => `k${i}=1`).join("&");
  const started = Date.now();
  await page.goto(`${baseUrl}/embed.html#example=hello&clock=virtual&views=${views}&${unknown}`);
  await page.waitForFunction(() => window.events.some((e) => e.type === "ready"), null, { timeout: 10_000 });
  const notice = await page.locator("asyncio-playground").locator("#notice").textContent();
  assert.equal(
    notice,
    "Some attributes could not be used: the views setting is 999999 characters long, more than the 2000 read.",
  );
  const frameNotice = await page.textContent("#frame-notice");
  assert.ok(frameNotice.length < 400, frameNotice);
  assert.match(
    frameNotice,
    /^Unknown settings in the address were ignored: k0; k1; k2; k3; k4; and 9,995 more \(known: /,
  );
  const [error] = await page.evaluate(() => window.events.filter((e) => e.type === "error"));
  assert.equal(error.detail, notice);
  // The page answers: a run completes.
  await page.evaluate(() => document.querySelector("asyncio-playground").run());
  assert.match(await page.locator("asyncio-playground").locator("#status").textContent(), /^Done/);
  assert.ok(Date.now() - started < 15_000);
  assert.deepEqual(errors, []);
  await context.close();
});
