// Sharing a setup: the state (example, mode, clock, parameters) as a URL
// hash, `#example=hello&mode=concurrent&clock=virtual&params=delay%3D1`,
// and as embed code, the script tag plus the element with its attributes.

import { formatParams, readSettings } from "./settings.js";

// The settings a share link's hash carries.
export const HASH_KEYS = Object.freeze(["example", "mode", "clock", "params"]);

// The page and the script, wherever the playground is served from.
const PAGE = new URL("./", import.meta.url);
const SCRIPT = new URL("./embed.js", import.meta.url);

// The state in a hash, `{ state: { example, mode, clock, params: Map },
// problems }`, or null for an empty hash. The values are checked for their
// form here and against the catalogue by the caller.
export function parseHash(hash) {
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  if (!text) return null;
  const { settings, problems } = readSettings(new URLSearchParams(text), HASH_KEYS);
  if (!settings.get("example") && !problems.length) problems.push("it names no example");
  const state = {
    example: settings.get("example") ?? null,
    mode: settings.get("mode") ?? null,
    clock: settings.get("clock") ?? null,
    params: settings.get("params") ?? new Map(),
  };
  return { state, problems };
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
