// Settings, read one way from every source: a share link's hash, the
// element's attributes, the iframe fallback's hash and the parameter
// inputs. Values are checked here for their form (a number is plain
// decimal, a setting is not too long); the catalogue checks what they name.
// Collections are Maps, so names such as `__proto__` or `constructor` are
// names like any other.

// The clocks and the regions the `views` setting can show.
export const CLOCKS = Object.freeze(["real", "virtual"]);
export const VIEWS = Object.freeze(["listings", "console", "timeline", "replay", "table"]);

// The longest setting read from a link or an attribute, in characters:
// longer ones are refused whole, so a huge link costs nothing to read.
export const MAX_SETTING_LENGTH = 2000;
// The longest program a link carries (`code`, compressed), in characters.
export const MAX_CODE_LENGTH = 16_000;
// How many problems a notice names before "and N more".
export const MAX_LISTED = 5;

// A plain decimal number, as the parameter inputs take and the share link
// writes: `3`, `0.5`, `-1`, `.5`; no exponent, hex, spaces or signs such
// as `+`.
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

// `text` as a number, or null if it is not a plain decimal number.
export function parseNumber(text) {
  if (typeof text !== "string" || text.length > 32 || !DECIMAL.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

// `"text"`, shortened for a message.
export function quote(text, max = 40) {
  const shown = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return JSON.stringify(shown);
}

// The problem with parameter `name`'s text, or null: the one message for a
// value that is not a number, wherever it came from.
export function numberProblem(name, text) {
  if (text.trim() === "") return `parameter "${name}" has no value`;
  return parseNumber(text) === null ? `parameter ${quote(name)} is not a number: ${quote(text)}` : null;
}

// The problem with a setting `name` whose text is `text` (too long), or null.
export function lengthProblem(name, text) {
  const max = name === "code" ? MAX_CODE_LENGTH : MAX_SETTING_LENGTH;
  return text.length > max ? `the ${name} setting is ${text.length} characters long, more than the ${max} read` : null;
}

// Parameters in query form, `tasks=3&delay=0.5`: `{ values: Map(name →
// number), problems }`. A name given twice is a problem; so is a value
// that is not a number.
export function parseParams(text) {
  const values = new Map();
  const problems = [];
  for (const [name, value] of new URLSearchParams(text)) {
    if (values.has(name)) {
      problems.push(`parameter ${quote(name)} is given twice`);
      continue;
    }
    const problem = numberProblem(name, value);
    if (problem) problems.push(problem);
    else values.set(name, parseNumber(value));
  }
  return { values, problems };
}

// `values` (a Map of name → number) in query form.
export function formatParams(values) {
  return new URLSearchParams([...values].map(([name, value]) => [name, String(value)])).toString();
}

// The views named in `text` (separated by spaces or commas; all of them
// when none are): `{ shown: Set, problems }`.
export function parseViews(text) {
  const names = text.split(/[\s,]+/).filter(Boolean);
  if (!names.length) return { shown: new Set(VIEWS), problems: [] };
  const shown = new Set();
  const problems = [];
  for (const name of names) {
    if (VIEWS.includes(name)) shown.add(name);
    else problems.push(`there is no view ${quote(name)} (the views are ${VIEWS.join(", ")})`);
  }
  return { shown, problems };
}

// The settings a link or the element's attributes carry, from `pairs`
// ([name, text] in order; the first of a name wins): `{ settings: Map, problems }`.
// `known` lists the names a source may use; others are problems.
// `params` becomes a Map of numbers; the rest stay text.
export function readSettings(pairs, known) {
  const settings = new Map();
  const problems = [];
  for (const [name, text] of pairs) {
    if (!known.includes(name)) {
      problems.push(`there is no setting ${quote(name)} (the settings are ${known.join(", ")})`);
      continue;
    }
    if (settings.has(name)) {
      problems.push(`the ${name} setting is given twice`);
      continue;
    }
    const tooLong = lengthProblem(name, text);
    if (tooLong) {
      problems.push(tooLong);
      continue;
    }
    if (name === "params") {
      const params = parseParams(text);
      problems.push(...params.problems);
      settings.set(name, params.values);
    } else {
      settings.set(name, text);
    }
  }
  if (settings.has("clock") && !CLOCKS.includes(settings.get("clock"))) {
    problems.push(`there is no clock ${quote(settings.get("clock"))} (the clocks are ${CLOCKS.join(", ")})`);
    settings.delete("clock");
  }
  return { settings, problems };
}

// `problems` as one sentence's worth: the first `max`, then how many more.
export function listProblems(problems, max = MAX_LISTED) {
  const shown = problems.slice(0, max).join("; ");
  const more = problems.length - max;
  return more > 0 ? `${shown}; and ${more.toLocaleString("en")} more` : shown;
}
