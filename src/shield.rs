//! Protecting a task from its awaiter's cancellation (Python's `asyncio.shield`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::Cancelled;
use crate::task::{IntoTask, Task};

/// Runs `future` as a task (made at first poll; a [`Task`] is used as it
/// is) that cancelling (dropping) this await does not
/// cancel: the task runs on, and can still be awaited through another
/// handle or observed through its effects.
///
/// # Examples
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
/// use asyncio::{create_task, shield, sleep};
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let saved = Rc::new(Cell::new(false));
/// let flag = Rc::clone(&saved);
/// lp.run_until_complete(async move {
///     let outer = create_task(shield(async move {
///         sleep(Duration::from_secs(2)).await;
///         flag.set(true);
///     }));
///     sleep(Duration::from_secs(1)).await;
///     outer.cancel(); // cancels the await, not the shielded work
///     sleep(Duration::from_secs(2)).await;
/// })
/// .block()
/// .unwrap();
/// assert!(saved.get());
/// ```
pub fn shield<X: IntoTask>(future: X) -> Shield<X> {
    Shield {
        input: Some(future),
        task: None,
    }
}

/// The future returned by [`shield`].
#[must_use = "futures do nothing unless awaited"]
pub struct Shield<X: IntoTask> {
    input: Option<X>,
    task: Option<Task<X::Output>>,
}

// The input is moved into a task unpolled; nothing here is ever pinned.
impl<X: IntoTask> Unpin for Shield<X> {}

impl<X: IntoTask> fmt::Debug for Shield<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shield").field("task", &self.task).finish()
    }
}

impl<X: IntoTask> Future for Shield<X> {
    type Output = Result<X::Output, Cancelled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Some(input) = this.input.take() {
            this.task = Some(input.into_task());
        }
        match this.task.as_mut() {
            // Dropping a `Task` handle never cancels the task, so dropping
            // the shield leaves the inner task running: the whole point.
            Some(task) => task.poll_join_shielded(cx),
            None => Poll::Pending,
        }
    }
}
