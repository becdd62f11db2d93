//! The runtime's error types: small, typed, one per concern.

use std::borrow::Cow;
use std::error::Error;
use std::fmt;

/// A task or future was cancelled before it produced a value
/// (Python's `asyncio.CancelledError`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cancelled {
    message: Option<Cow<'static, str>>,
}

impl Cancelled {
    /// A cancellation with no message.
    pub const fn new() -> Self {
        Self { message: None }
    }

    pub(crate) fn with_message(message: Option<String>) -> Self {
        Self {
            message: message.map(Cow::Owned),
        }
    }

    /// Why it was cancelled, when a reason was given.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl Default for Cancelled {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => write!(f, "cancelled: {message}"),
            None => f.write_str("cancelled"),
        }
    }
}

impl Error for Cancelled {}

/// Why [`EventLoop::run_until_complete`](crate::EventLoop::run_until_complete)
/// or [`run`](crate::run) gave no value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunError {
    /// The loop is closed.
    Closed,
    /// The loop is already running `run_until_complete`.
    AlreadyRunning,
    /// Called from inside a running loop's task or callback; a loop cannot
    /// be started (and waited for) from inside another.
    NestedLoop,
    /// The main task was cancelled.
    Cancelled(Cancelled),
    /// [`EventLoop::stop`](crate::EventLoop::stop) ended the run before the
    /// main task completed (Python's "Event loop stopped before Future
    /// completed"). The main task was not cancelled: it stays pending.
    Stopped,
    /// On the virtual clock: nothing was ready, no timer was set and nothing
    /// outside the loop could wake it, so the main task could never finish.
    Stalled,
    /// [`RunUntilComplete::block`](crate::RunUntilComplete::block) was used
    /// where the run needs the host's own event loop (the browser's real
    /// clock, or I/O in flight); await the run instead.
    WouldBlock,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Closed => f.write_str("the event loop is closed"),
            Self::AlreadyRunning => f.write_str("the event loop is already running"),
            Self::NestedLoop => f.write_str(
                "cannot run an event loop from inside a running event loop; await the coroutine instead",
            ),
            Self::Cancelled(cancelled) => write!(f, "the main task was {cancelled}"),
            Self::Stopped => f.write_str("the event loop stopped before the main task completed"),
            Self::Stalled => f.write_str(
                "the loop stalled: the main task waits, but no task is ready and no timer is set",
            ),
            Self::WouldBlock => f.write_str(
                "this run needs the host's event loop to make progress; await it instead of blocking",
            ),
        }
    }
}

impl Error for RunError {}

/// An operation on an [`EventLoop`](crate::EventLoop) that its state does not allow.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoopError {
    /// `close` was called while the loop is running.
    Running,
    /// The requested scheduling backend does not exist on this host.
    BackendUnavailable {
        /// The backend asked for.
        backend: &'static str,
        /// Why it is not there.
        reason: &'static str,
    },
    /// The real clock needs a browser; natively only the virtual clock exists.
    RealClockUnavailable,
}

impl fmt::Display for LoopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Running => f.write_str("cannot close a running event loop"),
            Self::BackendUnavailable { backend, reason } => {
                write!(f, "the {backend} backend is not available: {reason}")
            }
            Self::RealClockUnavailable => {
                f.write_str("the real clock needs a browser host; use the virtual clock natively")
            }
        }
    }
}

impl Error for LoopError {}

/// No event loop is running on this thread (Python's
/// `RuntimeError: no running event loop`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct NoRunningLoop;

impl fmt::Display for NoRunningLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no running event loop")
    }
}

impl Error for NoRunningLoop {}

/// A delay given in seconds that is not a number of seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum InvalidDelay {
    /// The value was NaN.
    NotANumber,
    /// The value was infinite, or too large for a `Duration`.
    Infinite(f64),
}

impl fmt::Display for InvalidDelay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotANumber => f.write_str("delay must be a number of seconds, got NaN"),
            Self::Infinite(value) => {
                write!(f, "delay must be a finite number of seconds, got {value}")
            }
        }
    }
}

impl Error for InvalidDelay {}

/// Why [`Task::result`](crate::Task::result) has no value to give.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskResultError {
    /// The task has not finished (Python's `InvalidStateError`).
    Pending,
    /// The task was cancelled.
    Cancelled(Cancelled),
    /// The value was already moved out by awaiting the task.
    Taken,
}

impl fmt::Display for TaskResultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pending => f.write_str("result is not set: the task is still pending"),
            Self::Cancelled(cancelled) => write!(f, "the task was {cancelled}"),
            Self::Taken => f.write_str("the result was already taken by awaiting the task"),
        }
    }
}

impl Error for TaskResultError {}

/// A wait ran out of time (Python's `TimeoutError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    after: std::time::Duration,
}

impl TimeoutError {
    pub(crate) fn after(after: std::time::Duration) -> Self {
        Self { after }
    }

    /// How long was waited.
    pub fn duration(&self) -> std::time::Duration {
        self.after
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timed out after {} s", self.after.as_secs_f64())
    }
}

impl Error for TimeoutError {}

/// Why [`wait_for`](crate::wait_for) gave no value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitForError {
    /// The timeout passed; the inner task was cancelled and has finished
    /// cancelling.
    Timeout(TimeoutError),
    /// The inner task was cancelled by someone else.
    Cancelled(Cancelled),
}

impl fmt::Display for WaitForError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout(timeout) => timeout.fmt(f),
            Self::Cancelled(cancelled) => write!(f, "the awaited task was {cancelled}"),
        }
    }
}

impl Error for WaitForError {}

/// Why a [`Future`](crate::Future) has no value to give (Python's
/// `InvalidStateError`, `CancelledError`, or the exception it was given).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FutureError<E> {
    /// Not done yet, or (for `set_result` / `set_exception`) already done.
    InvalidState,
    /// The future was cancelled.
    Cancelled(Cancelled),
    /// The future was given this exception.
    Exception(E),
}

impl<E: fmt::Display> fmt::Display for FutureError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidState => {
                f.write_str("invalid state: the future is not in a state that allows this")
            }
            Self::Cancelled(cancelled) => write!(f, "the future was {cancelled}"),
            Self::Exception(err) => write!(f, "the future failed: {err}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> Error for FutureError<E> {}
