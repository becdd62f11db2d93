// Inspecting runs: the task table while a run goes, and once it has
// ended, the time cursor and replay over its recorded trace (never by
// running it again), the table and the state at the cursor following it,
// the console and the timeline with them; the trace's downloads, and
// opening a saved trace.
//
// It owns the cursor (a Player) and the replay, table and files views,
// and drives the console's and the timeline's replay; the runs themselves
// (`{ title, label, model, history, end }`) are the playground's, which
// hands them over (`live`, `finish`) and shows what `onOpen` is given (or
// says why not).
import { Player } from "./player.js";
import { ReplayView } from "./replay.js";
import { TaskTable, taskRows } from "./task_table.js";
import { TraceFiles } from "./trace_files.js";
import { chromeTrace } from "./chrome_trace.js";
import { TraceFormatError, decodeTraceFile, encodeTraceFile } from "./trace.js";
import { describeEvent } from "./run_history.js";
import { seconds } from "./format.js";

// The largest trace file opened, in bytes.
export const MAX_TRACE_FILE_BYTES = 64 * 1024 * 1024;
// The task table is refreshed at most this often (ms), live or as the
// cursor moves (then always once more when it stops): its hundred rows cost
// more to lay out than the rest of a frame.
const TABLE_INTERVAL = 100;

export class Inspector {
  #player;
  #replay;
  #table;
  #files;
  #console;
  #timeline;
  #runs = [];
  // What the runs ran: `{ example, mode, clock }`.
  #meta = null;
  #onOpen;
  #reducedMotion = null;
  #onMotion = () => {
    this.#player.discrete = this.#reducedMotion.matches;
  };
  #lastTable = -Infinity;
  #tableTimer = null;
  #scheduled = false;
  #states = null;

  // `root`: the element's tree; `console`, `timeline`: its views;
  // `onOpen(file, name)`: shows a decoded saved trace (`decodeTraceFile`'s
  // result) as runs, or returns why it cannot.
  constructor(root, { console, timeline, onOpen }) {
    this.#console = console;
    this.#timeline = timeline;
    this.#onOpen = onOpen;
    this.#player = new Player({
      frame: (callback) => requestAnimationFrame(callback),
      cancel: (handle) => cancelAnimationFrame(handle),
      clock: () => performance.now(),
    });
    this.#replay = new ReplayView(root);
    this.#table = new TaskTable(root);
    this.#files = new TraceFiles(root);
    const player = this.#player;
    player.addEventListener("change", () => {
      this.#replay.setPlaying(player.playing);
      this.#schedule();
    });
    const r = this.#replay;
    r.addEventListener("seek", (event) => player.seek(event.detail));
    r.addEventListener("step", (event) => player.step(event.detail));
    r.addEventListener("page", (event) => player.page(event.detail));
    r.addEventListener("home", () => player.home());
    r.addEventListener("end", () => player.toEnd());
    r.addEventListener("play", () => player.play());
    r.addEventListener("pause", () => player.pause());
    r.addEventListener("speed", (event) => player.setSpeed(event.detail));
    this.#files.addEventListener("download", () => this.#download());
    this.#files.addEventListener("save", () => this.#save());
    this.#files.addEventListener("open", (event) => this.#open(event.detail));
    this.clear();
  }

  // The cursor, for tests and tools: position, time, count, playing, speed.
  get player() {
    return this.#player;
  }

  // Follows `prefers-reduced-motion` while in a document.
  connect(win) {
    this.#reducedMotion = win.matchMedia("(prefers-reduced-motion: reduce)");
    this.#reducedMotion.addEventListener("change", this.#onMotion);
    this.#onMotion();
  }

  disconnect() {
    this.#player.pause();
    clearTimeout(this.#tableTimer);
    this.#tableTimer = null;
    this.#reducedMotion?.removeEventListener("change", this.#onMotion);
  }

  // No runs: nothing to replay.
  clear() {
    clearTimeout(this.#tableTimer);
    this.#tableTimer = null;
    this.#runs = [];
    this.#meta = null;
    this.#player.clear();
    this.#replay.clear();
    this.#table.clear();
    this.#files.setAvailable(false);
    this.#timeline.setCursor(null);
  }

  // A run going on: the table shows its tasks at loop time `now`.
  live(runs, now) {
    if (this.#runs.length || this.#player.count) this.clear();
    const wall = performance.now();
    if (wall - this.#lastTable < TABLE_INTERVAL) return;
    this.#lastTable = wall;
    this.#showTable(
      runs.map((run) => ({ run, state: run.history.head })),
      now,
      `Live, at ${seconds(now)} of loop time.`,
    );
  }

  // The runs have ended (`meta`: what they ran): the cursor, at the end.
  finish(runs, meta) {
    this.#runs = runs;
    this.#meta = meta;
    this.#lastTable = -Infinity;
    const end = Math.max(0, ...runs.map((run) => run.end ?? run.history.head.t));
    this.#player.load(
      runs.map((run) => ({ events: run.history.events })),
      end,
    );
    this.#files.setAvailable(runs.length > 0);
    this.#update();
  }

  // One update per frame, however many moves came in it.
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    requestAnimationFrame(() => {
      this.#scheduled = false;
      this.#update();
    });
  }

  #update() {
    const player = this.#player;
    const runs = this.#runs;
    if (!runs.length) return;
    const states = this.#statesAtCursor();
    let event = null;
    if (player.position > 0) {
      const { run, index } = player.eventAt(player.position - 1);
      const prefix = runs.length > 1 ? `${runs[run].label}: ` : "";
      event = prefix + describeEvent(runs[run].history, index);
    }
    this.#replay.setPlaying(player.playing);
    this.#replay.show({
      time: player.time,
      end: player.end,
      position: player.position,
      count: player.count,
      event,
      runs: runs.map((run, i) => ({ title: runs.length > 1 ? run.label : "", state: states[i] })),
    });
    this.#timeline.setCursor(player.time);
    this.#console.showEntries(
      runs.map((run, i) => ({
        title: runs.length > 1 ? run.label : "",
        entries: run.history.entries,
        count: states[i].entries,
      })),
    );
    this.#followTable();
  }

  // Each run's state at the cursor (computed once per position).
  #statesAtCursor() {
    const counts = this.#player.counts();
    const cached = this.#states;
    if (cached && cached.runs === this.#runs && cached.counts.every((n, i) => n === counts[i])) return cached.states;
    const states = this.#runs.map((run, i) => run.history.stateAt(counts[i]));
    this.#states = { runs: this.#runs, counts, states };
    return states;
  }

  // The table at the cursor now, or in a moment if it was just drawn.
  #followTable() {
    clearTimeout(this.#tableTimer);
    this.#tableTimer = null;
    const wait = this.#lastTable + TABLE_INTERVAL - performance.now();
    if (wait > 0) {
      this.#tableTimer = setTimeout(() => this.#followTable(), wait);
      return;
    }
    this.#lastTable = performance.now();
    const player = this.#player;
    const states = this.#statesAtCursor();
    this.#showTable(
      this.#runs.map((run, i) => ({ run, state: states[i] })),
      player.time,
      `At the cursor, ${seconds(player.time)}.`,
    );
  }

  #showTable(shown, now, note) {
    const rows = shown.flatMap(({ run, state }) =>
      taskRows(state, Math.min(now, run.end ?? now), shown.length > 1 ? `${run.label}: ` : ""),
    );
    this.#table.show(rows, note);
  }

  #fileName(suffix) {
    const name = `${this.#meta?.example ?? "run"}-${this.#meta?.mode ?? "run"}`.replace(/[^\w.-]+/g, "_");
    return `${name}${suffix}`;
  }

  // The runs as Chrome's Trace Event JSON.
  #download() {
    if (!this.#runs.length) return;
    const trace = chromeTrace(
      this.#runs.map((run) => ({ label: run.label, model: run.model, end: run.end })),
      this.#meta,
    );
    this.#files.offer(JSON.stringify(trace), this.#fileName(".trace.json"));
  }

  // The runs as this page's own trace file.
  #save() {
    if (!this.#runs.length) return;
    const text = encodeTraceFile({
      ...this.#meta,
      runs: this.#runs.map((run) => ({
        label: run.label,
        totalMs: run.end ?? run.history.head.t,
        stopped: Boolean(run.stopped),
        events: run.history.events,
      })),
    });
    this.#files.offer(text, this.#fileName(".asyncio-trace.json"));
  }

  async #open(file) {
    this.#files.showError(null);
    const fail = (message) => this.#files.showError(`${file.name} could not be opened: ${message}.`);
    if (file.size > MAX_TRACE_FILE_BYTES) {
      fail(
        `it is ${(file.size / 2 ** 20).toFixed(1)} MiB, and the page opens traces of up to ${MAX_TRACE_FILE_BYTES / 2 ** 20} MiB`,
      );
      return;
    }
    let decoded;
    try {
      decoded = decodeTraceFile(await file.text());
    } catch (error) {
      if (error instanceof TraceFormatError) fail(error.message);
      else fail(`it could not be read (${error.message})`);
      return;
    }
    const refused = this.#onOpen(decoded, file.name);
    if (refused) fail(refused);
  }
}
