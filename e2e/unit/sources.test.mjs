// sources.js: the examples' listings, fetched once each, with typed errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ListingError, ListingLoader } from "../../www/sources.js";

const BASE = new URL("https://playground.test/pkg/examples/");

// A fetch that answers from `answers` (URL → [status, body] or an Error)
// and records what was asked.
function fakeFetch(answers) {
  const asked = [];
  const fetchFn = async (url) => {
    asked.push(url.href);
    const answer = answers.get(url.href);
    if (answer instanceof Error) throw answer;
    const [status, body] = answer ?? [404, "not found"];
    return new Response(body, { status });
  };
  return { fetchFn, asked };
}

test("a listing is fetched from the example's file, once", async () => {
  const { fetchFn, asked } = fakeFetch(
    new Map([[`${BASE}hello.json`, [200, JSON.stringify({ python: "print(1)\n", rust: "fn main() {}\n" })]]]),
  );
  const loader = new ListingLoader(BASE, fetchFn);
  assert.deepEqual(await loader.load("hello"), { python: "print(1)\n", rust: "fn main() {}\n" });
  await loader.load("hello");
  assert.deepEqual(asked, [`${BASE}hello.json`]);
});

test("an id is a file name, escaped", async () => {
  const { fetchFn, asked } = fakeFetch(new Map());
  const loader = new ListingLoader(BASE, fetchFn);
  await assert.rejects(loader.load("../x y"), ListingError);
  assert.deepEqual(asked, [`${BASE}..%2Fx%20y.json`]);
});

test("what cannot be had is a ListingError saying why, and is tried again", async () => {
  const answers = new Map([
    [`${BASE}gone.json`, [404, "no"]],
    [`${BASE}text.json`, [200, "not json"]],
    [`${BASE}shape.json`, [200, JSON.stringify({ python: 1 })]],
    [`${BASE}down.json`, new TypeError("Failed to fetch")],
  ]);
  const { fetchFn, asked } = fakeFetch(answers);
  const loader = new ListingLoader(BASE, fetchFn);
  const reasons = {
    gone: /"gone" could not be fetched \(HTTP 404\)/,
    text: /"text" is not JSON/,
    shape: /"shape" has no Python and Rust text/,
    down: /"down" could not be fetched \(Failed to fetch\)/,
  };
  for (const [id, reason] of Object.entries(reasons)) {
    await assert.rejects(loader.load(id), (error) => error instanceof ListingError && reason.test(error.message));
  }
  answers.set(`${BASE}gone.json`, [200, JSON.stringify({ python: "", rust: "" })]);
  assert.deepEqual(await loader.load("gone"), { python: "", rust: "" });
  assert.equal(asked.filter((url) => url.endsWith("/gone.json")).length, 2);
});
