//! What a run sends to a page, as JSON: its lines, batches of trace records
//! in the runtime's trace format, and its report.
//!
//! A trace record is one object with `at_ms` and its event's fields,
//! tagged by `kind` (the event's name in kebab case):
//! `{"at_ms":1000.0,"kind":"woken","task":1,"by":{"kind":"timer","id":1}}`.
//! Ids are numbers, wait reasons their labels in kebab case
//! (`"queue-get"`), an absent option `null`; a `waiting` record carries
//! the Python `line` the task waits at. Every batch carries
//! [`TRACE_FORMAT_VERSION`]. Platform-free, so native tests check exactly
//! what a page receives.

use asyncio::{TraceEvent, TraceRecord, WakeSource};
use serde_json::{json, Value};

use crate::report::{Line, RunReport};

/// The version of the trace format the batches carry.
pub const TRACE_FORMAT_VERSION: u32 = 1;

fn id<T: Into<u64>>(value: Option<T>) -> Value {
    value.map_or(Value::Null, |v| json!(v.into()))
}

/// One trace record as its JSON object; `None` for an event this format
/// does not know (a newer runtime's), which a page's decoder would refuse.
pub fn trace_record(record: &TraceRecord) -> Option<Value> {
    let (kind, mut fields) = match &record.event {
        TraceEvent::TaskCreated { task, name, parent } => (
            "task-created",
            json!({"task": task.0, "name": name, "parent": id(parent.map(|p| p.0))}),
        ),
        TraceEvent::PollStart { task } => ("poll-start", json!({"task": task.0})),
        TraceEvent::PollEnd { task, ready } => {
            ("poll-end", json!({"task": task.0, "ready": ready}))
        }
        TraceEvent::Woken { task, by } => {
            let by = match by {
                WakeSource::Timer(timer) => json!({"kind": "timer", "id": timer.0}),
                WakeSource::Task(other) => json!({"kind": "task", "id": other.0}),
                WakeSource::Callback => json!({"kind": "callback"}),
                _ => json!({"kind": "io"}),
            };
            ("woken", json!({"task": task.0, "by": by}))
        }
        TraceEvent::Waiting { task, on, line } => (
            "waiting",
            json!({"task": task.0, "on": on.label().replace(' ', "-"), "line": id(*line)}),
        ),
        TraceEvent::TimerArmed {
            timer,
            deadline_ms,
            task,
        } => (
            "timer-armed",
            json!({"timer": timer.0, "deadline_ms": deadline_ms, "task": id(task.map(|t| t.0))}),
        ),
        TraceEvent::TimerFired { timer } => ("timer-fired", json!({"timer": timer.0})),
        TraceEvent::TimerCancelled { timer } => ("timer-cancelled", json!({"timer": timer.0})),
        TraceEvent::TaskRenamed { task, name } => {
            ("task-renamed", json!({"task": task.0, "name": name}))
        }
        TraceEvent::TaskFinished { task } => ("task-finished", json!({"task": task.0})),
        TraceEvent::TaskCancelled { task } => ("task-cancelled", json!({"task": task.0})),
        TraceEvent::IoStarted { io, task, label } => (
            "io-started",
            json!({"io": io, "task": id(task.map(|t| t.0)), "label": label}),
        ),
        TraceEvent::IoEnded { io, outcome } => ("io-ended", json!({"io": io, "outcome": outcome})),
        TraceEvent::JobQueued { job, name } => ("job-queued", json!({"job": job, "name": name})),
        TraceEvent::JobStarted { job, worker } => {
            ("job-started", json!({"job": job, "worker": id(*worker)}))
        }
        TraceEvent::JobFinished {
            job,
            worker,
            outcome,
        } => (
            "job-finished",
            json!({"job": job, "worker": id(*worker), "outcome": outcome}),
        ),
        TraceEvent::Printed { task, line } => (
            "printed",
            json!({"task": id(task.map(|t| t.0)), "line": line}),
        ),
        _ => return None,
    };
    let mut record_json = json!({"at_ms": record.at_ms, "kind": kind});
    if let (Some(out), Some(fields)) = (record_json.as_object_mut(), fields.as_object_mut()) {
        out.append(fields);
    }
    Some(record_json)
}

/// `{ version, loop, start, events }`: records of the run's loop `serial`
/// from index `start` of its trace.
pub fn trace_batch(serial: u64, start: usize, records: &[TraceRecord]) -> Value {
    json!({
        "version": TRACE_FORMAT_VERSION,
        "loop": serial,
        "start": start,
        "events": records.iter().filter_map(trace_record).collect::<Vec<_>>(),
    })
}

/// A printed line: `{ atMs, text, stream, task, loop }`.
pub fn line(line: &Line) -> Value {
    json!({
        "atMs": line.at_ms,
        "text": line.text,
        "stream": line.stream,
        "task": line.task,
        "loop": line.loop_serial,
    })
}

/// A finished run: `{ version, totalMs, steps, stopped, lines, notices,
/// error }` (the traces went out in batches as they were recorded).
pub fn report(report: &RunReport, stopped: bool) -> Value {
    json!({
        "version": TRACE_FORMAT_VERSION,
        "totalMs": report.total_ms,
        "steps": report.steps,
        "stopped": stopped,
        "lines": report.lines.iter().map(line).collect::<Vec<_>>(),
        "notices": report.notices,
        "error": report.error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use asyncio::{TaskId, TimerId, WaitReason};

    fn wire(event: TraceEvent) -> String {
        trace_record(&TraceRecord { at_ms: 1.5, event })
            .map(|v| v.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn records_have_the_runtime_trace_format() {
        let t = TaskId(2);
        assert_eq!(
            wire(TraceEvent::Woken {
                task: t,
                by: WakeSource::Timer(TimerId(7))
            }),
            r#"{"at_ms":1.5,"by":{"id":7,"kind":"timer"},"kind":"woken","task":2}"#
        );
        assert_eq!(
            wire(TraceEvent::Waiting {
                task: t,
                on: WaitReason::QueueGet,
                line: Some(12)
            }),
            r#"{"at_ms":1.5,"kind":"waiting","line":12,"on":"queue-get","task":2}"#
        );
        assert_eq!(
            wire(TraceEvent::TimerArmed {
                timer: TimerId(7),
                deadline_ms: 1000.0,
                task: None
            }),
            r#"{"at_ms":1.5,"deadline_ms":1000.0,"kind":"timer-armed","task":null,"timer":7}"#
        );
        assert_eq!(
            wire(TraceEvent::Printed {
                task: Some(t),
                line: "Hello".into()
            }),
            r#"{"at_ms":1.5,"kind":"printed","line":"Hello","task":2}"#
        );
        assert_eq!(
            wire(TraceEvent::TaskCreated {
                task: t,
                name: "greeter".into(),
                parent: Some(TaskId(1))
            }),
            r#"{"at_ms":1.5,"kind":"task-created","name":"greeter","parent":1,"task":2}"#
        );
    }

    #[test]
    fn batches_carry_the_version_and_their_loop() {
        let batch = trace_batch(
            3,
            10,
            &[TraceRecord {
                at_ms: 0.0,
                event: TraceEvent::PollStart { task: TaskId(1) },
            }],
        );
        assert_eq!(batch["version"], TRACE_FORMAT_VERSION);
        assert_eq!(batch["loop"], 3);
        assert_eq!(batch["start"], 10);
        assert_eq!(batch["events"][0]["kind"], "poll-start");
    }
}
