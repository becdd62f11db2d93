// The playground's wiring: the catalogue from the package, the views, and
// a run (or, in compare mode, two) from Run to Done or Stop.
import { Package, isTrap } from "./wasm.js";
import { Controls } from "./controls.js";
import { Listings } from "./listings.js";
import { Console } from "./console.js";
import { Timeline } from "./timeline.js";
import { TraceModel } from "./trace.js";
import { speedUpText } from "./compare.js";
import { checkServer, connectionNote } from "./network.js";
import { seconds } from "./format.js";

function message(error) {
  if (typeof error === "string") return error;
  return error?.message ? `${error.name ?? "Error"}: ${error.message}` : String(error);
}

export class Playground {
  constructor(root) {
    this.root = root;
    this.pkg = new Package();
    this.controls = new Controls(root);
    this.listings = new Listings(root);
    this.console = new Console(root.querySelector("#console"));
    this.timeline = new Timeline(root.querySelector(".timeline"));
    this.status = root.querySelector("#status");
    this.note = root.querySelector("#note");
    this.catalogue = [];
    this.runs = [];
    this.reports = [];
    this.running = false;
    this.handle = null;
  }

  async start(initial) {
    let api;
    try {
      api = await this.pkg.ready();
    } catch (error) {
      this.say(`The WebAssembly module failed to load: ${message(error)}`);
      return;
    }
    this.catalogue = api.examples();
    this.controls.list(this.catalogue);
    if (initial && this.catalogue.some((e) => e.id === initial)) this.controls.select(initial);
    const c = this.controls;
    c.picker.addEventListener("change", () => this.show());
    c.params.addEventListener("input", () => this.checkParams());
    c.root = this.root;
    this.root.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
    c.stopButton.addEventListener("click", () => this.stop());
    this.root.ownerDocument.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.run();
      }
    });
    this.show();
    c.setRunning(false);
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
    this.controls.show(example);
    this.listings.show(example);
    this.console.clear();
    this.timeline.clear();
    this.setNote("");
    this.say("Ready.");
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

  failed(error) {
    if (isTrap(error)) {
      this.pkg.markBroken();
      this.say(`The WebAssembly module crashed (${message(error)}). The next run starts a fresh module.`);
    } else {
      this.say(`The run failed: ${message(error)}`);
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
    try {
      await this.#run(example);
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
      this.say("Not started: a parameter is out of its range.");
      return;
    }
    const baseUrl = c.baseUrl.value.trim() || location.origin;
    if (example.needs.server) {
      this.say("Checking the server…");
      const unreachable = await checkServer(baseUrl);
      if (unreachable) {
        this.say(`Not started: ${unreachable}`);
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

  // One run on a fresh loop; the timeline follows it each frame.
  async #runOne(api, example, variant, clock, params, baseUrl, entry) {
    const handle = api.startRun(example.id, variant, clock, params, baseUrl, (atMs, text) => this.console.line(atMs, text));
    this.handle = handle;
    if (this.stopRequested) handle.stop();
    this.timeline.show(this.runs);
    let frameFailed;
    const broken = new Promise((_, reject) => { frameFailed = reject; });
    const follow = () => {
      if (entry.end !== null) return;
      try {
        entry.model.add(handle.traceSince(entry.model.count));
        this.timeline.draw(handle.time());
      } catch (error) {
        frameFailed(error);
        return;
      }
      requestAnimationFrame(follow);
    };
    requestAnimationFrame(follow);
    try {
      const report = await Promise.race([handle.finished, broken]);
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
