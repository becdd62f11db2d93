// share.js: the state as a URL hash and as embed code.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ProgramLinkError,
  codeLengthProblem,
  compressProgram,
  decompressProgram,
  embedCode,
  formatHash,
  parseHash,
  shareLink,
} from "../../www/share.js";
import { MAX_PROGRAM_LENGTH } from "../../www/program.js";

const STATE = {
  example: "sequential-vs-concurrent",
  mode: "compare",
  clock: "virtual",
  params: new Map([
    ["tasks", 4],
    ["delay", 1],
  ]),
};

test("a hash carries the example, mode, clock and parameters, and reads back the same", () => {
  const hash = formatHash(STATE);
  assert.equal(hash, "#example=sequential-vs-concurrent&mode=compare&clock=virtual&params=tasks%3D4%26delay%3D1");
  assert.deepEqual(parseHash(hash), { state: STATE, problems: [] });
});

test("a hash's problems: unknown keys, a bad clock, parameters that are not numbers, no example", () => {
  const { state, problems } = parseHash("#example=hello&colour=blue&clock=sundial&params=delay%3D0x10%26n%3D1e1");
  assert.equal(state.example, "hello");
  assert.equal(state.clock, null);
  assert.deepEqual(problems, [
    'there is no setting "colour" (the settings are example, mode, clock, params, code)',
    'parameter "delay" is not a number: "0x10"',
    'parameter "n" is not a number: "1e1"',
    'there is no clock "sundial" (the clocks are real, virtual)',
  ]);
  assert.deepEqual(parseHash("#clock=real").problems, ["it names no example"]);
});

test("prototype names in a hash are names like any other", () => {
  const { state, problems } = parseHash("#example=hello&params=__proto__%3D1%26constructor%3D2");
  assert.deepEqual(
    [...state.params],
    [
      ["__proto__", 1],
      ["constructor", 2],
    ],
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(parseHash("#__proto__=1&example=hello").problems, [
    'there is no setting "__proto__" (the settings are example, mode, clock, params, code)',
  ]);
});

test("an empty hash is no state", () => {
  assert.equal(parseHash(""), null);
  assert.equal(parseHash("#"), null);
});

test("the share link is the page's address with the hash", () => {
  const link = new URL(shareLink(STATE));
  assert.equal(link.hash, formatHash(STATE));
  assert.ok(link.pathname.endsWith("/www/"), link.pathname);
});

test("embed code: the script tag and the element, attributes escaped", () => {
  const code = embedCode({ ...STATE, baseUrl: 'http://h"<x>&y' });
  const [script, element] = code.split("\n");
  assert.match(script, /^<script type="module" src="file:\/\/.*\/www\/pkg\/embed\.js"><\/script>$/);
  assert.equal(
    element,
    '<asyncio-playground example="sequential-vs-concurrent" mode="compare" clock="virtual" params="tasks=4&amp;delay=1"' +
      ' base-url="http://h&quot;&lt;x>&amp;y"></asyncio-playground>',
  );
});

test("a program travels in a link compressed, and reads back the same", async () => {
  const program = 'import asyncio\n\nasync def main():\n    print("héllo ✓ <&>")\n\nasyncio.run(main())\n';
  const code = await compressProgram(program);
  assert.match(code, /^[A-Za-z0-9_-]+$/, "base64url");
  assert.equal(await decompressProgram(code), program);
  const hash = formatHash({ ...STATE, mode: "python", code });
  const { state, problems } = parseHash(hash);
  assert.deepEqual(problems, []);
  assert.equal(state.code, code);
  assert.equal(await decompressProgram(state.code), program);
  assert.equal(codeLengthProblem(code), null);
});

test("a link's program that is damaged, not text, or too long is refused with why", async () => {
  const refused = async (code, message) =>
    assert.rejects(
      decompressProgram(code),
      (error) => error instanceof ProgramLinkError && message.test(error.message),
    );
  await refused("not base64!", /not in base64url/);
  await refused("AAAA", /damaged/);
  const bytes = new Uint8Array([0xff, 0xfe, 0x80]);
  const deflated = new Uint8Array(
    await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer(),
  );
  await refused(
    btoa(String.fromCharCode(...deflated))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, ""),
    /not UTF-8/,
  );
  // A million characters compress to little, and are refused as they inflate.
  await refused(await compressProgram("x".repeat(MAX_PROGRAM_LENGTH * 5)), /more than 200,000 characters/);
  const long = await compressProgram(Array.from({ length: 4000 }, (_, i) => `print(${i * 7919})`).join("\n"));
  assert.match(
    codeLengthProblem(long),
    /too long for a link: compressed it takes [\d,]+ characters, and a link holds 16,000/,
  );
  // A setting that long is not even read from a hash.
  assert.match(
    parseHash(`#example=own-code&code=${"A".repeat(16_001)}`).problems[0],
    /code setting is 16001 characters/,
  );
});

test("embed code for a program: the element holds it in a pre, escaped, and may be editable", () => {
  const code = embedCode({ clock: "virtual", program: "if a < b and c > d & e:\n    pass\n", editable: true });
  const [script, ...element] = code.split("\n");
  assert.match(script, /^<script type="module" src=".*embed\.js"><\/script>$/);
  assert.deepEqual(element, [
    '<asyncio-playground clock="virtual" editable>',
    "<pre>if a &lt; b and c &gt; d &amp; e:",
    "    pass",
    "</pre>",
    "</asyncio-playground>",
  ]);
});
