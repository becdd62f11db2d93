//! Running futures concurrently and collecting their values in argument
//! order (Python's `asyncio.gather`).
//!
//! Every input runs as a task ([`IntoTask`]): a [`Task`](crate::Task) is
//! used as it is, any other future is scheduled, so each shows as its own
//! task in the trace. The tasks are made when the gather is first polled
//! (futures are lazy). Values come back in argument order, whatever order
//! the tasks finish in; a failure is reported by the child that failed
//! first in time.
//!
//! # Invariants
//! - Dropping a gather before it completes (the awaiting task was
//!   cancelled) cancels every child that has not ended, as cancelling a
//!   Python gather does. Once a gather has completed, dropping it leaves any
//!   still-running child alone.
//! - [`try_gather`] cancels the other children as soon as one fails;
//!   [`gather_until_error`] leaves them running, as Python's `gather` does.

mod children;
mod tuple;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::Cancelled;
use crate::task::IntoTask;
use crate::wait::Fallible;
use children::{Children, Progress};

pub use children::{Slot, SlotSet};
pub use tuple::{__gather_slot, __gather_tuple, GatherTuple, SlotTuple};

type List<X> = Children<Vec<Slot<X>>>;

fn list<X: IntoTask>(items: impl IntoIterator<Item = X>) -> List<X> {
    Children::new(items.into_iter().map(Slot::new).collect())
}

fn outcomes<X: IntoTask>(children: &mut List<X>) -> Vec<Result<X::Output, Cancelled>> {
    children.finish();
    children.slots.iter_mut().filter_map(Slot::take).collect()
}

/// Runs `futures` concurrently and returns their values in argument order.
/// If a child is cancelled, its [`Cancelled`] is returned at once and the
/// other children keep running (as in Python without
/// `return_exceptions=True`).
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{gather, sleep};
///
/// async fn wait_and_return(secs: u64) -> u64 {
///     sleep(Duration::from_secs(secs)).await;
///     secs
/// }
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let values = lp
///     .run_until_complete(gather([3, 1, 2].map(wait_and_return)))
///     .block()
///     .unwrap();
/// assert_eq!(values, Ok(vec![3, 1, 2])); // argument order
/// assert_eq!(lp.time(), 3.0); // concurrently: the longest, not the sum
/// ```
pub fn gather<I>(items: I) -> Gather<I::Item>
where
    I: IntoIterator,
    I::Item: IntoTask,
{
    Gather {
        children: list(items),
    }
}

/// The future returned by [`gather`].
#[must_use = "futures do nothing unless awaited"]
pub struct Gather<X: IntoTask> {
    children: List<X>,
}

impl<X: IntoTask> fmt::Debug for Gather<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gather")
            .field("children", &self.children.len())
            .finish()
    }
}

impl<X: IntoTask> Future for Gather<X> {
    type Output = Result<Vec<X::Output>, Cancelled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let children = &mut self.children;
        match children.poll(cx, |slots, index| slots[index].cancelled().is_some()) {
            Progress::Pending => Poll::Pending,
            Progress::Break(index) => {
                children.finish();
                let cancelled = children.slots[index].cancelled().cloned();
                Poll::Ready(Err(cancelled.unwrap_or_default()))
            }
            Progress::Ready => Poll::Ready(outcomes(children).into_iter().collect()),
        }
    }
}

/// Runs `futures` concurrently and returns every outcome in argument order,
/// cancelled ones included (Python's `gather(..., return_exceptions=True)`).
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{create_task, gather_results, sleep};
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let outcomes = lp
///     .run_until_complete(async {
///         let doomed = create_task(async { sleep(Duration::from_secs(9)).await; 0 });
///         doomed.cancel();
///         gather_results([create_task(async { 1 }), doomed]).await
///     })
///     .block()
///     .unwrap();
/// assert_eq!(outcomes[0], Ok(1));
/// assert!(outcomes[1].is_err());
/// ```
pub fn gather_results<I>(items: I) -> GatherResults<I::Item>
where
    I: IntoIterator,
    I::Item: IntoTask,
{
    GatherResults {
        children: list(items),
    }
}

/// The future returned by [`gather_results`].
#[must_use = "futures do nothing unless awaited"]
pub struct GatherResults<X: IntoTask> {
    children: List<X>,
}

impl<X: IntoTask> fmt::Debug for GatherResults<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherResults")
            .field("children", &self.children.len())
            .finish()
    }
}

impl<X: IntoTask> Future for GatherResults<X> {
    type Output = Vec<Result<X::Output, Cancelled>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let children = &mut self.children;
        match children.poll(cx, |_, _| false) {
            Progress::Ready => Poll::Ready(outcomes(children)),
            Progress::Pending | Progress::Break(_) => Poll::Pending,
        }
    }
}

/// Why [`try_gather`] gave no values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatherError<E> {
    /// A child returned this error first; the others were cancelled.
    Failed(E),
    /// A child was cancelled; the others were cancelled too.
    Cancelled(Cancelled),
}

impl<E: fmt::Display> fmt::Display for GatherError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed(err) => write!(f, "a gathered task failed: {err}"),
            Self::Cancelled(cancelled) => write!(f, "a gathered task was {cancelled}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for GatherError<E> {}

/// Runs fallible `futures` concurrently: all their values in argument order,
/// or the first error, in which case every other child is cancelled.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{sleep, try_gather, GatherError};
///
/// async fn check(n: u64) -> Result<u64, String> {
///     sleep(Duration::from_secs(n)).await;
///     if n == 2 { Err(format!("{n} is bad")) } else { Ok(n) }
/// }
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let outcome = lp.run_until_complete(try_gather([1, 2, 5].map(check))).block().unwrap();
/// assert_eq!(outcome, Err(GatherError::Failed("2 is bad".to_string())));
/// assert_eq!(lp.time(), 2.0); // the 5 s child was cancelled, not waited for
/// ```
pub fn try_gather<I, T, E>(items: I) -> TryGather<I::Item>
where
    I: IntoIterator,
    I::Item: IntoTask<Output = Result<T, E>>,
{
    TryGather {
        children: list(items),
    }
}

/// The future returned by [`try_gather`].
#[must_use = "futures do nothing unless awaited"]
pub struct TryGather<X: IntoTask> {
    children: List<X>,
}

impl<X: IntoTask> fmt::Debug for TryGather<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryGather")
            .field("children", &self.children.len())
            .finish()
    }
}

impl<X, T, E> Future for TryGather<X>
where
    X: IntoTask<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, GatherError<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let children = &mut self.children;
        let failed = |slots: &Vec<Slot<X>>, index: usize| {
            matches!(slots[index].outcome(), Some(Err(_)) | Some(Ok(Err(_))))
        };
        match children.poll(cx, failed) {
            Progress::Pending => Poll::Pending,
            Progress::Break(index) => {
                children.cancel_running();
                children.finish();
                Poll::Ready(Err(match children.slots[index].take() {
                    Some(Ok(Err(err))) => GatherError::Failed(err),
                    Some(Err(cancelled)) => GatherError::Cancelled(cancelled),
                    // `failed` matched one of the two arms above.
                    _ => GatherError::Cancelled(Cancelled::new()),
                }))
            }
            Progress::Ready => {
                let values = outcomes(children)
                    .into_iter()
                    .filter_map(|outcome| match outcome {
                        Ok(Ok(value)) => Some(value),
                        _ => None,
                    })
                    .collect();
                Poll::Ready(Ok(values))
            }
        }
    }
}

/// Runs `futures` concurrently and returns their values in argument order,
/// or, as soon as a child fails ([`Fallible::is_error`]) or is cancelled,
/// that child's outcome, leaving the other children running (Python's
/// `gather` without `return_exceptions=True`, where the first exception
/// propagates and the other awaitables keep going). Dropping it before it
/// completes cancels the children still running, as [`gather`] does.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{create_task, gather_until_error, sleep, GatherError};
///
/// async fn check(n: u64) -> Result<u64, String> {
///     sleep(Duration::from_secs(n)).await;
///     if n == 2 { Err(format!("{n} is bad")) } else { Ok(n) }
/// }
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let (outcome, slow) = lp
///     .run_until_complete(async {
///         let slow = create_task(check(5));
///         let outcome = gather_until_error([create_task(check(1)), create_task(check(2)), slow]).await;
///         (outcome, asyncio::all_tasks().len())
///     })
///     .block()
///     .unwrap();
/// assert_eq!(outcome, Err(GatherError::Failed(Err("2 is bad".to_string()))));
/// assert_eq!(slow, 2); // the 5 s child is still running, beside the main task
/// assert_eq!(lp.time(), 2.0);
/// ```
pub fn gather_until_error<I>(items: I) -> GatherUntilError<I::Item>
where
    I: IntoIterator,
    I::Item: IntoTask,
    <I::Item as IntoTask>::Output: Fallible,
{
    GatherUntilError {
        children: list(items),
    }
}

/// The future returned by [`gather_until_error`].
#[must_use = "futures do nothing unless awaited"]
pub struct GatherUntilError<X: IntoTask> {
    children: List<X>,
}

impl<X: IntoTask> fmt::Debug for GatherUntilError<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherUntilError")
            .field("children", &self.children.len())
            .finish()
    }
}

impl<X> Future for GatherUntilError<X>
where
    X: IntoTask,
    X::Output: Fallible,
{
    type Output = Result<Vec<X::Output>, GatherError<X::Output>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let children = &mut self.children;
        let failed = |slots: &Vec<Slot<X>>, index: usize| match slots[index].outcome() {
            Some(Ok(value)) => value.is_error(),
            Some(Err(_)) => true,
            None => false,
        };
        match children.poll(cx, failed) {
            Progress::Pending => Poll::Pending,
            Progress::Break(index) => {
                children.finish();
                Poll::Ready(Err(match children.slots[index].take() {
                    Some(Ok(failure)) => GatherError::Failed(failure),
                    Some(Err(cancelled)) => GatherError::Cancelled(cancelled),
                    None => GatherError::Cancelled(Cancelled::new()),
                }))
            }
            Progress::Ready => Poll::Ready(Ok(outcomes(children)
                .into_iter()
                .filter_map(Result::ok)
                .collect())),
        }
    }
}
