//! The public loop object.

mod builder;
mod run;

use std::fmt;
use std::future::{Future, IntoFuture};
use std::rc::Rc;
use std::time::Duration;

use crate::backend::{Backend, Clock};
use crate::error::{InvalidDelay, LoopError, NoRunningLoop};
use crate::executor::{Executor, JobFuture};
use crate::handle::Handle;
use crate::runtime::callbacks::CallbackEntry;
use crate::runtime::context;
use crate::runtime::core::{LoopCore, SpawnOptions};
use crate::runtime::output::OutputLine;
use crate::runtime::units::{duration_ms, secs_to_ms};
use crate::stats::LoopStats;
use crate::task::Task;
use crate::trace::TraceRecord;

pub use builder::{LoopBuilder, DEFAULT_BUDGET};
pub use run::{run, CancelLeftovers, Run, RunUntilComplete};

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
        RunUntilComplete::new(Rc::clone(&self.core), future.into_future())
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
        self.run_until_complete(CancelLeftovers::new(Rc::clone(&self.core)))
    }

    /// Stops the loop (Python's `loop.stop()`): the batch of ready work
    /// running now is finished (callbacks and task steps that were ready
    /// when it began), then [`run_until_complete`](Self::run_until_complete)
    /// returns. If its main task has not completed, the run gives
    /// [`RunError::Stopped`](crate::RunError::Stopped) and the main task does not continue. Nothing
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
        Handle::new(
            key.map(|key| CallbackEntry::new(&self.core, key, None)),
            None,
        )
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
        let entry = self
            .core
            .call_at(deadline_ms, Box::new(callback))
            .map(|(callback, timer)| CallbackEntry::new(&self.core, callback, Some(timer)));
        Handle::new(entry, Some(deadline_ms))
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
            None => self.default_executor().submit(name, args),
        }
    }

    /// Makes `executor` the loop's default (Python's `set_default_executor`).
    pub fn set_default_executor(&self, executor: Executor) {
        if !self.core.set_extension(executor) {
            self.shut_down_default_executor_on_close();
        }
    }

    /// The loop's default executor, made on first use.
    fn default_executor(&self) -> Executor {
        if let Some(executor) = self.core.extension::<Executor>() {
            return executor;
        }
        let executor = Executor::for_this_host();
        self.set_default_executor(executor.clone());
        executor
    }

    /// As Python's `loop.close()` does, closing shuts the default executor
    /// down without waiting: its jobs end, its workers are terminated.
    fn shut_down_default_executor_on_close(&self) {
        let core = Rc::downgrade(&self.core);
        self.core.on_close(Box::new(move || {
            if let Some(executor) = core
                .upgrade()
                .and_then(|core| core.take_extension::<Executor>())
            {
                executor.shutdown_now();
            }
        }));
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

    /// While tracing, a step that holds the loop for `threshold` or longer
    /// is recorded as a [`WarningKind::SlowStep`](crate::WarningKind::SlowStep)
    /// warning (Python's `slow_callback_duration`; 100 ms by default). The
    /// time counted is the loop's clock or the wall's, whichever moved
    /// more: on the virtual clock, computation takes no loop time but
    /// still holds the loop.
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use asyncio::{TraceEvent, WarningKind};
    ///
    /// let lp = asyncio::EventLoop::builder()
    ///     .clock(asyncio::Clock::Virtual)
    ///     .trace(true)
    ///     .build()
    ///     .unwrap();
    /// lp.set_slow_step(Duration::from_millis(50));
    /// lp.run_until_complete(async { asyncio::blocking_sleep(Duration::from_millis(80)) })
    ///     .block()
    ///     .unwrap();
    /// let warned = lp.trace().iter().any(|r| {
    ///     matches!(r.event, TraceEvent::Warning { warning: WarningKind::SlowStep, .. })
    /// });
    /// assert!(warned);
    /// ```
    pub fn set_slow_step(&self, threshold: Duration) {
        self.core.tracer().set_slow_step_ms(duration_ms(threshold));
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

#[cfg(test)]
mod recycling_tests;
