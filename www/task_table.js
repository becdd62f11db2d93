// The task table, as tokio-console has for servers: per task its name,
// state, created and ended times, steps, time running and waiting, times
// woken and by what, and what it waits on now; sortable by any column.
// Live during a run, following the cursor after it.
//
// `taskRows` makes the rows from a run's state (pure, for tests); the view
// shows them, sorted as the reader last asked (its own presentation
// state), reusing its rows so that a frame changes only what changed.
import { seconds } from "./format.js";
import { timesAt, waitText } from "./run_history.js";

// Rows shown at most; the note says how many there are.
export const MAX_ROWS = 100;

// Each column: how it is sorted (a number or text) and shown.
const COLUMNS = [
  ["name", (row) => row.name],
  ["state", (row) => row.state],
  ["created", (row) => seconds(row.created)],
  ["ended", (row) => (row.ended === null ? "" : seconds(row.ended))],
  ["steps", (row) => String(row.steps)],
  ["running", (row) => seconds(row.running)],
  ["waiting", (row) => seconds(row.waiting)],
  ["woken", (row) => wokenText(row.task)],
  ["waitsOn", (row) => waitsOn(row)],
];

// How often a task was woken, and by what: `3 (timer 2, task 1)`.
function wokenText(task) {
  const by = Object.entries(task.wakes)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind === "io" ? "I/O" : kind} ${n}`);
  return by.length ? `${Object.values(task.wakes).reduce((a, b) => a + b, 0)} (${by.join(", ")})` : "0";
}

function waitsOn(row) {
  return waitText(row.task, row.runState) ?? "";
}
const TEXT_KEYS = new Set(["name", "state", "waitsOn"]);

// A run's tasks at `now` (loop ms) from `state` (RunHistory's), as rows
// (the texts of those shown are made as they are shown); `prefix` names
// the run in compare mode.
export function taskRows(state, now, prefix = "") {
  const rows = [];
  for (const task of state.tasks.values()) {
    const times = timesAt(task, now);
    const { timer, task: byTask, callback, io } = task.wakes;
    rows.push({
      id: task.id,
      key: `${prefix}${task.id}`,
      name: prefix + task.name,
      state: task.state,
      created: task.created,
      ended: task.ended,
      steps: task.steps,
      running: times.running,
      waiting: times.waiting,
      woken: timer + byTask + callback + io,
      task,
      runState: state,
    });
  }
  return rows;
}

// `rows` sorted by column `key`, ascending or not; ties keep creation order.
export function sortRows(rows, key, ascending = true) {
  const sign = ascending ? 1 : -1;
  const value = key === "waitsOn" ? waitsOn : (row) => row[key];
  return rows
    .map((row, i) => [row, i])
    .sort(([a, i], [b, j]) => {
      const x = value(a);
      const y = value(b);
      let order;
      if (TEXT_KEYS.has(key)) order = String(x).localeCompare(String(y));
      else if (x === null || y === null) order = (x === null) - (y === null);
      else order = x - y;
      return order * sign || i - j;
    })
    .map(([row]) => row);
}

export class TaskTable {
  #body;
  #note;
  #headers;
  #rows = [];
  #sort = { key: null, ascending: true };
  #trs = [];
  #noteText = "";

  constructor(root) {
    this.#body = root.querySelector("#task-table tbody");
    this.#note = root.querySelector("#task-table-note");
    this.#headers = [...root.querySelectorAll("#task-table th")];
    for (const th of this.#headers) {
      th.querySelector("button").addEventListener("click", () => this.#sortBy(th.dataset.key));
    }
    this.clear();
  }

  #sortBy(key) {
    const same = this.#sort.key === key;
    this.#sort = { key, ascending: same ? !this.#sort.ascending : true };
    for (const th of this.#headers) {
      const sorted = th.dataset.key === key;
      th.setAttribute("aria-sort", sorted ? (this.#sort.ascending ? "ascending" : "descending") : "none");
    }
    this.#render();
  }

  clear() {
    this.show([], "Run the example, or open a trace, to see its tasks.");
  }

  // `rows` from `taskRows`; `note`: what they show (the instant).
  show(rows, note) {
    this.#rows = rows;
    this.#noteText = note;
    this.#render();
  }

  #render() {
    const { key, ascending } = this.#sort;
    const rows = key === null ? this.#rows : sortRows(this.#rows, key, ascending);
    const shown = rows.slice(0, MAX_ROWS);
    while (this.#trs.length < shown.length) {
      const tr = document.createElement("tr");
      for (let i = 0; i < COLUMNS.length; i += 1) tr.append(document.createElement(i === 0 ? "th" : "td"));
      tr.firstChild.setAttribute("scope", "row");
      this.#trs.push(tr);
    }
    shown.forEach((row, i) => {
      const tr = this.#trs[i];
      tr.dataset.state = row.state;
      tr.dataset.task = row.key;
      COLUMNS.forEach(([, text], c) => {
        const cell = tr.children[c];
        const value = text(row);
        if (cell.textContent !== value) cell.textContent = value;
      });
      // The pool's rows stay in order: row i shows the i-th task.
      if (tr.parentNode !== this.#body) this.#body.append(tr);
    });
    for (const tr of this.#trs.slice(shown.length)) tr.remove();
    const more = rows.length > shown.length ? ` Showing ${shown.length} of ${rows.length} tasks.` : "";
    this.#note.textContent = `${this.#noteText}${more}`;
  }
}
