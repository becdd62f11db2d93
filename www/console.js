// The console: each printed line with its loop time, `[1.000 s] World`,
// and each warning for learners, `[0.300 s] ⚠ Task-1 held the loop…`.
// Live, lines are added as they come; in replay it shows the lines up to
// the cursor (the last MAX_SHOWN of each run, with a count of the earlier
// ones), changing only the lines that come or go as the cursor moves.
import { seconds } from "./format.js";

// Lines shown per run in replay.
export const MAX_SHOWN = 300;
// Lines kept live: past that the earliest go, and a note counts them, so
// a program printing millions of lines costs the page no more.
export const MAX_LIVE = 1000;

function lineNode(atMs, text, warning) {
  const line = document.createElement("div");
  if (warning) {
    line.className = "console-warning";
    line.textContent = `[${seconds(atMs)}] ⚠ ${text}`;
  } else {
    line.textContent = `[${seconds(atMs)}] ${text}`;
  }
  return line;
}

export class Console {
  #element;
  // Replay: per run, { entries, heading, note, from, to } (the lines shown).
  #sections = [];
  #scrolling = false;
  // Live: the lines shown, oldest first, and the note of those dropped.
  #live = [];
  #dropped = 0;
  #droppedNote = null;
  #pending = [];
  #flushing = false;

  constructor(element) {
    this.#element = element;
  }

  clear() {
    this.#sections = [];
    this.#pending = [];
    this.#live = [];
    this.#dropped = 0;
    this.#droppedNote = null;
    this.#element.replaceChildren();
  }

  // How many live lines were dropped to keep the last MAX_LIVE.
  get dropped() {
    return this.#dropped;
  }

  // Queues a line (a function making its node) for the next frame: a
  // program printing faster than the page paints costs one DOM update a
  // frame, and never more than MAX_LIVE waiting lines.
  #append(make) {
    this.#sections = [];
    this.#pending.push(make);
    if (this.#pending.length > MAX_LIVE) {
      this.#pending.shift();
      this.#dropped += 1;
    }
    if (!this.#flushing) {
      this.#flushing = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  // Shows the queued lines now, keeping the last MAX_LIVE and counting the
  // rest in a note above them.
  flush() {
    this.#flushing = false;
    const made = this.#pending.splice(0).map((make) => make());
    if (!made.length) return;
    this.#element.append(...made);
    this.#live.push(...made);
    const excess = this.#live.length - MAX_LIVE;
    if (excess > 0) {
      for (const node of this.#live.splice(0, excess)) node.remove();
      this.#dropped += excess;
    }
    if (this.#dropped) {
      if (!this.#droppedNote) {
        this.#droppedNote = document.createElement("p");
        this.#droppedNote.className = "console-dropped";
      }
      this.#live[0].before(this.#droppedNote);
      this.#droppedNote.textContent = `… ${this.#dropped.toLocaleString("en")} earlier line${this.#dropped === 1 ? "" : "s"} dropped (the last ${MAX_LIVE.toLocaleString("en")} are kept)`;
    }
    this.#stickToBottom();
  }

  // A heading between runs (compare mode).
  section(title) {
    this.flush();
    this.#sections = [];
    const heading = document.createElement("p");
    heading.className = "console-section";
    heading.textContent = title;
    this.#element.append(heading);
  }

  line(atMs, text) {
    this.#append(() => lineNode(atMs, text, false));
  }

  // A warning for learners, as it happens.
  warning(atMs, text) {
    this.#append(() => lineNode(atMs, text, true));
  }

  // A Python traceback, or another error that ended a run.
  error(text) {
    this.#append(() => {
      const node = document.createElement("div");
      node.className = "console-error";
      node.textContent = text;
      return node;
    });
  }

  // Replay: for each run (`{ title, entries, count }`, entries as
  // RunHistory keeps them), its first `count` entries. Each run is a
  // heading, a note of the earlier lines not shown, and its lines, all
  // children of the console.
  showEntries(runs) {
    this.#pending = [];
    const same =
      runs.length === this.#sections.length && runs.every((run, i) => run.entries === this.#sections[i].entries);
    if (!same) {
      this.#sections = runs.map((run) => {
        const heading = document.createElement("p");
        heading.className = "console-section";
        heading.textContent = run.title ?? "";
        heading.hidden = !run.title;
        const note = document.createElement("p");
        note.className = "console-earlier";
        note.hidden = true;
        return { entries: run.entries, heading, note, from: 0, to: 0 };
      });
      this.#element.replaceChildren(...this.#sections.flatMap((s) => [s.heading, s.note]));
    }
    runs.forEach((run, i) => this.#window(this.#sections[i], this.#sections[i + 1]?.heading ?? null, run.count));
    this.#stickToBottom();
  }

  // Shows entries [max(0, count − MAX_SHOWN), count) of a section, whose
  // lines come before `next` (the next section's heading, or null).
  #window(section, next, count) {
    const to = Math.min(Math.max(count, 0), section.entries.length);
    const from = Math.max(0, to - MAX_SHOWN);
    const parent = this.#element;
    const lastLine = () => (next ? next.previousSibling : parent.lastChild);
    if (from >= section.to || to <= section.from) {
      for (let n = section.to - section.from; n > 0; n -= 1) lastLine().remove();
      section.from = from;
      section.to = from;
    }
    for (; section.to > to; section.to -= 1) lastLine().remove();
    for (; section.from < from; section.from += 1) section.note.nextSibling.remove();
    if (section.from > from) {
      const before = document.createDocumentFragment();
      for (let i = from; i < section.from; i += 1) before.append(this.#node(section.entries[i]));
      parent.insertBefore(before, section.note.nextSibling);
      section.from = from;
    }
    if (section.to < to) {
      const after = document.createDocumentFragment();
      for (let i = section.to; i < to; i += 1) after.append(this.#node(section.entries[i]));
      parent.insertBefore(after, next);
      section.to = to;
    }
    section.note.hidden = from === 0;
    section.note.textContent = from ? `… ${from} earlier line${from === 1 ? "" : "s"}` : "";
  }

  // Scrolls to the last line once the frame has been laid out: reading the
  // height now would lay the console out again for each line added.
  #stickToBottom() {
    if (this.#scrolling) return;
    this.#scrolling = true;
    requestAnimationFrame(() => {
      this.#scrolling = false;
      this.#element.scrollTop = this.#element.scrollHeight;
    });
  }

  #node(entry) {
    return lineNode(entry.t, entry.text, entry.warning !== null);
  }
}
