//! What one run of a program keeps: its options, output, notices, the
//! loops it made, its Python tasks, its clock and its budget.
//!
//! # Invariants
//! - One run at a time per thread is *current* ([`current`]); the natives
//!   the program calls find it there.
//! - Once the budget is exceeded the run is *aborted*: every later budget
//!   check raises, no task driver steps its coroutine again, and each
//!   running loop is stopped.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use asyncio::{Clock, EventLoop, TraceRecord};
use rustpython_vm::PyObjectRef;

use crate::report::RunOptions;
use crate::report::{Line, Notice, Stream};

thread_local! {
    static RUNS: RefCell<Vec<Rc<RunState>>> = const { RefCell::new(Vec::new()) };
}

/// Why a run was stopped by its limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exceeded {
    Steps,
    Memory,
}

/// A loop the program made, and the Python object that stands for it.
pub(crate) struct LoopEntry {
    pub(crate) serial: u64,
    pub(crate) lp: EventLoop,
    pub(crate) face: PyObjectRef,
    /// The run clock, in ms, when the loop was made.
    pub(crate) born_ms: f64,
}

/// Receives what a run prints and records as it happens.
pub(crate) type LineSink = Box<dyn FnMut(&Line)>;
/// Receives trace records as they are recorded, with the loop's serial
/// and the index of the first record in that loop's trace.
pub(crate) type TraceSink = Box<dyn FnMut(u64, usize, &[TraceRecord])>;

pub(crate) struct RunState {
    pub(crate) options: RunOptions,
    pub(crate) lines: RefCell<Vec<Line>>,
    partial: RefCell<[String; 2]>,
    pub(crate) notices: RefCell<Vec<Notice>>,
    notice_keys: RefCell<HashSet<&'static str>>,
    pub(crate) loops: RefCell<Vec<LoopEntry>>,
    next_serial: Cell<u64>,
    task_counter: Cell<u64>,
    /// Python task objects by (loop serial, task id), while pending.
    pub(crate) tasks: RefCell<HashMap<(u64, u64), PyObjectRef>>,
    /// Run-clock milliseconds spent outside loops (blocking sleeps at the
    /// top level) and in loops that are no longer running.
    pub(crate) clock_ms: Cell<f64>,
    pub(crate) steps: Cell<u64>,
    pub(crate) exceeded: Cell<Option<Exceeded>>,
    pub(crate) on_line: RefCell<Option<LineSink>>,
    pub(crate) on_trace: RefCell<Option<TraceSink>>,
    /// Trace records already handed to `on_trace`, per loop serial.
    pub(crate) traced: RefCell<HashMap<u64, usize>>,
    /// The program's module globals (for `import *`, executor jobs).
    pub(crate) globals: RefCell<Option<PyObjectRef>>,
    /// The program's source (for executor jobs and tracebacks).
    pub(crate) source: String,
    /// The executor job this run is (in a worker), if it is one.
    pub(crate) job: Option<crate::executor::Job>,
    /// The job's outcome, once its function has been called.
    pub(crate) job_outcome: RefCell<Option<crate::executor::JobOutcome>>,
    /// The first exception the budget raised: what ends the program.
    pub(crate) budget_exc: RefCell<Option<rustpython_vm::builtins::PyBaseExceptionRef>>,
    /// The run's `_aio` module dict (asyncio's exception classes).
    pub(crate) aio: RefCell<Option<rustpython_vm::builtins::PyDictRef>>,
    #[cfg(target_arch = "wasm32")]
    started_real_ms: f64,
}

impl RunState {
    pub(crate) fn new(
        options: RunOptions,
        source: String,
        job: Option<crate::executor::Job>,
    ) -> Rc<RunState> {
        Rc::new(RunState {
            job,
            job_outcome: RefCell::new(None),
            options,
            lines: RefCell::new(Vec::new()),
            partial: RefCell::new([String::new(), String::new()]),
            notices: RefCell::new(Vec::new()),
            notice_keys: RefCell::new(HashSet::new()),
            loops: RefCell::new(Vec::new()),
            next_serial: Cell::new(1),
            task_counter: Cell::new(0),
            tasks: RefCell::new(HashMap::new()),
            clock_ms: Cell::new(0.0),
            steps: Cell::new(0),
            exceeded: Cell::new(None),
            on_line: RefCell::new(None),
            on_trace: RefCell::new(None),
            traced: RefCell::new(HashMap::new()),
            globals: RefCell::new(None),
            source,
            aio: RefCell::new(None),
            budget_exc: RefCell::new(None),
            #[cfg(target_arch = "wasm32")]
            started_real_ms: js_sys::Date::now(),
        })
    }

    /// Makes `self` the current run until the guard drops.
    pub(crate) fn enter(self: &Rc<Self>) -> impl Drop {
        RUNS.with(|runs| runs.borrow_mut().push(Rc::clone(self)));
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                RUNS.with(|runs| runs.borrow_mut().pop());
            }
        }
        Pop
    }

    pub(crate) fn next_serial(&self) -> u64 {
        let serial = self.next_serial.get();
        self.next_serial.set(serial + 1);
        serial
    }

    /// The entry of the loop running now, if the program is inside one.
    pub(crate) fn running_loop(&self) -> Option<(u64, EventLoop, PyObjectRef)> {
        // A program's code runs either at its top level, or inside a turn
        // of the one loop it is running (loops do not nest).
        self.loops
            .borrow()
            .iter()
            .rev()
            .find(|entry| entry.lp.is_running())
            .map(|entry| (entry.serial, entry.lp.clone(), entry.face.clone()))
    }

    /// The serial of the loop running now.
    pub(crate) fn running_serial(&self) -> Option<u64> {
        self.loops
            .borrow()
            .iter()
            .rev()
            .find(|entry| entry.lp.is_running())
            .map(|entry| entry.serial)
    }

    /// The next default task name's number (`Task-N`, counted over the
    /// whole run as CPython counts over its process).
    pub(crate) fn next_task_number(&self) -> u64 {
        let n = self.task_counter.get() + 1;
        self.task_counter.set(n);
        n
    }

    /// The run's clock in milliseconds: loop time while a loop runs, on the
    /// timeline the run's loops share.
    pub(crate) fn now_ms(&self) -> f64 {
        if self.options.clock == Clock::Real {
            return self.real_elapsed_ms();
        }
        match self.running_serial() {
            Some(serial) => {
                let loops = self.loops.borrow();
                match loops.iter().find(|entry| entry.serial == serial) {
                    Some(entry) => entry.born_ms + entry.lp.time_ms(),
                    None => self.clock_ms.get(),
                }
            }
            None => self.clock_ms.get(),
        }
    }

    #[cfg(target_arch = "wasm32")]
    fn real_elapsed_ms(&self) -> f64 {
        js_sys::Date::now() - self.started_real_ms
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn real_elapsed_ms(&self) -> f64 {
        self.clock_ms.get()
    }

    /// Text written to standard output (`err` false) or error.
    pub(crate) fn write(&self, text: &str, err: bool) {
        let index = usize::from(err);
        let complete: Vec<String> = {
            let mut partial = self.partial.borrow_mut();
            partial[index].push_str(text);
            let buffer = &mut partial[index];
            let mut lines = Vec::new();
            while let Some(at) = buffer.find('\n') {
                lines.push(buffer[..at].to_string());
                buffer.drain(..=at);
            }
            lines
        };
        for line in complete {
            self.emit(line, err);
        }
    }

    /// Flushes partial lines (at the end of a run).
    pub(crate) fn flush(&self) {
        for err in [false, true] {
            let rest = std::mem::take(&mut self.partial.borrow_mut()[usize::from(err)]);
            if !rest.is_empty() {
                self.emit(rest, err);
            }
        }
    }

    fn emit(&self, text: String, err: bool) {
        let task = asyncio::current_task().map(|task| task.id().0);
        if !err && self.running_serial().is_some() && asyncio::get_running_loop().is_ok() {
            // Through the loop: the trace records it with its task.
            asyncio::print(&text);
        }
        let line = Line {
            at_ms: self.now_ms(),
            text,
            stream: if err { Stream::Stderr } else { Stream::Stdout },
            task,
            loop_serial: self.running_serial(),
        };
        if let Some(sink) = self.on_line.borrow_mut().as_mut() {
            sink(&line);
        }
        self.lines.borrow_mut().push(line);
        self.forward_trace();
    }

    /// Records a notice (once per `key`): an older spelling that still runs.
    pub(crate) fn notice(&self, key: &'static str, text: &str) {
        if !self.notice_keys.borrow_mut().insert(key) {
            return;
        }
        let notice = Notice {
            at_ms: self.now_ms(),
            text: text.to_string(),
        };
        let line = Line {
            at_ms: notice.at_ms,
            text: format!("notice: {text}"),
            stream: Stream::Notice,
            task: None,
            loop_serial: self.running_serial(),
        };
        if let Some(sink) = self.on_line.borrow_mut().as_mut() {
            sink(&line);
        }
        self.lines.borrow_mut().push(line);
        self.notices.borrow_mut().push(notice);
    }

    /// Hands the records recorded since the last call to the trace sink.
    pub(crate) fn forward_trace(&self) {
        let mut sink = self.on_trace.borrow_mut();
        let Some(sink) = sink.as_mut() else { return };
        let loops = self.loops.borrow();
        let mut traced = self.traced.borrow_mut();
        for entry in loops.iter() {
            let seen = traced.entry(entry.serial).or_insert(0);
            let len = entry.lp.trace_len();
            if len > *seen {
                let records = entry.lp.trace_since(*seen);
                let start = *seen;
                *seen = len;
                sink(entry.serial, start, &records);
            }
        }
    }

    /// Counts one budget step; `Some` once the budget is exceeded.
    pub(crate) fn step(&self) -> Option<Exceeded> {
        if let Some(exceeded) = self.exceeded.get() {
            return Some(exceeded);
        }
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if steps > self.options.max_steps {
            return self.exceed(Exceeded::Steps);
        }
        if steps % 256 == 0 && crate::budget::allocated_bytes() > self.options.max_memory {
            return self.exceed(Exceeded::Memory);
        }
        None
    }

    pub(crate) fn exceed(&self, why: Exceeded) -> Option<Exceeded> {
        self.exceeded.set(Some(why));
        for entry in self.loops.borrow().iter() {
            if entry.lp.is_running() {
                entry.lp.stop();
            }
        }
        Some(why)
    }

    pub(crate) fn aborted(&self) -> bool {
        self.exceeded.get().is_some()
    }
}

/// The run in progress on this thread.
pub(crate) fn current() -> Option<Rc<RunState>> {
    RUNS.with(|runs| runs.borrow().last().cloned())
}
