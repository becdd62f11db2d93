// The Python engine, shared by every element of a page and loaded only
// when a program first runs: its module (pkg/python/, several megabytes)
// is fetched here with its progress reported, which puts it in the HTTP
// cache, and each element's runner (pkg/python/runner.js) has its worker
// compile it from there, off the page's thread, and run programs. Later
// runs reuse it; a failed load is tried again next time.

const ENGINE = new URL("./pkg/python/", import.meta.url);

let engine = null;

// Fetches `url`, telling `onProgress(loaded, total)` as bytes come (total
// is null when the server does not say).
async function fetchWithProgress(url, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const length = Number(response.headers.get("content-length"));
  const total = response.headers.get("content-encoding") || !length ? null : length;
  if (!response.body) {
    await response.arrayBuffer();
    return;
  }
  const reader = response.body.getReader();
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.length;
    onProgress(loaded, total);
  }
}

async function load(onProgress) {
  onProgress(0, null);
  const module = new URL("asyncio_python_bg.wasm", ENGINE).href;
  const [{ PythonRunner }] = await Promise.all([
    import(new URL("runner.js", ENGINE).href),
    fetchWithProgress(module, onProgress),
  ]);
  // A worker's script must be of the page's origin: from another (an
  // element on a tutorial site) it starts from a blob: module importing it.
  const script = new URL("worker.js", ENGINE).href;
  const worker =
    new URL(script).origin === location.origin
      ? script
      : URL.createObjectURL(new Blob([`import ${JSON.stringify(script)};`], { type: "text/javascript" }));
  return {
    // A runner of its own for an element: one program at a time each.
    newRunner: () =>
      new PythonRunner({
        glue: new URL("asyncio_python.js", ENGINE).href,
        worker,
        module,
      }),
  };
}

// The engine (`{ newRunner() }`), loading it on the first call;
// `onProgress(loaded, total)` hears the download's progress when this
// call is the one that loads it.
export function pythonEngine(onProgress = () => {}) {
  engine ??= load(onProgress).catch((error) => {
    engine = null;
    throw error;
  });
  return engine;
}

// Whether the engine is loaded or loading.
export function engineRequested() {
  return engine !== null;
}
