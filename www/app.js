// The playground's wiring: the catalogue from the package, the views, the
// element's attributes and the shared state, and a run (or, in compare
// mode, two) from Run to Done or Stop, announced by events on the element.
import { sharedPackage, isTrap } from "./wasm.js";
import { Controls } from "./controls.js";
import { Listings } from "./listings.js";
import { Console } from "./console.js";
import { Timeline } from "./timeline.js";
import { TraceModel } from "./trace_model.js";
import { TraceFormatError, decodeBatch, decodeReport } from "./trace.js";
import { speedUpText } from "./compare.js";
import { DEFAULT_SERVER, checkServer, connectionNote } from "./network.js";
import { seconds } from "./format.js";
import { CLOCKS, copy, embedCode, formatHash, parseHash, parseParams, shareLink } from "./share.js";

// The regions the `views` attribute can show (all of them when it is absent
// or empty).
const VIEWS = ["listings", "console", "timeline"];

// The views named in `text` (separated by spaces or commas), and the names
// that are not views.
function parseViews(text) {
  const names = text.split(/[\s,]+/).filter(Boolean);
  if (!names.length) return { shown: new Set(VIEWS), unknown: [] };
  return { shown: new Set(names.filter((n) => VIEWS.includes(n))), unknown: names.filter((n) => !VIEWS.includes(n)) };
}

function message(error) {
  if (typeof error === "string") return error;
  return error?.message ? `${error.name ?? "Error"}: ${error.message}` : String(error);
}

export class Playground {
  // `root`: where the layout is (the element's shadow root, or the element);
  // `host`: the element, which carries the attributes and the events.
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.pkg = sharedPackage();
    this.controls = new Controls(root);
    this.listings = new Listings(root);
    this.console = new Console(root.querySelector("#console"));
    this.timeline = new Timeline(root.querySelector(".timeline"));
    this.status = root.querySelector("#status");
    this.note = root.querySelector("#note");
    this.notice = root.querySelector("#notice");
    this.shareText = root.querySelector("#share-text");
    this.catalogue = [];
    this.runs = [];
    this.reports = [];
    this.running = false;
    this.handle = null;
  }

  start() {
    this.loaded = this.#load();
    return this.loaded;
  }

  async #load() {
    let api;
    try {
      api = await this.pkg.ready();
    } catch (error) {
      this.fail(`The WebAssembly module failed to load: ${message(error)}`);
      return;
    }
    this.catalogue = api.examples();
    this.controls.list(this.catalogue);
    const c = this.controls;
    c.picker.addEventListener("change", () => {
      this.show();
      this.changed();
    });
    c.variant.addEventListener("change", () => this.changed());
    c.clock.addEventListener("change", () => this.changed());
    c.params.addEventListener("input", () => {
      this.checkParams();
      this.changed();
    });
    c.root = this.root;
    this.root.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
    c.stopButton.addEventListener("click", () => this.stop());
    this.root.querySelector("#copy-link").addEventListener("click", () => this.share("link"));
    this.root.querySelector("#copy-embed").addEventListener("click", () => this.share("embed"));
    const doc = this.host.ownerDocument;
    doc.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && this.#ownsKeyboard()) {
        event.preventDefault();
        this.run();
      }
    });
    this.reset();
    if (this.urlState) doc.defaultView.addEventListener("hashchange", () => this.reset());
    c.setRunning(false);
    this.emit("ready");
    if (this.host.hasAttribute("autorun")) this.run();
  }

  get urlState() {
    return this.host.hasAttribute("url-state");
  }

  // Ctrl+Enter runs the element holding the focus, or, with the focus on
  // no element, the page's first.
  #ownsKeyboard() {
    const doc = this.host.ownerDocument;
    const active = doc.activeElement;
    if (active && active !== doc.body) return active === this.host || this.host.contains(active);
    return doc.querySelector("asyncio-playground") === this.host;
  }

  emit(type, detail) {
    this.host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // A visible notice above the controls (a link or attribute that could
  // not be used), or none.
  setNotice(text) {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  // The state the attributes ask for.
  attributeState() {
    const h = this.host;
    const state = {
      example: h.getAttribute("example"),
      mode: h.getAttribute("mode"),
      clock: h.getAttribute("clock"),
      params: {},
      baseUrl: h.getAttribute("base-url"),
    };
    const problems = [];
    try {
      state.params = parseParams(h.getAttribute("params") ?? "");
    } catch (error) {
      problems.push(error.message);
    }
    return { state, problems };
  }

  // Shows `state`, as far as it fits the catalogue; returns what did not.
  apply(state) {
    const problems = [];
    const c = this.controls;
    if (state.example) {
      if (this.catalogue.some((e) => e.id === state.example)) c.select(state.example);
      else problems.push(`there is no example "${state.example}"`);
    }
    this.show();
    const example = this.example;
    if (state.mode) {
      const known = state.mode === "compare" ? example.comparable : example.variants.some((v) => v.id === state.mode);
      if (known) c.variant.value = state.mode;
      else problems.push(`"${example.id}" has no mode "${state.mode}"`);
    }
    if (state.clock) {
      if (CLOCKS.includes(state.clock)) c.clock.value = state.clock;
      else problems.push(`there is no clock "${state.clock}"`);
    }
    const names = new Set(example.params.map((p) => p.name));
    for (const name of Object.keys(state.params ?? {})) {
      if (!names.has(name)) problems.push(`"${example.id}" has no parameter "${name}"`);
    }
    c.setValues(state.params ?? {});
    c.baseUrl.value = state.baseUrl || DEFAULT_SERVER;
    if (!this.checkParams()) problems.push("a parameter is out of its range");
    return problems;
  }

  // What is shown, as the share link and the embed code carry it (the
  // server only for an example that needs one, and not the default).
  state() {
    const c = this.controls;
    const server = c.baseUrl.value.trim();
    return {
      example: c.exampleId,
      mode: c.variantField.hidden ? null : c.variantId,
      clock: c.clock.value,
      params: c.values(),
      baseUrl: this.example?.needs.server && server && server !== DEFAULT_SERVER ? server : null,
    };
  }

  // Back to the attributes' state, or, with `url-state`, the hash's; a
  // hash or attribute that cannot be used gives the defaults and a notice.
  reset() {
    if (this.running) this.stop();
    const { state, problems } = this.attributeState();
    let notice = "";
    let shown = false;
    if (this.urlState) {
      try {
        const fromHash = parseHash(this.host.ownerDocument.location.hash);
        if (fromHash) {
          const hashProblems = this.apply(fromHash);
          if (hashProblems.length) throw new Error(hashProblems.join("; "));
          shown = true;
        }
      } catch (error) {
        notice = `This link's settings could not be used (${error.message}), so the defaults are shown.`;
      }
    }
    const views = parseViews(this.host.getAttribute("views") ?? "");
    for (const region of this.root.querySelectorAll("[data-view]"))
      region.hidden = !views.shown.has(region.dataset.view);
    for (const name of views.unknown) problems.push(`there is no view "${name}" (the views are ${VIEWS.join(", ")})`);
    if (!shown) problems.push(...this.apply(state));
    if (!notice && problems.length) notice = `Some attributes could not be used: ${problems.join("; ")}.`;
    this.setNotice(notice);
    if (notice) this.emit("error", notice);
  }

  attributesChanged() {
    if (!this.catalogue.length || this.pendingReset) return;
    this.pendingReset = true;
    queueMicrotask(() => {
      this.pendingReset = false;
      this.reset();
    });
  }

  // After the reader changes a control: the notice goes, the hash follows.
  changed() {
    this.setNotice("");
    this.shareText.hidden = true;
    if (this.urlState) {
      const win = this.host.ownerDocument.defaultView;
      win.history.replaceState(win.history.state, "", formatHash(this.state()));
    }
  }

  // Copies the link or the embed code, and shows it either way.
  async share(kind) {
    const text = kind === "link" ? shareLink(this.state()) : embedCode(this.state());
    this.shareText.textContent = text;
    this.shareText.hidden = false;
    const copied = await copy(text);
    this.say(
      copied
        ? `${kind === "link" ? "Link" : "Embed code"} copied.`
        : "Copying is not allowed here: select the text below.",
    );
  }

  get example() {
    return this.catalogue.find((e) => e.id === this.controls.exampleId);
  }

  say(text) {
    this.status.textContent = text;
  }

  setNote(text) {
    this.note.textContent = text;
    this.note.hidden = !text;
  }

  show() {
    if (this.running) this.stop();
    const example = this.example;
    this.#name(example);
    this.controls.show(example);
    this.listings.show(example);
    this.console.clear();
    this.timeline.clear();
    this.setNote("");
    this.say("Ready.");
  }

  // An element in a shadow root is a region landmark named after its
  // example, numbered when the page has several (as landmarks' names
  // should differ); the page's own name, if it gave one, is kept.
  #name(example) {
    const h = this.host;
    if (h.labelled !== false || h.getAttribute("role") !== "region") return;
    const all = [...h.ownerDocument.querySelectorAll("asyncio-playground")];
    const number = all.length > 1 ? ` ${all.indexOf(h) + 1}` : "";
    h.setAttribute("aria-label", `asyncio playground${number}: ${example.title}`);
  }

  // Shows the range message for bad parameters; true if they are fine.
  checkParams() {
    const api = this.pkg.api;
    if (!api) return true;
    let problem;
    try {
      problem = api.checkParams(this.example.id, this.controls.values());
    } catch (error) {
      this.failed(error);
      return false;
    }
    this.controls.setParamError(problem ?? null);
    return !problem;
  }

  stop() {
    this.stopRequested = true;
    try {
      this.handle?.stop();
    } catch (error) {
      this.failed(error);
    }
  }

  // Shows `text` as the status and announces it as an `error` event.
  fail(text) {
    this.say(text);
    this.emit("error", text);
  }

  failed(error) {
    if (isTrap(error)) {
      this.pkg.markBroken();
      this.fail(`The WebAssembly module crashed (${message(error)}). The next run starts a fresh module.`);
    } else {
      this.fail(`The run failed: ${message(error)}`);
    }
  }

  async run() {
    if (this.running || !this.catalogue.length) return;
    const example = this.example;
    const c = this.controls;
    this.running = true;
    this.stopRequested = false;
    this.say("Starting…");
    c.setRunning(true);
    this.setNote("");
    this.started = false;
    try {
      await this.#run(example);
      if (this.started) this.emit("run-end", this.#summary(c.variantId === "compare"));
    } catch (error) {
      this.failed(error);
    } finally {
      this.running = false;
      this.handle = null;
      c.setRunning(false);
    }
  }

  async #run(example) {
    const c = this.controls;
    const api = await this.pkg.ready();
    const params = c.values();
    const problem = api.checkParams(example.id, params);
    c.setParamError(problem ?? null);
    if (problem) {
      this.fail("Not started: a parameter is out of its range.");
      return;
    }
    const baseUrl = c.baseUrl.value.trim() || DEFAULT_SERVER;
    if (example.needs.server) {
      this.say("Checking the server…");
      const unreachable = await checkServer(baseUrl);
      if (unreachable) {
        this.fail(`Not started: ${unreachable}`);
        return;
      }
    }
    const compare = c.variantId === "compare";
    const variants = compare
      ? ["sequential", "concurrent"].map((id) => example.variants.find((v) => v.id === id))
      : [example.variants.find((v) => v.id === c.variantId) ?? example.variants[0]];
    const clock = c.clock.value;
    this.console.clear();
    this.runs = [];
    this.reports = [];
    this.timeline.show(this.runs);
    this.started = true;
    this.emit("run-start", { example: example.id, mode: compare ? "compare" : variants[0].id, clock, params });
    this.say(compare ? `Running ${variants[0].label.toLowerCase()}…` : "Running…");
    const wallStart = performance.now();
    for (const variant of variants) {
      if (this.stopRequested) break;
      if (compare) {
        this.console.section(variant.label);
        this.say(`Running ${variant.label.toLowerCase()}…`);
      }
      const entry = { title: compare ? variant.label : "", label: variant.label, model: new TraceModel(), end: null };
      this.runs.push(entry);
      const report = await this.#runOne(api, example, variant.id, clock, params, baseUrl, entry);
      this.reports.push(report);
      entry.end = report.totalMs;
      entry.totalMs = report.totalMs;
      if (compare) entry.title = `${variant.label}: ${seconds(report.totalMs, 2)}`;
      this.timeline.draw();
      this.setNote(this.runs.map((r) => connectionNote(r.model)).find(Boolean) ?? "");
      if (report.stopped) {
        this.say(`Stopped at ${seconds(report.totalMs)} of loop time: every task was cancelled.`);
        return;
      }
    }
    if (this.stopRequested) {
      this.say("Stopped.");
    } else if (compare) {
      this.say(`Done: ${speedUpText(this.runs[0], this.runs[1])}`);
    } else {
      const wall = performance.now() - wallStart;
      this.say(`Done: ${seconds(this.reports[0].totalMs)} of loop time (${seconds(wall)} on the wall clock).`);
    }
  }

  // The `run-end` detail: the (last) run's loop time and task count, and in
  // compare mode the sequential run's time over the concurrent one's.
  #summary(compare) {
    const last = this.runs.at(-1);
    const stopped = this.stopRequested || this.reports.some((r) => r.stopped);
    const both = compare && this.runs.length === 2 && !stopped;
    return {
      totalMs: last?.totalMs ?? 0,
      speedup: both && this.runs[1].totalMs > 0 ? this.runs[0].totalMs / this.runs[1].totalMs : null,
      tasks: last?.model.tasks.size ?? 0,
      stopped,
    };
  }

  // One run on a fresh loop; the timeline follows it each frame.
  async #runOne(api, example, variant, clock, params, baseUrl, entry) {
    const handle = api.startRun(example.id, variant, clock, params, baseUrl, (atMs, text) =>
      this.console.line(atMs, text),
    );
    this.handle = handle;
    if (this.stopRequested) handle.stop();
    this.timeline.show(this.runs);
    let frameFailed;
    const broken = new Promise((_, reject) => {
      frameFailed = reject;
    });
    const follow = () => {
      if (entry.end !== null) return;
      try {
        const batch = decodeBatch(handle.traceSince(entry.model.count));
        if (batch.start !== entry.model.count) {
          throw new TraceFormatError(`asked for the trace from ${entry.model.count}, got it from ${batch.start}`);
        }
        entry.model.add(batch.events);
        this.timeline.draw(handle.time());
      } catch (error) {
        frameFailed(error);
        return;
      }
      requestAnimationFrame(follow);
    };
    requestAnimationFrame(follow);
    try {
      const report = decodeReport(await Promise.race([handle.finished, broken]));
      entry.model.add(report.trace.slice(entry.model.count));
      entry.end = report.totalMs;
      return report;
    } finally {
      if (entry.end === null) entry.end = entry.model.lastT;
      this.handle = null;
      try {
        handle.free();
      } catch {
        // A trapped module cannot free; it is replaced on the next run.
      }
    }
  }
}
