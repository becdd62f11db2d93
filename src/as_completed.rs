//! Values in the order their tasks finish (Python's `asyncio.as_completed`).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::error::{Cancelled, TimeoutError};
use crate::runtime::completions::Completions;
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
/// are) and yields their values in the order they finish, with an
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
        tasks: Vec::new(),
        completions: None,
        finished: VecDeque::new(),
        timeout,
        deadline: None,
        timed_out: false,
    }
}

/// The stream returned by [`as_completed`].
#[must_use = "streams do nothing unless read"]
pub struct AsCompleted<X: IntoTask> {
    inputs: Vec<X>,
    tasks: Vec<Option<Task<X::Output>>>,
    completions: Option<Completions>,
    finished: VecDeque<Result<X::Output, Cancelled>>,
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
        self.inputs.len() + self.tasks.iter().flatten().count() + self.finished.len()
    }

    /// Polls task `index` with its own waker; queues its outcome if it ended.
    fn collect(&mut self, index: usize, completions: &Completions) {
        let Some(Some(task)) = self.tasks.get_mut(index) else {
            return;
        };
        let mut cx = Context::from_waker(completions.waker(index));
        // As Python's: cancelling the consumer leaves the tasks running.
        if let Poll::Ready(outcome) = task.poll_join_shielded(&mut cx) {
            self.tasks[index] = None;
            self.finished.push_back(outcome);
        }
    }

    fn poll_item(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<X::Output, AsCompletedError>>> {
        if self.timed_out {
            return Poll::Ready(None);
        }
        // The overall timeout counts from the first poll.
        if let (Some(timeout), None) = (self.timeout, &self.deadline) {
            self.deadline = Some(sleep(timeout));
        }
        let deadline_passed = match self.deadline.as_mut() {
            Some(deadline) => Pin::new(deadline).poll(cx).is_ready(),
            None => false,
        };
        match self.completions.take() {
            None => {
                // First poll: start every task, in argument order.
                self.tasks = self.inputs.drain(..).map(|x| Some(x.into_task())).collect();
                let completions = Completions::new(self.tasks.len());
                completions.set_parent(cx.waker());
                for index in 0..self.tasks.len() {
                    self.collect(index, &completions);
                }
                self.completions = Some(completions);
            }
            Some(completions) => {
                completions.set_parent(cx.waker());
                while let Some(index) = completions.pop() {
                    self.collect(index, &completions);
                }
                self.completions = Some(completions);
            }
        }
        if let Some(outcome) = self.finished.pop_front() {
            return Poll::Ready(Some(outcome.map_err(AsCompletedError::Cancelled)));
        }
        if self.tasks.iter().all(Option::is_none) {
            return Poll::Ready(None);
        }
        match self.timeout {
            Some(timeout) if deadline_passed => {
                self.timed_out = true;
                Poll::Ready(Some(Err(AsCompletedError::Timeout(TimeoutError::after(
                    timeout,
                )))))
            }
            _ => Poll::Pending,
        }
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
