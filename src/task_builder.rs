//! Making a task with options: a name, and cancellation delivered as a
//! request instead of a drop.
//!
//! A task made by [`create_task`](crate::create_task) is cancelled by
//! dropping its future at its next turn, which is all a Rust future can
//! take. Code that can *handle* a cancellation (an interpreter running a
//! Python coroutine, which must throw `CancelledError` into it and let its
//! `except` and `finally` blocks run, even await) asks for delivery: the
//! task is woken instead, and its future takes the request with
//! [`take_cancellation`] at its next poll.
//!
//! # Invariants
//! - A delivering task's future is never dropped by a cancellation; it is
//!   dropped only when the task ends, or when its loop closes.
//! - As with any task, a cancellation that is pending (requested and not
//!   taken) when the future completes ends the task cancelled.

use std::future::Future;

use crate::error::Cancelled;
use crate::event_loop::EventLoop;
use crate::runtime::context;
use crate::runtime::core::SpawnOptions;
use crate::task::Task;

/// Options for a new task (Python's `create_task(coro, name=...)`, and how
/// the task takes cancellation).
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{sleep, take_cancellation, TaskBuilder};
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let outcome = lp
///     .run_until_complete(async {
///         let task = TaskBuilder::new()
///             .name("careful")
///             .deliver_cancellation()
///             .spawn(async {
///                 let mut sleeping = Box::pin(sleep(Duration::from_secs(10)));
///                 // Poll the sleep until a cancellation arrives, then
///                 // clean up and report it as a value.
///                 std::future::poll_fn(|cx| match take_cancellation() {
///                     Some(cancelled) => std::task::Poll::Ready(Err(cancelled)),
///                     None => sleeping.as_mut().poll(cx).map(Ok),
///                 })
///                 .await
///             });
///         assert_eq!(task.name(), "careful");
///         sleep(Duration::from_secs(1)).await;
///         task.cancel_with_message("enough");
///         task.await
///     })
///     .block()
///     .unwrap();
/// let handled = outcome.unwrap();
/// assert_eq!(handled.unwrap_err().message(), Some("enough"));
/// # use std::future::Future;
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a builder does nothing until `spawn` is called"]
pub struct TaskBuilder {
    options: SpawnOptions,
}

impl TaskBuilder {
    /// Default options: named `Task-N`, cancelled by dropping.
    pub fn new() -> Self {
        Self::default()
    }

    /// The task's name (shown in its repr, the trace and the timeline).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.options.name = Some(name.into());
        self
    }

    /// Cancellation is delivered to the future instead of dropping it: the
    /// task is woken and its future takes the request with
    /// [`take_cancellation`]. As in Python, cancelling a task that awaits
    /// another task asks that task first; if it accepts, the awaiting task
    /// learns of the cancellation from the awaited one's outcome instead.
    pub fn deliver_cancellation(mut self) -> Self {
        self.options.deliver_cancellation = true;
        self
    }

    /// Schedules `future` on the running loop, as
    /// [`create_task`](crate::create_task) does (outside a loop, the task
    /// is born cancelled and a warning is printed).
    pub fn spawn<F>(self, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
    {
        crate::task::spawn(future, self.options)
    }

    /// Schedules `future` on `lp` (Python's `loop.create_task`).
    pub fn spawn_on<F>(self, lp: &EventLoop, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
    {
        lp.create_task_with(future, self.options)
    }
}

/// Takes the pending cancellation request of the task being polled, if it
/// was made with [`TaskBuilder::deliver_cancellation`]: `Some` once per
/// request, with its message. `None` for other tasks, outside a task, or
/// with nothing pending.
pub fn take_cancellation() -> Option<Cancelled> {
    context::take_cancellation()
}
