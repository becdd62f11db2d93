// Accessibility: axe-core audits of the full page, in the light and the dark
// colour scheme, when ready, after a compare-mode run (timeline, console
// and the timeline's table shown) and with the replay's cursor mid-run, and of the tutorial page with three
// `<asyncio-playground>` elements in their shadow roots (fixtures/embed.html),
// light and dark. No violation of impact serious or critical is allowed;
// WCAG AA contrast is axe's color-contrast rule, which must have run. The
// moderate and minor violations, and the contrast checks axe could not
// decide (text over SVG, gradients, …), are reported as test diagnostics.
//
// axe is served on the server's origin (the page's Content-Security-Policy
// refuses inline scripts) and runs on the whole document, open shadow roots
// included.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { baseUrl, launch, routeEmbedFixture, runExample } from "./browser.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_URL = `${baseUrl}/__a11y__/axe.min.js`;

const BLOCKING = new Set(["serious", "critical"]);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// A page in a fresh context with `colorScheme`, with axe routed onto the
// server's origin and page errors recorded.
async function newPage(colorScheme) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.route(AXE_URL, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: AXE_SOURCE }),
  );
  return { page, errors, context };
}

async function openMain(colorScheme) {
  const opened = await newPage(colorScheme);
  await opened.page.goto(baseUrl + "/");
  await opened.page.waitForSelector("#run:not([disabled])");
  return opened;
}

// The fixture at /embed-fixture.html on the server's origin, under its CSP,
// once all three elements are ready and the autorun of `a` is done.
async function openEmbed(colorScheme) {
  const opened = await newPage(colorScheme);
  const { page } = opened;
  await page.goto(await routeEmbedFixture(page));
  await page.waitForFunction(
    () => {
      const roots = [...document.querySelectorAll("asyncio-playground")].map((el) => el.shadowRoot);
      return (
        roots.length === 3 &&
        roots.every((root) => root?.querySelector("#run:not([disabled])")) &&
        /^Done/.test(roots[0].querySelector("#status").textContent)
      );
    },
    null,
    { timeout: 20_000 },
  );
  return opened;
}

// Runs axe on the whole document, scrolled to the top so that the sticky
// controls cover nothing; the violations and the incomplete checks with
// their nodes, and the ids of the rules that found something to check.
async function audit(page) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.addScriptTag({ url: AXE_URL });
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ["violations", "incomplete"] });
    const rule = ({ id, impact, help, helpUrl, nodes }) => ({
      id,
      impact,
      help,
      helpUrl,
      nodes: nodes.map((node) => ({
        target: node.target,
        failureSummary: node.failureSummary,
        messages: [...node.any, ...node.all, ...node.none].map((check) => check.message),
      })),
    });
    return {
      violations: results.violations.map(rule),
      incomplete: results.incomplete.map(rule),
      applied: [...results.passes, ...results.violations, ...results.incomplete].map((r) => r.id),
    };
  });
}

// A target inside shadow roots is a list of selectors, host first.
function target(selectors) {
  return selectors.map((s) => (Array.isArray(s) ? s.join(" >>> ") : s)).join(", ");
}

// Rules as text: rule id, impact, help, and each node's targets with the
// failure summary (violations) or axe's reasons (incomplete checks, which
// have no impact of their own).
function describe(rules, { incomplete = false } = {}) {
  return rules
    .map((r) =>
      [
        `${incomplete ? "" : `[${r.impact}] `}${r.id}: ${r.help} (${r.nodes.length} node${r.nodes.length === 1 ? "" : "s"}; ${r.helpUrl})`,
        ...r.nodes.map((n) => {
          const text = incomplete ? n.messages.join(" / ") : n.failureSummary;
          return `  - ${target(n.target)}\n      ${(text ?? "").replace(/\n/g, "\n      ")}`;
        }),
      ].join("\n"),
    )
    .join("\n");
}

// Each line of `text` as a diagnostic of test `t`.
function report(t, text) {
  for (const line of text.split("\n")) t.diagnostic(line);
}

// Fails on serious or critical violations, listing them; reports the rest.
function check(t, name, results) {
  assert.ok(results.applied.includes("color-contrast"), `${name}: axe's color-contrast rule did not run`);
  const blocking = results.violations.filter((r) => BLOCKING.has(r.impact));
  const other = results.violations.filter((r) => !BLOCKING.has(r.impact));
  if (other.length) report(t, `${name}: other violations:\n${describe(other)}`);
  const contrast = results.incomplete.filter((r) => r.id === "color-contrast");
  if (contrast.length)
    report(t, `${name}: contrast axe could not decide:\n${describe(contrast, { incomplete: true })}`);
  assert.equal(blocking.length, 0, `${name}: serious or critical accessibility violations:\n${describe(blocking)}`);
}

for (const colorScheme of ["light", "dark"]) {
  test(`the full page, ${colorScheme}: no serious or critical violations when ready`, async (t) => {
    const { page, errors, context } = await openMain(colorScheme);
    t.after(() => context.close());
    check(t, `full page, ${colorScheme}, ready`, await audit(page));
    assert.deepEqual(errors, []);
  });

  test(`the full page, ${colorScheme}: none with the Python editor open, a program of one's own run, its error marked`, async (t) => {
    const { page, errors, context } = await openMain(colorScheme);
    t.after(() => context.close());
    await page.selectOption("#example", "own-code");
    await page.selectOption("#clock", "virtual");
    await page.evaluate(() => {
      document.querySelector("asyncio-playground").playground.listings.source =
        'import asyncio\n\nasync def main():\n    print("hi")\n    await asyncio.sleep(0.5)\n    1 / 0\n\nasyncio.run(main())\n';
    });
    await page.click("#run");
    await page.waitForFunction(() => /^The program ended/.test(document.getElementById("status").textContent), null, {
      timeout: 60_000,
    });
    await page.waitForSelector("#python-editor .cm-error-line");
    await page.focus("#python-editor .cm-content");
    check(t, `full page, ${colorScheme}, editor with an error`, await audit(page));
    assert.deepEqual(errors, []);
  });

  test(`the full page, ${colorScheme}: none after a compare run, with the timeline's table open`, async (t) => {
    const { page, errors, context } = await openMain(colorScheme);
    t.after(() => context.close());
    const { status } = await runExample(page, "sequential-vs-concurrent", "virtual", { variant: "compare" });
    assert.match(status, /^Done/);
    await page.click("details > summary");
    await page.waitForSelector(".timeline-table tbody tr");
    assert.equal(await page.locator(".timeline-svg g.run").count(), 2, "both runs are drawn");
    check(t, `full page, ${colorScheme}, after a compare run`, await audit(page));
    assert.deepEqual(errors, []);
  });

  test(`the full page, ${colorScheme}: none with the replay's cursor mid-run, a warning, the task table sorted`, async (t) => {
    const { page, errors, context } = await openMain(colorScheme);
    t.after(() => context.close());
    await runExample(page, "blocking-vs-offloaded", "virtual", { variant: "sequential", params: { limit: 3000 } });
    await page.focus("#cursor");
    await page.keyboard.press("Home");
    for (let i = 0; i < 6; i += 1) await page.keyboard.press("PageUp");
    await page.click('#task-table button[data-key="steps"]');
    await page.waitForSelector("#cursor-state li[data-task]");
    assert.equal(await page.locator(".timeline-svg .marker-warning").count(), 1);
    check(t, `full page, ${colorScheme}, replay`, await audit(page));
    assert.deepEqual(errors, []);
  });

  test(`the tutorial page with three elements, ${colorScheme}: no serious or critical violations`, async (t) => {
    const { page, errors, context } = await openEmbed(colorScheme);
    t.after(() => context.close());
    check(t, `embed fixture, ${colorScheme}`, await audit(page));
    assert.deepEqual(errors, []);
  });
}

test("the iframe page, embed.html: no serious or critical violations", async (t) => {
  const { page, errors, context } = await newPage("light");
  t.after(() => context.close());
  await page.goto(`${baseUrl}/embed.html#example=hello&clock=virtual&autorun`);
  await page.waitForFunction(() =>
    /^Done/.test(document.querySelector("asyncio-playground")?.shadowRoot?.querySelector("#status")?.textContent),
  );
  check(t, "embed.html", await audit(page));
  assert.deepEqual(errors, []);
});

// WCAG relative luminance and contrast ratio of `rgb(r, g, b)` strings.
function luminance(rgb) {
  const [r, g, b] = rgb
    .match(/\d+(\.\d+)?/g)
    .slice(0, 3)
    .map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Text (4.5:1) and the parts of controls and graphics that carry meaning
// (3:1, WCAG 1.4.11), as pairs of the stylesheet's custom properties.
const TEXT_PAIRS = [
  ["--fg", "--bg"],
  ["--fg", "--panel"],
  ["--fg", "--row-band"],
  ["--muted", "--bg"],
  ["--muted", "--panel"],
  ["--accent", "--bg"],
  ["--accent-fg", "--accent"],
  ["--error", "--bg"],
  ["--error", "--panel"],
  ["--tok-keyword", "--panel"],
  ["--tok-string", "--panel"],
  ["--tok-comment", "--panel"],
  ["--tok-number", "--panel"],
  ["--span-waiting-fg", "--span-waiting"],
  ["--span-waiting-fg", "--span-job"],
];
const GRAPHIC_PAIRS = [
  ["--control-border", "--bg"],
  ["--control-border", "--panel"],
  ["--focus", "--bg"],
  ["--now", "--bg"],
  ["--span-running", "--bg"],
  ["--span-waiting", "--bg"],
  ["--span-job", "--bg"],
  ["--span-ready", "--bg"],
  ["--span-running", "--row-band"],
  ["--span-waiting", "--row-band"],
  ["--span-job", "--row-band"],
  ["--marker-timer", "--bg"],
  ["--marker-print", "--bg"],
  ["--marker-io", "--bg"],
];

for (const colorScheme of ["light", "dark"]) {
  test(`the theme's colours, ${colorScheme}: text at 4.5:1, controls and timeline marks at 3:1`, async () => {
    const { page, context } = await openMain(colorScheme);
    const names = [...new Set([...TEXT_PAIRS, ...GRAPHIC_PAIRS].flat())];
    // Each property as the browser resolves it (light-dark() included).
    const colours = await page.evaluate((names) => {
      const probe = document.createElement("span");
      document.querySelector("asyncio-playground").append(probe);
      const out = {};
      for (const name of names) {
        probe.style.color = `var(${name})`;
        out[name] = getComputedStyle(probe).color;
      }
      probe.remove();
      return out;
    }, names);
    await context.close();
    const failures = [];
    for (const [pairs, minimum] of [
      [TEXT_PAIRS, 4.5],
      [GRAPHIC_PAIRS, 3],
    ]) {
      for (const [fg, bg] of pairs) {
        const ratio = contrast(colours[fg], colours[bg]);
        if (ratio < minimum)
          failures.push(`${fg} ${colours[fg]} on ${bg} ${colours[bg]}: ${ratio.toFixed(2)} < ${minimum}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}
