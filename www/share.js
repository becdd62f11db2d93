// Sharing a setup: the state (example, mode, clock, parameters, and an
// edited program) as a URL hash,
// `#example=hello&mode=concurrent&clock=virtual&params=delay%3D1`, and as
// embed code, the script tag plus the element with its attributes (and the
// program it holds). A program travels in a link compressed: deflate-raw
// (the browser's CompressionStream), then base64url, as `code`.

import { MAX_CODE_LENGTH, formatParams, readSettings } from "./settings.js";
import { MAX_PROGRAM_LENGTH } from "./program.js";

// The settings a share link's hash carries.
export const HASH_KEYS = Object.freeze(["example", "mode", "clock", "params", "code"]);

// The page and the script (the built bundle of embed.js), wherever the
// playground is served from.
const PAGE = new URL("./", import.meta.url);
const SCRIPT = new URL("./pkg/embed.js", import.meta.url);

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
  if (settings.has("code")) state.code = settings.get("code");
  return { state, problems };
}

// `state` as a hash; `state.code`, if any, is the program already
// compressed (`compressProgram`).
export function formatHash(state) {
  const query = new URLSearchParams();
  query.set("example", state.example);
  if (state.mode) query.set("mode", state.mode);
  query.set("clock", state.clock);
  const params = formatParams(state.params);
  if (params) query.set("params", params);
  if (state.code) query.set("code", state.code);
  return `#${query}`;
}

// Why a program cannot be read from a link.
export class ProgramLinkError extends Error {
  constructor(message) {
    super(message);
    this.name = "ProgramLinkError";
  }
}

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ProgramLinkError("it is not in base64url");
  let binary;
  try {
    binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    throw new ProgramLinkError("it is not in base64url");
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// `program` as a link's `code`: UTF-8, deflate-raw, base64url.
export async function compressProgram(program) {
  const stream = new Blob([program]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

// A link's `code` as the program; a ProgramLinkError says why not (not
// base64url, not deflate-raw, not UTF-8, or longer than a program may be,
// which is found without inflating the rest).
export async function decompressProgram(code) {
  const bytes = fromBase64Url(code);
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      // UTF-8 takes at least one byte a character.
      if (length > MAX_PROGRAM_LENGTH * 4) {
        await reader.cancel();
        throw new ProgramLinkError(`it holds more than ${MAX_PROGRAM_LENGTH.toLocaleString("en")} characters`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ProgramLinkError) throw error;
    throw new ProgramLinkError("it is damaged (it does not inflate)");
  }
  let program;
  try {
    program = new TextDecoder("utf-8", { fatal: true }).decode(await new Blob(chunks).arrayBuffer());
  } catch {
    throw new ProgramLinkError("it is not UTF-8 text");
  }
  if (program.length > MAX_PROGRAM_LENGTH) {
    throw new ProgramLinkError(`it holds more than ${MAX_PROGRAM_LENGTH.toLocaleString("en")} characters`);
  }
  return program;
}

// Why `code` (compressed) is too long for a link, or null.
export function codeLengthProblem(code) {
  return code.length > MAX_CODE_LENGTH
    ? `the program is too long for a link: compressed it takes ${code.length.toLocaleString("en")} characters, and a link holds ${MAX_CODE_LENGTH.toLocaleString("en")}`
    : null;
}

// A link to the full page showing `state`.
export function shareLink(state) {
  return new URL(formatHash(state), PAGE).href;
}

function attribute(name, value) {
  const escaped = String(value).replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  return ` ${name}="${escaped}"`;
}

// `text` as the content of a `<pre>`: the parser reads it back as it was.
function preText(text) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

// The script tag and the element, for a tutorial page. The script's URL is
// absolute, so the code works on any origin (the files are served with
// CORS). With `state.program` (a Python program's text) the element holds
// that program in a `<pre>`, which readers see even without JavaScript,
// and `state.editable` lets them edit it; otherwise it shows the example.
export function embedCode(state) {
  let element = "<asyncio-playground";
  if (state.program !== undefined) {
    element += attribute("clock", state.clock);
    if (state.editable) element += " editable";
    element += `>\n<pre>${preText(state.program)}</pre>\n</asyncio-playground>`;
  } else {
    element += attribute("example", state.example);
    if (state.mode) element += attribute("mode", state.mode);
    element += attribute("clock", state.clock);
    const params = formatParams(state.params);
    if (params) element += attribute("params", params);
    if (state.baseUrl) element += attribute("base-url", state.baseUrl);
    element += "></asyncio-playground>";
  }
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
