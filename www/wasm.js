// A WebAssembly package: loaded once, and loaded afresh (a new module
// instance, by re-importing its JavaScript with a new query) after a trap,
// since a trapped instance may be left in any state. Every element on a
// page shares each package (`sharedPackage(name)`), so one module of each.
//
// There are two, built from the one crate: the page's (`playground`),
// which every visitor loads, and the I/O module (`playground_io`), with the
// network, executor and loop examples as well, which loads only when one
// of those runs (an example's `module` in the catalogue says which).
//
// A trap can surface two ways: thrown from a call the page makes, or
// uncaught, from a callback the module registered itself (a timer, a
// microtask, a MessageChannel, a worker's message), as an `error` or
// `unhandledrejection` event on the window. While anyone watches the
// package (`watch`), it listens for those too; either way the instance is
// marked broken and every watcher is told, once per instance.

// The page's package, and the I/O module's: the build's names for them
// (`out-name` in wasm-pack.toml, and that with `_io`, see xtask's
// `playground.rs`).
export const PAGE_PACKAGE = "playground";
export const IO_PACKAGE = "playground_io";

// A package's script in a stack trace: its name and the instance's query.
const PACKAGE_FRAME = new RegExp(`/pkg/(${PAGE_PACKAGE}|${IO_PACKAGE})\\.js(?:\\?instance=(\\d+))?:\\d+`);

// Whether `error` is the module trapping (as opposed to a refused call).
export function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError;
}

export class Package {
  #loading = null;
  // The number the next instance loads under: one more for each attempt,
  // so that an import that failed is not served again from the cache.
  #next = 1;
  #watchers = new Set();
  #onError = (event) => this.#uncaught(event.error);
  #onRejection = (event) => this.#uncaught(event.reason);

  constructor(name = PAGE_PACKAGE) {
    this.name = name;
    this.url = new URL(`./pkg/${name}.js`, import.meta.url);
    // The current instance's exports: a plain object, so a caller can hold
    // (and a test can replace) entries.
    this.api = null;
    // Which instance is current: 1 for the first, and a new number for each
    // fresh one (one more for each attempt to load one).
    this.generation = 0;
    this.broken = false;
  }

  // The package's exports, initialised: the current one, or a fresh one if
  // the last trapped. Callers at the same time share one load.
  ready() {
    if (this.api && !this.broken) return Promise.resolve(this.api);
    if (!this.#loading) {
      this.#loading = this.#load().finally(() => {
        this.#loading = null;
      });
    }
    return this.#loading;
  }

  async #load() {
    const generation = this.#next++;
    const url = new URL(this.url);
    if (generation > 1) url.searchParams.set("instance", String(generation));
    const module = await import(url.href);
    await module.default();
    // The executor's inline fallback runs jobs here; workers register their own.
    module.register_jobs();
    this.api = {
      examples: module.examples,
      checkParams: module.checkParams,
      startRun: module.startRun,
    };
    this.generation = generation;
    this.broken = false;
    return this.api;
  }

  // Whether instance `generation` is the current one and has not trapped.
  isLive(generation) {
    return generation === this.generation && !this.broken;
  }

  // Instance `generation` (the current one by default) trapped with
  // `error`: the next `ready()` loads another, and the watchers hear of it
  // (once; an older instance's traps change nothing).
  trapped(error, generation = this.generation) {
    if (!this.isLive(generation)) return;
    this.broken = true;
    for (const watcher of [...this.#watchers]) watcher(error);
  }

  // Calls `watcher(error)` when the current instance traps; returns the
  // function that stops it. The window's listeners are there only while
  // someone watches.
  watch(watcher) {
    if (!this.#watchers.size) {
      globalThis.addEventListener("error", this.#onError);
      globalThis.addEventListener("unhandledrejection", this.#onRejection);
    }
    this.#watchers.add(watcher);
    return () => {
      if (!this.#watchers.delete(watcher) || this.#watchers.size) return;
      globalThis.removeEventListener("error", this.#onError);
      globalThis.removeEventListener("unhandledrejection", this.#onRejection);
    };
  }

  // A trap no call caught: the instance it came from, read from the stack
  // where a package's script appears on it (else the current one). A trap
  // whose stack shows another package's script is that package's.
  #uncaught(error) {
    if (!isTrap(error)) return;
    const frame = PACKAGE_FRAME.exec(error.stack ?? "");
    if (frame && frame[1] !== this.name) return;
    // A trap that names no script is every loaded package's.
    if (!frame && !this.api) return;
    this.trapped(error, frame ? Number(frame[2] ?? 1) : this.generation);
  }
}

const shared = new Map();

// The package `name` (the page's by default), shared by every element.
export function sharedPackage(name = PAGE_PACKAGE) {
  if (!shared.has(name)) shared.set(name, new Package(name));
  return shared.get(name);
}
