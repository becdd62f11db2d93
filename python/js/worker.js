// The Python worker's script. The package imports this module too (to learn
// its URL), so what a worker does is guarded: on the page it does nothing.
//
// In a dedicated worker: the first message names the package's JavaScript
// glue; the worker imports it, compiles the WebAssembly here, off the
// page's thread, and hands over to servePythonWorker(), which answers the
// page's run requests until the page terminates the worker.

export function workerScriptUrl() {
  return import.meta.url;
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.onmessage = async (event) => {
    self.onmessage = null;
    try {
      const { glue } = JSON.parse(event.data);
      const pkg = await import(glue);
      await pkg.default();
      pkg.servePythonWorker();
    } catch (error) {
      self.postMessage(JSON.stringify({ kind: "load-failed", message: String((error && error.message) || error) }));
    }
  };
}
