//! Trace events as plain JavaScript objects, for the page's timeline.
//!
//! Every object has `t` (loop time, ms) and `kind`; the other fields depend
//! on the kind: `task-created` {task, name, parent}, `poll-start` {task},
//! `poll-end` {task, ready}, `woken` {task, by, byTask?, byTimer?},
//! `waiting` {task, on}, `timer-armed` {timer, deadline, task},
//! `timer-fired` {timer}, `timer-cancelled` {timer}, `task-renamed` {task,
//! name}, `task-finished` {task}, `task-cancelled` {task}, `io-started`
//! {io, task, label}, `io-ended` {io, outcome}, `job-queued` {job, name},
//! `job-started` {job, worker}, `job-finished` {job, worker, outcome},
//! `printed` {task, line}.

use js_sys::Object;
use wasm_bindgen::JsValue;

use asyncio::{TraceEvent, TraceRecord, WakeSource};

use crate::bindings::set;

fn opt(value: Option<u64>) -> JsValue {
    value.map_or(JsValue::NULL, |v| JsValue::from_f64(v as f64))
}

/// One record as an object.
pub(crate) fn event(record: &TraceRecord) -> Object {
    let o = Object::new();
    set(&o, "t", record.at_ms);
    let kind = match &record.event {
        TraceEvent::TaskCreated { task, name, parent } => {
            set(&o, "task", task.0 as f64);
            set(&o, "name", name.as_str());
            set(&o, "parent", opt(parent.map(|p| p.0)));
            "task-created"
        }
        TraceEvent::PollStart { task } => {
            set(&o, "task", task.0 as f64);
            "poll-start"
        }
        TraceEvent::PollEnd { task, ready } => {
            set(&o, "task", task.0 as f64);
            set(&o, "ready", *ready);
            "poll-end"
        }
        TraceEvent::Woken { task, by } => {
            set(&o, "task", task.0 as f64);
            let by = match by {
                WakeSource::Timer(timer) => {
                    set(&o, "byTimer", timer.0 as f64);
                    "timer"
                }
                WakeSource::Task(other) => {
                    set(&o, "byTask", other.0 as f64);
                    "task"
                }
                WakeSource::Callback => "callback",
                _ => "io",
            };
            set(&o, "by", by);
            "woken"
        }
        TraceEvent::Waiting { task, on, .. } => {
            set(&o, "task", task.0 as f64);
            set(&o, "on", on.label());
            "waiting"
        }
        TraceEvent::TimerArmed {
            timer,
            deadline_ms,
            task,
        } => {
            set(&o, "timer", timer.0 as f64);
            set(&o, "deadline", *deadline_ms);
            set(&o, "task", opt(task.map(|t| t.0)));
            "timer-armed"
        }
        TraceEvent::TimerFired { timer } => {
            set(&o, "timer", timer.0 as f64);
            "timer-fired"
        }
        TraceEvent::TimerCancelled { timer } => {
            set(&o, "timer", timer.0 as f64);
            "timer-cancelled"
        }
        TraceEvent::TaskRenamed { task, name } => {
            set(&o, "task", task.0 as f64);
            set(&o, "name", name.as_str());
            "task-renamed"
        }
        TraceEvent::TaskFinished { task } => {
            set(&o, "task", task.0 as f64);
            "task-finished"
        }
        TraceEvent::TaskCancelled { task } => {
            set(&o, "task", task.0 as f64);
            "task-cancelled"
        }
        TraceEvent::IoStarted { io, task, label } => {
            set(&o, "io", *io as f64);
            set(&o, "task", opt(task.map(|t| t.0)));
            set(&o, "label", label.as_str());
            "io-started"
        }
        TraceEvent::IoEnded { io, outcome } => {
            set(&o, "io", *io as f64);
            set(&o, "outcome", outcome.as_str());
            "io-ended"
        }
        TraceEvent::JobQueued { job, name } => {
            set(&o, "job", *job as f64);
            set(&o, "name", name.as_str());
            "job-queued"
        }
        TraceEvent::JobStarted { job, worker } => {
            set(&o, "job", *job as f64);
            set(&o, "worker", opt(worker.map(u64::from)));
            "job-started"
        }
        TraceEvent::JobFinished {
            job,
            worker,
            outcome,
        } => {
            set(&o, "job", *job as f64);
            set(&o, "worker", opt(worker.map(u64::from)));
            set(&o, "outcome", outcome.as_str());
            "job-finished"
        }
        TraceEvent::Printed { task, line } => {
            set(&o, "task", opt(task.map(|t| t.0)));
            set(&o, "line", line.as_str());
            "printed"
        }
        _ => "other",
    };
    set(&o, "kind", kind);
    o
}
