//! The public task handle.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::{Cancelled, TaskResultError};
use crate::runtime::context;
use crate::runtime::core::SpawnOptions;
use crate::runtime::output::warn;
use crate::runtime::task_cell::TaskInfo;
use crate::runtime::task_cell::{Spawned, Status, TaskCell, TaskHeader};
use crate::runtime::task_rc::TaskRc;
use crate::task_ref::TaskRef;
use crate::trace::{TaskId, WaitReason};

/// A scheduled future (Python's `asyncio.Task`).
///
/// Awaiting a task gives `Ok(value)`, or `Err(Cancelled)` if it was
/// cancelled. Dropping the handle does **not** stop the task: as in Python,
/// the loop owns it until it ends. Use [`cancel`](Task::cancel) to stop it.
///
/// # Examples
/// ```
/// use std::time::Duration;
///
/// asyncio::run(async {
///     let task = asyncio::create_task(async {
///         asyncio::sleep(Duration::from_secs(1)).await;
///         1
///     });
///     assert_eq!(task.to_string(), "<Task pending name='Task-2'>");
///     assert_eq!(task.await, Ok(1));
/// })
/// .block()
/// .unwrap();
/// ```
#[must_use = "a dropped Task handle detaches the task: it keeps running. Await it, or call `detach()` to say so"]
pub struct Task<T> {
    /// The task's cell, whose future gives `T` (it was made as a
    /// `Spawned<T>`). The output is read from the cell as a `T` without a
    /// check, so [`from_cell`](Self::from_cell) must stay the only way to
    /// make a `Task`.
    raw: TaskRc,
    output: PhantomData<fn() -> T>,
}

impl<T: 'static> Task<T> {
    /// The handle of a new task.
    pub(crate) fn from_cell(cell: Spawned<T>) -> Task<T> {
        Task {
            raw: cell.into_cell(),
            output: PhantomData,
        }
    }

    /// The task's value, if it finished and the value has not been taken by
    /// awaiting the task (Python's `task.result()`).
    ///
    /// # Errors
    /// [`TaskResultError::Pending`] before the task ends,
    /// [`TaskResultError::Cancelled`] if it was cancelled,
    /// [`TaskResultError::Taken`] after it was awaited.
    pub fn result(&self) -> Result<T, TaskResultError>
    where
        T: Clone,
    {
        match self.header().status() {
            Status::Pending => Err(TaskResultError::Pending),
            Status::Cancelled => Err(TaskResultError::Cancelled(self.header().cancelled_error())),
            Status::Finished => {
                let mut value = None;
                self.with_output(|output| value = output.cloned());
                value.ok_or(TaskResultError::Taken)
            }
        }
    }

    /// Runs `f` on the task's value if it finished and the value is still there.
    pub(crate) fn with_output(&self, f: impl FnOnce(Option<&T>)) {
        // SAFETY: `raw` was made as a `Spawned<T>` (see `from_cell`).
        unsafe { self.raw.peek_output(f) }
    }
}

impl<T> Task<T> {
    fn header(&self) -> &TaskHeader {
        &self.raw.header
    }

    /// The task's id within its loop.
    pub fn id(&self) -> TaskId {
        self.header().id
    }

    /// The task's name: `Task-N` unless set.
    pub fn name(&self) -> String {
        self.header().name()
    }

    /// Renames the task (shown in the trace and the playground's timeline).
    pub fn set_name(&self, name: impl Into<String>) {
        self.header().rename(name.into());
    }

    /// Whether the task has ended, with a value or cancelled.
    pub fn done(&self) -> bool {
        self.header().status() != Status::Pending
    }

    /// Whether the task was cancelled.
    pub fn cancelled(&self) -> bool {
        self.header().status() == Status::Cancelled
    }

    /// Requests cancellation: at its next turn the task's future is dropped
    /// (its destructors run: guards release, timers clear) and awaiting the
    /// task gives `Err(Cancelled)`. If the task is awaiting another task,
    /// that one is cancelled too, as in Python. (A task made with
    /// [`TaskBuilder::deliver_cancellation`](crate::TaskBuilder::deliver_cancellation)
    /// is woken with the request instead.)
    ///
    /// Returns `false`, doing nothing, if the task has already ended.
    pub fn cancel(&self) -> bool {
        self.raw.cancel(None)
    }

    /// As [`cancel`](Self::cancel), with a message carried by the
    /// [`Cancelled`] error.
    pub fn cancel_with_message(&self, message: impl Into<String>) -> bool {
        self.raw.cancel(Some(message.into()))
    }

    /// How many cancellation requests are pending, not withdrawn with
    /// [`uncancel`](Self::uncancel) (Python's `Task.cancelling()`).
    pub fn cancelling(&self) -> u32 {
        self.header().cancelling()
    }

    /// Withdraws one cancellation request and returns how many remain
    /// (Python's `Task.uncancel()`, for code that handled a cancellation
    /// it caused, such as a timeout).
    pub fn uncancel(&self) -> u32 {
        self.header().uncancel()
    }

    /// A handle to this task that does not know its output type.
    pub fn to_ref(&self) -> TaskRef {
        TaskRef::new(TaskRc::clone(&self.raw))
    }

    /// Runs `callback` soon after the task ends (at once, via the loop, if it
    /// already has). Callbacks run in the order they were added.
    pub fn add_done_callback(&self, callback: impl FnOnce(&TaskInfo) + 'static) {
        self.header().when_done(Box::new(callback));
    }

    /// Lets the task run on without a handle; says so explicitly.
    pub fn detach(self) {}

    /// Ready once the task has ended, leaving its output in place: for
    /// combinators that watch tasks they hand back (`wait`).
    pub(crate) fn poll_ended(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.raw.poll_ended(cx)
    }
}

impl<T: 'static> Task<T> {
    /// Polls for the task's outcome, taking it once the task has ended: the
    /// building block for combinators. Awaiting the task does the same.
    ///
    /// While a task's poll waits here, the task is awaiting this one: as in
    /// Python, cancelling it cancels this task too (what
    /// [`shield`](crate::shield) prevents).
    #[inline]
    pub fn poll_join(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, Cancelled>> {
        // An ended task, the common case when handles are awaited after
        // their tasks ran: its outcome, inline, with nothing to record.
        if self.raw.header.status() != Status::Pending {
            // SAFETY: `raw` was made as a `Spawned<T>` (see `from_cell`).
            let poll = unsafe { self.raw.poll_output::<T>(cx) };
            if poll.is_ready() {
                return poll;
            }
        }
        self.poll_join_waiting(cx)
    }

    /// [`poll_join`](Self::poll_join) for a task that may still be running:
    /// out of line, with the wait recorded.
    #[inline(never)]
    fn poll_join_waiting(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, Cancelled>> {
        let poll = self.poll_join_shielded(cx);
        if poll.is_pending() {
            context::note_awaiting(&self.raw);
        }
        poll
    }

    /// As [`poll_join`](Self::poll_join), without tying this task's
    /// cancellation to the awaiting task's: for `shield`, and for
    /// combinators that only watch (`as_completed`).
    pub(crate) fn poll_join_shielded(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<T, Cancelled>> {
        // SAFETY: `raw` was made as a `Spawned<T>` (see `from_cell`).
        let poll = unsafe { self.raw.poll_output::<T>(cx) };
        if poll.is_pending() {
            context::note_wait_for(WaitReason::Task, Some(self.raw.header.id));
        }
        poll
    }
}

impl<T: 'static> IntoFuture for Task<T> {
    type Output = Result<T, Cancelled>;
    type IntoFuture = JoinTask<T>;

    /// `task.await` gives the task's value, or [`Cancelled`].
    fn into_future(self) -> JoinTask<T> {
        JoinTask { task: self }
    }
}

/// Awaiting a [`Task`]: `task.await`, or `task.into_future()` where a
/// [`Future`] is needed.
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct JoinTask<T> {
    task: Task<T>,
}

impl<T> JoinTask<T> {
    /// The task being awaited.
    pub fn task(&self) -> &Task<T> {
        &self.task
    }
}

impl<T: 'static> Future for JoinTask<T> {
    type Output = Result<T, Cancelled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.task.poll_join(cx)
    }
}

/// What runs as a task: a [`Task`] (used as it is) or any future (scheduled
/// with [`create_task`]). [`gather`](fn@crate::gather), [`wait_for`](crate::wait_for),
/// [`shield`](crate::shield) and [`as_completed`](crate::as_completed) take
/// either, as Python's do.
pub trait IntoTask {
    /// The value the task gives.
    type Output: 'static;
    /// The task.
    fn into_task(self) -> Task<Self::Output>;
}

impl<F> IntoTask for F
where
    F: Future + 'static,
{
    type Output = F::Output;

    fn into_task(self) -> Task<F::Output> {
        create_task(self)
    }
}

impl<T: 'static> IntoTask for Task<T> {
    type Output = T;

    fn into_task(self) -> Task<T> {
        self
    }
}

impl<T: fmt::Debug + 'static> fmt::Display for Task<T> {
    /// Python's task repr: `<Task pending name='Task-1'>`,
    /// `<Task finished name='Task-1' result=1>`, `<Task cancelled name='Task-1'>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match self.header().status() {
            Status::Pending => write!(f, "<Task pending name='{name}'>"),
            Status::Cancelled => write!(f, "<Task cancelled name='{name}'>"),
            Status::Finished => {
                let mut shown = None;
                self.with_output(|output| shown = output.map(|v| format!("{v:?}")));
                match shown {
                    Some(value) => write!(f, "<Task finished name='{name}' result={value}>"),
                    None => write!(f, "<Task finished name='{name}'>"),
                }
            }
        }
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = &self.raw.header;
        f.debug_struct("Task")
            .field("id", &header.id)
            .field("name", &header.name())
            .field("status", &header.status())
            .finish()
    }
}

/// Makes `item` a task (Python's `asyncio.ensure_future`): a [`Task`] is
/// returned as it is; any other future is scheduled with [`create_task`].
///
/// # Examples
/// ```
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async {
///     let task = asyncio::create_task(async { 1 });
///     let id = task.id();
///     assert_eq!(asyncio::ensure_task(task).id(), id); // the same task
///     let other = asyncio::ensure_task(async { 2 }); // a new one
///     assert_ne!(other.id(), id);
/// })
/// .block()
/// .unwrap();
/// ```
pub fn ensure_task<I: IntoTask>(item: I) -> Task<I::Output> {
    item.into_task()
}

/// Schedules `future` as a task of the running loop (Python's
/// `asyncio.create_task`). The task starts when the current task yields.
///
/// Outside a running loop there is nothing to run it: the task is returned
/// already cancelled, with the message "no running event loop", and a
/// warning is printed.
///
/// # Examples
/// ```
/// let out = asyncio::run(async {
///     let task = asyncio::create_task(async { 2 + 2 });
///     task.await
/// })
/// .block();
/// assert_eq!(out, Ok(Ok(4)));
/// ```
pub fn create_task<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
{
    spawn(future, SpawnOptions::default())
}

/// Schedules `future` with `options` on the running loop; outside one, the
/// task is born cancelled.
pub(crate) fn spawn<F>(future: F, options: SpawnOptions) -> Task<F::Output>
where
    F: Future + 'static,
{
    match context::spawn(future, options) {
        Ok(spawned) => Task::from_cell(spawned),
        Err(future) => {
            warn("asyncio::create_task called outside a running event loop; the task is cancelled");
            Task::from_cell(TaskCell::orphan(future, "no running event loop"))
        }
    }
}
