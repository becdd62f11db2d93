//! The loop object's internals: tasks, callbacks, timers and turns.
//!
//! # Turns
//! A turn is one call from the host. It fires the timers that are due, then
//! runs ready work first in first out, firing timers again each time it
//! reads the clock (after every item while items are slow, every few dozen
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
mod timers;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::{Rc, Weak};
use std::task::Waker;

use super::context::{self, TurnGuard};
use super::host::{DriveOutcome, Host, TurnCause, TurnKind};
use super::ready_queue::{ReadyItem, ReadyQueue};
use super::slab::{Key, Slab};
use super::task_cell::{RawTask, Status, TaskCell, TaskHeader};
use super::timer_heap::TimerHeap;
use super::tracer::Tracer;
use super::waker::ForeignWakes;
use crate::backend::{Backend, Clock};
use crate::print::OutputLine;
use crate::trace::{TaskId, TimerId, TraceEvent, WaitReason, WakeSource};

type Callback = Box<dyn FnOnce()>;
type OutputSink = Box<dyn FnMut(&OutputLine)>;

/// What the loop is executing right now: the answer to "woken by whom".
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
    tasks: Slab<Rc<dyn RawTask>>,
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
    main: Cell<Option<Key>>,
    /// The key of the task being polled, while it is.
    polling: Cell<Option<Key>>,
    /// `stop()` was called: the run ends once ready-queue batch number
    /// `stop_after` has run (see [`ReadyQueue`]'s batches).
    stop_after: Cell<Option<u64>>,
    outer_waker: RefCell<Option<Waker>>,
    counters: Counters,
    #[cfg(target_arch = "wasm32")]
    next_io: Cell<u64>,
    default_executor: RefCell<Option<crate::executor::Executor>>,
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
        make_host: impl FnOnce(Weak<LoopCore>) -> Box<dyn Host>,
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
                state: RefCell::new(LoopState::default()),
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
                polling: Cell::new(None),
                stop_after: Cell::new(None),
                outer_waker: RefCell::new(None),
                counters: Counters::default(),
                #[cfg(target_arch = "wasm32")]
                next_io: Cell::new(0),
                default_executor: RefCell::new(None),
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

    fn trace(&self, event: impl FnOnce() -> TraceEvent) {
        self.tracer.record(|| self.now_ms(), event);
    }

    /// The task whose poll is executing, if any.
    pub(crate) fn current_task(&self) -> Option<TaskId> {
        match self.executing.get() {
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

    pub(crate) fn note_wait(&self, reason: WaitReason) {
        if let Some(task) = self.current_task() {
            self.trace(|| TraceEvent::Waiting {
                task,
                on: reason,
                line: self.polling_task().and_then(|task| task.header().line()),
            });
        }
    }

    fn wake_source(&self) -> WakeSource {
        match self.executing.get() {
            Executing::Outside => WakeSource::Io,
            Executing::Task(id) => WakeSource::Task(id),
            Executing::Timer(id) => WakeSource::Timer(id),
            Executing::Callback => WakeSource::Callback,
        }
    }

    // ----- tasks -------------------------------------------------------

    /// Creates a task for `future` and queues it. On a closed loop the task
    /// is born cancelled.
    pub(crate) fn spawn<F>(self: &Rc<Self>, future: F) -> Rc<TaskCell<F>>
    where
        F: Future + 'static,
    {
        self.spawn_with(future, SpawnOptions::default())
    }

    /// [`spawn`](Self::spawn) with a name and a way of taking cancellation.
    pub(crate) fn spawn_with<F>(
        self: &Rc<Self>,
        future: F,
        options: SpawnOptions,
    ) -> Rc<TaskCell<F>>
    where
        F: Future + 'static,
    {
        let parent = self.current_task();
        let (cell, queued) = {
            let mut state = self.state.borrow_mut();
            state.next_task_id += 1;
            let id = TaskId(state.next_task_id);
            let key = state.tasks.vacant_key();
            let cell = TaskCell::new(TaskHeader::new(id, key, self), future);
            let header = RawTask::header(&*cell);
            if let Some(name) = &options.name {
                header.set_name(name.clone());
            }
            if options.deliver_cancellation {
                header.deliver_cancellation();
            }
            if self.closed.get() {
                (cell, false)
            } else {
                let raw: Rc<dyn RawTask> = cell.clone();
                state.tasks.insert(raw);
                cell.header().queued.set(true);
                state.ready.push(ReadyItem::Task(key));
                (cell, true)
            }
        };
        let id = RawTask::header(&*cell).id;
        increment(&self.counters.tasks_created);
        self.trace(|| TraceEvent::TaskCreated {
            task: id,
            name: options.name.unwrap_or_else(|| id.to_string()),
            parent,
        });
        if queued {
            self.request_turn_if_idle();
        } else {
            // The future never ran; dropping it now runs its destructors.
            cell.drop_future();
            RawTask::header(&*cell).set_cancel_message(Some("the event loop is closed".into()));
            let _ = RawTask::header(&*cell).end(Status::Cancelled);
            self.trace(|| TraceEvent::TaskCancelled { task: id });
        }
        cell
    }

    /// Makes the task under `key` ready, unless it is already queued.
    pub(crate) fn wake_task(&self, key: Key) {
        if self.closed.get() {
            return;
        }
        let id = {
            let mut state = self.state.borrow_mut();
            let Some(task) = state.tasks.get(key) else {
                return;
            };
            let header = task.header();
            if header.queued.get() {
                return;
            }
            header.queued.set(true);
            let id = header.id;
            state.ready.push(ReadyItem::Task(key));
            id
        };
        self.trace(|| TraceEvent::Woken {
            task: id,
            by: self.wake_source(),
        });
        self.request_turn_if_idle();
    }

    /// Asks for the task to be cancelled: at its next turn its future is
    /// dropped. Returns false if the task has already ended.
    pub(crate) fn cancel_task(&self, header: &TaskHeader, message: Option<String>) -> bool {
        if header.status() != Status::Pending {
            return false;
        }
        header.count_cancel();
        if header.delivers_cancellation() {
            // As Python's `Task.cancel()`: the awaited task is asked first;
            // if it takes the request, this task learns of the
            // cancellation from it, when it ends, and is not woken now.
            let mut taken = false;
            for inner in header.take_awaiting() {
                let inner = inner.header();
                if let Some(core) = inner.core.upgrade() {
                    taken |= core.cancel_task(inner, message.clone());
                }
            }
            if !taken {
                header.cancel_requested.set(true);
                header.set_cancel_message(message);
                self.wake_task(header.key);
            }
            return true;
        }
        if !header.cancel_requested.get() {
            header.cancel_requested.set(true);
            // What the task waits for is cancelled first, as Python cancels
            // a task's awaited future: it ends before its awaiter does.
            for inner in header.take_awaiting() {
                let inner = inner.header();
                if let Some(core) = inner.core.upgrade() {
                    core.cancel_task(inner, message.clone());
                }
            }
            header.set_cancel_message(message);
        }
        self.wake_task(header.key);
        true
    }

    /// The task being polled, if any.
    pub(crate) fn polling_task(&self) -> Option<Rc<dyn RawTask>> {
        let key = self.polling.get()?;
        self.state.borrow().tasks.get(key).cloned()
    }

    /// Takes the cancellation request of the task being polled, if it takes
    /// cancellation as a request and one is pending.
    pub(crate) fn take_cancellation(&self) -> Option<crate::error::Cancelled> {
        let task = self.polling_task()?;
        let header = task.header();
        if header.delivers_cancellation() && header.cancel_requested.replace(false) {
            Some(header.cancelled_error())
        } else {
            None
        }
    }

    /// Every task that has not ended, in the order they were created.
    pub(crate) fn all_tasks(&self) -> Vec<Rc<dyn RawTask>> {
        let mut tasks: Vec<Rc<dyn RawTask>> = self.state.borrow().tasks.values().cloned().collect();
        tasks.sort_by_key(|task| task.header().id);
        tasks
    }

    /// Records that the task being polled waits for `inner` (see
    /// [`cancel_task`](Self::cancel_task)).
    pub(crate) fn note_awaiting(&self, inner: &Rc<dyn RawTask>) {
        let Some(key) = self.polling.get() else {
            return;
        };
        let task = self.state.borrow().tasks.get(key).cloned();
        if let Some(task) = task {
            if !Rc::ptr_eq(&task, inner) {
                task.header().note_awaiting(inner);
            }
        }
    }

    /// Renames the task being polled, if any.
    pub(crate) fn rename_current(&self, name: &str) {
        let Some(id) = self.current_task() else {
            return;
        };
        let task = self
            .state
            .borrow()
            .tasks
            .values()
            .find(|task| task.header().id == id)
            .cloned();
        if let Some(task) = task {
            self.rename_task(task.header(), name.to_string());
        }
    }

    pub(crate) fn rename_task(&self, header: &TaskHeader, name: String) {
        self.trace(|| TraceEvent::TaskRenamed {
            task: header.id,
            name: name.clone(),
        });
        header.set_name(name);
    }

    fn run_task(self: &Rc<Self>, key: Key) {
        let Some(task) = self.state.borrow().tasks.get(key).cloned() else {
            return;
        };
        let header = task.header();
        header.queued.set(false);
        let id = header.id;
        if header.cancel_requested.get() && !header.delivers_cancellation() {
            self.cancel_now(&task);
            return;
        }
        self.trace(|| TraceEvent::PollStart { task: id });
        let previous = self.executing.replace(Executing::Task(id));
        header.clear_awaiting();
        let outer = self.polling.replace(Some(key));
        let done = task.poll_future();
        self.polling.set(outer);
        increment(&self.counters.polls);
        self.trace(|| TraceEvent::PollEnd {
            task: id,
            ready: done,
        });
        if done {
            // Still in the task's context: its awaiter is woken by it.
            if header.cancel_requested.get() {
                // Cancelled during the step in which it returned: as in
                // Python, a `cancel()` that said yes is never followed by
                // a result.
                task.drop_output();
                self.end_task(&task, Status::Cancelled);
            } else {
                self.end_task(&task, Status::Finished);
            }
        }
        self.executing.set(previous);
    }

    /// Drops a task's future now and ends it as cancelled.
    fn cancel_now(self: &Rc<Self>, task: &Rc<dyn RawTask>) {
        let previous = self.executing.replace(Executing::Task(task.header().id));
        task.drop_future();
        self.end_task(task, Status::Cancelled);
        self.executing.set(previous);
    }

    fn end_task(self: &Rc<Self>, task: &Rc<dyn RawTask>, status: Status) {
        let header = task.header();
        self.state.borrow_mut().tasks.remove(header.key);
        let (join, callbacks) = header.end(status);
        let id = header.id;
        self.trace(|| match status {
            Status::Cancelled => TraceEvent::TaskCancelled { task: id },
            _ => TraceEvent::TaskFinished { task: id },
        });
        if self.main.get() == Some(header.key) {
            // As Python's `run_until_complete`: a done callback of the main
            // task stops the loop, so what its last step made ready (tasks
            // it created, callbacks it queued, other done callbacks) still
            // runs before the run returns.
            let core = Rc::downgrade(self);
            self.call_soon(Box::new(move || {
                if let Some(core) = core.upgrade() {
                    core.stop();
                }
            }));
        }
        // Done callbacks are usually added before anyone awaits the task,
        // so, as in Python, they run before the awaiter resumes.
        if !callbacks.is_empty() {
            let info = header.info();
            for callback in callbacks {
                let info = info.clone();
                self.call_soon(Box::new(move || callback(&info)));
            }
        }
        if let Some(waker) = join {
            waker.wake();
        }
    }

    // ----- turns -------------------------------------------------------

    /// At the end of a batch of ready work: begins the next batch, unless
    /// [`stop`](Self::stop) asked for the run to end here (returns true).
    fn batch_boundary(&self) -> bool {
        let mut state = self.state.borrow_mut();
        if !state.ready.batch_done() {
            return false;
        }
        match self.stop_after.get() {
            Some(last) if state.ready.batch() >= last => return true,
            // A stop is due after the next batch: it runs even if empty,
            // as Python's loop runs one iteration before it stops.
            Some(_) => state.ready.begin_batch(),
            None if !state.ready.is_empty() => state.ready.begin_batch(),
            None => {}
        }
        false
    }

    fn request_turn_if_idle(&self) {
        if self.running.get() && !self.in_turn.get() && !self.turn_requested.get() {
            self.turn_requested.set(true);
            self.host.request_turn(TurnKind::Microtask);
        }
    }

    /// One turn, called by the host.
    pub(crate) fn turn(self: &Rc<Self>, cause: TurnCause) {
        match cause {
            TurnCause::Requested => self.turn_requested.set(false),
            TurnCause::Wake => self.armed.set(None),
        }
        if !self.running.get() || self.in_turn.get() {
            return;
        }
        let _guard = TurnGuard::enter(self);
        self.in_turn.set(true);
        for key in self.foreign.take() {
            self.wake_task(key);
        }
        let budget = self.config.budget_ms;
        let start = self.now_ms();
        let mut now = start;
        let mut stride = 1u32;
        let mut since_check = 0u32;
        self.fire_due_timers(now);
        loop {
            if self.batch_boundary() {
                // `stop()` was called and its batch has run.
                self.finish_run();
                break;
            }
            let item = self.state.borrow_mut().ready.pop();
            let Some(item) = item else {
                // Out of work: time may have moved since the clock was last
                // read, and timers may have come due meanwhile.
                let checked = self.now_ms();
                if checked > now {
                    now = checked;
                    if self.fire_due_timers(now) {
                        continue;
                    }
                }
                break;
            };
            match item {
                ReadyItem::Task(key) => self.run_task(key),
                ReadyItem::Callback(key) => self.run_callback(key),
            }
            if !self.running.get() {
                break;
            }
            since_check += 1;
            if since_check >= stride {
                let checked = self.now_ms();
                // Cheap items: look at the clock less often (it is a host
                // call); as soon as items take time, look after each one.
                stride = if checked - now < 0.05 {
                    (stride * 2).min(64)
                } else {
                    1
                };
                since_check = 0;
                now = checked;
                self.fire_due_timers(now);
                if now - start >= budget {
                    if !self.state.borrow().ready.is_empty() && !self.turn_requested.get() {
                        self.turn_requested.set(true);
                        self.host.request_turn(TurnKind::Macrotask);
                        increment(&self.counters.budget_yields);
                    }
                    break;
                }
            }
        }
        let length = self.now_ms() - start;
        increment(&self.counters.turns);
        if length > self.counters.longest_turn_ms.get() {
            self.counters.longest_turn_ms.set(length);
        }
        self.in_turn.set(false);
        self.sync_host_wake();
    }

    /// Holds the loop for `ms` without returning (blocking code).
    pub(crate) fn block_for(&self, ms: f64) {
        self.host.block(ms);
    }

    /// Lets a synchronous host (the virtual clock) run turns now.
    pub(crate) fn drive(&self) -> DriveOutcome {
        if context::inside_a_turn() {
            return DriveOutcome::Detached;
        }
        self.host.drive()
    }
}

impl Drop for LoopCore {
    fn drop(&mut self) {
        self.running.set(false);
        let _ = self.close();
    }
}
