// The replay view: the time cursor (a slider whose value is the cursor's
// loop time in ms), Play/Pause, previous and next event, the speed, the
// event at the cursor, and the state at the cursor: each task's state and
// the ready queue's order, for each run shown.
//
// The view keeps its nodes to itself and says what the reader wants as
// events: `seek` (detail: loop ms), `step` (detail: 1 or -1, an event),
// `page` (detail: 1 or -1, a tenth of the run), `home`, `end`, `play`,
// `pause` and `speed` (detail: the factor). Whoever owns
// the cursor moves it and calls `show`.
import { seconds } from "./format.js";
import { stateText } from "./run_history.js";

// Tasks listed per run in the state at the cursor; the rest are counted.
const MAX_LISTED = 12;
// Task states in the order the state panel lists them.
const ORDER = { running: 0, ready: 1, waiting: 2, finished: 3, cancelled: 3 };

export class ReplayView extends EventTarget {
  #play;
  #back;
  #forward;
  #speed;
  #track;
  #thumb;
  #event;
  #state;
  #playing = false;
  #enabled = false;
  #end = 0;

  constructor(root) {
    super();
    const find = (selector) => root.querySelector(selector);
    this.#play = find("#replay-play");
    this.#back = find("#replay-back");
    this.#forward = find("#replay-forward");
    this.#speed = find("#replay-speed");
    this.#track = find("#cursor-track");
    this.#thumb = find("#cursor");
    this.#event = find("#cursor-event");
    this.#state = find("#cursor-state");
    // The speed stays as the layout (1×) or the reader set it.
    const say = (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail }));
    this.#play.addEventListener("click", () => say(this.#playing ? "pause" : "play"));
    this.#back.addEventListener("click", () => say("step", -1));
    this.#forward.addEventListener("click", () => say("step", 1));
    this.#speed.addEventListener("change", () => say("speed", Number(this.#speed.value)));
    this.#thumb.addEventListener("keydown", (event) => {
      if (!this.#enabled) return;
      const keys = {
        ArrowLeft: () => say("step", -1),
        ArrowDown: () => say("step", -1),
        ArrowRight: () => say("step", 1),
        ArrowUp: () => say("step", 1),
        Home: () => say("home"),
        End: () => say("end"),
        PageDown: () => say("page", -1),
        PageUp: () => say("page", 1),
      };
      const action = keys[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    });
    // Dragging: the cursor follows the pointer while it is down.
    const seekTo = (event) => {
      const box = this.#track.getBoundingClientRect();
      const fraction = box.width > 0 ? (event.clientX - box.left) / box.width : 0;
      say("seek", Math.min(Math.max(fraction, 0), 1) * this.#end);
    };
    this.#track.addEventListener("pointerdown", (event) => {
      if (!this.#enabled || event.button !== 0) return;
      event.preventDefault();
      this.#track.setPointerCapture(event.pointerId);
      this.#thumb.focus();
      seekTo(event);
    });
    this.#track.addEventListener("pointermove", (event) => {
      if (this.#track.hasPointerCapture(event.pointerId)) seekTo(event);
    });
  }

  // With no run to replay: everything disabled.
  clear() {
    this.#enabled = false;
    this.#end = 0;
    for (const button of [this.#play, this.#back, this.#forward]) button.disabled = true;
    this.#thumb.setAttribute("aria-disabled", "true");
    this.#thumb.setAttribute("aria-valuemax", "0");
    this.#thumb.setAttribute("aria-valuenow", "0");
    this.#thumb.setAttribute("aria-valuetext", "no run yet");
    this.#thumb.style.left = "0%";
    this.#event.textContent = "";
    this.#state.replaceChildren();
    this.setPlaying(false);
  }

  setPlaying(playing) {
    this.#playing = playing;
    this.#play.textContent = playing ? "Pause" : "Play";
  }

  setSpeed(speed) {
    this.#speed.value = String(speed);
  }

  // The cursor at `time` (ms) of `end`, after `position` of `count`
  // events; `event`: the last event's description (or null at the
  // start); `runs`: [{ title, history, state }] (state: RunHistory's).
  show({ time, end, position, count, event, runs }) {
    this.#enabled = count > 0;
    this.#end = end;
    this.#play.disabled = !this.#enabled;
    this.#back.disabled = !this.#enabled || position === 0;
    this.#forward.disabled = !this.#enabled || position === count;
    const thumb = this.#thumb;
    thumb.setAttribute("aria-disabled", String(!this.#enabled));
    thumb.setAttribute("aria-valuemax", String(Math.round(end)));
    thumb.setAttribute("aria-valuenow", String(Math.round(time * 1000) / 1000));
    const where = position === 0 ? "the start" : `event ${position} of ${count}`;
    thumb.setAttribute("aria-valuetext", `${seconds(time)}, ${where}`);
    thumb.style.left = `${end > 0 ? (time / end) * 100 : position === count ? 100 : 0}%`;
    this.#event.textContent =
      position === 0
        ? `${seconds(time)}: before the first event.`
        : `${seconds(time)}, event ${position} of ${count}: ${event}.`;
    this.#state.replaceChildren(...runs.map((run) => this.#runState(run, time)));
  }

  #runState({ title, state }) {
    const block = document.createElement("div");
    block.className = "run-state";
    if (title) {
      const heading = document.createElement("p");
      heading.className = "run-state-title";
      heading.textContent = title;
      block.append(heading);
    }
    const queue = document.createElement("p");
    queue.className = "ready-queue";
    const names = state.ready.slice(0, MAX_LISTED).map((id) => state.tasks.get(id)?.name ?? `Task-${id}`);
    const more = state.ready.length - names.length;
    queue.textContent = `Ready queue: ${names.length ? names.join(" → ") : "empty"}${more > 0 ? ` → … ${more} more` : ""}`;
    block.append(queue);
    const tasks = [...state.tasks.values()].sort((a, b) => {
      const byState = ORDER[a.state] - ORDER[b.state];
      if (byState) return byState;
      if (a.state === "ready") return state.ready.indexOf(a.id) - state.ready.indexOf(b.id);
      return a.id - b.id;
    });
    const list = document.createElement("ul");
    list.className = "task-states";
    for (const task of tasks.slice(0, MAX_LISTED)) {
      const item = document.createElement("li");
      item.dataset.state = task.state;
      item.dataset.task = String(task.id);
      const name = document.createElement("span");
      name.className = "task-name";
      name.textContent = task.name;
      item.append(name, `: ${stateText(task, state)}`);
      list.append(item);
    }
    if (tasks.length > MAX_LISTED) {
      const more = document.createElement("li");
      const counts = new Map();
      for (const task of tasks.slice(MAX_LISTED)) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
      more.textContent = `and ${tasks.length - MAX_LISTED} more: ${[...counts].map(([s, n]) => `${n} ${s}`).join(", ")} (see the task table)`;
      list.append(more);
    }
    if (!tasks.length) {
      const none = document.createElement("li");
      none.textContent = "no tasks yet";
      list.append(none);
    }
    block.append(list);
    return block;
  }
}
