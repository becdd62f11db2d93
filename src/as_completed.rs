//! Values in the order their tasks finish (Python's `asyncio.as_completed`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::error::{Cancelled, TimeoutError};
use crate::task::{IntoTask, Task};
use crate::time::{sleep, Sleep};

/// Why [`AsCompleted`] yielded no value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AsCompletedError {
    /// That task was cancelled.
    Cancelled(Cancelled),
    /// The overall timeout passed; the stream ends after this item, and
    /// the tasks still running keep running.
    Timeout(TimeoutError),
}

impl fmt::Display for AsCompletedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cancelled(cancelled) => write!(f, "a task was {cancelled}"),
            Self::Timeout(timeout) => timeout.fmt(f),
        }
    }
}

impl std::error::Error for AsCompletedError {}

/// Runs `futures` as tasks (made at first poll; [`Task`]s are used as they
/// are) and yields their values as they finish, with an
/// optional overall timeout. Read it with [`AsCompleted::next`], or as a
/// `futures_core::Stream`.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{as_completed, sleep};
///
/// async fn after(secs: u64) -> u64 {
///     sleep(Duration::from_secs(secs)).await;
///     secs
/// }
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let order = lp
///     .run_until_complete(async {
///         let mut finished = as_completed([3, 1, 2].map(after), None);
///         let mut order = Vec::new();
///         while let Some(value) = finished.next().await {
///             order.push(value.unwrap());
///         }
///         order
///     })
///     .block()
///     .unwrap();
/// assert_eq!(order, [1, 2, 3]);
/// ```
pub fn as_completed<I>(items: I, timeout: Option<Duration>) -> AsCompleted<I::Item>
where
    I: IntoIterator,
    I::Item: IntoTask,
{
    AsCompleted {
        inputs: items.into_iter().collect(),
        pending: Vec::new(),
        timeout,
        deadline: None,
        timed_out: false,
    }
}

/// The stream returned by [`as_completed`].
#[must_use = "streams do nothing unless read"]
pub struct AsCompleted<X: IntoTask> {
    inputs: Vec<X>,
    pending: Vec<Task<X::Output>>,
    timeout: Option<Duration>,
    deadline: Option<Sleep>,
    timed_out: bool,
}

// Inputs are moved into tasks unpolled; nothing here is ever pinned.
impl<X: IntoTask> Unpin for AsCompleted<X> {}

impl<X: IntoTask> fmt::Debug for AsCompleted<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("pending", &self.remaining())
            .field("timed_out", &self.timed_out)
            .finish()
    }
}

impl<X: IntoTask> AsCompleted<X> {
    /// The next value to finish; `None` when every task has been yielded or
    /// after the timeout was reported.
    // An async `next`, as on a stream: `Iterator::next` cannot wait.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Next<'_, X> {
        Next { stream: self }
    }

    /// How many tasks have not been yielded yet.
    pub fn remaining(&self) -> usize {
        self.inputs.len() + self.pending.len()
    }

    fn poll_item(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<X::Output, AsCompletedError>>> {
        if !self.inputs.is_empty() {
            self.pending
                .extend(self.inputs.drain(..).map(IntoTask::into_task));
        }
        if self.timed_out || self.pending.is_empty() {
            return Poll::Ready(None);
        }
        for index in 0..self.pending.len() {
            if let Poll::Ready(outcome) = self.pending[index].poll_join(cx) {
                // The task has ended and its value is taken.
                self.pending.remove(index).detach();
                return Poll::Ready(Some(outcome.map_err(AsCompletedError::Cancelled)));
            }
        }
        if let Some(timeout) = self.timeout {
            let deadline = self.deadline.get_or_insert_with(|| sleep(timeout));
            if Pin::new(deadline).poll(cx).is_ready() {
                self.timed_out = true;
                return Poll::Ready(Some(Err(AsCompletedError::Timeout(TimeoutError::after(
                    timeout,
                )))));
            }
        }
        Poll::Pending
    }
}

impl<X: IntoTask> futures_core::Stream for AsCompleted<X> {
    type Item = Result<X::Output, AsCompletedError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_item(cx)
    }
}

/// The future returned by [`AsCompleted::next`].
#[must_use = "futures do nothing unless awaited"]
pub struct Next<'a, X: IntoTask> {
    stream: &'a mut AsCompleted<X>,
}

impl<X: IntoTask> fmt::Debug for Next<'_, X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next")
            .field("stream", &self.stream)
            .finish()
    }
}

impl<X: IntoTask> Future for Next<'_, X> {
    type Output = Option<Result<X::Output, AsCompletedError>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.stream.poll_item(cx)
    }
}
