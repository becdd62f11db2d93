// The timeline: a row per task (running, waiting with what it waits on,
// ready), markers for timers, prints and I/O, a lane per executor worker,
// and an axis in seconds; one or more runs (compare mode) on one time axis.
// Drawn as SVG with createElementNS; a table of the same spans is its text
// alternative. Warnings for learners are marked on their task's row; after
// a run, the replay's time cursor is a line across the runs, with what is
// still to come shaded.
import { seconds } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const ROW = 20;
const BAR = 14;
const HEADER = 24;
const AXIS = 28;
// Task rows per run before the rest are folded into one aggregate row.
const MAX_TASK_ROWS = 24;
// Rows in the text alternative.
const MAX_TABLE_ROWS = 2000;
const STATE_TEXT = { running: "running", waiting: "waiting", ready: "ready", job: "job" };

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function titled(node, text) {
  node.append(el("title", {}, text));
  return node;
}

function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// Axis ticks: a 1, 2 or 5 step giving about `count` of them over `end` ms.
function ticks(end, count) {
  const raw = Math.max(end, 1) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let t = 0; t <= end + step * 1e-9; t += step) out.push(t);
  return { step, values: out };
}

// Spans in pixels, merging those that share a pixel so a row never has
// more rectangles than pixels (running wins over waiting when merged).
function* pixelSpans(spans, x) {
  let current = null;
  for (const span of spans) {
    const x0 = x(span.from);
    const x1 = Math.max(x(span.to), x0 + (span.state === "running" || span.state === "job" ? 2 : 0));
    if (current && x0 - current.x1 < 1 && (x1 - x0 < 1 || current.x1 - current.x0 < 1)) {
      current.x1 = Math.max(current.x1, x1);
      current.to = span.to;
      current.merged += 1;
      if (span.state === "running") current.state = "running";
      continue;
    }
    if (current) yield current;
    current = { ...span, x0, x1, merged: 1 };
  }
  if (current) yield current;
}

export class Timeline extends EventTarget {
  #plot;
  #details;
  #table;
  #note;
  #runs = [];
  #now = 0;
  #tableStale = false;
  #resize;
  #drawnWidth = -1;
  // The replay cursor's loop time, or null, and its line and shade: an
  // overlay above the drawing, moved by transforms, so that moving the
  // cursor redraws and repaints nothing else (a large run's drawing has
  // thousands of shapes).
  #cursor = null;
  #overlay;
  #cursorLine;
  #cursorShade;
  #x = null;
  #cursorEnd = 0;

  constructor(root) {
    super();
    this.#plot = root.querySelector(".timeline-plot");
    // Only the plot's width shapes the drawing.
    this.#resize = new ResizeObserver(() => {
      if (this.#plot.clientWidth !== this.#drawnWidth) this.draw();
    });
    this.#details = root.querySelector("details");
    this.#table = root.querySelector(".timeline-table tbody");
    this.#note = root.querySelector(".timeline-note");
    this.#overlay = document.createElement("div");
    this.#overlay.className = "cursor-overlay";
    this.#overlay.setAttribute("aria-hidden", "true");
    this.#cursorShade = document.createElement("div");
    this.#cursorShade.className = "cursor-shade";
    this.#cursorLine = document.createElement("div");
    this.#cursorLine.className = "cursor-line";
    this.#overlay.append(this.#cursorShade, this.#cursorLine);
    this.#details.addEventListener("toggle", () => {
      if (this.#details.open) this.#fillTable();
    });
    // A span (or its table row) pointed at or focused names its source
    // line, when the trace has one: `span-line`, detail the line or null.
    const say = (node) => {
      const line = node?.closest?.("[data-line]")?.dataset.line;
      this.dispatchEvent(new CustomEvent("span-line", { detail: line === undefined ? null : Number(line) }));
    };
    this.#plot.addEventListener("pointerover", (event) => say(event.target));
    this.#plot.addEventListener("pointerleave", () => say(null));
    this.#table.addEventListener("focusin", (event) => say(event.target));
    this.#table.addEventListener("focusout", () => say(null));
  }

  // Redraws on resize while the element is in a document.
  connect() {
    this.#resize.observe(this.#plot);
  }

  disconnect() {
    this.#resize.disconnect();
  }

  // `runs`: [{ title, model, end (ms, or null while running) }].
  show(runs) {
    this.#runs = runs;
    this.#tableStale = true;
    this.draw();
  }

  clear() {
    this.#cursor = null;
    this.show([]);
  }

  // Shows the replay cursor at loop time `t` (null: none).
  setCursor(t) {
    this.#cursor = t;
    this.#placeCursor();
  }

  #placeCursor() {
    const shown = this.#cursor !== null && this.#x !== null;
    this.#overlay.hidden = !shown;
    if (!shown) return;
    const cx = this.#x(Math.min(Math.max(this.#cursor, 0), this.#cursorEnd));
    this.#cursorShade.style.transform = `translateX(${cx}px)`;
    this.#cursorLine.style.transform = `translateX(${cx - 1}px)`;
  }

  // Redraws, with open spans running to `now` (loop ms) on a live run.
  draw(now = this.#now) {
    this.#now = now;
    const runs = this.#runs;
    if (!runs.length) {
      this.#plot.replaceChildren();
      this.#x = null;
      this.#drawnWidth = -1;
      this.#note.textContent = "Run the example to see its timeline.";
      return;
    }
    const width = Math.max(this.#plot.clientWidth, 300);
    const labelWidth = width < 600 ? 96 : 150;
    const right = 22;
    const end = Math.max(...runs.map((r) => r.end ?? Math.max(now, r.model.lastT)), 1);
    const scale = (width - labelWidth - right) / end;
    const x = (t) => labelWidth + t * scale;
    const svg = el("svg", { class: "timeline-svg", width, role: "img" });
    let y = 0;
    let tasks = 0;
    for (const run of runs) {
      const runEnd = run.end ?? now;
      y = this.#drawRun(svg, run, runEnd, x, width, labelWidth, y);
      tasks += run.model.tasks.size;
    }
    const rowsBottom = y;
    y = this.#drawAxis(svg, end, x, width, labelWidth, y);
    svg.setAttribute("height", y);
    this.#x = x;
    this.#cursorEnd = end;
    this.#drawnWidth = this.#plot.clientWidth;
    this.#overlay.style.width = `${x(end)}px`;
    this.#overlay.style.height = `${rowsBottom + 2}px`;
    svg.setAttribute(
      "aria-label",
      `Timeline of ${tasks} task${tasks === 1 ? "" : "s"} over ${seconds(end, 2)}; the table below lists the same spans.`,
    );
    this.#plot.replaceChildren(svg, this.#overlay);
    this.#placeCursor();
    this.#note.textContent = "";
    if (this.#details.open && this.#tableStale && runs.every((r) => r.end !== null)) this.#fillTable();
  }

  #drawRun(svg, run, runEnd, x, width, labelWidth, y) {
    const group = el("g", { class: "run" });
    svg.append(group);
    if (run.title) {
      group.append(el("text", { class: "run-title", x: 4, y: y + 16 }, run.title));
      y += HEADER;
    }
    const model = run.model;
    const all = [...model.tasks.values()];
    const shown = all.length > MAX_TASK_ROWS ? all.slice(0, MAX_TASK_ROWS - 1) : all;
    const hidden = all.slice(shown.length);
    const rowOf = new Map();
    for (const task of shown) {
      const row = el("g", { class: "task-row", "data-task": task.id });
      row.append(el("rect", { class: "row-band", x: 0, y, width, height: ROW }));
      row.append(
        titled(
          el("text", { class: "row-label", x: 4, y: y + 14 }, clip(task.name, labelWidth < 100 ? 11 : 19)),
          task.name,
        ),
      );
      for (const span of pixelSpans(model.spansOf(task, runEnd), x)) {
        row.append(this.#span(span, y, task.name));
      }
      rowOf.set(task.id, y);
      group.append(row);
      y += ROW;
    }
    const folded = new Set(hidden.map((task) => task.id));
    if (hidden.length) {
      group.append(this.#aggregate(model, hidden, runEnd, x, width, labelWidth, y));
      for (const task of hidden) rowOf.set(task.id, y);
      y += ROW;
    }
    const markers = el("g", { class: "markers" });
    for (const marker of model.markers) {
      // Markers of the tasks folded into one row would only pile up there.
      const rowY = rowOf.get(marker.task);
      if (rowY === undefined || folded.has(marker.task)) continue;
      const mx = x(marker.t);
      const shape =
        marker.kind === "print"
          ? el("path", {
              class: `marker marker-${marker.kind}`,
              d: `M${mx - 3},${rowY + 1} L${mx + 3},${rowY + 1} L${mx},${rowY + 6} Z`,
            })
          : el("path", {
              class: `marker marker-${marker.kind}`,
              d: `M${mx},${rowY + ROW - 7} L${mx + 3},${rowY + ROW - 3} L${mx},${rowY + ROW + 1} L${mx - 3},${rowY + ROW - 3} Z`,
            });
      markers.append(titled(shape, `${seconds(marker.t)}: ${marker.text}`));
    }
    for (const warning of model.warnings) {
      const rowY = rowOf.get(warning.task) ?? rowOf.values().next().value;
      if (rowY === undefined) continue;
      const wx = x(warning.t);
      const shape = el("path", {
        class: "marker marker-warning",
        "data-warning": warning.warning,
        d: `M${wx},${rowY + 1} L${wx + 6},${rowY + 11} L${wx - 6},${rowY + 11} Z`,
      });
      markers.append(titled(shape, `${seconds(warning.t)}: ⚠ ${warning.message}`));
    }
    group.append(markers);
    for (const lane of model.lanes.values()) {
      const row = el("g", { class: "lane-row" });
      row.append(el("rect", { class: "row-band lane-band", x: 0, y, width, height: ROW }));
      row.append(el("text", { class: "row-label", x: 4, y: y + 14 }, lane.name));
      for (const span of pixelSpans(model.laneSpans(lane, runEnd), x)) row.append(this.#span(span, y, lane.name));
      group.append(row);
      y += ROW;
    }
    return y + 6;
  }

  #span(span, y, name) {
    const w = Math.max(span.x1 - span.x0, 0.5);
    const inset =
      span.state === "running" || span.state === "job"
        ? (ROW - BAR) / 2
        : span.state === "waiting"
          ? (ROW - BAR) / 2 + 3
          : ROW / 2 - 1;
    const g = el("g", { class: `span span-${span.state}` });
    if (span.line !== null && span.line !== undefined) g.dataset.line = String(span.line);
    g.append(el("rect", { x: span.x0, y: y + inset, width: w, height: ROW - 2 * inset, rx: 2 }));
    const what =
      span.state === "waiting"
        ? `waiting on ${span.on}${span.line ? ` at line ${span.line}` : ""}`
        : span.state === "job"
          ? `job ${span.on}`
          : STATE_TEXT[span.state];
    const many = span.merged > 1 ? ` (${span.merged} spans)` : "";
    titled(g, `${name}: ${what}${many}, ${seconds(span.from)} → ${seconds(span.to)}`);
    const label = span.line ? `${span.on}, line ${span.line}` : span.on;
    if ((span.state === "waiting" || span.state === "job") && w > label.length * 6.5 + 8) {
      g.append(el("text", { class: "span-label", x: span.x0 + 4, y: y + 14 }, label));
    }
    return g;
  }

  // One row for the tasks that do not fit: how many of them run and wait
  // over time, as bars.
  #aggregate(model, hidden, runEnd, x, width, labelWidth, y) {
    const row = el("g", { class: "aggregate-row", "data-hidden": hidden.length });
    row.append(el("rect", { class: "row-band", x: 0, y, width, height: ROW }));
    row.append(
      el(
        "text",
        { class: "row-label", x: 4, y: y + 14 },
        `+ ${hidden.length} more task${hidden.length === 1 ? "" : "s"}`,
      ),
    );
    const bucket = 3;
    const count = Math.ceil((width - labelWidth) / bucket);
    const waiting = new Float64Array(count);
    const running = new Float64Array(count);
    for (const task of hidden) {
      for (const span of model.spansOf(task, runEnd)) {
        if (span.state === "ready") continue;
        const into = span.state === "running" ? running : waiting;
        const b0 = Math.max(0, Math.floor((x(span.from) - labelWidth) / bucket));
        const b1 = Math.min(count - 1, Math.floor((x(span.to) - labelWidth) / bucket));
        for (let b = b0; b <= b1; b += 1) into[b] += 1;
      }
    }
    const n = hidden.length;
    for (let b = 0; b < count; b += 1) {
      const bx = labelWidth + b * bucket;
      if (waiting[b]) {
        const h = Math.max(1, (Math.min(waiting[b], n) / n) * (ROW - 4));
        row.append(el("rect", { class: "agg-waiting", x: bx, y: y + ROW - 2 - h, width: bucket, height: h }));
      }
      if (running[b]) {
        row.append(el("rect", { class: "agg-running", x: bx, y: y + 2, width: bucket, height: 3 }));
      }
    }
    titled(row, `${n} more tasks: bars show how many of them are waiting; the line above, when any of them runs`);
    return row;
  }

  #drawAxis(svg, end, x, width, labelWidth, y) {
    const axis = el("g", { class: "axis" });
    axis.append(el("line", { x1: labelWidth, x2: x(end), y1: y + 2, y2: y + 2 }));
    const { step, values } = ticks(end, width < 600 ? 4 : 8);
    const digits = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
    for (const t of values) {
      axis.append(el("line", { x1: x(t), x2: x(t), y1: y + 2, y2: y + 7 }));
      axis.append(el("text", { x: x(t), y: y + 20, "text-anchor": "middle" }, seconds(t, digits)));
    }
    if (this.#runs.some((r) => r.end === null)) {
      svg.append(el("line", { class: "now-line", x1: x(this.#now), x2: x(this.#now), y1: 0, y2: y + 2 }));
    }
    svg.append(axis);
    return y + AXIS;
  }

  #fillTable() {
    this.#tableStale = false;
    const rows = [];
    const add = (cells, line = null) => {
      const tr = document.createElement("tr");
      if (line !== null) {
        tr.dataset.line = String(line);
        tr.tabIndex = 0;
      }
      for (const text of cells) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      rows.push(tr);
    };
    let total = 0;
    for (const run of this.#runs) {
      const end = run.end ?? this.#now;
      const prefix = run.title ? `${run.label}: ` : "";
      for (const task of run.model.tasks.values()) {
        for (const span of run.model.spansOf(task, end)) {
          total += 1;
          if (rows.length < MAX_TABLE_ROWS)
            add(
              [
                prefix + task.name,
                span.state,
                seconds(span.from),
                seconds(span.to),
                span.state === "waiting" ? `${span.on}${span.line ? ` (line ${span.line})` : ""}` : "",
              ],
              span.state === "waiting" ? (span.line ?? null) : null,
            );
        }
      }
      for (const lane of run.model.lanes.values()) {
        for (const span of run.model.laneSpans(lane, end)) {
          total += 1;
          if (rows.length < MAX_TABLE_ROWS)
            add([prefix + lane.name, `job ${span.on}`, seconds(span.from), seconds(span.to), ""]);
        }
      }
    }
    if (total > rows.length) add([`… and ${total - rows.length} more spans`, "", "", "", ""]);
    this.#table.replaceChildren(...rows);
  }
}
