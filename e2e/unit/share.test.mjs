// share.js: the state as a URL hash and as embed code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { embedCode, formatHash, parseHash, shareLink } from "../../www/share.js";

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
    'there is no setting "colour" (the settings are example, mode, clock, params)',
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
    'there is no setting "__proto__" (the settings are example, mode, clock, params)',
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
  assert.match(script, /^<script type="module" src="file:\/\/.*\/www\/embed\.js"><\/script>$/);
  assert.equal(
    element,
    '<asyncio-playground example="sequential-vs-concurrent" mode="compare" clock="virtual" params="tasks=4&amp;delay=1"' +
      ' base-url="http://h&quot;&lt;x>&amp;y"></asyncio-playground>',
  );
});
