//! Runs a catalogue example on a fresh loop and reports what it printed,
//! when, and how long it took. Platform-free: the tests run it natively on
//! the virtual clock, the page runs it in the browser on either clock.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use asyncio::{Clock, EventLoop, LoopError, OutputLine, RunError, TraceRecord};

use crate::examples::{self, Example};

/// What one run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The lines printed, with their loop times.
    pub lines: Vec<OutputLine>,
    /// Loop time at the end of the run, in milliseconds.
    pub total_ms: f64,
    /// The loop's trace of the run.
    pub trace: Vec<TraceRecord>,
}

/// Why an example could not be run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RunnerError {
    /// No example has this id.
    UnknownExample(String),
    /// No clock has this name.
    UnknownClock(String),
    /// The loop could not be built.
    Loop(LoopError),
    /// The run ended without completing.
    Run(RunError),
}

impl fmt::Display for RunnerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownExample(id) => write!(f, "there is no example called '{id}'"),
            Self::UnknownClock(name) => {
                write!(f, "unknown clock '{name}': use 'real' or 'virtual'")
            }
            Self::Loop(err) => write!(f, "could not start the event loop: {err}"),
            Self::Run(err) => write!(f, "the run did not complete: {err}"),
        }
    }
}

impl std::error::Error for RunnerError {}

/// The clock with this name: `real` or `virtual`.
pub fn parse_clock(name: &str) -> Result<Clock, RunnerError> {
    match name {
        "real" => Ok(Clock::Real),
        "virtual" => Ok(Clock::Virtual),
        other => Err(RunnerError::UnknownClock(other.to_string())),
    }
}

/// A fresh, traced loop on `clock`.
pub fn new_loop(clock: Clock) -> Result<EventLoop, RunnerError> {
    EventLoop::builder()
        .clock(clock)
        .trace(true)
        .build()
        .map_err(RunnerError::Loop)
}

/// Runs the example `id` on a fresh loop. `on_line` sees each printed line
/// as it is printed (the page's live console).
pub async fn run_example(
    id: &str,
    clock: Clock,
    on_line: impl FnMut(&OutputLine) + 'static,
) -> Result<RunReport, RunnerError> {
    let example = examples::find(id).ok_or_else(|| RunnerError::UnknownExample(id.to_string()))?;
    let lp = new_loop(clock)?;
    run_on(&lp, example, on_line).await
}

/// Runs `example` on `lp`, then closes the loop.
pub async fn run_on(
    lp: &EventLoop,
    example: &Example,
    mut on_line: impl FnMut(&OutputLine) + 'static,
) -> Result<RunReport, RunnerError> {
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&lines);
    lp.set_output(move |line| {
        on_line(line);
        sink.borrow_mut().push(line.clone());
    });
    let result = lp.run_until_complete((example.main)()).await;
    let total_ms = lp.time_ms();
    let _ = lp.close();
    result.map_err(RunnerError::Run)?;
    let lines = lines.borrow().clone();
    Ok(RunReport {
        lines,
        total_ms,
        trace: lp.take_trace(),
    })
}
