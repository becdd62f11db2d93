//! `loop.run_in_executor` and `concurrent.futures` executors.
//!
//! In a browser, a job goes to the runtime's pool of Web Workers: each
//! worker loads this package, and runs the program's own source as
//! CPython's spawn start method does (the module body under
//! `__name__ == "__mp_main__"`, its top-level runs skipped), then calls the
//! job's module-level function by name. A lambda or a nested function
//! fails as CPython's pickling does, with its message; arguments and
//! results travel as JSON. Natively there are no workers: the job runs
//! inline, blocking the loop, and the run says so once.

use rustpython_vm::builtins::{PyDictRef, PyTupleRef};
use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};
use serde::{Deserialize, Serialize};

use crate::errors::{self, Kind as Exc};
use crate::handle::Handle;
use crate::natives::def;
use crate::state;

/// A job for a worker: call `function` of the program `source` with
/// `args` (a JSON array).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Job {
    pub(crate) source: String,
    pub(crate) filename: String,
    pub(crate) function: String,
    pub(crate) args: String,
}

/// What a job gave back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) enum JobOutcome {
    /// The function's value, as JSON.
    Value(String),
    /// It raised: the exception's type name and message.
    Raised { kind: String, message: String },
}

/// The function's module-level name, or CPython's pickling error for one
/// a worker cannot find by name.
fn picklable_name(vm: &VirtualMachine, func: &PyObjectRef) -> PyResult<String> {
    let qualname = func
        .get_attr("__qualname__", vm)
        .and_then(|q| q.str(vm).map(|s| s.to_string()))
        .unwrap_or_default();
    if qualname.contains("<locals>") {
        return Err(vm.new_attribute_error(format!("Can't pickle local object '{qualname}'")));
    }
    let module = func
        .get_attr("__module__", vm)
        .and_then(|m| m.str(vm).map(|s| s.to_string()))
        .unwrap_or_default();
    if qualname.is_empty()
        || qualname.contains('<')
        || qualname.contains('.')
        || module != "__main__"
    {
        let repr = func.repr(vm).map(|r| r.to_string()).unwrap_or_default();
        return Err(errors::new(
            vm,
            Exc::Pickling,
            &format!("Can't pickle {repr}: attribute lookup {qualname} on {module} failed"),
        ));
    }
    Ok(qualname)
}

/// The future's handle, to settle.
fn settle(vm: &VirtualMachine, future: &PyRef<Handle>, outcome: PyResult) -> PyResult<()> {
    let method = match outcome {
        Ok(value) => ("future_set_result", value),
        Err(exc) => ("future_set_exception", exc.into()),
    };
    let aio = vm.import("_aio", 0)?;
    aio.get_attr(method.0, vm)?
        .call((future.clone(), method.1), vm)?;
    Ok(())
}

/// Runs the call inline (a function no worker could find by name).
fn inline(
    vm: &VirtualMachine,
    func: &PyObjectRef,
    args: &PyTupleRef,
    future: &PyRef<Handle>,
) -> PyResult<()> {
    if let Some(run) = state::current() {
        run.notice(
            "run_inline",
            "a thread pool job that is not a module-level function runs inline: workers find jobs by name",
        );
    }
    settle(vm, future, func.call(args.as_slice().to_vec(), vm))
}

/// Installs the executor natives.
pub(crate) fn install(vm: &VirtualMachine, d: &PyDictRef) -> PyResult<()> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Natively the runtime's inline executor runs the job, in this
        // thread, as a worker would.
        // (The runtime's job registry is per thread, as workers are.)
        thread_local! {
            static REGISTERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if !REGISTERED.with(|done| done.replace(true)) {
            asyncio::executor::register(JOB_NAME, run_job);
        }
    }
    def(
        vm,
        d,
        "run_in_executor",
        |processes: bool,
         func: PyObjectRef,
         args: PyTupleRef,
         future: PyRef<Handle>,
         vm: &VirtualMachine|
         -> PyResult<()> {
            let name = if processes {
                Some(picklable_name(vm, &func)?)
            } else {
                picklable_name(vm, &func).ok()
            };
            match name {
                Some(name) => submit(vm, name, &args, future),
                // Not found by name: only threads could run it, so it
                // runs here.
                None => inline(vm, &func, &args, &future),
            }
        },
    )?;
    def(vm, d, "job_mode", || {
        state::current().is_some_and(|run| run.job.is_some())
    })?;
    Ok(())
}

/// Sends the job to the loop's default executor (the runtime's worker
/// pool in a browser; inline, with the runtime's warning, natively); a
/// helper task waits for it and settles the future.
fn submit(
    vm: &VirtualMachine,
    function: String,
    args: &PyTupleRef,
    future: PyRef<Handle>,
) -> PyResult<()> {
    let run = state::current().ok_or_else(|| vm.new_runtime_error("no running program"))?;
    let (_, lp, _) = run
        .running_loop()
        .ok_or_else(|| vm.new_runtime_error("no running event loop"))?;
    let json = vm.import("json", 0)?;
    let args = json
        .get_attr("dumps", vm)?
        .call((vm.ctx.new_list(args.as_slice().to_vec()),), vm)
        .map_err(|_| {
            vm.new_type_error(
                "an executor job's arguments travel to its worker as JSON: these cannot",
            )
        })?
        .str(vm)?
        .to_string();
    #[cfg(not(target_arch = "wasm32"))]
    run.notice(
        "run_in_worker",
        "no Web Workers here: executor jobs run inline, and the loop waits for them",
    );
    let job = Job {
        source: run.source.clone(),
        filename: run.options.filename.clone(),
        function,
        args,
    };
    let pending = lp.run_in_executor::<Job, JobOutcome>(None, JOB_NAME, &job);
    let waiter = asyncio::TaskBuilder::new()
        .name("run_in_executor")
        .spawn(async move {
            let outcome = pending.await;
            crate::engine::with_vm(|vm| {
                let result = match outcome {
                    Ok(JobOutcome::Value(json_text)) => vm
                        .import("json", 0)
                        .and_then(|json| json.get_attr("loads", vm))
                        .and_then(|loads| loads.call((json_text,), vm)),
                    Ok(JobOutcome::Raised { kind, message }) => Err(raised(vm, &kind, &message)),
                    Err(err) => {
                        Err(vm.new_runtime_error(format!("the executor job failed: {err}")))
                    }
                };
                let _ = settle(vm, &future, result);
            });
        });
    waiter.detach();
    Ok(())
}

/// An exception of the type a worker's job raised (a builtin one by name,
/// otherwise a RuntimeError naming it).
fn raised(
    vm: &VirtualMachine,
    kind: &str,
    message: &str,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let class = vm
        .builtins
        .get_attr(vm.ctx.intern_str(kind.to_string()), vm)
        .ok()
        .and_then(|c| c.downcast::<rustpython_vm::builtins::PyType>().ok())
        .filter(|c| c.fast_issubclass(vm.ctx.exceptions.base_exception_type));
    match class {
        Some(class) => match class.as_object().call((message.to_string(),), vm) {
            Ok(exc) => exc
                .downcast()
                .unwrap_or_else(|_| vm.new_runtime_error(format!("{kind}: {message}"))),
            Err(exc) => exc,
        },
        None => vm.new_runtime_error(format!("{kind}: {message}")),
    }
}

/// The name the job is registered under in every worker.
pub(crate) const JOB_NAME: &str = "asyncio-python";

/// Runs a job in this (worker's) thread: the program's module body under
/// `__mp_main__`, then the function.
pub(crate) fn run_job(job: Job) -> JobOutcome {
    thread_local! {
        static ENGINE: &'static crate::engine::Engine = Box::leak(Box::new(crate::engine::Engine::new()));
    }
    ENGINE.with(|engine| crate::run::run_job(engine, job))
}

/// Registers the job with the runtime's executor: workers call this (the
/// package's `register_jobs` export) when they start.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn register_jobs() {
    asyncio::executor::register(JOB_NAME, run_job);
}

use rustpython_vm::AsObject as _;
