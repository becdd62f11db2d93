// Runs Python programs in a dedicated Web Worker, for a page.
//
//   const runner = new PythonRunner({ glue, worker });
//   const report = await runner.run(source, { clock: "real", onLine, onTrace });
//   runner.stop();
//
// `glue` is the URL of the asyncio-python package's JavaScript, `worker`
// that of its worker.js; `module` (optional) the package's WebAssembly, as
// a compiled WebAssembly.Module or the .wasm file's URL, when it is not the
// file wasm-pack puts beside the glue. The interpreter is loaded and compiled in the
// worker, on first use. run() resolves with the run's report (see the
// crate's wire module); onLine sees each printed line and onTrace each
// batch of trace records as they happen. The report's `lines` are those
// onLine saw, kept here (`keepLines: false` keeps none, for a page that
// shows them as they come and may be sent millions). stop() terminates the worker:
// the run in progress resolves at once with `stopped: true`, whatever the
// program was doing, and the next run starts a fresh worker. A worker
// that dies (a trap, memory exhausted) ends its run with an error and is
// replaced the same way.

export class PythonRunner {
  #glue;
  #module;
  #workerUrl;
  #worker = null;
  #ready = null;
  #abandon = null;
  #run = null;
  // The trace format's version, as the worker said when it was ready.
  #version = null;

  constructor({ glue, worker, module }) {
    this.#glue = String(glue);
    this.#workerUrl = String(worker);
    this.#module = module;
  }

  // The worker, started (and its interpreter made) if there is none.
  #start() {
    if (this.#ready) {
      return this.#ready;
    }
    const worker = new Worker(this.#workerUrl, { type: "module" });
    this.#worker = worker;
    const started = performance.now();
    this.#ready = new Promise((resolve, reject) => {
      this.#abandon = () => reject(new Error("the Python worker was stopped before it was ready"));
      worker.onmessage = (event) => {
        if (typeof event.data !== "string") {
          return;
        }
        const message = JSON.parse(event.data);
        if (message.kind === "script-ready") {
          const load = { glue: this.#glue };
          if (this.#module !== undefined) {
            load.module = this.#module;
          }
          worker.postMessage(load);
        } else if (message.kind === "ready") {
          this.#version = message.version ?? null;
          this.#abandon = null;
          worker.onmessage = (next) => {
            if (typeof next.data === "string") {
              this.#receive(worker, JSON.parse(next.data));
            }
          };
          resolve({ engineMs: message.engineMs, loadMs: performance.now() - started });
        } else if (message.kind === "load-failed") {
          this.#discard(worker);
          reject(new Error(`the Python worker could not load: ${message.message}`));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        this.#discard(worker);
        const why = event.message || "the Python worker failed";
        reject(new Error(why));
        this.#finish({ crashed: why });
      };
    });
    return this.#ready;
  }

  #receive(worker, message) {
    if (worker !== this.#worker || !this.#run) {
      return;
    }
    const run = this.#run;
    if (message.kind === "output") {
      // What the program printed and traced since the last message.
      for (const line of message.lines) run.onLine(line);
      for (const batch of message.traces) run.onTrace?.(batch);
    } else if (message.kind === "done") {
      this.#run = null;
      run.resolve({ ...message.report, lines: run.lines });
    } else if (message.kind === "refused") {
      this.#run = null;
      run.reject(new Error(message.message));
    }
  }

  #discard(worker) {
    worker.terminate();
    if (this.#worker === worker) {
      this.#worker = null;
      this.#ready = null;
      this.#abandon?.();
      this.#abandon = null;
    }
  }

  #finish({ stopped = false, crashed = null }) {
    const run = this.#run;
    if (!run) {
      return;
    }
    this.#run = null;
    const error = crashed
      ? {
          kind: "RuntimeError",
          message: `the interpreter stopped: ${crashed} (the program may have run out of memory); it was restarted`,
          line: null,
          column: null,
          frames: [],
          text: `RuntimeError: the interpreter stopped: ${crashed}\n`,
        }
      : null;
    run.resolve({ version: this.#version, stopped, lines: run.lines, notices: [], error, totalMs: null, steps: null });
  }

  // Starts the worker now, so that a first run does not wait for it.
  // Resolves with the time the interpreter took to be made in the worker
  // (`engineMs`) and to load in all (`loadMs`).
  warm() {
    return this.#start();
  }

  async run(
    source,
    {
      clock = "real",
      filename = "main.py",
      maxSteps,
      maxMemoryMb,
      trace = true,
      keepLines = true,
      onLine,
      onTrace,
    } = {},
  ) {
    if (this.#run) {
      throw new Error("a program is already running: stop it first");
    }
    await this.#start();
    const worker = this.#worker;
    return new Promise((resolve, reject) => {
      const lines = [];
      this.#run = {
        resolve,
        reject,
        lines,
        onTrace,
        onLine: (line) => {
          if (keepLines) {
            lines.push(line);
          }
          onLine?.(line);
        },
      };
      const request = { kind: "run", source: String(source), clock, filename, trace, reportLines: false };
      if (maxSteps !== undefined) request.maxSteps = maxSteps;
      if (maxMemoryMb !== undefined) request.maxMemoryMb = maxMemoryMb;
      worker.postMessage(JSON.stringify(request));
    });
  }

  // Terminates the worker: the program stops wherever it is.
  stop() {
    if (this.#worker) {
      this.#discard(this.#worker);
    }
    this.#finish({ stopped: true });
  }
}
