// The executor's worker script. The package imports this module too (to
// learn its URL, below), so what a worker does is guarded: on the page it
// does nothing.
//
// In a worker: loads the page's own WebAssembly package, lets the
// application register its jobs, then serves jobs until terminated. The
// first message carries the package's JavaScript URL, its compiled module
// (so the worker neither downloads nor compiles it again), and the names of
// the registration export and of the serving entry point.

// This file's own URL: a same-origin file, so workers made from it pass a
// Content-Security-Policy of `script-src 'self'`.
export function workerScriptUrl() {
  return import.meta.url;
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
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
}
