//! The queues' errors: full, empty, and `task_done` called too often.

use std::error::Error;
use std::fmt;

/// [`put_nowait`](crate::Queue::put_nowait) found the queue full (Python's
/// `asyncio.QueueFull`). The item is given back.
///
/// # Examples
/// ```
/// use asyncio::{Queue, QueueFull};
///
/// let queue = Queue::new(1);
/// queue.put_nowait("first").unwrap();
/// let err = queue.put_nowait("second").unwrap_err();
/// assert_eq!(err, QueueFull("second"));
/// assert_eq!(err.into_inner(), "second");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct QueueFull<T>(pub T);

impl<T> QueueFull<T> {
    /// The item that was not put.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(asyncio::QueueFull(7).into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for QueueFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueueFull(..)")
    }
}

impl<T> fmt::Display for QueueFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is full")
    }
}

impl<T> Error for QueueFull<T> {}

/// [`get_nowait`](crate::Queue::get_nowait) found no item to take (Python's
/// `asyncio.QueueEmpty`).
///
/// # Examples
/// ```
/// let queue = asyncio::Queue::<u8>::new(0);
/// assert_eq!(queue.get_nowait(), Err(asyncio::QueueEmpty));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueEmpty;

impl fmt::Display for QueueEmpty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is empty")
    }
}

impl Error for QueueEmpty {}

/// [`task_done`](crate::Queue::task_done) was called more times than items
/// were put (Python's `ValueError: task_done() called too many times`).
///
/// # Examples
/// ```
/// let queue = asyncio::Queue::<u8>::new(0);
/// let err = queue.task_done().unwrap_err();
/// assert_eq!(err.to_string(), "task_done() called too many times");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done() called too many times")
    }
}

impl Error for TaskDoneError {}
