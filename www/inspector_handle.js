// The inspector (`inspector.js`: task table, time cursor, replay, the
// trace's files) is loaded when it is first needed, not with the page:
// when a run starts or ends, or when the reader first turns to its views.
// Until then its views show the layout's empty state, which is the state
// `clear()` gives them.
//
// `InspectorHandle` takes the inspector's calls meanwhile and hands them
// on, in order, once it is there. A click or change in its views that
// comes before it is there (choosing a trace file, a sort, the speed) is
// dispatched again once it is, so nothing the reader did is lost.

const EVENTS = ["click", "change"];

export class InspectorHandle {
  #root;
  #options;
  #views;
  #inspector = null;
  #loading = null;
  #pending = [];
  #window = null;
  // Events seen in the views before the inspector was there.
  #missed = [];
  #onEvent = (event) => {
    if (this.#inspector) return;
    this.#missed.push({ target: event.target, type: event.type });
    this.load();
  };
  #onFirstUse = () => this.load();

  // `root`: the element's tree; `options`: what `Inspector` takes.
  constructor(root, options) {
    this.#root = root;
    this.#options = options;
    this.#views = [...root.querySelectorAll('[data-view="replay"], [data-view="table"]')];
    for (const view of this.#views) {
      for (const type of EVENTS) view.addEventListener(type, this.#onEvent, true);
      view.addEventListener("focusin", this.#onFirstUse);
      view.addEventListener("pointerdown", this.#onFirstUse);
    }
  }

  // The cursor, once the inspector is there (null before).
  get player() {
    return this.#inspector?.player ?? null;
  }

  // Loads the inspector; resolves to it.
  load() {
    this.#loading ??= import("./inspector.js").then(({ Inspector }) => {
      // Its own listeners take over (and see the missed events again).
      for (const view of this.#views) {
        for (const type of EVENTS) view.removeEventListener(type, this.#onEvent, true);
        view.removeEventListener("focusin", this.#onFirstUse);
        view.removeEventListener("pointerdown", this.#onFirstUse);
      }
      const inspector = new Inspector(this.#root, this.#options);
      if (this.#window) inspector.connect(this.#window);
      for (const [method, args] of this.#pending.splice(0)) inspector[method](...args);
      this.#inspector = inspector;
      for (const { target, type } of this.#missed.splice(0)) {
        target.dispatchEvent(new Event(type, { bubbles: true }));
      }
      return inspector;
    });
    // One that could not be loaded is tried again when next needed.
    this.#loading.catch(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  // Settles once the inspector is there, or could not be loaded.
  ready() {
    return this.load().then(
      () => {},
      () => {},
    );
  }

  // Calls the inspector's `method`, once it is there (loading it).
  #call(method, args) {
    if (this.#inspector) {
      this.#inspector[method](...args);
      return;
    }
    this.#pending.push([method, args]);
    this.load();
  }

  connect(win) {
    this.#window = win;
    this.#inspector?.connect(win);
  }

  disconnect() {
    this.#window = null;
    this.#inspector?.disconnect();
  }

  clear() {
    // Before the inspector is there, its views are clear already.
    if (this.#inspector) this.#inspector.clear();
    else this.#pending = [];
  }

  live(runs, now) {
    this.#call("live", [runs, now]);
  }

  finish(runs, meta) {
    this.#call("finish", [runs, meta]);
  }
}
