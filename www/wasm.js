// The WebAssembly package: loaded once, and loaded afresh (a new module
// instance, by re-importing its JavaScript with a new query) after a trap,
// since a trapped instance may be left in any state. Every element on a
// page shares one package (`sharedPackage()`), so one module.

const PACKAGE = new URL("./pkg/playground.js", import.meta.url);

// Whether `error` is the module trapping (as opposed to a refused call).
export function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError;
}

export class Package {
  constructor() {
    this.api = null;
    this.generation = 0;
    this.broken = false;
    this.loading = null;
  }

  // The package's exports, initialised: the current one, or a fresh one if
  // the last trapped. Callers at the same time share one load.
  ready() {
    if (this.api && !this.broken) return Promise.resolve(this.api);
    if (!this.loading) {
      this.loading = this.#load().finally(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  async #load() {
    this.generation += 1;
    const url = new URL(PACKAGE);
    if (this.generation > 1) url.searchParams.set("instance", String(this.generation));
    const module = await import(url.href);
    await module.default();
    // The executor's inline fallback runs jobs here; workers register their own.
    module.register_jobs();
    // A plain object, so a caller can hold (and a test can replace) entries.
    this.api = {
      examples: module.examples,
      checkParams: module.checkParams,
      startRun: module.startRun,
    };
    this.broken = false;
    return this.api;
  }

  // Marks the current instance unusable: the next `ready()` loads another.
  markBroken() {
    this.broken = true;
  }
}

let shared = null;

// The page's one package, shared by every element.
export function sharedPackage() {
  shared ??= new Package();
  return shared;
}
