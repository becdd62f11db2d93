//! Structured concurrency (Python 3.11's `asyncio.TaskGroup`).
//!
//! # Invariants
//! - The group counts children that have not ended; each child's done
//!   callback decrements the count and wakes [`TaskGroup::join`].
//! - The first child to fail starts the abort, via `call_soon` (as Python's
//!   done callback does): siblings already due to run in the same instant
//!   run first, so if they fail too their failures are kept. Then every
//!   child still running is cancelled, and children created afterwards are
//!   born cancelled. Every failure is reported, not only the first.
//! - Children hold only a weak reference to the group, so when the last
//!   handle is dropped without joining, the group cancels its children;
//!   dropping an unfinished `join` (its awaiting task was cancelled) does
//!   the same.

use std::cell::{Cell, RefCell};
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use crate::runtime::callbacks::CallbackQueue;
use crate::runtime::context;
use crate::task::Task;
use crate::task_builder::TaskBuilder;
use crate::task_ref::TaskRef;
use crate::trace::WaitReason;

/// Every failure of a [`TaskGroup`]'s children (Python's `ExceptionGroup`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskGroupError<E> {
    /// The errors, in the order the children failed.
    pub errors: Vec<E>,
}

impl<E: fmt::Display> fmt::Display for TaskGroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        write!(
            f,
            "{count} task{} of the group failed",
            if count == 1 { "" } else { "s" }
        )?;
        for (index, err) in self.errors.iter().enumerate() {
            write!(f, "{} {err}", if index == 0 { ":" } else { ";" })?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug + fmt::Display> Error for TaskGroupError<E> {}

struct GroupState<E> {
    children: RefCell<Vec<TaskRef>>,
    running: Cell<usize>,
    errors: RefCell<Vec<E>>,
    aborting: Cell<bool>,
    abort_scheduled: Cell<bool>,
    joined: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl<E: 'static> GroupState<E> {
    fn fail(self: &Rc<Self>, err: E) {
        self.errors.borrow_mut().push(err);
        if self.abort_scheduled.replace(true) {
            return;
        }
        let group = Rc::downgrade(self);
        let abort = move || {
            if let Some(group) = group.upgrade() {
                group.abort("a sibling task failed");
            }
        };
        let queued =
            CallbackQueue::running().is_some_and(|queue| queue.call_soon(Box::new(abort)).is_ok());
        if !queued {
            self.abort("a sibling task failed");
        }
    }
}

impl<E> GroupState<E> {
    fn abort(&self, reason: &str) {
        if self.aborting.replace(true) {
            return;
        }
        let children = std::mem::take(&mut *self.children.borrow_mut());
        for child in &children {
            child.cancel_with_message(reason);
        }
        *self.children.borrow_mut() = children;
    }

    fn child_ended(&self) {
        self.running.set(self.running.get().saturating_sub(1));
        if self.running.get() == 0 {
            if let Some(waker) = self.waker.borrow_mut().take() {
                waker.wake();
            }
        }
    }
}

impl<E> Drop for GroupState<E> {
    fn drop(&mut self) {
        if !self.joined.get() {
            self.abort("its task group was dropped");
        }
    }
}

/// A group of child tasks that end together (Python 3.11's
/// `asyncio.TaskGroup`): [`join`](TaskGroup::join) waits for all of them;
/// the first child to fail cancels the rest, and `join` reports every
/// failure.
///
/// Children return `Result<T, E>`; the task handle [`create_task`](TaskGroup::create_task)
/// gives back yields `Some(value)`, or `None` if the child failed (its
/// error went to the group).
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{sleep, TaskGroup};
///
/// async fn fetch(n: u64) -> Result<u64, String> {
///     sleep(Duration::from_secs(n)).await;
///     if n == 2 { Err("page 2 is missing".into()) } else { Ok(n * 10) }
/// }
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let outcome = lp
///     .run_until_complete(async {
///         let group = TaskGroup::new();
///         let first = group.create_task(fetch(1));
///         let _slow = group.create_task(fetch(5));
///         let _bad = group.create_task(fetch(2));
///         let joined = group.join().await;
///         (first.await, joined)
///     })
///     .block()
///     .unwrap();
/// assert_eq!(outcome.0, Ok(Some(10)));
/// assert_eq!(outcome.1.unwrap_err().errors, ["page 2 is missing"]);
/// assert_eq!(lp.time(), 2.0); // the 5 s child was cancelled at 2 s
/// ```
pub struct TaskGroup<E> {
    state: Rc<GroupState<E>>,
}

impl<E> Clone for TaskGroup<E> {
    fn clone(&self) -> Self {
        TaskGroup {
            state: Rc::clone(&self.state),
        }
    }
}

impl<E> fmt::Debug for TaskGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskGroup")
            .field("running", &self.state.running.get())
            .field("failures", &self.state.errors.borrow().len())
            .field("aborting", &self.state.aborting.get())
            .finish()
    }
}

impl<E: 'static> Default for TaskGroup<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: 'static> TaskGroup<E> {
    /// An empty group.
    pub fn new() -> Self {
        TaskGroup {
            state: Rc::new(GroupState {
                children: RefCell::new(Vec::new()),
                running: Cell::new(0),
                errors: RefCell::new(Vec::new()),
                aborting: Cell::new(false),
                abort_scheduled: Cell::new(false),
                joined: Cell::new(false),
                waker: RefCell::new(None),
            }),
        }
    }

    /// Starts `future` as a child of the group. After a failure, or after
    /// the group was joined, the child is born cancelled.
    pub fn create_task<F, T>(&self, future: F) -> Task<Option<T>>
    where
        F: Future<Output = Result<T, E>> + 'static,
        T: 'static,
    {
        self.create_task_with(TaskBuilder::new(), future)
    }

    /// As [`create_task`](Self::create_task), with the child's options: a
    /// name, and cancellation delivered to it instead of dropping it (for
    /// children that must run cleanup code when the group aborts, such as
    /// Python coroutines).
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use asyncio::{sleep, take_cancellation, TaskBuilder, TaskGroup};
    ///
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// let outcome = lp
    ///     .run_until_complete(async {
    ///         let group: TaskGroup<&str> = TaskGroup::new();
    ///         let careful = group.create_task_with(
    ///             TaskBuilder::new().name("careful").deliver_cancellation(),
    ///             async {
    ///                 let mut nap = Box::pin(sleep(Duration::from_secs(10)));
    ///                 std::future::poll_fn(|cx| match take_cancellation() {
    ///                     // Told to stop: it cleans up and reports it.
    ///                     Some(_) => std::task::Poll::Ready(Ok("cleaned up")),
    ///                     None => nap.as_mut().poll(cx).map(|()| Ok("slept")),
    ///                 })
    ///                 .await
    ///             },
    ///         );
    ///         group
    ///             .create_task(async { sleep(Duration::from_secs(1)).await; Err::<(), _>("failed") })
    ///             .detach();
    ///         let joined = group.join().await;
    ///         (careful.await, joined)
    ///     })
    ///     .block()
    ///     .unwrap();
    /// assert_eq!(outcome.0, Ok(Some("cleaned up")));
    /// assert_eq!(outcome.1.unwrap_err().errors, ["failed"]);
    /// # use std::future::Future;
    /// ```
    pub fn create_task_with<F, T>(&self, builder: TaskBuilder, future: F) -> Task<Option<T>>
    where
        F: Future<Output = Result<T, E>> + 'static,
        T: 'static,
    {
        let group: Weak<GroupState<E>> = Rc::downgrade(&self.state);
        let task = builder.spawn(async move {
            match future.await {
                Ok(value) => Some(value),
                Err(err) => {
                    if let Some(group) = group.upgrade() {
                        group.fail(err);
                    }
                    None
                }
            }
        });
        let state = &self.state;
        if state.aborting.get() || state.joined.get() {
            task.cancel_with_message(if state.joined.get() {
                "the task group has finished"
            } else {
                "the task group is shutting down"
            });
        }
        if !task.done() {
            state.running.set(state.running.get() + 1);
            state.children.borrow_mut().push(task.to_ref());
            let group = Rc::downgrade(&self.state);
            task.add_done_callback(move |_| {
                if let Some(group) = group.upgrade() {
                    group.child_ended();
                }
            });
        }
        task
    }

    /// Children that have not ended.
    pub fn running(&self) -> usize {
        self.state.running.get()
    }

    /// Waits until every child has ended: `Ok(())`, or every failure.
    /// Dropping the `join` before it completes cancels the children.
    pub fn join(self) -> Join<E> {
        Join {
            state: Some(self.state),
        }
    }
}

/// The future returned by [`TaskGroup::join`].
#[must_use = "futures do nothing unless awaited"]
pub struct Join<E> {
    state: Option<Rc<GroupState<E>>>,
}

impl<E> fmt::Debug for Join<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join")
            .field("finished", &self.state.is_none())
            .finish()
    }
}

impl<E> Future for Join<E> {
    type Output = Result<(), TaskGroupError<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(state) = self.state.as_ref() else {
            return Poll::Pending;
        };
        if state.running.get() > 0 {
            *state.waker.borrow_mut() = Some(cx.waker().clone());
            context::note_wait(WaitReason::Task);
            return Poll::Pending;
        }
        state.joined.set(true);
        let errors = std::mem::take(&mut *state.errors.borrow_mut());
        self.state = None;
        Poll::Ready(if errors.is_empty() {
            Ok(())
        } else {
            Err(TaskGroupError { errors })
        })
    }
}

impl<E> Drop for Join<E> {
    fn drop(&mut self) {
        if let Some(state) = self.state.take() {
            state.abort("the task awaiting its group was cancelled");
        }
    }
}
