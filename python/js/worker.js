// The Python worker's script. The package imports this module too (to learn
// its URL), so what a worker does is guarded: on the page it does nothing.
//
// In a dedicated worker: the first message names the package's JavaScript
// glue and, if the page has it, the module (compiled, or the .wasm URL;
// otherwise the file beside the glue); the worker imports the glue,
// compiles the WebAssembly here, off the page's thread, and hands over to
// servePythonWorker(), which answers the page's run requests until the
// page terminates the worker.

export function workerScriptUrl() {
  return import.meta.url;
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.onmessage = async (event) => {
    self.onmessage = null;
    try {
      const { glue, module } = event.data;
      const pkg = await import(glue);
      await pkg.default(module === undefined ? undefined : { module_or_path: module });
      pkg.servePythonWorker();
    } catch (error) {
      self.postMessage(JSON.stringify({ kind: "load-failed", message: String((error && error.message) || error) }));
    }
  };
  // Messages sent before this handler existed could be lost (a page may
  // wrap this script in another module), so the page waits for this one.
  self.postMessage(JSON.stringify({ kind: "script-ready" }));
}
