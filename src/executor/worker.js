// The executor's worker: loads the page's own WebAssembly package, lets the
// application register its jobs, then serves jobs until terminated.
//
// The first message carries the package's JavaScript URL, its compiled
// module (so the worker neither downloads nor compiles it again), and the
// names of the registration export and of the serving entry point.
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
    self.postMessage({ kind: "load-failed", message: String(error && error.message || error) });
  }
};
