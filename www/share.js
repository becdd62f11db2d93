// Sharing a setup: the state (example, mode, clock, parameters) as a URL
// hash, `#example=hello&mode=concurrent&clock=virtual&params=delay%3D1`,
// and as embed code, the script tag plus the element with its attributes.

const KEYS = ["example", "mode", "clock", "params"];
export const CLOCKS = ["real", "virtual"];

// The page and the script, wherever the playground is served from.
const PAGE = new URL("./", import.meta.url);
const SCRIPT = new URL("./embed.js", import.meta.url);

// `{ name: number }` from the query form `tasks=3&delay=0.5`; throws on a
// value that is not a number.
export function parseParams(text) {
  const out = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const number = value.trim() === "" ? Number.NaN : Number(value);
    if (!Number.isFinite(number)) throw new Error(`parameter "${name}" is not a number`);
    out[name] = number;
  }
  return out;
}

export function formatParams(values) {
  return new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)])).toString();
}

// The state in a hash, or null for an empty one; throws with the reason
// for a malformed one (its values are checked against the catalogue by
// the caller).
export function parseHash(hash) {
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  if (!text) return null;
  const state = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!KEYS.includes(key)) throw new Error(`unknown key "${key}"`);
    state[key] = value;
  }
  if (!state.example) throw new Error("no example");
  if (state.clock !== undefined && !CLOCKS.includes(state.clock)) throw new Error(`unknown clock "${state.clock}"`);
  state.params = parseParams(state.params ?? "");
  return state;
}

export function formatHash(state) {
  const query = new URLSearchParams();
  query.set("example", state.example);
  if (state.mode) query.set("mode", state.mode);
  query.set("clock", state.clock);
  const params = formatParams(state.params);
  if (params) query.set("params", params);
  return `#${query}`;
}

// A link to the full page showing `state`.
export function shareLink(state) {
  return new URL(formatHash(state), PAGE).href;
}

function attribute(name, value) {
  const escaped = String(value).replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  return ` ${name}="${escaped}"`;
}

// The script tag and the element, for a tutorial page. The script's URL is
// absolute, so the code works on any origin (the files are served with
// CORS).
export function embedCode(state) {
  let element = "<asyncio-playground";
  element += attribute("example", state.example);
  if (state.mode) element += attribute("mode", state.mode);
  element += attribute("clock", state.clock);
  const params = formatParams(state.params);
  if (params) element += attribute("params", params);
  if (state.baseUrl) element += attribute("base-url", state.baseUrl);
  element += "></asyncio-playground>";
  return `<script type="module" src="${SCRIPT.href}"></script>\n${element}`;
}

// Copies `text`; false where the clipboard is not available.
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
