//! The pool of Web Workers behind [`Executor::workers`](super::Executor::workers).
//!
//! # Invariants
//! - Workers are made from `worker.js`, which wasm-bindgen emits as a file
//!   beside the package (a module snippet). Served from the page's origin,
//!   it is the worker's script, and passes a `script-src 'self'` policy.
//!   Served from another origin (a playground embedded in a tutorial site),
//!   it cannot be: a worker's script must be same-origin. The worker is
//!   then made from a one-line `blob:` module that imports the file, which
//!   needs the file to be served with CORS and the page to allow `blob:`
//!   workers.
//! - A lane holds one worker at a time: `Loading` until it reports ready,
//!   then `Idle` or `Busy` with one job. A loading worker is sent the
//!   package only after its script says it listens (`script-loaded`): a
//!   message posted earlier can be lost while a wrapper still imports the
//!   script. Events carry the lane and the
//!   worker's generation, so a terminated worker's late events are ignored.
//! - Jobs are handed out first in first out, only to idle workers.
//! - A worker that dies (fails to load, traps in a job, or is terminated to
//!   cancel its job) is replaced in its lane. Three failed loads in a row,
//!   with no worker ever loading, mark the pool broken: waiting jobs fail
//!   and no more workers are started, so a missing package never loops.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

use super::handle::{trace, Executor, Inner, JobState};
use super::serve;
use super::ExecutorError;
use crate::trace::TraceEvent;

#[wasm_bindgen]
extern "C" {
    type ImportMeta;

    #[wasm_bindgen(thread_local_v2, js_namespace = import, js_name = meta)]
    static IMPORT_META: ImportMeta;

    /// The URL of the package's JavaScript (this very module).
    #[wasm_bindgen(method, getter)]
    fn url(this: &ImportMeta) -> String;
}

#[wasm_bindgen(module = "/src/executor/worker.js")]
extern "C" {
    /// The worker script's URL: a file emitted beside the package.
    #[wasm_bindgen(js_name = workerScriptUrl)]
    fn worker_script_url() -> String;

    /// Posts job `id` to `worker` as `[id, name, args]` (`args` undefined
    /// for JSON's `null`).
    #[wasm_bindgen(js_name = postJob)]
    fn post_job(worker: &web_sys::Worker, id: f64, name: &JsValue, args: &JsValue);

    /// Hands `worker`'s messages to `on_outcome(id, outcome, text)` (a job's
    /// outcome, with or without text) and `on_report(kind, message)` (the
    /// worker's own reports).
    fn listen(
        worker: &web_sys::Worker,
        on_outcome: &Closure<dyn FnMut(f64, u32, Option<String>)>,
        on_report: &Closure<dyn FnMut(String, String)>,
    );
}

/// For a worker script on another origin than the page's, a `blob:` URL
/// of a module that imports it (the blob has the page's origin); `None`
/// for a same-origin script, or a `blob:` or `data:` one, which the worker
/// can load itself.
fn cross_origin_trampoline(script: &str) -> Result<Option<String>, JsValue> {
    let url = web_sys::Url::new(script)?;
    if !matches!(url.protocol().as_str(), "http:" | "https:") {
        return Ok(None);
    }
    let location = Reflect::get(&js_sys::global(), &"location".into())?;
    let page_origin = Reflect::get(&location, &"origin".into())?.as_string();
    if page_origin.as_deref() == Some(url.origin().as_str()) {
        return Ok(None);
    }
    let source = format!(
        "import {};\n",
        serde_json::to_string(&url.href()).map_err(|err| JsValue::from_str(&err.to_string()))?
    );
    let parts = js_sys::Array::of1(&JsValue::from_str(&source));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    web_sys::Url::create_object_url_with_blob(&blob).map(Some)
}

/// How many failed loads in a row make the pool give up.
const LOAD_ATTEMPTS: u32 = 3;

/// How many job names a pool keeps as JavaScript strings.
const KEPT_NAMES: usize = 64;

/// The exports the worker script calls to serve jobs (see `serve.rs`).
const SERVE_EXPORTS: [(&str, &str); 3] = [
    ("find", "__asyncio_executor_find"),
    ("run", "__asyncio_executor_run"),
    ("reply", "__asyncio_executor_reply"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lane {
    Loading,
    Idle,
    Busy(u64),
}

struct Slot {
    worker: web_sys::Worker,
    generation: u32,
    state: Lane,
    /// Whether the worker was sent the package (once its script listened).
    sent_package: bool,
    _on_outcome: Closure<dyn FnMut(f64, u32, Option<String>)>,
    _on_report: Closure<dyn FnMut(String, String)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

pub(super) struct Pool {
    executor: Weak<Inner>,
    options: super::PoolOptions,
    lanes: RefCell<Vec<Option<Slot>>>,
    queue: RefCell<VecDeque<u64>>,
    /// Job names as JavaScript strings, made once per name (a handful:
    /// searched in order).
    names: RefCell<Vec<(Rc<str>, JsValue)>>,
    started: Cell<u32>,
    failed_loads: Cell<u32>,
    loaded_once: Cell<bool>,
    broken: Cell<bool>,
}

impl Pool {
    /// Whether this host can create workers at all.
    pub(super) fn check() -> Result<(), ExecutorError> {
        let worker = Reflect::get(&js_sys::global(), &"Worker".into()).unwrap_or_default();
        if !worker.is_function() {
            return Err(ExecutorError::WorkersUnavailable {
                reason: "this context has no Worker constructor".into(),
            });
        }
        Ok(())
    }

    pub(super) fn new(mut options: super::PoolOptions, executor: Weak<Inner>) -> Pool {
        options.workers = options.workers.max(1);
        Pool {
            executor,
            lanes: RefCell::new((0..options.workers).map(|_| None).collect()),
            options,
            queue: RefCell::new(VecDeque::new()),
            names: RefCell::new(Vec::new()),
            started: Cell::new(0),
            failed_loads: Cell::new(0),
            loaded_once: Cell::new(false),
            broken: Cell::new(false),
        }
    }

    pub(super) fn started(&self) -> u32 {
        self.started.get()
    }

    pub(super) fn enqueue(&self, id: u64) {
        if self.broken.get() {
            self.finish(id, None, Err(self.broken_error()));
            return;
        }
        self.queue.borrow_mut().push_back(id);
        if self.lanes.borrow().iter().any(Option::is_none) {
            self.fill_lanes();
        }
        self.dispatch();
    }

    fn broken_error(&self) -> ExecutorError {
        ExecutorError::WorkerFailedToLoad {
            message: format!("{LOAD_ATTEMPTS} workers in a row failed to load; the pool gave up"),
        }
    }

    /// Starts a worker in every empty lane.
    fn fill_lanes(&self) {
        let empty: Vec<usize> = self
            .lanes
            .borrow()
            .iter()
            .enumerate()
            .filter(|(_, slot)| slot.is_none())
            .map(|(lane, _)| lane)
            .collect();
        for lane in empty {
            self.start_worker(lane);
        }
    }

    fn start_worker(&self, lane: usize) {
        if self.broken.get() {
            return;
        }
        let generation = self.started.get() + 1;
        self.started.set(generation);
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let script = match self.options.script {
            super::WorkerScript::File => worker_script_url(),
            super::WorkerScript::Blob => wasm_bindgen::link_to!(module = "/src/executor/worker.js"),
        };
        let made = match cross_origin_trampoline(&script) {
            Ok(Some(trampoline)) => {
                let made = web_sys::Worker::new_with_options(&trampoline, &options);
                // The worker holds on to the blob from its constructor on.
                let _ = web_sys::Url::revoke_object_url(&trampoline);
                made
            }
            Ok(None) => web_sys::Worker::new_with_options(&script, &options),
            Err(err) => Err(err),
        };
        let worker = match made {
            Ok(worker) => worker,
            Err(err) => {
                self.load_failed(lane, crate::net::js::error_message(&err));
                return;
            }
        };
        let executor = self.executor.clone();
        let on_outcome = Closure::<dyn FnMut(f64, u32, Option<String>)>::new(
            move |id: f64, outcome: u32, text: Option<String>| {
                if let Some(inner) = executor.upgrade() {
                    if let Some(pool) = &inner.pool {
                        pool.on_outcome(lane, generation, id, outcome, text);
                    }
                }
            },
        );
        let executor = self.executor.clone();
        let on_report =
            Closure::<dyn FnMut(String, String)>::new(move |kind: String, message: String| {
                if let Some(inner) = executor.upgrade() {
                    if let Some(pool) = &inner.pool {
                        pool.on_report(lane, generation, &kind, message);
                    }
                }
            });
        let executor = self.executor.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            // Handled here: keep the browser from also reporting it as uncaught.
            event.prevent_default();
            // A script error is an ErrorEvent with a message; a worker that
            // could not start at all (blocked by a policy, say) fires a
            // plain Event.
            let message = Reflect::get(&event, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| {
                    "the worker could not start (its script was blocked or failed to load)".into()
                });
            if let Some(inner) = executor.upgrade() {
                if let Some(pool) = &inner.pool {
                    pool.on_error(lane, generation, message);
                }
            }
        });
        listen(&worker, &on_outcome, &on_report);
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The package goes to the worker once its script says it listens.
        self.lanes.borrow_mut()[lane] = Some(Slot {
            worker,
            generation,
            state: Lane::Loading,
            sent_package: false,
            _on_outcome: on_outcome,
            _on_report: on_report,
            _on_error: on_error,
        });
    }

    /// What a worker needs to load the package: its JavaScript's URL, the
    /// compiled module, and the names of the setup export and of the
    /// exports that serve jobs.
    fn init_message(&self) -> Object {
        let init = Object::new();
        let _ = Reflect::set(
            &init,
            &"glue".into(),
            &IMPORT_META.with(ImportMeta::url).into(),
        );
        let _ = Reflect::set(&init, &"module".into(), &wasm_bindgen::module());
        let setup = self
            .options
            .setup_export
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        let _ = Reflect::set(&init, &"setup".into(), &setup);
        let serve = Object::new();
        for (role, export) in SERVE_EXPORTS {
            let _ = Reflect::set(&serve, &role.into(), &export.into());
        }
        let _ = Reflect::set(&init, &"serve".into(), &serve);
        init
    }

    /// Hands queued jobs to idle workers, first in first out.
    fn dispatch(&self) {
        loop {
            let Some(lane) = self.idle_lane() else { return };
            let Some(id) = self.queue.borrow_mut().pop_front() else {
                return;
            };
            let Some(inner) = self.executor.upgrade() else {
                return;
            };
            // The arguments are posted once: the entry gives them up.
            let job = {
                let mut jobs = inner.jobs.borrow_mut();
                jobs.get_mut(&id).map(|entry| {
                    entry.state = JobState::Running;
                    (
                        Rc::clone(&entry.name),
                        std::mem::take(&mut entry.args),
                        entry.lp.clone(),
                    )
                })
            };
            let Some((name, args, lp)) = job else {
                continue;
            };
            let worker = match self.lanes.borrow_mut().get_mut(lane) {
                Some(Some(slot)) => {
                    slot.state = Lane::Busy(id);
                    Some(slot.worker.clone())
                }
                _ => None,
            };
            if let Some(worker) = worker {
                let args = match args.as_str() {
                    serve::NULL => JsValue::UNDEFINED,
                    json => JsValue::from_str(json),
                };
                self.with_js_name(&name, |name| post_job(&worker, id as f64, name, &args));
            }
            trace(&lp, || TraceEvent::JobStarted {
                job: id,
                worker: Some(lane as u32),
            });
        }
    }

    /// Calls `f` with `name` as a JavaScript string, made on the name's
    /// first use and kept for the first [`KEPT_NAMES`] names.
    fn with_js_name(&self, name: &Rc<str>, f: impl FnOnce(&JsValue)) {
        if let Some((_, js)) = self.names.borrow().iter().find(|(known, _)| known == name) {
            return f(js);
        }
        let js = JsValue::from_str(name);
        f(&js);
        let mut names = self.names.borrow_mut();
        if names.len() < KEPT_NAMES {
            names.push((Rc::clone(name), js));
        }
    }

    fn idle_lane(&self) -> Option<usize> {
        self.lanes.borrow().iter().position(|slot| {
            matches!(
                slot,
                Some(Slot {
                    state: Lane::Idle,
                    ..
                })
            )
        })
    }

    fn lane_state(&self, lane: usize, generation: u32) -> Option<Lane> {
        match self.lanes.borrow().get(lane) {
            Some(Some(slot)) if slot.generation == generation => Some(slot.state),
            _ => None,
        }
    }

    fn set_lane(&self, lane: usize, state: Lane) {
        if let Some(Some(slot)) = self.lanes.borrow_mut().get_mut(lane) {
            slot.state = state;
        }
    }

    /// A job's outcome from the worker in `lane`.
    fn on_outcome(
        &self,
        lane: usize,
        generation: u32,
        id: f64,
        outcome: u32,
        text: Option<String>,
    ) {
        let Some(Lane::Busy(job)) = self.lane_state(lane, generation) else {
            return;
        };
        // One job at a time per worker: the outcome is the lane's job's
        // (`id` is that job's, as posted).
        debug_assert_eq!(id, job as f64, "an outcome for another job");
        let outcome = match outcome {
            serve::DONE => Ok(text.unwrap_or_else(|| serve::NULL.to_string())),
            serve::FAILED => Err(ExecutorError::JobFailed {
                name: self.job_name(job),
                message: text.unwrap_or_default(),
            }),
            _ => Err(ExecutorError::UnknownJob {
                name: self.job_name(job),
            }),
        };
        self.set_lane(lane, Lane::Idle);
        self.finish(job, Some(lane as u32), outcome);
        self.dispatch();
    }

    /// A report of the worker in `lane` about itself: loaded, or not.
    fn on_report(&self, lane: usize, generation: u32, kind: &str, message: String) {
        let Some(state) = self.lane_state(lane, generation) else {
            return;
        };
        match (kind, state) {
            ("ready", Lane::Loading) => {
                self.failed_loads.set(0);
                self.loaded_once.set(true);
                self.set_lane(lane, Lane::Idle);
            }
            ("script-loaded", Lane::Loading) => {
                if let Some(Some(slot)) = self.lanes.borrow_mut().get_mut(lane) {
                    if !slot.sent_package {
                        slot.sent_package = true;
                        let _ = slot.worker.post_message(&self.init_message());
                    }
                }
            }
            ("load-failed", Lane::Loading) => {
                self.retire(lane);
                self.load_failed(lane, message);
            }
            _ => {}
        }
        self.dispatch();
    }

    fn on_error(&self, lane: usize, generation: u32, message: String) {
        let Some(state) = self.lane_state(lane, generation) else {
            return;
        };
        self.retire(lane);
        match state {
            Lane::Loading => self.load_failed(lane, message),
            Lane::Busy(id) => {
                let name = self.job_name(id);
                self.finish(
                    id,
                    Some(lane as u32),
                    Err(ExecutorError::JobFailed {
                        name,
                        message: format!("the worker trapped (a panic?): {message}"),
                    }),
                );
                self.start_worker(lane);
            }
            Lane::Idle => self.start_worker(lane),
        }
        self.dispatch();
    }

    /// A worker failed to load: the first waiting job hears about it, and the
    /// lane gets another worker unless too many have failed in a row.
    fn load_failed(&self, lane: usize, message: String) {
        let failures = self.failed_loads.get() + 1;
        self.failed_loads.set(failures);
        if let Some(id) = self.queue.borrow_mut().pop_front() {
            self.finish(
                id,
                Some(lane as u32),
                Err(ExecutorError::WorkerFailedToLoad { message }),
            );
        }
        if failures >= LOAD_ATTEMPTS && !self.loaded_once.get() {
            self.broken.set(true);
            let waiting: Vec<u64> = self.queue.borrow_mut().drain(..).collect();
            for id in waiting {
                self.finish(id, None, Err(self.broken_error()));
            }
            return;
        }
        self.start_worker(lane);
    }

    fn job_name(&self, id: u64) -> String {
        self.executor
            .upgrade()
            .and_then(|inner| inner.jobs.borrow().get(&id).map(|job| job.name.to_string()))
            .unwrap_or_default()
    }

    fn finish(&self, id: u64, worker: Option<u32>, outcome: Result<String, ExecutorError>) {
        if let Some(inner) = self.executor.upgrade() {
            Executor::complete_inner(&inner, id, worker, outcome);
        }
    }

    /// Terminates the worker in `lane` and empties the lane.
    fn retire(&self, lane: usize) {
        let slot = self.lanes.borrow_mut().get_mut(lane).and_then(Option::take);
        if let Some(slot) = slot {
            slot.worker.set_onmessage(None);
            slot.worker.set_onerror(None);
            slot.worker.terminate();
        }
    }

    /// A job's future was dropped: unqueue it, or stop the worker running it.
    pub(super) fn cancel(&self, id: u64) {
        self.queue.borrow_mut().retain(|queued| *queued != id);
        let running = self.lanes.borrow().iter().position(
            |slot| matches!(slot, Some(Slot { state: Lane::Busy(job), .. }) if *job == id),
        );
        if let Some(lane) = running {
            self.retire(lane);
            self.start_worker(lane);
        }
    }

    /// Terminates every worker; nothing more starts.
    pub(super) fn shutdown(&self) {
        self.broken.set(true);
        self.queue.borrow_mut().clear();
        let lanes = self.lanes.borrow().len();
        for lane in 0..lanes {
            self.retire(lane);
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let lanes = self.lanes.borrow().len();
        for lane in 0..lanes {
            self.retire(lane);
        }
    }
}
