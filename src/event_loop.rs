//! The public loop object, its builder, and running a future to completion.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::backend::{Backend, Clock};
use crate::error::{InvalidDelay, LoopError, NoRunningLoop, RunError};
use crate::executor::{Executor, JobFuture};
use crate::handle::Handle;
use crate::print::OutputLine;
use crate::runtime::context;
use crate::runtime::core::{LoopConfig, LoopCore, SpawnOptions};
use crate::runtime::host::{DriveOutcome, Host};
use crate::stats::LoopStats;
use crate::task::Task;
use crate::time::{duration_ms, secs_to_ms};
use crate::trace::TraceRecord;

/// The default turn budget: a burst of ready work longer than this continues
/// in a macrotask, so the page can paint and take input.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(4);

/// An event loop (Python's `asyncio.AbstractEventLoop`).
///
/// Cloning gives another handle to the same loop.
///
/// # Examples
/// ```
/// use asyncio::EventLoop;
/// use std::time::Duration;
///
/// let lp = EventLoop::virtual_clock();
/// let value = lp
///     .run_until_complete(async {
///         asyncio::sleep(Duration::from_secs(2)).await;
///         7
///     })
///     .block()
///     .unwrap();
/// assert_eq!(value, 7);
/// assert_eq!(lp.time(), 2.0);
/// lp.close().unwrap();
/// ```
#[derive(Clone)]
pub struct EventLoop {
    core: Rc<LoopCore>,
}

impl fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventLoop")
            .field("clock", &self.core.config().clock)
            .field("backend", &self.core.config().backend)
            .field("running", &self.is_running())
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl Default for EventLoop {
    fn default() -> Self {
        Self::new()
    }
}

impl EventLoop {
    /// A loop on the platform's default host: the browser's real clock with
    /// the [`Backend::Microtask`] backend on `wasm32`, the virtual clock
    /// elsewhere.
    pub fn new() -> EventLoop {
        let builder = LoopBuilder::new();
        #[cfg(not(target_arch = "wasm32"))]
        let builder = builder.clock(Clock::Virtual);
        match builder.build() {
            Ok(lp) => lp,
            // The default backend needs only queueMicrotask and setTimeout;
            // should a host lack them, the virtual clock still works.
            Err(_) => LoopBuilder::new().clock(Clock::Virtual).build_infallible(),
        }
    }

    /// A loop on the virtual clock.
    pub fn virtual_clock() -> EventLoop {
        LoopBuilder::new().clock(Clock::Virtual).build_infallible()
    }

    /// A builder for a loop with a chosen clock, backend, budget or tracing.
    pub fn builder() -> LoopBuilder {
        LoopBuilder::new()
    }

    pub(crate) fn from_core(core: Rc<LoopCore>) -> EventLoop {
        EventLoop { core }
    }

    /// Runs `future` as this loop's main task until it completes (Python's
    /// `loop.run_until_complete`). Await the result, or, on the virtual
    /// clock, [`block`](RunUntilComplete::block) on it.
    ///
    /// Dropping the returned future before it completes cancels the main task
    /// and stops the loop.
    pub fn run_until_complete<F>(&self, future: F) -> RunUntilComplete<F::IntoFuture>
    where
        F: IntoFuture,
        F::IntoFuture: 'static,
    {
        RunUntilComplete {
            core: Rc::clone(&self.core),
            stage: RunStage::NotStarted(Some(future.into_future())),
        }
    }

    /// Schedules `future` as a task of this loop. The task starts when the
    /// loop next runs. On a closed loop the task is born cancelled.
    pub fn create_task<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
    {
        Task::from_cell(self.core.spawn(future))
    }

    pub(crate) fn create_task_with<F>(&self, future: F, options: SpawnOptions) -> Task<F::Output>
    where
        F: Future + 'static,
    {
        Task::from_cell(self.core.spawn_with(future, options))
    }

    /// Closes the loop: pending tasks are cancelled (their futures dropped,
    /// so their destructors run), pending callbacks and timers discarded.
    /// Closing a closed loop does nothing.
    ///
    /// # Errors
    /// [`LoopError::Running`] if the loop is running.
    pub fn close(&self) -> Result<(), LoopError> {
        self.core.close_here()
    }

    /// Cancels every task still pending, now, and returns a run of the loop
    /// that lasts until they have all finished cancelling, so their
    /// destructors and done callbacks run with the loop, and until nothing
    /// is left ready (what Python's `asyncio.run` does before closing).
    /// [`run`] does this itself.
    pub fn cancel_leftovers(&self) -> RunUntilComplete<CancelLeftovers> {
        // Before the loop runs again, as Python cancels them before its
        // last `run_until_complete`: a leftover takes no further step.
        self.core.cancel_all("the run is over");
        self.run_until_complete(CancelLeftovers {
            core: Rc::clone(&self.core),
            started: false,
            rounds: 0,
        })
    }

    /// Stops the loop (Python's `loop.stop()`): the batch of ready work
    /// running now is finished (callbacks and task steps that were ready
    /// when it began), then [`run_until_complete`](Self::run_until_complete)
    /// returns. If its main task has not completed, the run gives
    /// [`RunError::Stopped`] and the main task does not continue. Nothing
    /// is cancelled: pending tasks stay pending and go on if the loop runs
    /// again; [`close`](Self::close) or [`cancel_leftovers`](Self::cancel_leftovers)
    /// cancels them. Called while the loop is not running, it stops the
    /// next run after its first batch.
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use asyncio::{EventLoop, RunError};
    ///
    /// let lp = EventLoop::virtual_clock();
    /// let lp2 = lp.clone();
    /// let result = lp
    ///     .run_until_complete(async move {
    ///         asyncio::sleep(Duration::from_secs(1)).await;
    ///         lp2.stop();
    ///         asyncio::sleep(Duration::from_secs(1)).await;
    ///         asyncio::print("never printed: the main task does not resume");
    ///     })
    ///     .block();
    /// assert_eq!(result, Err(RunError::Stopped));
    /// assert_eq!(lp.time(), 1.0);
    /// lp.close().unwrap(); // cancels the main task, still pending
    /// ```
    pub fn stop(&self) {
        self.core.stop();
    }

    /// Whether the loop is inside `run_until_complete`.
    pub fn is_running(&self) -> bool {
        self.core.is_running()
    }

    /// Whether the loop has been closed.
    pub fn is_closed(&self) -> bool {
        self.core.is_closed()
    }

    /// The loop's clock, in seconds since the loop was made (Python's
    /// `loop.time()`).
    pub fn time(&self) -> f64 {
        self.core.now_ms() / 1000.0
    }

    /// The loop's clock, in milliseconds since the loop was made.
    pub fn time_ms(&self) -> f64 {
        self.core.now_ms()
    }

    /// Queues `callback` to run soon, after what is already ready.
    /// Callbacks run in the order they were queued.
    pub fn call_soon(&self, callback: impl FnOnce() + 'static) -> Handle {
        let key = self.core.call_soon(Box::new(callback));
        Handle::new(&self.core, key, None, None)
    }

    /// Runs `callback` after `delay`.
    pub fn call_later(&self, delay: Duration, callback: impl FnOnce() + 'static) -> Handle {
        self.schedule_at(self.core.now_ms() + duration_ms(delay), callback)
    }

    /// Runs `callback` after `delay` seconds; negative delays mean now.
    ///
    /// # Errors
    /// [`InvalidDelay`] for NaN or infinite delays.
    pub fn call_later_secs(
        &self,
        delay: f64,
        callback: impl FnOnce() + 'static,
    ) -> Result<Handle, InvalidDelay> {
        let delay_ms = secs_to_ms(delay)?;
        Ok(self.schedule_at(self.core.now_ms() + delay_ms, callback))
    }

    /// Runs `callback` when [`time`](Self::time) reaches `when` seconds; a
    /// time in the past means now.
    ///
    /// # Errors
    /// [`InvalidDelay`] if `when` is NaN or infinite.
    pub fn call_at(
        &self,
        when: f64,
        callback: impl FnOnce() + 'static,
    ) -> Result<Handle, InvalidDelay> {
        if when.is_nan() {
            return Err(InvalidDelay::NotANumber);
        }
        if when.is_infinite() {
            return Err(InvalidDelay::Infinite(when));
        }
        Ok(self.schedule_at(when * 1000.0, callback))
    }

    fn schedule_at(&self, deadline_ms: f64, callback: impl FnOnce() + 'static) -> Handle {
        match self.core.call_at(deadline_ms, Box::new(callback)) {
            Some((callback_key, timer_key)) => Handle::new(
                &self.core,
                Some(callback_key),
                Some(timer_key),
                Some(deadline_ms),
            ),
            None => Handle::new(&self.core, None, None, Some(deadline_ms)),
        }
    }

    /// Runs the job `name` with `args` on `executor`, or on the loop's
    /// default executor (Python's `loop.run_in_executor`). The default is
    /// a pool of Web Workers where the host has them, made on first use,
    /// and the inline executor elsewhere; closing the loop shuts it down.
    ///
    /// # Examples
    /// ```
    /// fn add(pair: (u32, u32)) -> u32 {
    ///     pair.0 + pair.1
    /// }
    /// asyncio::executor::register("add", add);
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// let lp2 = lp.clone();
    /// let sum = lp
    ///     .run_until_complete(async move { lp2.run_in_executor::<_, u32>(None, "add", &(2, 3)).await })
    ///     .block()
    ///     .unwrap();
    /// assert_eq!(sum, Ok(5));
    /// ```
    pub fn run_in_executor<A, R>(
        &self,
        executor: Option<&Executor>,
        name: &str,
        args: &A,
    ) -> JobFuture<R>
    where
        A: serde::Serialize + ?Sized,
        R: serde::de::DeserializeOwned,
    {
        match executor {
            Some(executor) => executor.submit(name, args),
            None => self.core.default_executor().submit(name, args),
        }
    }

    /// Makes `executor` the loop's default (Python's `set_default_executor`).
    pub fn set_default_executor(&self, executor: Executor) {
        self.core.set_default_executor(executor);
    }

    /// Sends what [`print`](crate::print) prints inside this loop to `sink`
    /// instead of standard output or the console.
    pub fn set_output(&self, sink: impl FnMut(&OutputLine) + 'static) {
        self.core.set_output(Some(Box::new(sink)));
    }

    /// Turns trace recording on or off (off by default).
    pub fn set_trace(&self, on: bool) {
        self.core.tracer().set_enabled(on);
    }

    /// Everything recorded so far.
    pub fn trace(&self) -> Vec<TraceRecord> {
        self.core.trace_records()
    }

    /// How many records the trace holds.
    pub fn trace_len(&self) -> usize {
        self.core.tracer().len()
    }

    /// The records from index `start` on (for following a trace live).
    pub fn trace_since(&self, start: usize) -> Vec<TraceRecord> {
        self.core.tracer().since(start)
    }

    /// Takes the records, leaving the trace empty.
    pub fn take_trace(&self) -> Vec<TraceRecord> {
        self.core.tracer().take()
    }

    /// The loop's counters.
    pub fn stats(&self) -> LoopStats {
        self.core.stats()
    }

    /// The clock this loop runs on.
    pub fn clock(&self) -> Clock {
        self.core.config().clock
    }

    /// The backend this loop asks for turns with.
    pub fn backend(&self) -> Backend {
        self.core.config().backend
    }
}

/// The loop whose task or callback is running (Python's
/// `asyncio.get_running_loop()`).
///
/// # Errors
/// [`NoRunningLoop`] outside a loop.
///
/// # Examples
/// ```
/// let lp = asyncio::EventLoop::virtual_clock();
/// let same = lp
///     .run_until_complete(async { asyncio::get_running_loop().unwrap().time() })
///     .block();
/// assert_eq!(same, Ok(0.0));
/// assert!(asyncio::get_running_loop().is_err());
/// ```
pub fn get_running_loop() -> Result<EventLoop, NoRunningLoop> {
    context::current()
        .map(EventLoop::from_core)
        .ok_or(NoRunningLoop)
}

/// Builds an [`EventLoop`] with a chosen clock, backend, budget and tracing.
///
/// # Examples
/// ```
/// use asyncio::{Clock, EventLoop};
///
/// let lp = EventLoop::builder().clock(Clock::Virtual).trace(true).build().unwrap();
/// assert_eq!(lp.clock(), Clock::Virtual);
/// ```
#[derive(Clone, Debug)]
pub struct LoopBuilder {
    clock: Clock,
    backend: Backend,
    budget: Duration,
    trace: bool,
}

impl Default for LoopBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl LoopBuilder {
    /// Real clock, default backend, default budget, no tracing.
    pub fn new() -> Self {
        Self {
            clock: Clock::Real,
            backend: Backend::Microtask,
            budget: DEFAULT_BUDGET,
            trace: false,
        }
    }

    /// The clock to run on.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The scheduling backend (real clock only).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// How long a burst of ready work may run before the loop yields to the
    /// page (real clock only).
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Whether to record a trace from the start.
    pub fn trace(mut self, on: bool) -> Self {
        self.trace = on;
        self
    }

    /// Builds the loop.
    ///
    /// # Errors
    /// [`LoopError::RealClockUnavailable`] for the real clock outside a
    /// browser; [`LoopError::BackendUnavailable`] for a backend the browser
    /// lacks.
    pub fn build(self) -> Result<EventLoop, LoopError> {
        if self.clock == Clock::Real {
            #[cfg(target_arch = "wasm32")]
            crate::host::browser::BrowserHost::check(self.backend)?;
            #[cfg(not(target_arch = "wasm32"))]
            return Err(LoopError::RealClockUnavailable);
        }
        Ok(self.build_infallible())
    }

    fn build_infallible(self) -> EventLoop {
        let config = LoopConfig {
            clock: self.clock,
            backend: self.backend,
            budget_ms: duration_ms(self.budget),
        };
        let core = LoopCore::new(config, move |weak| -> Box<dyn Host> {
            match config.clock {
                #[cfg(target_arch = "wasm32")]
                Clock::Real => {
                    Box::new(crate::host::browser::BrowserHost::new(weak, config.backend))
                }
                _ => Box::new(crate::host::virtual_clock::VirtualClock::new(weak)),
            }
        });
        core.tracer().set_enabled(self.trace);
        EventLoop::from_core(core)
    }
}

enum RunStage<F: Future> {
    NotStarted(Option<F>),
    Running(Task<F::Output>),
    Done,
}

/// The future returned by [`EventLoop::run_until_complete`].
#[must_use = "a run does nothing until awaited or blocked on"]
pub struct RunUntilComplete<F: Future> {
    core: Rc<LoopCore>,
    stage: RunStage<F>,
}

// The inner future is moved into a task before it is ever polled, so
// `RunUntilComplete` never pins it.
impl<F: Future> Unpin for RunUntilComplete<F> {}

impl<F: Future> fmt::Debug for RunUntilComplete<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match &self.stage {
            RunStage::NotStarted(_) => "not started",
            RunStage::Running(_) => "running",
            RunStage::Done => "done",
        };
        f.debug_struct("RunUntilComplete")
            .field("stage", &stage)
            .finish()
    }
}

impl<F> RunUntilComplete<F>
where
    F: Future + 'static,
{
    /// Runs to completion without an outer executor. On the virtual clock
    /// this drives the loop until its main task ends, however long that is
    /// in loop time, and returns at once.
    ///
    /// # Errors
    /// As awaiting, and [`RunError::WouldBlock`] where the run needs the
    /// host's own event loop (the browser's real clock, or I/O in flight on
    /// the virtual clock); the main task is then cancelled.
    pub fn block(mut self) -> Result<F::Output, RunError> {
        let mut cx = Context::from_waker(Waker::noop());
        match Pin::new(&mut self).poll(&mut cx) {
            Poll::Ready(result) => result,
            Poll::Pending => Err(RunError::WouldBlock),
        }
    }
}

impl<F> Future for RunUntilComplete<F>
where
    F: Future + 'static,
{
    type Output = Result<F::Output, RunError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let RunStage::NotStarted(future) = &mut this.stage {
            if context::inside_a_turn() {
                this.stage = RunStage::Done;
                return Poll::Ready(Err(RunError::NestedLoop));
            }
            if this.core.is_closed() {
                this.stage = RunStage::Done;
                return Poll::Ready(Err(RunError::Closed));
            }
            if this.core.is_running() {
                this.stage = RunStage::Done;
                return Poll::Ready(Err(RunError::AlreadyRunning));
            }
            let Some(future) = future.take() else {
                this.stage = RunStage::Done;
                return Poll::Ready(Err(RunError::Closed));
            };
            let task = Task::from_cell(this.core.spawn(future));
            this.core.begin_run(task.key(), cx.waker());
            this.stage = RunStage::Running(task);
        }
        let RunStage::Running(task) = &mut this.stage else {
            // Polled again after completion: stay pending, never panic.
            return Poll::Pending;
        };
        this.core.set_outer_waker(cx.waker());
        let outcome = this.core.drive();
        if this.core.is_running() {
            if outcome == DriveOutcome::Stalled {
                this.core.abandon_run();
                this.stage = RunStage::Done;
                return Poll::Ready(Err(RunError::Stalled));
            }
            // The run ends when the loop stops: after the main task's done
            // callback, or at a `stop()`. Either wakes this future.
            return Poll::Pending;
        }
        let result = match task.poll_join(cx) {
            Poll::Ready(result) => result.map_err(RunError::Cancelled),
            // Stopped with the main task still pending: it stays pending,
            // as Python's does, for a later run or `close` to settle.
            Poll::Pending => Err(RunError::Stopped),
        };
        this.stage = RunStage::Done;
        Poll::Ready(result)
    }
}

impl<F: Future> Drop for RunUntilComplete<F> {
    fn drop(&mut self) {
        if let RunStage::Running(_) = &self.stage {
            if self.core.is_running() {
                self.core.abandon_run();
            }
        }
    }
}

/// The future behind [`EventLoop::cancel_leftovers`].
#[must_use = "futures do nothing unless awaited"]
pub struct CancelLeftovers {
    core: Rc<LoopCore>,
    started: bool,
    rounds: u32,
}

impl fmt::Debug for CancelLeftovers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelLeftovers")
            .field("rounds", &self.rounds)
            .finish()
    }
}

/// How many turns to give cancelled tasks to finish before closing drops
/// whatever is left (destructors that keep creating tasks cannot hold a
/// run open forever).
const LEFTOVER_ROUNDS: u32 = 100;

impl Future for CancelLeftovers {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !self.started {
            self.started = true;
            self.core.rename_current("cancelling leftovers");
            self.core.cancel_all("the run is over");
        }
        // Only this task left and nothing else ready: every leftover has
        // finished cancelling and its callbacks have run.
        let settled = self.core.pending_tasks() <= 1 && self.core.stats().ready == 0;
        if settled || self.rounds >= LEFTOVER_ROUNDS {
            return Poll::Ready(());
        }
        self.rounds += 1;
        self.core.cancel_all("the run is over");
        // Back of the queue: the cancelled tasks and their callbacks go first.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Runs `future` on a fresh loop and closes it (Python's `asyncio.run`):
/// the loop is made, the future runs to completion as the main task, every
/// task still pending is cancelled and given turns to finish cancelling
/// (their destructors and done callbacks run with the loop), and the loop
/// is closed.
///
/// The loop is [`EventLoop::new`]'s: the browser's real clock on `wasm32`,
/// the virtual clock elsewhere.
///
/// # Examples
/// ```
/// use std::time::Duration;
///
/// let answer = asyncio::run(async {
///     asyncio::sleep(Duration::from_millis(500)).await;
///     42
/// })
/// .block();
/// assert_eq!(answer, Ok(42));
/// ```
pub fn run<F>(future: F) -> Run<F::IntoFuture>
where
    F: IntoFuture,
    F::IntoFuture: 'static,
{
    let lp = EventLoop::new();
    Run {
        inner: lp.run_until_complete(future),
        cleanup: None,
        lp,
    }
}

/// The future returned by [`run`].
#[must_use = "a run does nothing until awaited or blocked on"]
#[derive(Debug)]
pub struct Run<F: Future> {
    inner: RunUntilComplete<F>,
    /// After the main task: leftovers cancelling, and the main's result.
    cleanup: Option<Cleanup<F::Output>>,
    lp: EventLoop,
}

type Cleanup<T> = (RunUntilComplete<CancelLeftovers>, Result<T, RunError>);

// Nothing in a run is pinned: its futures move into tasks unpolled.
impl<F: Future> Unpin for Run<F> {}

impl<F> Run<F>
where
    F: Future + 'static,
{
    /// The loop this run uses (for tracing, output or stopping).
    pub fn event_loop(&self) -> &EventLoop {
        &self.lp
    }

    /// As [`RunUntilComplete::block`], then closes the loop.
    ///
    /// # Errors
    /// As [`RunUntilComplete::block`].
    pub fn block(mut self) -> Result<F::Output, RunError> {
        let mut cx = Context::from_waker(Waker::noop());
        match Pin::new(&mut self).poll(&mut cx) {
            Poll::Ready(result) => result,
            Poll::Pending => Err(RunError::WouldBlock),
        }
    }
}

impl<F> Future for Run<F>
where
    F: Future + 'static,
{
    type Output = Result<F::Output, RunError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if this.cleanup.is_none() {
            let result = std::task::ready!(Pin::new(&mut this.inner).poll(cx));
            let stats = this.lp.stats();
            if stats.pending_tasks == 0 && stats.ready == 0 {
                let _ = this.lp.close();
                return Poll::Ready(result);
            }
            this.cleanup = Some((this.lp.cancel_leftovers(), result));
        }
        let Some((cleanup, _)) = this.cleanup.as_mut() else {
            return Poll::Pending;
        };
        let _ = std::task::ready!(Pin::new(cleanup).poll(cx));
        // Not running any more, so closing cannot fail.
        let _ = this.lp.close();
        match this.cleanup.take() {
            Some((_, result)) => Poll::Ready(result),
            None => Poll::Pending,
        }
    }
}

impl<F: Future> Drop for Run<F> {
    fn drop(&mut self) {
        if !self.lp.is_running() {
            let _ = self.lp.close();
        }
    }
}
