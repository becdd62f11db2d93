// settings.js: the one parser of settings, from a link, an attribute, the
// iframe's address or the parameter inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAX_SETTING_LENGTH,
  formatParams,
  listProblems,
  numberProblem,
  parseNumber,
  parseParams,
  parseViews,
  readSettings,
} from "../../www/settings.js";

test("numbers are plain decimals, as the inputs write them", () => {
  for (const [text, value] of [
    ["3", 3],
    ["0.5", 0.5],
    [".5", 0.5],
    ["5.", 5],
    ["-1", -1],
    ["10", 10],
  ]) {
    assert.equal(parseNumber(text), value, text);
  }
  for (const text of ["", " 5 ", "5 ", "0x10", "1e1", "1E1", "+1", "Infinity", "NaN", "1_000", "--1", "1.2.3", "٣"]) {
    assert.equal(parseNumber(text), null, JSON.stringify(text));
  }
  assert.equal(parseNumber("1".repeat(33)), null, "too long to be a parameter");
});

test("one message for a value that is not a number, wherever it came from", () => {
  assert.equal(numberProblem("delay", "0x10"), 'parameter "delay" is not a number: "0x10"');
  assert.equal(numberProblem("delay", " 5 "), 'parameter "delay" is not a number: " 5 "');
  assert.equal(numberProblem("delay", ""), 'parameter "delay" has no value');
  assert.equal(numberProblem("delay", "0.5"), null);
  const { values, problems } = parseParams("delay=0x10&tasks=3&tasks=4");
  assert.deepEqual([...values], [["tasks", 3]]);
  assert.deepEqual(problems, ['parameter "delay" is not a number: "0x10"', 'parameter "tasks" is given twice']);
});

test("parameters round-trip through their query form", () => {
  const values = new Map([
    ["tasks", 3],
    ["delay", 0.5],
  ]);
  assert.equal(formatParams(values), "tasks=3&delay=0.5");
  assert.deepEqual(parseParams(formatParams(values)), { values, problems: [] });
});

test("views: known ones shown, unknown ones named", () => {
  assert.deepEqual([...parseViews("").shown], ["listings", "console", "timeline", "replay", "table"]);
  const { shown, problems } = parseViews("console, sparkles timeline table");
  assert.deepEqual([...shown], ["console", "timeline", "table"]);
  assert.deepEqual(problems, [
    'there is no view "sparkles" (the views are listings, console, timeline, replay, table)',
  ]);
});

test("a setting longer than the limit is refused whole, unread", () => {
  const known = ["example", "params"];
  const long = "a=1&".repeat(MAX_SETTING_LENGTH);
  const { settings, problems } = readSettings(
    [
      ["example", "hello"],
      ["params", long],
    ],
    known,
  );
  assert.deepEqual([...settings], [["example", "hello"]]);
  assert.deepEqual(problems, [
    `the params setting is ${long.length} characters long, more than the ${MAX_SETTING_LENGTH} read`,
  ]);
});

test("settings are a Map: prototype names are unknown names, with a notice", () => {
  const { settings, problems } = readSettings(
    [
      ["__proto__", "1"],
      ["constructor", "1"],
      ["example", "hello"],
    ],
    ["example"],
  );
  assert.deepEqual([...settings], [["example", "hello"]]);
  assert.deepEqual(problems, [
    'there is no setting "__proto__" (the settings are example)',
    'there is no setting "constructor" (the settings are example)',
  ]);
});

test("a notice lists the first few problems and counts the rest", () => {
  const problems = Array.from({ length: 10_000 }, (_, i) => `problem ${i}`);
  const text = listProblems(problems);
  assert.equal(text, "problem 0; problem 1; problem 2; problem 3; problem 4; and 9,995 more");
  assert.equal(listProblems(["one", "two"]), "one; two");
});
