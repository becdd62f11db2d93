// The executor's worker script, and the page's side of its messages. The
// package imports this module too (to learn its URL and to post and read
// job messages, below), so what a worker does is guarded: on the page it
// does nothing.
//
// In a worker: says it is listening ("script-loaded"), then loads the
// page's own WebAssembly package, lets the application register its jobs,
// and serves jobs until terminated. The first message it receives carries
// the package's JavaScript URL, its compiled module (so the worker neither
// downloads nor compiles it again), and the names of the registration
// export and of the three exports that serve jobs (`serve.rs`): `find` (a
// job's index from its name, looked up once per name), `run` (a job by
// index, giving its outcome, plus HAS_TEXT if it has a text) and `reply`
// (that text).
//
// Messages (`serve.rs` says what the outcomes mean): a job goes to the
// worker as `[id, name, args]`, its outcome comes back as `[id, outcome]`
// or `[id, outcome, text]`; JSON's `null` travels as no text, in both
// directions. The worker's own reports are objects `{ kind, message }`.
// Both sides read and write them here, so the WebAssembly code on either
// side makes one call per message with plain arguments.

// This file's own URL: a same-origin file, so workers made from it pass a
// Content-Security-Policy of `script-src 'self'`.
export function workerScriptUrl() {
  return import.meta.url;
}

// On the page: posts job `id` to `worker`; `args` is undefined for `null`.
export function postJob(worker, id, name, args) {
  worker.postMessage([id, name, args]);
}

// On the page: hands `worker`'s outcomes to `onOutcome(id, outcome, text)`
// (`text` undefined when there is none) and its reports to
// `onReport(kind, message)`.
export function listen(worker, onOutcome, onReport) {
  worker.onmessage = (event) => {
    const data = event.data;
    if (Array.isArray(data)) {
      onOutcome(data[0], data[1], data[2]);
    } else {
      onReport(String(data && data.kind), String((data && data.message) || ""));
    }
  };
}

// Added by the worker's `run` to an outcome that has a text (`HAS_TEXT` in
// `serve.rs`).
const HAS_TEXT = 4;

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
    const { glue, module, setup, serve } = event.data;
    try {
      const pkg = await import(glue);
      await pkg.default({ module_or_path: module });
      if (setup) {
        if (typeof pkg[setup] !== "function") {
          throw new Error(`the package exports no function ${setup}()`);
        }
        pkg[setup]();
      }
      const [find, run, reply] = [serve.find, serve.run, serve.reply].map((name) => {
        if (typeof pkg[name] !== "function") {
          throw new Error(`the package exports no function ${name}()`);
        }
        return pkg[name];
      });
      // Job indices by name. A name not registered yet is looked up again
      // next time (its job may be registered later).
      const jobs = new Map();
      // A job that panics traps the instance: `run` throws, and the page
      // hears of it as the worker's error event.
      self.onmessage = (message) => {
        const [id, name, args] = message.data;
        let job = jobs.get(name);
        if (job === undefined) {
          job = find(name);
          if (job !== undefined) jobs.set(name, job);
        }
        const outcome = run(job, args);
        self.postMessage(outcome & HAS_TEXT ? [id, outcome & ~HAS_TEXT, reply()] : [id, outcome]);
      };
      self.postMessage({ kind: "ready" });
    } catch (error) {
      self.postMessage({ kind: "load-failed", message: String((error && error.message) || error) });
    }
  };
  self.postMessage({ kind: "script-loaded" });
}
