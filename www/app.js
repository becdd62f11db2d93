// The playground's wiring: the catalogue from the package, the views, the
// element's settings, and a run (or, in compare mode, two) from Run to
// Done, Stop or a trap, announced by events on the element.
//
// The views (controls, listings, console, timeline) keep their nodes to
// themselves: the controls say what the reader wants (`run`, `stop`,
// `share`, `change`) and this module decides, and it alone holds the
// runs. The inspector (task table, time cursor, replay, the trace's files)
// is handed each run as it goes and once it ends, and hands back a saved
// trace the reader opens. Everything it adds to the document or the window it adds in
// `connect()` and takes away in `disconnect()`.
import { sharedPackage, isTrap, IO_PACKAGE } from "./wasm.js";
import { Controls } from "./controls.js";
import { Listings } from "./listings.js";
import { Console } from "./console.js";
import { Timeline } from "./timeline.js";
import { TraceModel } from "./trace_model.js";
import { RunHistory } from "./run_history.js";
import { InspectorHandle } from "./inspector_handle.js";
import { TraceFormatError, decodeBatch, decodePythonLine, decodePythonReport, decodeReport } from "./trace.js";
import { pinnedSpeedUpText, speedUpText } from "./compare.js";
import { DEFAULT_SERVER, checkServer, connectionNote } from "./network.js";
import { seconds } from "./format.js";
import {
  codeLengthProblem,
  compressProgram,
  copy,
  decompressProgram,
  embedCode,
  formatHash,
  parseHash,
  shareLink,
} from "./share.js";
import { MAX_PROGRAM_LENGTH, OWN_CODE, heldEntry, isProgramEntry } from "./program.js";
import { pythonEngine } from "./python_engine.js";
import {
  CLOCKS,
  lengthProblem,
  listProblems,
  numberProblem,
  parseNumber,
  parseViews,
  quote,
  readSettings,
} from "./settings.js";

// The attributes that set what is shown, as settings.
const ATTRIBUTE_SETTINGS = ["example", "mode", "clock", "params", "base-url"];
// The element's events: prefixed, so none is taken for one of the DOM's own.
export const EVENTS = Object.freeze({
  ready: "playground-ready",
  runStart: "playground-run-start",
  runEnd: "playground-run-end",
  error: "playground-error",
});

function message(error) {
  if (typeof error === "string") return error;
  return error?.message ? `${error.name ?? "Error"}: ${error.message}` : String(error);
}

export class Playground {
  #root;
  #host;
  #controls;
  #listings;
  #console;
  #timeline;
  #status;
  #note;
  #notice;
  #progress;
  #inspector;
  // The program the element holds (its child, or the `code` property), or null.
  #held = null;
  // This element's Python runner, once the engine is loaded.
  #runner = null;
  // The pinned run, `{ entries, totalMs }`, drawn above every later run
  // until unpinned; or null.
  #pinned = null;
  #pinButton;
  // What the last run ran (the inspector's `meta`).
  #meta = null;
  // What `connect()` added, taken away by `disconnect()`.
  #connections = [];
  #pendingReset = false;
  // The run in progress: `{ pkg, generation, handle, stopRequested, fail }`,
  // or null; `pkg` is the package it runs in, once it has one.
  #run = null;

  // `root`: where the layout is (the element's shadow root, or the element);
  // `host`: the element, which carries the attributes and the events.
  // `held`: the program the element holds, or null.
  constructor(root, host, { held = null } = {}) {
    this.#root = root;
    this.#host = host;
    // The page's package (the catalogue, and the examples it runs), and the
    // I/O module's, loaded when one of its examples first runs.
    this.pkg = sharedPackage();
    this.ioPkg = sharedPackage(IO_PACKAGE);
    this.#controls = new Controls(root);
    this.#listings = new Listings(root, { editable: host.hasAttribute("editable") });
    this.#held = held;
    this.#console = new Console(root.querySelector("#console"));
    this.#timeline = new Timeline(root.querySelector(".timeline"));
    this.#status = root.querySelector("#status");
    this.#note = root.querySelector("#note");
    this.#notice = root.querySelector("#notice");
    this.#progress = root.querySelector("#engine-progress");
    this.#pinButton = root.querySelector("#pin-run");
    this.#pinButton.addEventListener("click", () => this.#togglePin());
    this.#inspector = new InspectorHandle(root, {
      console: this.#console,
      timeline: this.#timeline,
      onOpen: (file, name) => this.#openTrace(file, name),
    });
    this.catalogue = [];
    this.runs = [];
    this.reports = [];
    this.loaded = this.#load();
    const c = this.#controls;
    c.addEventListener("run", () => this.run());
    c.addEventListener("stop", () => this.stop());
    c.addEventListener("share", (event) => this.#share(event.detail));
    c.addEventListener("change", (event) => this.#changed(event.detail));
    this.#listings.addEventListener("edit", () => {
      this.#listings.markError(null);
      this.#controls.setPythonRun(this.#runsPython);
    });
    this.#listings.addEventListener("listing-error", (event) => {
      const text = `The example's listings could not be shown: ${event.detail}. It still runs.`;
      this.#setNotice(text);
      this.#emit(EVENTS.error, text);
    });
    this.#timeline.addEventListener("span-line", (event) => this.#listings.traceLine(event.detail));
  }

  // The Python program shown, as edited.
  get code() {
    return this.#listings.source;
  }

  // Shows `text` as the element's own program (what Reset restores).
  set code(text) {
    this.#held = String(text);
    if (!this.catalogue.length) return;
    this.#listHeld();
    this.#controls.select(heldEntry(this.#held).id);
    this.#show();
  }

  // What the picker lists: the catalogue's examples, "Your own code", and
  // the element's program if it holds one.
  get entries() {
    return [...this.catalogue, OWN_CODE, ...(this.#held === null ? [] : [heldEntry(this.#held)])];
  }

  #listHeld() {
    this.#controls.list(this.entries);
  }

  // The listings, for tests and tools: the editor's text and marks.
  get listings() {
    return this.#listings;
  }

  get running() {
    return this.#run !== null;
  }

  // The task table, cursor and replay, for tests and tools.
  get inspector() {
    return this.#inspector;
  }

  // In a document: listens for Ctrl+Enter, the hash (with `url-state`)
  // and traps, and redraws on resize.
  connect() {
    const doc = this.#host.ownerDocument;
    const win = doc.defaultView;
    const listen = (target, type, listener) => {
      target.addEventListener(type, listener);
      this.#connections.push(() => target.removeEventListener(type, listener));
    };
    listen(doc, "keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && this.#ownsKeyboard()) {
        event.preventDefault();
        this.run();
      }
    });
    if (this.#urlState) listen(win, "hashchange", () => this.reset());
    for (const pkg of [this.pkg, this.ioPkg]) {
      this.#connections.push(pkg.watch((error) => this.#trapped(pkg, error)));
    }
    this.#timeline.connect();
    this.#connections.push(() => this.#timeline.disconnect());
    this.#inspector.connect(win);
    this.#connections.push(() => this.#inspector.disconnect());
  }

  // Out of the document: everything `connect()` added goes, and a run
  // stops unless the element is back (moved) by the next microtask.
  disconnect() {
    for (const undo of this.#connections.splice(0)) undo();
    queueMicrotask(() => {
      if (!this.#host.isConnected) this.stop();
    });
  }

  async #load() {
    let api;
    try {
      api = await this.pkg.ready();
    } catch (error) {
      this.#fail(`The WebAssembly module failed to load: ${message(error)}`);
      return;
    }
    this.catalogue = api.examples();
    this.#listHeld();
    this.reset();
    // Ready once the first example's listings are shown (or could not be).
    await this.#listings.loaded;
    this.#controls.setRunning(false);
    this.#emit(EVENTS.ready);
    if (this.#host.hasAttribute("autorun") && this.#host.isConnected) this.run();
  }

  get #urlState() {
    return this.#host.hasAttribute("url-state");
  }

  // Ctrl+Enter runs the element holding the focus, or, with the focus on
  // no element, the page's first.
  #ownsKeyboard() {
    const doc = this.#host.ownerDocument;
    const active = doc.activeElement;
    if (active && active !== doc.body) return active === this.#host || this.#host.contains(active);
    return doc.querySelector("asyncio-playground") === this.#host;
  }

  #emit(type, detail) {
    this.#host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // A visible notice above the controls (a link or attribute that could
  // not be used), or none.
  #setNotice(text) {
    this.#notice.textContent = text;
    this.#notice.hidden = !text;
  }

  // The state the attributes ask for, and what is wrong with them.
  #attributeState() {
    const pairs = ATTRIBUTE_SETTINGS.filter((name) => this.#host.hasAttribute(name)).map((name) => [
      name,
      this.#host.getAttribute(name),
    ]);
    const { settings, problems } = readSettings(pairs, ATTRIBUTE_SETTINGS);
    const state = {
      example: settings.get("example") ?? null,
      mode: settings.get("mode") ?? null,
      clock: settings.get("clock") ?? null,
      params: settings.get("params") ?? new Map(),
      baseUrl: settings.get("base-url") ?? null,
    };
    if (state.example === null && this.#held !== null) state.example = heldEntry(this.#held).id;
    return { state, problems };
  }

  // Shows `state`, as far as it fits the catalogue; returns what did not.
  #apply(state) {
    const problems = [];
    const c = this.#controls;
    if (state.example) {
      if (this.entries.some((e) => e.id === state.example)) c.select(state.example);
      else problems.push(`there is no example ${quote(state.example)}`);
    }
    this.#show();
    const example = this.example;
    if (state.mode) {
      const known = state.mode === "compare" ? example.comparable : example.variants.some((v) => v.id === state.mode);
      if (known) c.setMode(state.mode);
      else problems.push(`"${example.id}" has no mode ${quote(state.mode)}`);
    }
    if (state.clock) c.setClock(state.clock);
    const names = new Set(example.params.map((p) => p.name));
    for (const name of state.params.keys()) {
      if (!names.has(name)) problems.push(`"${example.id}" has no parameter ${quote(name)}`);
    }
    c.setParams(state.params);
    c.setServer(state.baseUrl || DEFAULT_SERVER);
    if (this.#checkParams()) problems.push("a parameter is out of its range");
    return problems;
  }

  // What is shown, as the share link and the embed code carry it (the
  // server only for an example that needs one, and not the default); a
  // parameter that is not a number makes it `{ problem }` instead.
  #state() {
    const c = this.#controls;
    const params = new Map();
    for (const [name, text] of c.paramTexts()) {
      const problem = numberProblem(name, text);
      if (problem) return { problem, name };
      params.set(name, parseNumber(text));
    }
    const server = c.server;
    return {
      example: c.exampleId,
      mode: c.mode,
      clock: c.clock,
      params,
      baseUrl: this.example?.needs.server && server && server !== DEFAULT_SERVER ? server : null,
    };
  }

  // Back to the attributes' state, or, with `url-state`, the hash's; a
  // hash or attribute that cannot be used gives the defaults and a notice
  // naming what was wrong (the first few things, and how many more).
  reset() {
    this.stop();
    const problems = [];
    const viewsText = this.#host.getAttribute("views") ?? "";
    const viewsTooLong = lengthProblem("views", viewsText);
    const views = parseViews(viewsTooLong ? "" : viewsText);
    problems.push(...(viewsTooLong ? [viewsTooLong] : views.problems));
    for (const region of this.#root.querySelectorAll("[data-view]")) {
      region.hidden = !views.shown.has(region.dataset.view);
    }
    let notice = "";
    let shown = false;
    if (this.#urlState) {
      const fromHash = parseHash(this.#host.ownerDocument.location.hash);
      if (fromHash) {
        const hashProblems = fromHash.problems.length ? fromHash.problems : this.#apply(fromHash.state);
        if (hashProblems.length) {
          notice = `This link's settings could not be used (${listProblems(hashProblems)}), so the defaults are shown.`;
        } else {
          shown = true;
          if (fromHash.state.code) this.#restoreCode(fromHash.state.code);
        }
      }
    }
    if (!shown) {
      const { state, problems: attributeProblems } = this.#attributeState();
      problems.push(...attributeProblems, ...this.#apply(state));
    }
    if (!notice && problems.length) notice = `Some attributes could not be used: ${listProblems(problems)}.`;
    this.#setNotice(notice);
    if (notice) this.#emit(EVENTS.error, notice);
  }

  // Puts a link's program in the editor, or says why it cannot.
  async #restoreCode(code) {
    const example = this.example;
    try {
      const program = await decompressProgram(code);
      if (this.example === example && !this.#run) this.#listings.source = program;
    } catch (error) {
      const text = `This link's program could not be read: ${error.message}.`;
      this.#setNotice(text);
      this.#emit(EVENTS.error, text);
    }
  }

  attributesChanged() {
    if (!this.catalogue.length || this.#pendingReset) return;
    this.#pendingReset = true;
    queueMicrotask(() => {
      this.#pendingReset = false;
      this.reset();
    });
  }

  // After the reader changes a control: the notice goes, the hash follows.
  #changed(what) {
    if (what === "example") this.#show();
    if (what === "params") this.#checkParams();
    this.#setNotice("");
    this.#controls.showShareText(null);
    if (this.#urlState) {
      const state = this.#state();
      if (state.problem) return;
      const win = this.#host.ownerDocument.defaultView;
      win.history.replaceState(win.history.state, "", formatHash(state));
    }
  }

  // Copies the link or the embed code, and shows it either way; not with a
  // parameter that is not a number.
  async #share(kind) {
    const state = this.#state();
    if (state.problem) {
      this.#controls.setParamError(state.problem, state.name);
      this.#say(`Not copied: ${state.problem}.`);
      return;
    }
    const program = this.#listings.edited || isProgramEntry(this.example) ? this.#listings.source : null;
    let text;
    if (kind === "embed") {
      text = embedCode(program === null ? state : { clock: state.clock, program, editable: true });
    } else if (program === null) {
      text = shareLink(state);
    } else {
      const code = await compressProgram(program);
      const problem = codeLengthProblem(code);
      if (problem) {
        this.#controls.showShareText(null);
        this.#say(`Not copied: ${problem}.`);
        return;
      }
      text = shareLink({ ...state, code });
    }
    this.#controls.showShareText(text);
    const copied = await copy(text);
    this.#say(
      copied
        ? `${kind === "link" ? "Link" : "Embed code"} copied.`
        : "Copying is not allowed here: select the text below.",
    );
  }

  get example() {
    return this.entries.find((e) => e.id === this.#controls.exampleId);
  }

  #say(text) {
    this.#status.textContent = text;
  }

  #setNote(text) {
    this.#note.textContent = text;
    this.#note.hidden = !text;
  }

  #show() {
    this.stop();
    const example = this.example;
    this.#name(example);
    this.#controls.show(example);
    this.#listings.show(example);
    this.#controls.setPythonRun(this.#runsPython);
    this.#console.clear();
    this.#timeline.clear();
    this.#inspector.clear();
    // A pinned run stays, whatever is shown, until it is unpinned.
    this.runs = this.#startRuns();
    if (this.runs.length) this.#timeline.show(this.runs);
    this.reports = [];
    this.#setNote("");
    this.#say("Ready.");
    this.#showPin();
  }

  // An element in a shadow root is a region landmark named after its
  // example, numbered when the page has several (as landmarks' names
  // should differ); the page's own name, if it gave one, is kept.
  #name(example) {
    const h = this.#host;
    if (h.labelled !== false || h.getAttribute("role") !== "region") return;
    const all = [...h.ownerDocument.querySelectorAll("asyncio-playground")];
    const number = all.length > 1 ? ` ${all.indexOf(h) + 1}` : "";
    h.setAttribute("aria-label", `asyncio playground${number}: ${example.title}`);
  }

  // Checks the parameters, showing the problem if there is one: first their
  // form (the same message as for a link), then their ranges (the
  // catalogue's). Returns the problem, or null.
  #checkParams() {
    const c = this.#controls;
    const state = this.#state();
    if (state.problem) {
      c.setParamError(state.problem, state.name);
      return state.problem;
    }
    const api = this.pkg.api;
    if (!api || this.pkg.broken || isProgramEntry(this.example)) return null;
    let problem;
    try {
      problem = api.checkParams(this.example.id, Object.fromEntries(state.params)) ?? null;
    } catch (error) {
      this.#failed(error, this.pkg);
      return null;
    }
    c.setParamError(problem);
    return problem;
  }

  stop() {
    const run = this.#run;
    if (!run) return;
    run.stopRequested = true;
    try {
      run.handle?.stop();
    } catch (error) {
      this.#failed(error);
    }
  }

  // Shows `text` as the status and announces it as an error event.
  #fail(text) {
    this.#say(text);
    this.#emit(EVENTS.error, text);
  }

  // `pkg`: the package whose call failed (the run's, by default).
  #failed(error, pkg = this.#run?.pkg ?? this.pkg) {
    if (isTrap(error)) {
      const generation = this.#run?.pkg === pkg ? this.#run.generation : null;
      pkg.trapped(error, generation ?? pkg.generation);
      this.#fail(`The WebAssembly module crashed (${message(error)}). The next run starts a fresh module.`);
    } else {
      this.#fail(`The run failed: ${message(error)}`);
    }
  }

  // Package `pkg`'s module trapped, here or in another element's run: a run
  // of ours on it ends now, as failed. (A run that has no package yet gets
  // a fresh module when it asks for one; a Python program's run uses
  // neither.)
  #trapped(pkg, error) {
    const run = this.#run;
    if (run && run.pkg === pkg) run.fail(error);
  }

  // The package that runs `example`.
  #packageOf(example) {
    return example.module === "io" ? this.ioPkg : this.pkg;
  }

  async run() {
    if (this.#run || !this.catalogue.length) return;
    const example = this.example;
    const c = this.#controls;
    let fail;
    const failed = new Promise((_, reject) => {
      fail = reject;
    });
    failed.catch(() => {});
    const run = { pkg: null, generation: null, handle: null, stopRequested: false, started: false, fail, failed };
    this.#run = run;
    this.#say("Starting…");
    c.setRunning(true);
    this.#setNote("");
    try {
      // The inspector shows the run live and replays it after: it is there
      // before the run starts (or the run goes on without it), so the run's
      // end, its status and its replay come together.
      await this.#inspector.ready();
      const python = this.#runsPython;
      await Promise.race([python ? this.#runPython(example, run) : this.#runAll(example, run), failed]);
      if (run.started) this.#emit(EVENTS.runEnd, this.#summary(run, !python && c.variantId === "compare"));
    } catch (error) {
      this.#failed(error);
    } finally {
      this.#console.flush();
      this.#run = null;
      c.setRunning(false);
      // What was recorded can be replayed, however the run ended.
      if (run.started && this.runs.length) {
        this.#meta = run.meta;
        this.#inspector.finish(this.runs, run.meta);
      }
      this.#showPin();
    }
  }

  // Whether Run runs the Python shown (edited, or a program with no Rust
  // port) rather than the example's port.
  get #runsPython() {
    return isProgramEntry(this.example) || this.#listings.edited;
  }

  // The runs of the last run, without the pinned one.
  get #ownRuns() {
    return this.runs.slice(this.#pinned ? this.#pinned.entries.length : 0);
  }

  // The list a new run's entries join: the pinned run's, if any.
  #startRuns() {
    return this.#pinned ? [...this.#pinned.entries] : [];
  }

  #showPin() {
    this.#pinButton.textContent = this.#pinned ? "Unpin" : "Pin this run";
    this.#pinButton.disabled = Boolean(this.#run) || (!this.#pinned && !this.#ownRuns.some((r) => r.end !== null));
  }

  // Pins the finished run (the next one is drawn below it, with the
  // speed-up), or unpins it.
  #togglePin() {
    if (this.#run) return;
    const own = this.#ownRuns;
    if (this.#pinned) {
      this.#pinned = null;
      // Alone again, the last run's rows need no "This run" title.
      for (const r of own) {
        if (!r.title.startsWith("This run")) continue;
        r.label = r.label.replace(/^This run(, )?/, "") || "Event loop 1";
        r.title = r.title.startsWith("This run (") ? r.label : "";
      }
      this.runs = own;
      this.#say("Unpinned.");
    } else {
      if (!own.length) return;
      const totalMs = Math.max(0, ...own.map((r) => r.totalMs ?? r.end ?? 0));
      const entries = own.map((r) => ({
        ...r,
        label: own.length > 1 ? `Pinned, ${r.label}` : "Pinned",
        title: `Pinned${own.length > 1 ? ` (${r.label})` : ""}: ${seconds(r.totalMs ?? r.end ?? 0, 2)}`,
      }));
      this.#pinned = { entries, totalMs };
      this.runs = [...entries];
      this.#say("Pinned: the next run is drawn below this one, on the same time axis.");
    }
    this.#timeline.show(this.runs);
    if (this.runs.length && this.#meta) this.#inspector.finish(this.runs, this.#meta);
    else this.#inspector.clear();
    this.#showPin();
  }

  // "Done: …" for a run that ended, against the pinned run if there is one.
  #done(totalMs, wallMs) {
    if (this.#pinned) {
      this.#say(`Done: ${pinnedSpeedUpText(this.#pinned, { totalMs })}`);
    } else {
      this.#say(`Done: ${seconds(totalMs)} of loop time (${seconds(wallMs)} on the wall clock).`);
    }
  }

  async #runAll(example, run) {
    const c = this.#controls;
    const pkg = this.#packageOf(example);
    run.pkg = pkg;
    if (!pkg.api || pkg.broken) this.#say("Loading the WebAssembly module…");
    let api;
    try {
      api = await pkg.ready();
    } catch (error) {
      if (this.#run === run) this.#fail(`The WebAssembly module failed to load: ${message(error)}`);
      return;
    }
    // A trap or a removal may have ended the run while it waited.
    if (this.#run !== run) return;
    if (run.stopRequested) {
      this.#say("Stopped.");
      return;
    }
    run.generation = pkg.generation;
    const notANumber = Boolean(this.#state().problem);
    if (this.#checkParams()) {
      this.#fail(`Not started: a parameter is ${notANumber ? "not a number" : "out of its range"}.`);
      return;
    }
    const params = Object.fromEntries(this.#state().params);
    const baseUrl = c.server || DEFAULT_SERVER;
    if (example.needs.server) {
      this.#say("Checking the server…");
      const unreachable = await checkServer(baseUrl);
      if (this.#run !== run) return;
      if (unreachable) {
        this.#fail(`Not started: ${unreachable}`);
        return;
      }
    }
    if (run.stopRequested) {
      this.#say("Stopped.");
      return;
    }
    const compare = c.variantId === "compare";
    const variants = compare
      ? ["sequential", "concurrent"].map((id) => example.variants.find((v) => v.id === id))
      : [example.variants.find((v) => v.id === c.variantId) ?? example.variants[0]];
    const clock = c.clock;
    this.#console.clear();
    this.runs = this.#startRuns();
    this.reports = [];
    this.#timeline.show(this.runs);
    this.#showPin();
    run.started = true;
    run.meta = { example: example.id, mode: compare ? "compare" : variants[0].id, clock };
    this.#emit(EVENTS.runStart, {
      example: example.id,
      mode: compare ? "compare" : variants[0].id,
      clock,
      params: { ...params },
    });
    this.#say(compare ? `Running ${variants[0].label.toLowerCase()}…` : "Running…");
    const wallStart = performance.now();
    for (const variant of variants) {
      if (run.stopRequested) break;
      if (compare) {
        this.#console.section(variant.label);
        this.#say(`Running ${variant.label.toLowerCase()}…`);
      }
      const entry = {
        title: compare ? variant.label : this.#pinned ? "This run" : "",
        label: variant.label,
        model: new TraceModel(),
        history: new RunHistory(),
        end: null,
      };
      this.runs.push(entry);
      const report = await this.#runOne(api, run, example, variant.id, clock, params, baseUrl, entry);
      this.reports.push(report);
      entry.end = report.totalMs;
      entry.totalMs = report.totalMs;
      entry.stopped = report.stopped;
      if (compare) entry.title = `${variant.label}: ${seconds(report.totalMs, 2)}`;
      else if (this.#pinned) entry.title = `This run: ${seconds(report.totalMs, 2)}`;
      this.#timeline.draw();
      this.#setNote(this.runs.map((r) => connectionNote(r.model)).find(Boolean) ?? "");
      if (report.stopped) {
        this.#say(`Stopped at ${seconds(report.totalMs)} of loop time: every task was cancelled.`);
        return;
      }
    }
    if (run.stopRequested) {
      this.#say("Stopped.");
    } else if (compare) {
      const [sequential, concurrent] = this.#ownRuns;
      this.#say(`Done: ${speedUpText(sequential, concurrent)}`);
    } else {
      this.#done(this.reports[0].totalMs, performance.now() - wallStart);
    }
  }

  // This element's Python runner, loading the engine (with its progress
  // shown) on the first run; null if the run was stopped meanwhile.
  async #pythonRunner(run) {
    if (!this.#runner) {
      this.#say("Loading the Python engine…");
      const bar = this.#progress.querySelector("progress");
      const text = this.#progress.querySelector("span");
      this.#progress.hidden = false;
      try {
        const engine = await pythonEngine((loaded, total) => {
          if (total) {
            bar.max = total;
            bar.value = loaded;
          } else {
            bar.removeAttribute("value");
          }
          const mb = (bytes) => (bytes / 1e6).toFixed(1);
          text.textContent = total ? `${mb(loaded)} of ${mb(total)} MB` : `${mb(loaded)} MB`;
        });
        this.#runner ??= engine.newRunner();
      } finally {
        this.#progress.hidden = true;
      }
    }
    return this.#run === run && !run.stopRequested ? this.#runner : null;
  }

  // Runs the Python program shown, in the engine's worker; the console
  // and the timeline follow it as for the examples, a timeline per event
  // loop the program runs.
  async #runPython(example, run) {
    const source = this.#listings.source;
    const clock = this.#controls.clock;
    if (source.length > MAX_PROGRAM_LENGTH) {
      this.#fail(`Not started: the program is longer than ${MAX_PROGRAM_LENGTH.toLocaleString("en")} characters.`);
      return;
    }
    this.#listings.markError(null);
    this.#listings.traceLine(null);
    this.#console.clear();
    this.runs = this.#startRuns();
    this.reports = [];
    this.#timeline.show(this.runs);
    this.#showPin();
    run.started = true;
    run.meta = { example: example.id, mode: "python", clock };
    this.#emit(EVENTS.runStart, { example: example.id, mode: "python", clock, params: {} });
    let runner;
    try {
      runner = await this.#pythonRunner(run);
    } catch (error) {
      this.#fail(`The Python engine failed to load: ${message(error)}`);
      return;
    }
    if (!runner) {
      this.#say("Stopped.");
      return;
    }
    this.#say("Running…");
    const loops = new Map();
    const entryFor = (loop) => {
      let entry = loops.get(loop);
      if (!entry) {
        entry = {
          title: "",
          label: `Event loop ${loop}`,
          model: new TraceModel(),
          history: new RunHistory(),
          end: null,
        };
        loops.set(loop, entry);
        this.runs.push(entry);
        const prefix = this.#pinned ? "This run" : "";
        for (const [id, r] of loops) {
          const name = `Event loop ${id}`;
          r.title = loops.size > 1 ? (prefix ? `${prefix} (${name})` : name) : prefix;
          r.label = prefix && loops.size === 1 ? prefix : loops.size > 1 && prefix ? `${prefix}, ${name}` : name;
        }
        this.#timeline.show(this.runs);
      }
      return entry;
    };
    const live = () => this.#run === run;
    const broken = (error) => {
      runner.stop();
      run.fail(error);
    };
    let changed = false;
    // A drawing costs more as the trace grows (a program may print a
    // million lines): the next waits four times as long as the last took,
    // so drawing never takes more than a fifth of the page's time.
    let nextDraw = 0;
    const follow = (frame) => {
      if (!live()) return;
      if (changed && frame >= nextDraw) {
        changed = false;
        const now = Math.max(0, ...this.runs.map((r) => r.model.lastT));
        const started = performance.now();
        this.#timeline.draw(now);
        this.#inspector.live(this.runs, now);
        nextDraw = performance.now() + 4 * (performance.now() - started);
      }
      requestAnimationFrame(follow);
    };
    requestAnimationFrame(follow);
    run.handle = { stop: () => runner.stop() };
    const wallStart = performance.now();
    const raw = await runner.run(source, {
      clock,
      keepLines: false,
      onLine: (value) => {
        if (!live()) return;
        try {
          const line = decodePythonLine(value);
          if (line.stream === "notice") this.#console.warning(line.atMs, line.text);
          else this.#console.line(line.atMs, line.text);
        } catch (error) {
          broken(error);
        }
      },
      onTrace: (value) => {
        if (!live()) return;
        try {
          const batch = decodeBatch(value);
          const entry = entryFor(batch.loop ?? 1);
          if (batch.start !== entry.model.count) {
            throw new TraceFormatError(`the trace went on from ${batch.start}, not ${entry.model.count}`);
          }
          this.#record(entry, batch.events);
          changed = true;
        } catch (error) {
          broken(error);
        }
      },
    });
    run.handle = null;
    const report = decodePythonReport(raw);
    this.reports.push(report);
    const own = [...loops.values()];
    for (const entry of own) {
      entry.end = entry.model.lastT;
      entry.totalMs = entry.end;
      entry.stopped = report.stopped;
    }
    const last = own.at(-1);
    if (last && report.totalMs !== null) {
      last.end = Math.max(last.end, report.totalMs);
      last.totalMs = last.end;
    }
    if (this.#pinned && own.length === 1) last.title = `This run: ${seconds(last.totalMs, 2)}`;
    this.#timeline.draw();
    if (report.stopped) {
      this.#say("Stopped: the program's worker was ended.");
    } else if (report.error) {
      const { kind, message: text, line } = report.error;
      this.#console.error(report.error.text.trimEnd());
      this.#listings.markError(line, `${kind}: ${text}`);
      this.#say(`The program ended with ${kind}${line === null ? "" : ` on line ${line}`}: ${text}`);
    } else {
      this.#done(report.totalMs ?? 0, performance.now() - wallStart);
    }
  }

  // The `playground-run-end` detail: the (last) run's loop time and task
  // count, and in compare mode the sequential run's time over the
  // concurrent one's.
  #summary(run, compare) {
    const own = this.#ownRuns;
    const last = own.at(-1);
    const stopped = run.stopRequested || this.reports.some((r) => r.stopped);
    const both = compare && own.length === 2 && !stopped;
    return {
      totalMs: last?.totalMs ?? 0,
      speedup: both && own[1].totalMs > 0 ? own[0].totalMs / own[1].totalMs : null,
      tasks: last?.model.tasks.size ?? 0,
      stopped,
    };
  }

  // One run on a fresh loop; the timeline follows it each frame. Nothing
  // the module calls back reaches the page once the run is over or its
  // instance has trapped.
  async #runOne(api, run, example, variant, clock, params, baseUrl, entry) {
    const live = () => this.#run === run && run.pkg.isLive(run.generation) && entry.end === null;
    const handle = api.startRun(example.id, variant, clock, params, baseUrl, (atMs, text) => {
      if (live()) this.#console.line(atMs, text);
    });
    run.handle = handle;
    if (run.stopRequested) handle.stop();
    this.#timeline.show(this.runs);
    const follow = () => {
      if (!live()) return;
      try {
        const batch = decodeBatch(handle.traceSince(entry.model.count));
        if (batch.start !== entry.model.count) {
          throw new TraceFormatError(`asked for the trace from ${entry.model.count}, got it from ${batch.start}`);
        }
        this.#record(entry, batch.events);
        const now = handle.time();
        this.#timeline.draw(now);
        this.#inspector.live(this.runs, now);
      } catch (error) {
        run.fail(error);
        return;
      }
      requestAnimationFrame(follow);
    };
    requestAnimationFrame(follow);
    try {
      const report = decodeReport(await Promise.race([handle.finished, run.failed]));
      this.#record(entry, report.trace.slice(entry.model.count));
      entry.end = report.totalMs;
      return report;
    } finally {
      if (entry.end === null) entry.end = entry.model.lastT;
      run.handle = null;
      this.#release(run, handle);
    }
  }

  // Adds a run's newly recorded events to its timeline model and history,
  // and names its warnings in the console as they happen.
  #record(entry, events) {
    entry.model.add(events);
    entry.history.add(events);
    for (const event of events) {
      if (event.kind === "warning") this.#console.warning(event.at_ms, event.message);
    }
  }

  // A saved trace the reader opened (`decodeTraceFile`'s result): its runs
  // replace what is shown, for replay; the example it ran is shown if the
  // catalogue has it. Returns why it cannot be shown, or null.
  #openTrace(file, name) {
    if (this.#run) return "a run is in progress: stop it first";
    this.#pinned = null;
    if (this.catalogue.some((e) => e.id === file.example)) {
      const c = this.#controls;
      c.select(file.example);
      this.#show();
      const example = this.example;
      const known = file.mode === "compare" ? example.comparable : example.variants.some((v) => v.id === file.mode);
      if (known) c.setMode(file.mode);
      if (CLOCKS.includes(file.clock)) c.setClock(file.clock);
    } else {
      this.#console.clear();
      this.#timeline.clear();
      this.#inspector.clear();
    }
    const compare = file.runs.length > 1;
    this.runs = file.runs.map((saved) => {
      const entry = {
        title: compare ? `${saved.label}: ${seconds(saved.totalMs, 2)}` : "",
        label: saved.label,
        model: new TraceModel(),
        history: new RunHistory(),
        end: saved.totalMs,
        totalMs: saved.totalMs,
        stopped: saved.stopped,
      };
      entry.model.add(saved.events);
      entry.history.add(saved.events);
      return entry;
    });
    this.reports = [];
    this.#timeline.show(this.runs);
    this.#inspector.finish(this.runs, { example: file.example, mode: file.mode, clock: file.clock });
    const events = this.runs.reduce((sum, r) => sum + r.history.count, 0);
    this.#say(
      `Opened ${name}: a saved run of ${file.example} (${file.clock} clock), ${events.toLocaleString("en")} events. Replay it with the time cursor.`,
    );
    this.#meta = { example: file.example, mode: file.mode, clock: file.clock };
    this.#showPin();
    return null;
  }

  // Frees a finished run's handle; a run whose instance trapped is stopped
  // instead, as far as it still can be (its timers, requests and workers),
  // and left to go with its instance.
  #release(run, handle) {
    try {
      if (run.pkg.isLive(run.generation)) handle.free();
      else handle.stop();
    } catch {
      // A trapped instance may trap again; it is replaced on the next run.
    }
  }
}
