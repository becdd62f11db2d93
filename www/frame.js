// The iframe fallback, `embed.html#example=hello&mode=concurrent`: one
// `<asyncio-playground>` set up from the address's hash, for sites that
// can embed an iframe but not a script.
//
// Hash keys: the element's attributes (`example`, `mode`, `clock`,
// `params`, `views`, `theme`, `base-url`, `autorun`, `editable`), `code`,
// a program of the author's own, compressed as a share link carries it
// (the element then holds it), and `origin`, the embedding page's origin. Keys it does not know are named in a notice
// (the first few, and how many more).
//
// Messages, each `{ source: "asyncio-playground", type, ... }`:
// - to the parent: `height` (`height`, in CSS pixels, whenever the content's
//   height changes), and the element's events `ready`, `run-start`,
//   `run-end` and `error` (with `detail`);
// - from the parent: `run`, `stop`, `reset`.
//
// Origins are checked: messages go only to the parent's origin (the
// `origin` key, else the origin the referrer gives), never to `*`, and
// only messages from the parent window at that origin are obeyed. With no
// known origin the frame still works, but sends and accepts nothing.
import "./embed.js";
import { EVENTS } from "./app.js";
import { MAX_CODE_LENGTH, MAX_SETTING_LENGTH, listProblems, quote } from "./settings.js";
import { decompressProgram } from "./share.js";

export const SOURCE = "asyncio-playground";
const ATTRIBUTES = ["example", "mode", "clock", "params", "views", "theme", "base-url", "autorun", "editable"];
// The element's events, and the message type each is posted as.
const MESSAGES = new Map([
  [EVENTS.ready, "ready"],
  [EVENTS.runStart, "run-start"],
  [EVENTS.runEnd, "run-end"],
  [EVENTS.error, "error"],
]);
const COMMANDS = new Map([
  ["run", "run"],
  ["stop", "stop"],
  ["reset", "reset"],
]);

// The origin of `text` (a URL or an origin), or null.
function originOf(text) {
  if (!text || text.length > MAX_SETTING_LENGTH) return null;
  try {
    const { origin } = new URL(text);
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

const settings = new URLSearchParams(location.hash.slice(1));
const parentOrigin = window.parent === window ? null : originOf(settings.get("origin") ?? document.referrer);

// The hash's settings become the element's attributes, which the element
// reads (and checks) as any other; only the names are checked here.
const element = document.createElement("asyncio-playground");
const unknown = [];
for (const [key, value] of settings) {
  if (ATTRIBUTES.includes(key)) element.setAttribute(key, value);
  else if (key !== "origin" && key !== "code") unknown.push(key.length > 40 ? `${key.slice(0, 39)}…` : key);
}
const problems = [];
if (unknown.length) {
  problems.push(
    `Unknown settings in the address were ignored: ${listProblems(unknown)} (known: ${ATTRIBUTES.join(", ")}, code, origin).`,
  );
}
// The program, held by the element as a page's `<pre>` would be.
if (settings.has("code")) {
  const code = settings.get("code");
  try {
    if (code.length > MAX_CODE_LENGTH) {
      throw new Error(`it is ${code.length} characters long, more than the ${MAX_CODE_LENGTH} read`);
    }
    const pre = document.createElement("pre");
    pre.textContent = await decompressProgram(code);
    element.append(pre);
  } catch (error) {
    problems.push(`The program in the address could not be read: ${error.message}.`);
  }
}
if (settings.has("origin") && !originOf(settings.get("origin"))) {
  problems.push(
    `${quote(settings.get("origin"))} is not an origin such as https://tutorial.example, so no messages are sent or obeyed.`,
  );
}
if (problems.length) {
  const notice = document.getElementById("frame-notice");
  notice.textContent = problems.join(" ");
  notice.hidden = false;
}
document.querySelector("main").append(element);
// The page around the element follows its theme too.
if (["light", "dark"].includes(settings.get("theme"))) document.documentElement.dataset.theme = settings.get("theme");

function post(message) {
  if (parentOrigin) window.parent.postMessage({ source: SOURCE, ...message }, parentOrigin);
}

for (const [event, type] of MESSAGES) {
  element.addEventListener(event, (e) => post({ type, detail: e.detail ?? null }));
}

let lastHeight = 0;
new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== lastHeight) {
    lastHeight = height;
    post({ type: "height", height });
  }
}).observe(document.documentElement);

window.addEventListener("message", (event) => {
  if (!parentOrigin || event.source !== window.parent || event.origin !== parentOrigin) return;
  const { source, type } = event.data ?? {};
  if (source !== SOURCE || !COMMANDS.has(type)) return;
  element[COMMANDS.get(type)]();
});
