//! What a run sends to a page, as JSON: its lines, batches of trace records
//! in the runtime's trace format, and its report.
//!
//! A trace record is the runtime's own serde form of
//! [`TraceRecord`](asyncio::TraceRecord) (one object with `at_ms` and its
//! event's fields, tagged by `kind`), so the page's one decoder reads
//! Python runs and Rust examples alike. Every batch carries
//! [`TRACE_FORMAT_VERSION`]. Platform-free, so native tests check exactly
//! what a page receives.

use asyncio::TraceRecord;
use serde_json::{json, Value};

use crate::report::{Line, RunReport};

/// The version of the trace format the batches carry: the runtime's.
pub const TRACE_FORMAT_VERSION: u32 = asyncio::trace::FORMAT_VERSION;

/// One trace record as its JSON object.
pub fn trace_record(record: &TraceRecord) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}

/// `{ version, loop, start, events }`: records of the run's loop `serial`
/// from index `start` of its trace.
pub fn trace_batch(serial: u64, start: usize, records: &[TraceRecord]) -> Value {
    json!({
        "version": TRACE_FORMAT_VERSION,
        "loop": serial,
        "start": start,
        "events": records.iter().map(trace_record).collect::<Vec<_>>(),
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
    use asyncio::{TaskId, TimerId, TraceEvent, WaitReason, WakeSource};

    fn wire(event: TraceEvent) -> String {
        trace_record(&TraceRecord { at_ms: 1.5, event }).to_string()
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
                line: Some(12),
                awaits: None,
            }),
            r#"{"at_ms":1.5,"awaits":null,"kind":"waiting","line":12,"on":"queue-get","task":2}"#
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
