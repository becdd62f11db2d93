//! Waiting for some or all of a set of tasks (Python's `asyncio.wait`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::task::Task;
use crate::time::{sleep, Sleep};

/// When [`wait`] returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReturnWhen {
    /// As soon as any task ends (Python's `FIRST_COMPLETED`).
    FirstCompleted,
    /// As soon as any task ends with an error, or when all have ended
    /// (Python's `FIRST_EXCEPTION`). A cancelled task is not an error.
    FirstException,
    /// When every task has ended (Python's `ALL_COMPLETED`).
    #[default]
    AllCompleted,
}

/// Whether a task's value counts as an error for
/// [`ReturnWhen::FirstException`]: `Err` for a `Result`; never for plain
/// values. Implement it for your own output types in one line.
pub trait Fallible {
    /// Whether this value is an error.
    fn is_error(&self) -> bool;
}

impl<T, E> Fallible for Result<T, E> {
    fn is_error(&self) -> bool {
        self.is_err()
    }
}

macro_rules! never_fails {
    ($($t:ty),*) => { $( impl Fallible for $t { fn is_error(&self) -> bool { false } } )* };
}

never_fails!(
    (),
    bool,
    char,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    String,
    &'static str
);

impl<T> Fallible for Option<T> {
    fn is_error(&self) -> bool {
        false
    }
}

impl<T> Fallible for Vec<T> {
    fn is_error(&self) -> bool {
        false
    }
}

/// Waits for `tasks` until `return_when` says, or until `timeout` passes,
/// and gives them back as `(done, pending)`, each in the order given
/// (Python's `asyncio.wait`). It never cancels anything itself.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use asyncio::{create_task, sleep, wait, ReturnWhen};
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let (done, pending) = lp
///     .run_until_complete(async {
///         let tasks = [1, 5].map(|s| create_task(sleep(Duration::from_secs(s))));
///         wait(tasks, Some(Duration::from_secs(2)), ReturnWhen::AllCompleted).await
///     })
///     .block()
///     .unwrap();
/// assert_eq!((done.len(), pending.len()), (1, 1));
/// assert_eq!(lp.time(), 2.0);
/// ```
pub fn wait<T, I>(tasks: I, timeout: Option<Duration>, return_when: ReturnWhen) -> Wait<T>
where
    T: Fallible,
    I: IntoIterator<Item = Task<T>>,
{
    Wait {
        tasks: tasks.into_iter().collect(),
        timeout,
        deadline: None,
        return_when,
        finished: false,
    }
}

/// The future returned by [`wait`].
#[must_use = "futures do nothing unless awaited"]
pub struct Wait<T> {
    tasks: Vec<Task<T>>,
    timeout: Option<Duration>,
    deadline: Option<Sleep>,
    return_when: ReturnWhen,
    finished: bool,
}

impl<T> fmt::Debug for Wait<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("tasks", &self.tasks.len())
            .field("timeout", &self.timeout)
            .field("return_when", &self.return_when)
            .finish()
    }
}

impl<T: Fallible + 'static> Wait<T> {
    fn condition_met(&self, cx: &mut Context<'_>) -> bool {
        let mut ended = 0;
        let mut failed = false;
        for task in &self.tasks {
            if task.poll_ended(cx).is_ready() {
                ended += 1;
                if !task.cancelled() {
                    task.with_output(|value| failed |= value.is_some_and(Fallible::is_error));
                }
            }
        }
        match self.return_when {
            ReturnWhen::FirstCompleted => ended > 0 || self.tasks.is_empty(),
            ReturnWhen::FirstException => failed || ended == self.tasks.len(),
            ReturnWhen::AllCompleted => ended == self.tasks.len(),
        }
    }
}

impl<T: Fallible + 'static> Future for Wait<T> {
    type Output = (Vec<Task<T>>, Vec<Task<T>>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.finished {
            return Poll::Pending;
        }
        let mut ready = self.condition_met(cx);
        if !ready {
            if let Some(timeout) = self.timeout {
                let deadline = self.deadline.get_or_insert_with(|| sleep(timeout));
                ready = Pin::new(deadline).poll(cx).is_ready();
            }
        }
        if !ready {
            return Poll::Pending;
        }
        self.finished = true;
        let (done, pending) = std::mem::take(&mut self.tasks)
            .into_iter()
            .partition(|task| task.done());
        Poll::Ready((done, pending))
    }
}
