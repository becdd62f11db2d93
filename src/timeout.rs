//! Waiting with a deadline: [`wait_for`] (a task, cancelled at the deadline,
//! as in Python) and [`timeout`] (the future itself, dropped at the deadline).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::error::{TimeoutError, WaitForError};
use crate::task::{IntoTask, Task};
use crate::time::{sleep, Sleep};

/// Waits for `future` for at most `timeout` (Python's `asyncio.wait_for`).
///
/// `future` runs as a task (a [`Task`] is used as it is), made when the
/// `wait_for` is first polled. At the deadline the
/// task is cancelled, and `wait_for` returns [`WaitForError::Timeout`] once
/// it has finished cancelling (its future dropped, its destructors run). A
/// zero timeout returns the value of a task that is already done, and times
/// out anything else at once. Dropping the `wait_for` future cancels the task.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{sleep, wait_for, WaitForError};
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let outcome = lp
///     .run_until_complete(wait_for(Duration::from_millis(500), sleep(Duration::from_secs(1))))
///     .block()
///     .unwrap();
/// assert!(matches!(outcome, Err(WaitForError::Timeout(_))));
/// assert_eq!(lp.time(), 0.5);
/// ```
pub fn wait_for<X: IntoTask>(timeout: Duration, future: X) -> WaitFor<X> {
    WaitFor {
        input: Some(future),
        task: None,
        timeout,
        deadline: None,
        cancelling: false,
    }
}

/// The future returned by [`wait_for`].
#[must_use = "futures do nothing unless awaited"]
pub struct WaitFor<X: IntoTask> {
    input: Option<X>,
    task: Option<Task<X::Output>>,
    timeout: Duration,
    deadline: Option<Sleep>,
    cancelling: bool,
}

// The input is moved into a task unpolled; nothing here is ever pinned.
impl<X: IntoTask> Unpin for WaitFor<X> {}

impl<X: IntoTask> fmt::Debug for WaitFor<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitFor")
            .field("timeout", &self.timeout)
            .field("cancelling", &self.cancelling)
            .finish_non_exhaustive()
    }
}

impl<X: IntoTask> Future for WaitFor<X> {
    type Output = Result<X::Output, WaitForError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Some(input) = this.input.take() {
            this.task = Some(input.into_task());
        }
        let Some(task) = this.task.as_mut() else {
            return Poll::Pending;
        };
        if !this.cancelling {
            if this.timeout.is_zero() {
                if !task.done() {
                    task.cancel();
                    this.cancelling = true;
                }
            } else {
                let deadline = this.deadline.get_or_insert_with(|| sleep(this.timeout));
                if Pin::new(deadline).poll(cx).is_ready() && !task.done() {
                    task.cancel();
                    this.cancelling = true;
                }
            }
        }
        let result = std::task::ready!(task.poll_join(cx));
        this.task = None;
        Poll::Ready(match result {
            Ok(value) => Ok(value),
            Err(_) if this.cancelling => {
                Err(WaitForError::Timeout(TimeoutError::after(this.timeout)))
            }
            Err(cancelled) => Err(WaitForError::Cancelled(cancelled)),
        })
    }
}

impl<X: IntoTask> Drop for WaitFor<X> {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.cancel();
        }
    }
}

/// Runs `future` in place for at most `duration` (Python 3.11's
/// `asyncio.timeout`): at the deadline the future is dropped, so its
/// destructors run, and [`TimeoutError`] is returned. Unlike [`wait_for`] no
/// task is made.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{sleep, timeout};
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let fast = lp
///     .run_until_complete(timeout(Duration::from_secs(2), async {
///         sleep(Duration::from_secs(1)).await;
///         "made it"
///     }))
///     .block()
///     .unwrap();
/// assert_eq!(fast, Ok("made it"));
/// let slow = lp
///     .run_until_complete(timeout(Duration::from_secs(1), sleep(Duration::from_secs(5))))
///     .block()
///     .unwrap();
/// assert!(slow.is_err());
/// assert_eq!(lp.time(), 2.0);
/// ```
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(Box::pin(future)),
        duration,
        deadline: None,
    }
}

/// The future returned by [`timeout`].
#[must_use = "futures do nothing unless awaited"]
pub struct Timeout<F: Future> {
    future: Option<Pin<Box<F>>>,
    duration: Duration,
    deadline: Option<Sleep>,
}

impl<F: Future> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("duration", &self.duration)
            .field("done", &self.future.is_none())
            .finish()
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, TimeoutError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let Some(future) = this.future.as_mut() else {
            return Poll::Pending;
        };
        // The deadline is armed before the future first runs and checked
        // before each later poll, as Python's timeout is: at a tie, the
        // deadline wins.
        let duration = this.duration;
        let deadline = this.deadline.get_or_insert_with(|| sleep(duration));
        if Pin::new(deadline).poll(cx).is_ready() {
            this.future = None;
            return Poll::Ready(Err(TimeoutError::after(duration)));
        }
        if let Poll::Ready(value) = future.as_mut().poll(cx) {
            this.future = None;
            return Poll::Ready(Ok(value));
        }
        Poll::Pending
    }
}
