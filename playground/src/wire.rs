//! What the page receives from a run, as JSON: batches of trace records
//! while it runs and its report when it ends. Both carry the trace format's
//! version ([`asyncio::trace::FORMAT_VERSION`]); the records are the
//! runtime's own serde form, which the page's one decoder (`www/trace.js`)
//! checks. Platform-free, so native tests can read what the page gets.

use asyncio::trace::FORMAT_VERSION;
use asyncio::TraceRecord;
use serde::Serialize;

use crate::runner::RunReport;

/// `{ version, start, events }`: the records from index `start` on.
#[derive(Debug, Serialize)]
struct TraceBatch<'a> {
    version: u32,
    start: usize,
    events: &'a [TraceRecord],
}

/// A printed line: `{ atMs, text }`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Line<'a> {
    at_ms: f64,
    text: &'a str,
}

/// `{ version, totalMs, stopped, lines, trace }`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    version: u32,
    total_ms: f64,
    stopped: bool,
    lines: Vec<Line<'a>>,
    trace: &'a [TraceRecord],
}

/// The batch of `events`, which start at index `start` of the run's trace.
pub fn trace_batch(start: usize, events: &[TraceRecord]) -> Result<String, serde_json::Error> {
    serde_json::to_string(&TraceBatch {
        version: FORMAT_VERSION,
        start,
        events,
    })
}

/// A finished run's report.
pub fn report(report: &RunReport) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Report {
        version: FORMAT_VERSION,
        total_ms: report.total_ms,
        stopped: report.stopped,
        lines: report
            .lines
            .iter()
            .map(|line| Line {
                at_ms: line.at_ms,
                text: &line.text,
            })
            .collect(),
        trace: &report.trace,
    })
}
