//! Running futures concurrently and collecting their values in argument
//! order (Python's `asyncio.gather`).
//!
//! Every input runs as a task ([`IntoTask`]): a [`Task`] is used as it is,
//! any other future is scheduled, so each shows as its own task in the
//! trace. The tasks are made when the gather is first polled (futures are
//! lazy). Values come back in argument order, whatever order the tasks
//! finish in.
//!
//! # Invariants
//! - Dropping a gather before it completes (the awaiting task was
//!   cancelled) cancels every child that has not ended, as cancelling a
//!   Python gather does. Once a gather has completed, dropping it leaves any
//!   still-running child alone.
//! - [`try_gather`] cancels the other children as soon as one fails.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::Cancelled;
use crate::task::{IntoTask, Task};

/// One child of a gather: its input until first polled, then its task until
/// it ends, then its outcome.
#[doc(hidden)]
pub struct Slot<X: IntoTask> {
    input: Option<X>,
    task: Option<Task<X::Output>>,
    outcome: Option<Result<X::Output, Cancelled>>,
}

impl<X: IntoTask> fmt::Debug for Slot<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot")
            .field("ended", &self.outcome.is_some())
            .finish()
    }
}

impl<X: IntoTask> Slot<X> {
    #[doc(hidden)]
    pub fn new(input: X) -> Self {
        Slot {
            input: Some(input),
            task: None,
            outcome: None,
        }
    }

    /// Polls the child, making its task first if needed; true once it has ended.
    fn poll_ended(&mut self, cx: &mut Context<'_>) -> bool {
        if let Some(input) = self.input.take() {
            self.task = Some(input.into_task());
        }
        if let Some(task) = self.task.as_mut() {
            match task.poll_join(cx) {
                Poll::Ready(outcome) => {
                    self.task = None;
                    self.outcome = Some(outcome);
                }
                Poll::Pending => return false,
            }
        }
        true
    }

    fn failed(&self) -> Option<&Cancelled> {
        match &self.outcome {
            Some(Err(cancelled)) => Some(cancelled),
            _ => None,
        }
    }

    fn cancel(&self) {
        if let Some(task) = &self.task {
            task.cancel();
        }
    }

    fn take(&mut self) -> Option<Result<X::Output, Cancelled>> {
        self.outcome.take()
    }
}

// Inputs are moved into tasks unpolled and outputs are plain values, so
// nothing in a slot is ever pinned: every gather future may move freely.
impl<X: IntoTask> Unpin for Slot<X> {}

/// The children of a list gather, with the rule for finishing early.
struct Children<X: IntoTask> {
    slots: Vec<Slot<X>>,
    finished: bool,
}

impl<X: IntoTask> Children<X> {
    fn new(items: impl IntoIterator<Item = X>) -> Self {
        Children {
            slots: items.into_iter().map(Slot::new).collect(),
            finished: false,
        }
    }

    /// Polls every child still running; true when all have ended.
    fn poll_all(&mut self, cx: &mut Context<'_>) -> bool {
        let mut all = true;
        for slot in &mut self.slots {
            all &= slot.poll_ended(cx);
        }
        all
    }

    fn cancel_running(&self) {
        for slot in &self.slots {
            slot.cancel();
        }
    }

    fn outcomes(&mut self) -> Vec<Result<X::Output, Cancelled>> {
        self.finished = true;
        self.slots.iter_mut().filter_map(Slot::take).collect()
    }
}

impl<X: IntoTask> Drop for Children<X> {
    fn drop(&mut self) {
        if !self.finished {
            self.cancel_running();
        }
    }
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
        children: Children::new(items),
    }
}

/// The future returned by [`gather`].
#[must_use = "futures do nothing unless awaited"]
pub struct Gather<X: IntoTask> {
    children: Children<X>,
}

impl<X: IntoTask> fmt::Debug for Gather<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gather")
            .field("children", &self.children.slots.len())
            .finish()
    }
}

impl<X: IntoTask> Future for Gather<X> {
    type Output = Result<Vec<X::Output>, Cancelled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let children = &mut self.children;
        if children.finished {
            return Poll::Pending;
        }
        let all_ended = children.poll_all(cx);
        if let Some(cancelled) = children.slots.iter().find_map(Slot::failed) {
            let cancelled = cancelled.clone();
            children.finished = true;
            return Poll::Ready(Err(cancelled));
        }
        if !all_ended {
            return Poll::Pending;
        }
        Poll::Ready(children.outcomes().into_iter().collect())
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
        children: Children::new(items),
    }
}

/// The future returned by [`gather_results`].
#[must_use = "futures do nothing unless awaited"]
pub struct GatherResults<X: IntoTask> {
    children: Children<X>,
}

impl<X: IntoTask> fmt::Debug for GatherResults<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherResults")
            .field("children", &self.children.slots.len())
            .finish()
    }
}

impl<X: IntoTask> Future for GatherResults<X> {
    type Output = Vec<Result<X::Output, Cancelled>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let children = &mut self.children;
        if children.finished || !children.poll_all(cx) {
            return Poll::Pending;
        }
        Poll::Ready(children.outcomes())
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
        children: Children::new(items),
    }
}

/// The future returned by [`try_gather`].
#[must_use = "futures do nothing unless awaited"]
pub struct TryGather<X: IntoTask> {
    children: Children<X>,
}

impl<X: IntoTask> fmt::Debug for TryGather<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryGather")
            .field("children", &self.children.slots.len())
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
        if children.finished {
            return Poll::Pending;
        }
        let all_ended = children.poll_all(cx);
        let first_failure = children
            .slots
            .iter()
            .position(|slot| matches!(slot.outcome, Some(Err(_)) | Some(Ok(Err(_)))));
        if let Some(index) = first_failure {
            children.cancel_running();
            children.finished = true;
            return Poll::Ready(Err(match children.slots[index].take() {
                Some(Ok(Err(err))) => GatherError::Failed(err),
                Some(Err(cancelled)) => GatherError::Cancelled(cancelled),
                _ => GatherError::Cancelled(Cancelled::new()),
            }));
        }
        if !all_ended {
            return Poll::Pending;
        }
        let mut values = Vec::with_capacity(children.slots.len());
        for outcome in children.outcomes() {
            if let Ok(Ok(value)) = outcome {
                values.push(value);
            }
        }
        Poll::Ready(Ok(values))
    }
}

/// A fixed set of gathered children of different types; implemented for
/// tuples of up to eight [`Slot`]s. Used by [`gather!`](crate::gather!).
#[doc(hidden)]
pub trait SlotTuple {
    type Output;
    fn poll_all(&mut self, cx: &mut Context<'_>) -> Poll<Result<Self::Output, Cancelled>>;
    fn cancel_running(&self);
}

macro_rules! slot_tuple {
    ($($T:ident $i:tt),+) => {
        impl<$($T: IntoTask),+> SlotTuple for ($(Slot<$T>,)+) {
            type Output = ($($T::Output,)+);

            fn poll_all(&mut self, cx: &mut Context<'_>) -> Poll<Result<Self::Output, Cancelled>> {
                let mut all = true;
                $( all &= self.$i.poll_ended(cx); )+
                $( if let Some(cancelled) = self.$i.failed() {
                    return Poll::Ready(Err(cancelled.clone()));
                } )+
                if !all {
                    return Poll::Pending;
                }
                #[allow(non_snake_case)]
                match ($(self.$i.take(),)+) {
                    ($(Some(Ok($T)),)+) => Poll::Ready(Ok(($($T,)+))),
                    _ => Poll::Ready(Err(Cancelled::new())),
                }
            }

            fn cancel_running(&self) {
                $( self.$i.cancel(); )+
            }
        }
    };
}

slot_tuple!(A 0);
slot_tuple!(A 0, B 1);
slot_tuple!(A 0, B 1, C 2);
slot_tuple!(A 0, B 1, C 2, D 3);
slot_tuple!(A 0, B 1, C 2, D 3, E 4);
slot_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
slot_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
slot_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// The future made by [`gather!`](crate::gather!).
#[doc(hidden)]
#[must_use = "futures do nothing unless awaited"]
pub struct GatherTuple<S: SlotTuple> {
    slots: S,
    finished: bool,
}

impl<S: SlotTuple> fmt::Debug for GatherTuple<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherTuple")
            .field("finished", &self.finished)
            .finish()
    }
}

impl<S: SlotTuple> GatherTuple<S> {
    #[doc(hidden)]
    pub fn new(slots: S) -> Self {
        GatherTuple {
            slots,
            finished: false,
        }
    }
}

impl<S: SlotTuple + Unpin> Future for GatherTuple<S> {
    type Output = Result<S::Output, Cancelled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.finished {
            return Poll::Pending;
        }
        let poll = self.slots.poll_all(cx);
        if poll.is_ready() {
            self.finished = true;
        }
        poll
    }
}

impl<S: SlotTuple> Drop for GatherTuple<S> {
    fn drop(&mut self) {
        if !self.finished {
            self.slots.cancel_running();
        }
    }
}

/// Gathers futures of different types: `gather!(a, b, c).await` gives
/// `Ok((a_value, b_value, c_value))`, or the [`Cancelled`] of a cancelled
/// child. Up to eight futures; each runs as a task.
///
/// # Examples
/// ```
/// use std::time::Duration;
///
/// async fn greet() -> &'static str {
///     asyncio::sleep(Duration::from_secs(1)).await;
///     "hello"
/// }
/// async fn count() -> usize {
///     asyncio::sleep(Duration::from_secs(2)).await;
///     3
/// }
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let out = lp.run_until_complete(async { asyncio::gather!(greet(), count()).await }).block();
/// assert_eq!(out, Ok(Ok(("hello", 3))));
/// assert_eq!(lp.time(), 2.0);
/// ```
#[macro_export]
macro_rules! gather {
    ($($future:expr),+ $(,)?) => {
        $crate::__gather_tuple(($($crate::__gather_slot($future),)+))
    };
}

#[doc(hidden)]
pub fn __gather_slot<X: IntoTask>(input: X) -> Slot<X> {
    Slot::new(input)
}

#[doc(hidden)]
pub fn __gather_tuple<S: SlotTuple>(slots: S) -> GatherTuple<S> {
    GatherTuple::new(slots)
}
