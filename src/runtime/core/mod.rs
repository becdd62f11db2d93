//! The loop object's internals: tasks, callbacks, timers and turns.
//!
//! # Turns
//! A turn is one call from the host. It fires the timers that are due, then
//! runs ready work first in first out, firing timers again each time it
//! reads the clock (after every item while items are slow, every few hundred
//! while they are cheap, and when the queue runs dry), until the queue is
//! empty, the loop stops running, or the turn has used its budget (then it
//! asks for a macrotask turn so the page can paint).
//! At the end it brings the host's single wake-up in line with the earliest
//! timer.
//!
//! # Invariants
//! - `state` is never borrowed while user code runs: items are popped under
//!   the borrow, which is released before a task is polled, a callback runs,
//!   a waker is woken or a future is dropped.
//! - `turn_requested` is true from a host turn request until that turn
//!   starts; wakes in between, or during a turn, request nothing more.
//! - `armed` mirrors the host's one wake-up: `Some` exactly when armed.
//! - Turns do nothing unless the loop is running, as in Python, where a loop
//!   only processes work inside `run_until_complete`.

mod lifecycle;
mod tasks;
mod timers;
mod turns;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::task::Waker;

#[cfg(target_arch = "wasm32")]
use super::host::DriveOutcome;
use super::host::{Host, HostedLoop, TurnCause};
use super::ready_queue::{ReadyItem, ReadyQueue};
use super::slab::Slab;
use super::task_rc::TaskRc;
use super::timer_heap::TimerHeap;
use super::tracer::Tracer;
use super::waker::ForeignWakes;
use crate::backend::{Backend, Clock};
use crate::runtime::output::OutputLine;
use crate::trace::{TaskId, TimerId, TraceEvent, WaitReason, WakeSource};

/// A callback on the loop.
pub(crate) type Callback = Box<dyn FnOnce()>;
type OutputSink = Box<dyn FnMut(&OutputLine)>;

/// What the loop is executing right now, besides polling a task (which
/// `polling` says): the answer to "woken by whom".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Executing {
    Outside,
    Task(TaskId),
    Timer(TimerId),
    Callback,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Armed {
    at_ms: f64,
    /// Armed short of the earliest deadline because the host caps delays.
    chained: bool,
}

#[derive(Default)]
struct LoopState {
    ready: ReadyQueue,
    tasks: Slab<TaskRc>,
    callbacks: Slab<Callback>,
    timers: TimerHeap,
    next_task_id: u64,
}

/// How a task is made: its name, and how it takes cancellation.
#[derive(Clone, Debug, Default)]
pub(crate) struct SpawnOptions {
    pub(crate) name: Option<String>,
    pub(crate) deliver_cancellation: bool,
}

/// Settings fixed when a loop is built.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LoopConfig {
    pub(crate) clock: Clock,
    pub(crate) backend: Backend,
    pub(crate) budget_ms: f64,
}

/// The loop itself. [`EventLoop`](crate::EventLoop) is an `Rc` of this.
pub(crate) struct LoopCore {
    id: u64,
    config: LoopConfig,
    host: Box<dyn Host>,
    origin_ms: f64,
    state: RefCell<LoopState>,
    foreign: ForeignWakes,
    tracer: Tracer,
    output: RefCell<Option<OutputSink>>,
    running: Cell<bool>,
    closed: Cell<bool>,
    in_turn: Cell<bool>,
    turn_requested: Cell<bool>,
    armed: Cell<Option<Armed>>,
    executing: Cell<Executing>,
    /// The main task of the run in progress.
    main: Cell<Option<TaskId>>,
    /// Tasks made and not ended.
    live: Cell<usize>,
    /// The task being polled, while it is. Taken out while in use and put
    /// back: never borrowed.
    polling: Cell<Option<TaskRc>>,
    /// `stop()` was called: the run ends once ready-queue batch number
    /// `stop_after` has run (see [`ReadyQueue`]'s batches).
    stop_after: Cell<Option<u64>>,
    outer_waker: RefCell<Option<Waker>>,
    counters: Counters,
    #[cfg(target_arch = "wasm32")]
    next_io: Cell<u64>,
    /// What layers above keep per loop, one value per type (the default
    /// executor); the core stores them without knowing them.
    extensions: RefCell<Vec<Box<dyn std::any::Any>>>,
    /// Run when the loop closes.
    close_hooks: RefCell<Vec<Box<dyn FnOnce()>>>,
    /// Operations in flight outside the loop (fetches, sockets, worker
    /// jobs): the virtual clock does not move while there are any.
    external: Cell<u32>,
}

/// The loop's running counts; one cell each, so counting costs an add.
#[derive(Debug, Default)]
struct Counters {
    turns: Cell<u64>,
    budget_yields: Cell<u64>,
    polls: Cell<u64>,
    tasks_created: Cell<u64>,
    timers_fired: Cell<u64>,
    longest_turn_ms: Cell<f64>,
}

fn increment(cell: &Cell<u64>) {
    cell.set(cell.get() + 1);
}

impl std::fmt::Debug for LoopCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopCore")
            .field("id", &self.id)
            .field("config", &self.config)
            .field("running", &self.running.get())
            .field("closed", &self.closed.get())
            .finish_non_exhaustive()
    }
}

fn next_loop_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl LoopCore {
    /// Builds a loop whose host is made by `make_host` from a weak reference
    /// to the loop (the host's way back in).
    pub(crate) fn new(
        config: LoopConfig,
        make_host: impl FnOnce(Weak<dyn HostedLoop>) -> Box<dyn Host>,
    ) -> Rc<LoopCore> {
        let id = next_loop_id();
        Rc::new_cyclic(|weak: &Weak<LoopCore>| {
            let host = make_host(weak.clone());
            let origin_ms = host.now();
            LoopCore {
                id,
                config,
                host,
                origin_ms,
                state: RefCell::new(LoopState {
                    ready: ReadyQueue::recycled(),
                    ..LoopState::default()
                }),
                foreign: ForeignWakes::new(id, weak.clone()),
                tracer: Tracer::default(),
                output: RefCell::new(None),
                running: Cell::new(false),
                closed: Cell::new(false),
                in_turn: Cell::new(false),
                turn_requested: Cell::new(false),
                armed: Cell::new(None),
                executing: Cell::new(Executing::Outside),
                main: Cell::new(None),
                live: Cell::new(0),
                polling: Cell::new(None),
                stop_after: Cell::new(None),
                outer_waker: RefCell::new(None),
                counters: Counters::default(),
                #[cfg(target_arch = "wasm32")]
                next_io: Cell::new(0),
                extensions: RefCell::new(Vec::new()),
                close_hooks: RefCell::new(Vec::new()),
                external: Cell::new(0),
            }
        })
    }

    #[cfg(not(single_threaded_wasm))]
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Wakes from other threads, and how tasks' wakers reach this loop.
    #[cfg(not(single_threaded_wasm))]
    pub(crate) fn foreign_wakes(&self) -> &ForeignWakes {
        &self.foreign
    }

    pub(crate) fn config(&self) -> LoopConfig {
        self.config
    }

    /// Loop time in milliseconds since the loop was made.
    pub(crate) fn now_ms(&self) -> f64 {
        self.host.now() - self.origin_ms
    }

    pub(crate) fn is_running(&self) -> bool {
        self.running.get()
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.get()
    }

    pub(crate) fn tracer(&self) -> &Tracer {
        &self.tracer
    }

    /// Records `event` if tracing is on. The test stays inline in every
    /// caller (a task's spawn is one), the recording does not.
    #[inline(always)]
    fn trace(&self, event: impl FnOnce() -> TraceEvent) {
        if self.tracer.is_on() {
            self.trace_on(event);
        }
    }

    #[cold]
    #[inline(never)]
    fn trace_on(&self, event: impl FnOnce() -> TraceEvent) {
        self.tracer.record(|| self.now_ms(), event);
    }

    /// What the loop is executing: the task being polled, if one is (the
    /// poll sets only `polling`), or what `executing` says.
    fn executing(&self) -> Executing {
        let polling = self.polling.take();
        let id = polling.as_ref().map(|task| task.header.id);
        self.polling.set(polling);
        match id {
            Some(id) => Executing::Task(id),
            None => self.executing.get(),
        }
    }

    /// The task whose code is executing (its poll, or its future's drop),
    /// if any.
    pub(crate) fn current_task(&self) -> Option<TaskId> {
        match self.executing() {
            Executing::Task(id) => Some(id),
            _ => None,
        }
    }

    /// Numbers an I/O operation and records its start.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn start_io(&self, label: impl FnOnce() -> String) -> u64 {
        let io = self.next_io.get() + 1;
        self.next_io.set(io);
        let task = self.current_task();
        self.trace(|| TraceEvent::IoStarted {
            io,
            task,
            label: label(),
        });
        io
    }

    /// An operation outside the loop began; see [`Self::external_pending`].
    pub(crate) fn begin_external(&self) {
        self.external.set(self.external.get() + 1);
    }

    /// An operation outside the loop ended.
    pub(crate) fn end_external(&self) {
        self.external.set(self.external.get().saturating_sub(1));
    }

    /// Whether something outside the loop is still to report back.
    pub(crate) fn external_pending(&self) -> bool {
        self.external.get() > 0
    }

    /// Records `event` if tracing is on.
    pub(crate) fn tracer_record(&self, event: impl FnOnce() -> TraceEvent) {
        self.trace(event);
    }

    /// Records that the task being polled waits on `reason` (and, when it
    /// awaits a task, which one).
    pub(crate) fn note_wait(&self, reason: WaitReason, awaits: Option<TaskId>) {
        if let Some(task) = self.current_task() {
            self.trace(|| TraceEvent::Waiting {
                task,
                on: reason,
                line: self.polling_task().and_then(|task| task.header.line()),
                awaits,
            });
        }
    }

    fn wake_source(&self) -> WakeSource {
        match self.executing() {
            Executing::Outside => WakeSource::Io,
            Executing::Task(id) => WakeSource::Task(id),
            Executing::Timer(id) => WakeSource::Timer(id),
            Executing::Callback => WakeSource::Callback,
        }
    }
}

impl HostedLoop for LoopCore {
    fn turn(self: Rc<Self>, cause: TurnCause) {
        LoopCore::turn(&self, cause);
    }

    #[cfg(target_arch = "wasm32")]
    fn drive(&self) -> DriveOutcome {
        LoopCore::drive(self)
    }

    fn is_running(&self) -> bool {
        LoopCore::is_running(self)
    }

    fn external_pending(&self) -> bool {
        LoopCore::external_pending(self)
    }
}

impl Drop for LoopCore {
    fn drop(&mut self) {
        self.running.set(false);
        let _ = self.close();
        self.state.get_mut().ready.recycle();
    }
}
