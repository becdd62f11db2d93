//! A task seen without its output type: Python's view of a task, for
//! `current_task()`, `all_tasks()` and code that only names, cancels or
//! watches tasks.

use std::fmt;

use crate::runtime::context;
use crate::runtime::task_cell::TaskInfo;
use crate::runtime::task_cell::{Status, TaskHeader};
use crate::runtime::task_rc::TaskRc;
use crate::trace::TaskId;

/// A handle to a task that does not know its output type: it can name,
/// cancel and watch the task, not take its value. Cloning gives another
/// handle to the same task; dropping one never cancels it.
///
/// # Examples
/// ```
/// let lp = asyncio::EventLoop::virtual_clock();
/// let names = lp
///     .run_until_complete(async {
///         let child = asyncio::create_task(async {});
///         child.set_name("child");
///         let me = asyncio::current_task().unwrap();
///         me.set_name("main");
///         asyncio::all_tasks().iter().map(|t| t.name()).collect::<Vec<_>>()
///     })
///     .block()
///     .unwrap();
/// assert_eq!(names, ["main", "child"]);
/// ```
#[derive(Clone)]
pub struct TaskRef {
    raw: TaskRc,
}

impl TaskRef {
    pub(crate) fn new(raw: TaskRc) -> Self {
        TaskRef { raw }
    }

    fn header(&self) -> &TaskHeader {
        &self.raw.header
    }

    /// The task's id within its loop.
    pub fn id(&self) -> TaskId {
        self.header().id
    }

    /// The task's name: `Task-N` unless set.
    pub fn name(&self) -> String {
        self.header().name()
    }

    /// Renames the task.
    pub fn set_name(&self, name: impl Into<String>) {
        self.header().rename(name.into());
    }

    /// Whether the task has ended.
    pub fn done(&self) -> bool {
        self.header().status() != Status::Pending
    }

    /// Whether the task was cancelled.
    pub fn cancelled(&self) -> bool {
        self.header().status() == Status::Cancelled
    }

    /// As [`Task::cancel`](crate::Task::cancel).
    pub fn cancel(&self) -> bool {
        self.raw.cancel(None)
    }

    /// As [`Task::cancel_with_message`](crate::Task::cancel_with_message).
    pub fn cancel_with_message(&self, message: impl Into<String>) -> bool {
        self.raw.cancel(Some(message.into()))
    }

    /// As [`Task::cancelling`](crate::Task::cancelling).
    pub fn cancelling(&self) -> u32 {
        self.header().cancelling()
    }

    /// As [`Task::uncancel`](crate::Task::uncancel).
    pub fn uncancel(&self) -> u32 {
        self.header().uncancel()
    }

    /// As [`Task::add_done_callback`](crate::Task::add_done_callback).
    pub fn add_done_callback(&self, callback: impl FnOnce(&TaskInfo) + 'static) {
        self.header().when_done(Box::new(callback));
    }
}

impl PartialEq for TaskRef {
    fn eq(&self, other: &Self) -> bool {
        TaskRc::ptr_eq(&self.raw, &other.raw)
    }
}

impl Eq for TaskRef {}

impl fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = self.header();
        f.debug_struct("TaskRef")
            .field("id", &header.id)
            .field("name", &header.name())
            .field("status", &header.status())
            .finish()
    }
}

impl fmt::Display for TaskRef {
    /// Python's task repr without the result: `<Task pending name='Task-1'>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        let state = match self.header().status() {
            Status::Pending => "pending",
            Status::Finished => "finished",
            Status::Cancelled => "cancelled",
        };
        write!(f, "<Task {state} name='{name}'>")
    }
}

/// The task being polled by the running loop (Python's
/// `asyncio.current_task()`); `None` outside a task.
pub fn current_task() -> Option<TaskRef> {
    context::current_task().map(TaskRef::new)
}

/// The running loop's tasks that have not ended, in the order they were
/// made (Python's `asyncio.all_tasks()`); empty outside a loop.
pub fn all_tasks() -> Vec<TaskRef> {
    context::all_tasks().into_iter().map(TaskRef::new).collect()
}

/// Tells the running loop which source line the current task's code is at
/// (`None` to forget it); the trace records it with each wait. For drivers
/// of interpreted code, such as Python programs. Outside a task, nothing.
pub fn set_task_line(line: Option<u32>) {
    if let Some(task) = context::current_task() {
        task.header.set_line(line);
    }
}
