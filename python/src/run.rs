//! Running a program: compile it, give it fresh modules, step its body as
//! a coroutine (the program driver), report what it printed and how it
//! ended.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use rustpython_vm::builtins::PyDictRef;
use rustpython_vm::scope::Scope;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

use crate::compile::{compile_program, MODULE_FN};
use crate::driver::Driver;
use crate::engine::{self, Engine};
use crate::executor::{Job, JobOutcome};
use crate::report::{RunOptions, RunReport};
use crate::state::{self, LineSink, RunState, TraceSink};
use crate::tasks::TaskState;
use crate::traceback::{self, PythonError};
use crate::{combine, errors, executor, futures, group, loops, modules, natives, sync, tasks};

/// Sources of the modules a program can import, in the order they load.
const SOURCES: &[(&str, &str)] = &[
    ("time", modules::TIME),
    ("random", modules::RANDOM),
    ("json", modules::JSON),
    ("functools", modules::FUNCTOOLS),
    ("asyncio", modules::ASYNCIO),
    ("concurrent.futures", modules::CONCURRENT),
    ("yarl", modules::YARL),
    ("aiohttp", modules::AIOHTTP),
];

/// Modules a run makes and removes.
const RUN_MODULES: &[&str] = &[
    "_aio",
    "time",
    "random",
    "json",
    "functools",
    "asyncio",
    "concurrent",
    "concurrent.futures",
    "yarl",
    "aiohttp",
    "__main__",
];

/// Fresh modules for one run; the `_aio` natives' dict.
fn install_modules(vm: &VirtualMachine) -> PyResult<PyDictRef> {
    let (_, aio) = engine::native_module(vm, "_aio")?;
    let code = vm
        .compile(
            errors::CLASSES,
            rustpython_vm::compiler::Mode::Exec,
            "<_aio>".to_string(),
        )
        .map_err(|err| vm.new_syntax_error(&err, Some(errors::CLASSES)))?;
    vm.run_code_obj(code, Scope::with_builtins(None, aio.clone(), vm))?;
    natives::install(vm, &aio)?;
    tasks::install(vm, &aio)?;
    futures::install(vm, &aio)?;
    loops::install(vm, &aio)?;
    sync::install(vm, &aio)?;
    combine::install(vm, &aio)?;
    executor::install(vm, &aio)?;
    group::install(vm, &aio)?;
    #[cfg(target_arch = "wasm32")]
    crate::net::install(vm, &aio)?;
    modules::install(vm, &aio)?;
    crate::urls::install(vm, &aio)?;
    if let Some(run) = state::current() {
        *run.aio.borrow_mut() = Some(aio.clone());
    }
    for (name, source) in SOURCES {
        let module = engine::source_module(vm, name, source)?;
        if *name == "concurrent.futures" {
            let (concurrent, dict) = engine::native_module(vm, "concurrent")?;
            dict.set_item("futures", module.into(), vm)?;
            let _ = concurrent;
        }
    }
    Ok(aio)
}

fn remove_modules(vm: &VirtualMachine) {
    for name in RUN_MODULES {
        engine::unregister(vm, name);
    }
}

/// Routes `sys.stdout` and `sys.stderr` to the run.
fn capture_output(vm: &VirtualMachine) -> PyResult<()> {
    let source = "import _aio\nclass _Stream:\n    def __init__(self, err):\n        self._err = err\n    def write(self, s):\n        _aio.write(str(s), self._err)\n        return len(s)\n    def flush(self):\n        pass\n    def isatty(self):\n        return False\n";
    let module = engine::source_module(vm, "_aio_io", source)?;
    let stream = module.as_object().get_attr("_Stream", vm)?;
    vm.sys_module
        .set_attr("stdout", stream.call((false,), vm)?, vm)?;
    vm.sys_module
        .set_attr("stderr", stream.call((true,), vm)?, vm)?;
    engine::unregister(vm, "_aio_io");
    Ok(())
}

/// Runs `source` to its end on `engine` and reports what it printed.
///
/// # Examples
/// ```
/// let engine = asyncio_python::Engine::new();
/// let program = "import asyncio\n\nasync def main():\n    await asyncio.sleep(1.5)\n    print('done')\n\nasyncio.run(main())\n";
/// let report = asyncio_python::run_program(&engine, program, &Default::default());
/// assert_eq!(report.stdout(), "done\n");
/// assert_eq!(report.lines[0].at_ms, 1500.0);
/// ```
pub fn run_program(engine: &Engine, source: &str, options: &RunOptions) -> RunReport {
    let mut run = start(engine, source, options, None, None);
    let mut cx = Context::from_waker(std::task::Waker::noop());
    match Pin::new(&mut run).poll(&mut cx) {
        Poll::Ready(report) => report,
        // On the virtual clock a run completes in one poll; one that waits
        // for the browser (I/O, a worker) cannot finish here.
        Poll::Pending => run.abandon("the program waited for something only a browser provides"),
    }
}

/// A program in progress: a future that ends with its report. The loops
/// it runs are driven by whatever drives their host (the browser's queues
/// on the real clock); poll it from that host's executor.
pub struct ProgramRun<'e> {
    engine: &'e Engine,
    run: Rc<RunState>,
    driver: Option<Driver>,
    error: Option<PythonError>,
    main: Option<PyObjectRef>,
    guards: Option<Box<dyn std::any::Any>>,
}

impl std::fmt::Debug for ProgramRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProgramRun").finish_non_exhaustive()
    }
}

/// Compiles and starts `source`; `on_line` and `on_trace` see output and
/// trace records as they happen.
pub(crate) fn start<'e>(
    engine: &'e Engine,
    source: &str,
    options: &RunOptions,
    on_line: Option<LineSink>,
    on_trace: Option<TraceSink>,
) -> ProgramRun<'e> {
    start_run(engine, source, options, on_line, on_trace, None)
}

/// Runs an executor job here: the program's module body under
/// `__mp_main__` (its top-level runs skipped), then the job's function.
pub(crate) fn run_job(engine: &Engine, job: Job) -> JobOutcome {
    let options = RunOptions {
        filename: job.filename.clone(),
        ..RunOptions::default()
    };
    let source = job.source.clone();
    let mut run = start_run(engine, &source, &options, None, None, Some(job));
    let mut cx = Context::from_waker(std::task::Waker::noop());
    let state = Rc::clone(&run.run);
    let report = match Pin::new(&mut run).poll(&mut cx) {
        Poll::Ready(report) => report,
        Poll::Pending => run.abandon("the job's module waited for something"),
    };
    let outcome = state.job_outcome.borrow_mut().take();
    match (report.error, outcome) {
        (Some(error), _) => JobOutcome::Raised {
            kind: error.kind,
            message: error.message,
        },
        (None, Some(outcome)) => outcome,
        (None, None) => JobOutcome::Raised {
            kind: "RuntimeError".to_string(),
            message: "the job did not run".to_string(),
        },
    }
}

/// Calls the job's function with its arguments, in the job's module.
fn call_job(vm: &VirtualMachine, run: &RunState, job: &Job) -> JobOutcome {
    let call = || -> PyResult<String> {
        let globals = run
            .globals
            .borrow()
            .clone()
            .ok_or_else(|| vm.new_runtime_error("the job's module is gone"))?;
        let func = globals.get_item(job.function.as_str(), vm).map_err(|_| {
            vm.new_attribute_error(format!(
                "Can't get attribute '{}' on <module '__mp_main__'>",
                job.function
            ))
        })?;
        let json = vm.import("json", 0)?;
        let args = json.get_attr("loads", vm)?.call((job.args.clone(),), vm)?;
        let args: Vec<PyObjectRef> = vm.extract_elements_with(&args, Ok)?;
        let value = func.call(args, vm)?;
        let text = json.get_attr("dumps", vm)?.call((value,), vm)?;
        Ok(text.str(vm)?.to_string())
    };
    match call() {
        Ok(text) => JobOutcome::Value(text),
        Err(exc) => {
            let error = traceback::describe(vm, &exc, None);
            JobOutcome::Raised {
                kind: error.kind,
                message: error.message,
            }
        }
    }
}

fn start_run<'e>(
    engine: &'e Engine,
    source: &str,
    options: &RunOptions,
    on_line: Option<LineSink>,
    on_trace: Option<TraceSink>,
    job: Option<Job>,
) -> ProgramRun<'e> {
    let main_name = if job.is_some() {
        "__mp_main__"
    } else {
        "__main__"
    };
    let run = RunState::new(options.clone(), source.to_string(), job);
    *run.on_line.borrow_mut() = on_line;
    *run.on_trace.borrow_mut() = on_trace;
    // The run and its engine stay current until the report: the loops'
    // own turns (the browser's queues) run the program's tasks too.
    let guards = (run.enter(), engine.make_current());
    let started = engine.enter(|vm| -> Result<PyObjectRef, PythonError> {
        let code = compile_program(source, &options.filename)
            .map_err(|err| traceback::syntax_error(&err, &options.filename, source))?;
        let prepare = || -> PyResult<PyObjectRef> {
            install_modules(vm)?;
            capture_output(vm)?;
            let globals = vm.ctx.new_dict();
            globals.set_item("__name__", vm.ctx.new_str(main_name).into(), vm)?;
            globals.set_item(
                "__file__",
                vm.ctx.new_str(options.filename.as_str()).into(),
                vm,
            )?;
            let main = vm.new_module("__main__", globals.clone(), None);
            engine::register(vm, "__main__", main.into())?;
            natives::install_program_globals(vm, &globals)?;
            let block = vm.import("asyncio", 0)?.get_attr("_block", vm)?;
            globals.set_item(crate::compile::BLOCK, block, vm)?;
            *run.globals.borrow_mut() = Some(globals.clone().into());
            let code = vm.ctx.new_code(code);
            vm.run_code_obj(code, Scope::with_builtins(None, globals.clone(), vm))?;
            let body = globals.get_item(MODULE_FN, vm)?;
            globals.del_item(MODULE_FN, vm)?;
            body.call((), vm)
        };
        prepare().map_err(|exc| traceback::describe(vm, &exc, Some((&options.filename, source))))
    });
    let (driver, error, main) = match started {
        Ok(coro) => (
            Some(Driver::program(TaskState::new(
                coro.clone(),
                options.filename.clone(),
            ))),
            None,
            Some(coro),
        ),
        Err(error) => (None, Some(error), None),
    };
    ProgramRun {
        engine,
        run,
        driver,
        error,
        main,
        guards: Some(Box::new(guards)),
    }
}

impl ProgramRun<'_> {
    fn report(&mut self) -> RunReport {
        self.engine.enter(|vm| {
            self.run.flush();
            remove_modules(vm);
        });
        self.run.forward_trace();
        let run = &self.run;
        let traces = run
            .loops
            .borrow()
            .iter()
            .map(|entry| (entry.serial, entry.lp.trace()))
            .collect();
        for entry in run.loops.borrow().iter() {
            if !entry.lp.is_running() {
                let _ = entry.lp.close();
            }
        }
        let report = RunReport {
            lines: run.lines.borrow().clone(),
            notices: run.notices.borrow().clone(),
            error: self.error.take(),
            total_ms: run.now_ms(),
            steps: run.steps.get(),
            traces,
        };
        self.guards = None;
        report
    }

    fn abandon(mut self, why: &str) -> RunReport {
        let mut report = self.report();
        if report.error.is_none() {
            report.error = Some(PythonError {
                kind: "RuntimeError".to_string(),
                message: why.to_string(),
                line: None,
                column: None,
                frames: Vec::new(),
                text: format!("RuntimeError: {why}\n"),
            });
        }
        report
    }

    /// Stops the program: its loops stop and no task steps again.
    pub fn stop(&self) {
        self.run.exceed(state::Exceeded::Steps);
    }
}

impl Future for ProgramRun<'_> {
    type Output = RunReport;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<RunReport> {
        let this = &mut *self;
        let Some(driver) = this.driver.as_mut() else {
            return Poll::Ready(this.report());
        };
        let run = Rc::clone(&this.run);
        let filename = run.options.filename.clone();
        let source = run.source.clone();
        let outcome = this.engine.enter(|vm| {
            let poll = Pin::new(&mut *driver).poll(cx);
            poll.map(|done| {
                if let (Some(job), None) = (run.job.as_ref(), done.exception()) {
                    *run.job_outcome.borrow_mut() = Some(call_job(vm, &run, job));
                }
                done.exception()
                    .map(|exc| traceback::describe(vm, &exc, Some((&filename, &source))))
            })
        });
        match outcome {
            Poll::Pending => Poll::Pending,
            Poll::Ready(error) => {
                this.driver = None;
                this.main = None;
                // `sys.exit()` and `sys.exit(0)` end a program normally,
                // as they end CPython's.
                let normal_exit = error.as_ref().is_some_and(|error| {
                    error.kind == "SystemExit"
                        && matches!(error.message.as_str(), "" | "0" | "None")
                });
                this.error = if normal_exit { None } else { error };
                Poll::Ready(this.report())
            }
        }
    }
}
