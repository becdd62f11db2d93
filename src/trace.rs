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
//!
//! # Wire format
//! The types serialise with serde: this is the one trace format, which the
//! playground sends to its page as JSON and the page decodes in one place,
//! refusing what it does not know. A record is an object with `at_ms` and
//! its event's fields, tagged by `kind` (the variant in kebab case):
//! `{"at_ms":1000.0,"kind":"woken","task":1,"by":{"kind":"timer","id":1}}`.
//! Ids are numbers, [`WaitReason`]s kebab-case strings (`"queue-get"`), and
//! an absent option is `null`. Whatever changes that shape, a new variant
//! included, changes [`FORMAT_VERSION`] and the page's decoder with it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The version of the trace's wire format, carried with every batch of
/// records sent to a page so that a decoder can refuse a format it does
/// not know.
///
/// Version 2: [`TraceEvent::Waiting`] carries `awaits`, the task waited for.
pub const FORMAT_VERSION: u32 = 2;

/// A task's number within its loop, as in Python's `Task-1`, `Task-2`, ...
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(pub u64);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Task-{}", self.0)
    }
}

/// A timer's number within its loop (sleeps, `call_later`, `call_at`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimerId(pub u64);

/// Who made a task ready; on the wire `{"kind":"timer","id":3}`,
/// `{"kind":"task","id":2}`, `{"kind":"callback"}`, `{"kind":"io"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
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

/// What a learner is warned of: asyncio's debug mode, as data. On the wire,
/// kebab case: `"slow-step"`, `"pending-at-close"`, ...
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WarningKind {
    /// A step held the loop longer than the loop's slow-step threshold
    /// (Python's `slow_callback_duration`): nothing else could run.
    SlowStep,
    /// A task was still pending when its loop closed (Python's "Task was
    /// destroyed but it is pending!").
    PendingAtClose,
    /// A task ended with an exception that nothing retrieved (reported by
    /// drivers of interpreted code).
    ExceptionNeverRetrieved,
    /// A coroutine was made and never awaited (reported by drivers of
    /// interpreted code).
    NeverAwaited,
}

/// What a task is waiting on when its poll returns pending: the label of a
/// wait span in the playground's timeline. On the wire, its label in kebab
/// case: `"sleep"`, `"queue-put"`, `"websocket"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    #[serde(rename = "websocket")]
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

/// One thing that happened in a loop; on the wire, tagged by `kind`:
/// `{"kind":"poll-end","task":1,"ready":false}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
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
        /// The task it waits for, when it awaits one (`on` is
        /// [`WaitReason::Task`]); a poll awaiting several (`gather`) records
        /// one event for each.
        awaits: Option<TaskId>,
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
    /// Something a learner should know about (see [`WarningKind`]).
    Warning {
        /// The task concerned, if any.
        task: Option<TaskId>,
        /// What kind of warning.
        warning: WarningKind,
        /// The warning, in words.
        message: String,
    },
}

/// A [`TraceEvent`] with the loop time it happened at; on the wire, one
/// object: `{"at_ms":0.0,"kind":"poll-start","task":1}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceRecord {
    /// Loop time in milliseconds.
    pub at_ms: f64,
    /// What happened.
    #[serde(flatten)]
    pub event: TraceEvent,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One record of every event, with the JSON the page receives for it.
    /// The match below makes a new variant a compile error here: give it a
    /// sample, then teach the page's decoder (`www/trace.js`) its fields.
    fn samples() -> Vec<(TraceEvent, &'static str)> {
        let t = TaskId(2);
        let samples = vec![
            (
                TraceEvent::TaskCreated {
                    task: t,
                    name: "Task-2".into(),
                    parent: Some(TaskId(1)),
                },
                r#"{"at_ms":1.5,"kind":"task-created","task":2,"name":"Task-2","parent":1}"#,
            ),
            (
                TraceEvent::PollStart { task: t },
                r#"{"at_ms":1.5,"kind":"poll-start","task":2}"#,
            ),
            (
                TraceEvent::PollEnd {
                    task: t,
                    ready: false,
                },
                r#"{"at_ms":1.5,"kind":"poll-end","task":2,"ready":false}"#,
            ),
            (
                TraceEvent::Woken {
                    task: t,
                    by: WakeSource::Timer(TimerId(7)),
                },
                r#"{"at_ms":1.5,"kind":"woken","task":2,"by":{"kind":"timer","id":7}}"#,
            ),
            (
                TraceEvent::Waiting {
                    task: t,
                    on: WaitReason::QueueGet,
                    line: None,
                    awaits: None,
                },
                r#"{"at_ms":1.5,"kind":"waiting","task":2,"on":"queue-get","line":null,"awaits":null}"#,
            ),
            (
                TraceEvent::Waiting {
                    task: t,
                    on: WaitReason::Sleep,
                    line: Some(12),
                    awaits: None,
                },
                r#"{"at_ms":1.5,"kind":"waiting","task":2,"on":"sleep","line":12,"awaits":null}"#,
            ),
            (
                TraceEvent::Waiting {
                    task: t,
                    on: WaitReason::Task,
                    line: None,
                    awaits: Some(TaskId(3)),
                },
                r#"{"at_ms":1.5,"kind":"waiting","task":2,"on":"task","line":null,"awaits":3}"#,
            ),
            (
                TraceEvent::TimerArmed {
                    timer: TimerId(7),
                    deadline_ms: 1000.0,
                    task: None,
                },
                r#"{"at_ms":1.5,"kind":"timer-armed","timer":7,"deadline_ms":1000.0,"task":null}"#,
            ),
            (
                TraceEvent::TimerFired { timer: TimerId(7) },
                r#"{"at_ms":1.5,"kind":"timer-fired","timer":7}"#,
            ),
            (
                TraceEvent::TimerCancelled { timer: TimerId(7) },
                r#"{"at_ms":1.5,"kind":"timer-cancelled","timer":7}"#,
            ),
            (
                TraceEvent::TaskRenamed {
                    task: t,
                    name: "worker \"1\"".into(),
                },
                r#"{"at_ms":1.5,"kind":"task-renamed","task":2,"name":"worker \"1\""}"#,
            ),
            (
                TraceEvent::TaskFinished { task: t },
                r#"{"at_ms":1.5,"kind":"task-finished","task":2}"#,
            ),
            (
                TraceEvent::TaskCancelled { task: t },
                r#"{"at_ms":1.5,"kind":"task-cancelled","task":2}"#,
            ),
            (
                TraceEvent::IoStarted {
                    io: 3,
                    task: Some(t),
                    label: "GET http://h/".into(),
                },
                r#"{"at_ms":1.5,"kind":"io-started","io":3,"task":2,"label":"GET http://h/"}"#,
            ),
            (
                TraceEvent::IoEnded {
                    io: 3,
                    outcome: "200 OK".into(),
                },
                r#"{"at_ms":1.5,"kind":"io-ended","io":3,"outcome":"200 OK"}"#,
            ),
            (
                TraceEvent::JobQueued {
                    job: 4,
                    name: "count_primes".into(),
                },
                r#"{"at_ms":1.5,"kind":"job-queued","job":4,"name":"count_primes"}"#,
            ),
            (
                TraceEvent::JobStarted {
                    job: 4,
                    worker: Some(0),
                },
                r#"{"at_ms":1.5,"kind":"job-started","job":4,"worker":0}"#,
            ),
            (
                TraceEvent::JobFinished {
                    job: 4,
                    worker: None,
                    outcome: "done".into(),
                },
                r#"{"at_ms":1.5,"kind":"job-finished","job":4,"worker":null,"outcome":"done"}"#,
            ),
            (
                TraceEvent::Printed {
                    task: Some(t),
                    line: "Hello".into(),
                },
                r#"{"at_ms":1.5,"kind":"printed","task":2,"line":"Hello"}"#,
            ),
            (
                TraceEvent::Warning {
                    task: Some(t),
                    warning: WarningKind::SlowStep,
                    message: "Task-2 held the loop for 150 ms".into(),
                },
                r#"{"at_ms":1.5,"kind":"warning","task":2,"warning":"slow-step","message":"Task-2 held the loop for 150 ms"}"#,
            ),
        ];
        for (event, _) in &samples {
            match event {
                TraceEvent::TaskCreated { .. }
                | TraceEvent::PollStart { .. }
                | TraceEvent::PollEnd { .. }
                | TraceEvent::Woken { .. }
                | TraceEvent::Waiting { .. }
                | TraceEvent::TimerArmed { .. }
                | TraceEvent::TimerFired { .. }
                | TraceEvent::TimerCancelled { .. }
                | TraceEvent::TaskRenamed { .. }
                | TraceEvent::TaskFinished { .. }
                | TraceEvent::TaskCancelled { .. }
                | TraceEvent::IoStarted { .. }
                | TraceEvent::IoEnded { .. }
                | TraceEvent::JobQueued { .. }
                | TraceEvent::JobStarted { .. }
                | TraceEvent::JobFinished { .. }
                | TraceEvent::Printed { .. }
                | TraceEvent::Warning { .. } => {}
            }
        }
        samples
    }

    #[test]
    fn every_event_has_its_documented_json_and_reads_back() {
        let samples = samples();
        assert_eq!(samples.len(), 20, "a sample per variant, three for waiting");
        for (event, json) in samples {
            let record = TraceRecord { at_ms: 1.5, event };
            assert_eq!(serde_json::to_string(&record).unwrap(), json);
            assert_eq!(serde_json::from_str::<TraceRecord>(json).unwrap(), record);
        }
    }

    #[test]
    fn wake_sources_are_tagged_objects() {
        let cases = [
            (WakeSource::Timer(TimerId(1)), r#"{"kind":"timer","id":1}"#),
            (WakeSource::Task(TaskId(3)), r#"{"kind":"task","id":3}"#),
            (WakeSource::Callback, r#"{"kind":"callback"}"#),
            (WakeSource::Io, r#"{"kind":"io"}"#),
        ];
        for (source, json) in cases {
            assert_eq!(serde_json::to_string(&source).unwrap(), json);
            assert_eq!(serde_json::from_str::<WakeSource>(json).unwrap(), source);
        }
    }

    #[test]
    fn wait_reasons_are_their_labels_in_kebab_case() {
        use WaitReason::*;
        let all = [
            Sleep, Task, Future, Event, Lock, Semaphore, Condition, QueuePut, QueueGet, Fetch,
            WebSocket, Executor,
        ];
        for reason in all {
            let wire = serde_json::to_string(&reason).unwrap();
            assert_eq!(wire, format!("\"{}\"", reason.label().replace(' ', "-")));
        }
    }

    #[test]
    fn unknown_kinds_and_missing_or_extra_fields_are_refused() {
        for json in [
            r#"{"at_ms":0,"kind":"teleported","task":1}"#,
            r#"{"at_ms":0,"kind":"poll-end","task":1}"#,
            r#"{"at_ms":0,"kind":"poll-start","task":1,"colour":"blue"}"#,
            r#"{"at_ms":0,"kind":"poll-start","task":"one"}"#,
            r#"{"kind":"poll-start","task":1}"#,
        ] {
            assert!(serde_json::from_str::<TraceRecord>(json).is_err(), "{json}");
        }
    }
}
