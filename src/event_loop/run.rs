//! Running a future to completion: `run_until_complete`, the end of a
//! run, and `run`.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::EventLoop;
use crate::error::RunError;
use crate::runtime::context;
use crate::runtime::core::{LoopCore, SpawnOptions};
use crate::runtime::host::DriveOutcome;
use crate::task::Task;

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
    name: Option<String>,
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

impl<F: Future> RunUntilComplete<F> {
    pub(super) fn new(core: Rc<LoopCore>, future: F) -> Self {
        RunUntilComplete {
            core,
            stage: RunStage::NotStarted(Some(future)),
            name: None,
        }
    }

    /// Names the main task (`Task-N` otherwise), as it shows in the trace;
    /// a program of another language whose own tasks take the `Task-N`
    /// names names the task that drives it. A run already started keeps
    /// its main task's name.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// let name = lp
    ///     .run_until_complete(async { asyncio::current_task().map(|task| task.name()) })
    ///     .name("main")
    ///     .block()
    ///     .unwrap();
    /// assert_eq!(name.as_deref(), Some("main"));
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
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
            let task = match this.name.take() {
                Some(name) => Task::from_cell(this.core.spawn_with(
                    future,
                    SpawnOptions {
                        name: Some(name),
                        deliver_cancellation: false,
                    },
                )),
                None => Task::from_cell(this.core.spawn(future)),
            };
            this.core.begin_run(task.id(), cx.waker());
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

impl CancelLeftovers {
    pub(super) fn new(core: Rc<LoopCore>) -> Self {
        CancelLeftovers {
            core,
            started: false,
            rounds: 0,
        }
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
