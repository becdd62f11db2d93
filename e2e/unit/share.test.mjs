// share.js: the state as a URL hash and as embed code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { embedCode, formatHash, parseHash, shareLink } from "../../www/share.js";

const STATE = {
  example: "sequential-vs-concurrent",
  mode: "compare",
  clock: "virtual",
  params: { tasks: 4, delay: 1 },
};

test("a hash carries the example, mode, clock and parameters, and reads back the same", () => {
  const hash = formatHash(STATE);
  assert.equal(hash, "#example=sequential-vs-concurrent&mode=compare&clock=virtual&params=tasks%3D4%26delay%3D1");
  assert.deepEqual(parseHash(hash), STATE);
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
