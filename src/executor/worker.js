// The executor's worker script. The package imports this module too (to
// learn its URL, below), so what a worker does is guarded: on the page it
// does nothing.
//
// In a worker: says it is listening ("script-loaded"), then loads the
// page's own WebAssembly package, lets the application register its jobs,
// and serves jobs until terminated. The first message it receives carries the package's JavaScript URL, its compiled module
// (so the worker neither downloads nor compiles it again), and the names of
// the registration export and of the serving entry point.

// This file's own URL: a same-origin file, so workers made from it pass a
// Content-Security-Policy of `script-src 'self'`.
export function workerScriptUrl() {
  return import.meta.url;
}

// The package's own import of this module evaluates it a second time in a
// worker made from a `blob:` copy of it: only the first run listens.
const FIRST_RUN = typeof self !== "undefined" && !self.asyncioExecutorWorker;

if (FIRST_RUN && typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.asyncioExecutorWorker = true;
  // The pool sends the package only once this handler is in place (it waits
  // for "script-loaded"): a message sent before a module worker's script has
  // run, or while a wrapper that imports this script is still loading it,
  // can be lost.
  self.onmessage = async (event) => {
    self.onmessage = null;
    const { glue, module, setup, entry } = event.data;
    try {
      const pkg = await import(glue);
      await pkg.default({ module_or_path: module });
      if (setup) {
        if (typeof pkg[setup] !== "function") {
          throw new Error(`the package exports no function ${setup}()`);
        }
        pkg[setup]();
      }
      pkg[entry]();
    } catch (error) {
      self.postMessage({ kind: "load-failed", message: String((error && error.message) || error) });
    }
  };
  self.postMessage({ kind: "script-loaded" });
}
