//! What a loop records when tracing is on: the raw material of the
//! playground's console and timeline.
//!
//! Tracing is off by default; then recording costs one branch on a flag.
//! Turn it on with [`LoopBuilder::trace`](crate::LoopBuilder::trace) or
//! [`EventLoop::set_trace`](crate::EventLoop::set_trace), and read it with
//! [`EventLoop::trace`](crate::EventLoop::trace).
//!
//! # Examples
//! ```
//! use asyncio::{EventLoop, TraceEvent};
//! use std::time::Duration;
//!
//! let lp = EventLoop::virtual_clock();
//! lp.set_trace(true);
//! lp.run_until_complete(async { asyncio::sleep(Duration::from_secs(1)).await })
//!     .block()
//!     .unwrap();
//! let fired = lp.trace().iter().filter(|r| matches!(r.event, TraceEvent::TimerFired { .. })).count();
//! assert_eq!(fired, 1);
//! ```

use std::fmt;

/// A task's number within its loop, as in Python's `Task-1`, `Task-2`, ...
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub u64);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Task-{}", self.0)
    }
}

/// A timer's number within its loop (sleeps, `call_later`, `call_at`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(pub u64);

/// Who made a task ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WakeSource {
    /// A timer fired (a sleep or a timeout ended).
    Timer(TimerId),
    /// Another task (or the task itself, for `yield_now`) woke it while running.
    Task(TaskId),
    /// A callback run by the loop (`call_soon`, `call_later`) woke it.
    Callback,
    /// Something outside the loop woke it: I/O completion, a browser event,
    /// another loop.
    Io,
}

/// What a task is waiting on when its poll returns pending: the label of a
/// wait span in the playground's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitReason {
    /// A sleep, or a timeout.
    Sleep,
    /// Another task to finish.
    Task,
    /// A `Future` to be given a result.
    Future,
    /// An `Event` to be set.
    Event,
    /// A `Lock` to be released.
    Lock,
    /// A `Semaphore` permit.
    Semaphore,
    /// A `Condition` to be notified.
    Condition,
    /// Room in a full `Queue`.
    QueuePut,
    /// An item in an empty `Queue`.
    QueueGet,
    /// An HTTP response or body.
    Fetch,
    /// A WebSocket.
    WebSocket,
    /// A job on an executor's worker.
    Executor,
}

impl WaitReason {
    /// A short lowercase label: `sleep`, `task`, `event`, `lock`, ...
    pub fn label(self) -> &'static str {
        match self {
            WaitReason::Sleep => "sleep",
            WaitReason::Task => "task",
            WaitReason::Future => "future",
            WaitReason::Event => "event",
            WaitReason::Lock => "lock",
            WaitReason::Semaphore => "semaphore",
            WaitReason::Condition => "condition",
            WaitReason::QueuePut => "queue put",
            WaitReason::QueueGet => "queue get",
            WaitReason::Fetch => "fetch",
            WaitReason::WebSocket => "websocket",
            WaitReason::Executor => "executor",
        }
    }
}

/// One thing that happened in a loop.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum TraceEvent {
    /// A task was created.
    TaskCreated {
        /// The new task.
        task: TaskId,
        /// Its name at creation.
        name: String,
        /// The task that created it, if it was created from inside one.
        parent: Option<TaskId>,
    },
    /// The loop started polling a task.
    PollStart {
        /// The polled task.
        task: TaskId,
    },
    /// The loop finished polling a task.
    PollEnd {
        /// The polled task.
        task: TaskId,
        /// Whether the task completed in this poll.
        ready: bool,
    },
    /// A task was made ready by a wake.
    Woken {
        /// The woken task.
        task: TaskId,
        /// Who woke it.
        by: WakeSource,
    },
    /// A task's poll is about to return pending, waiting on `on`.
    Waiting {
        /// The waiting task.
        task: TaskId,
        /// What it waits on.
        on: WaitReason,
        /// The source line the task waits at, when its driver reports one
        /// (a Python program's line; see [`set_task_line`](crate::set_task_line)).
        line: Option<u32>,
    },
    /// A timer was set.
    TimerArmed {
        /// The timer.
        timer: TimerId,
        /// Its deadline on the loop clock, in milliseconds.
        deadline_ms: f64,
        /// The task that set it, if any.
        task: Option<TaskId>,
    },
    /// A timer reached its deadline.
    TimerFired {
        /// The timer.
        timer: TimerId,
    },
    /// A timer was cancelled before firing.
    TimerCancelled {
        /// The timer.
        timer: TimerId,
    },
    /// A task's name changed.
    TaskRenamed {
        /// The task.
        task: TaskId,
        /// Its new name.
        name: String,
    },
    /// A task completed with a value.
    TaskFinished {
        /// The task.
        task: TaskId,
    },
    /// A task was cancelled; its future has been dropped.
    TaskCancelled {
        /// The task.
        task: TaskId,
    },
    /// An I/O operation began (a fetch, a WebSocket connection).
    IoStarted {
        /// Its number within the loop.
        io: u64,
        /// The task that started it, if any.
        task: Option<TaskId>,
        /// What it is: `GET http://…`, `WebSocket ws://…`.
        label: String,
    },
    /// An I/O operation ended.
    IoEnded {
        /// Its number, as in [`TraceEvent::IoStarted`].
        io: u64,
        /// How it ended: `200 OK`, `aborted`, `closed 1000`, an error.
        outcome: String,
    },
    /// A job was submitted to an executor.
    JobQueued {
        /// Its number within its executor.
        job: u64,
        /// The job's registered name.
        name: String,
    },
    /// A job started running.
    JobStarted {
        /// The job.
        job: u64,
        /// The worker lane running it; `None` when it runs inline.
        worker: Option<u32>,
    },
    /// A job ended.
    JobFinished {
        /// The job.
        job: u64,
        /// The worker lane that ran it, if it ran on one.
        worker: Option<u32>,
        /// `done`, `cancelled`, or the error.
        outcome: String,
    },
    /// The program printed a line with [`print`](crate::print).
    Printed {
        /// The task that printed it, if any.
        task: Option<TaskId>,
        /// The line.
        line: String,
    },
}

/// A [`TraceEvent`] with the loop time it happened at.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRecord {
    /// Loop time in milliseconds.
    pub at_ms: f64,
    /// What happened.
    pub event: TraceEvent,
}
