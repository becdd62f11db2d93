//! What a run is given and what it gives back.

use asyncio::{Clock, TraceRecord};
use serde::Serialize;

use crate::traceback::PythonError;

/// How to run a program.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOptions {
    /// The loops' clock: [`Clock::Virtual`] (natively, the only one) or the
    /// browser's [`Clock::Real`].
    pub clock: Clock,
    /// The file name tracebacks show.
    pub filename: String,
    /// How many budget steps (loop iterations, calls, comprehension items)
    /// the program may take before it is stopped.
    pub max_steps: u64,
    /// How many bytes the process may have allocated, at a budget check,
    /// before the program is stopped with a `MemoryError` (only counted
    /// where [`BudgetAllocator`](crate::BudgetAllocator) is the global
    /// allocator).
    pub max_memory: usize,
    /// Record each loop's trace.
    pub trace: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            clock: Clock::Virtual,
            filename: "main.py".to_string(),
            max_steps: 50_000_000,
            max_memory: 1 << 30,
            trace: false,
        }
    }
}

/// Where a line was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stream {
    /// `print(...)`, `sys.stdout`.
    Stdout,
    /// `sys.stderr`, `print(..., file=sys.stderr)`.
    Stderr,
    /// A notice from the runner (an older spelling that still runs).
    Notice,
}

/// One line of output, with the run-clock time it was written at.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Line {
    /// Milliseconds on the run's clock: the loop's time while a loop runs.
    /// Successive `asyncio.run` calls continue one timeline.
    pub at_ms: f64,
    /// The text, without its newline.
    pub text: String,
    /// Where it was written.
    pub stream: Stream,
    /// The loop task that wrote it, if any.
    pub task: Option<u64>,
    /// Which of the run's loops was running (1 for the first), if any.
    pub loop_serial: Option<u64>,
}

/// An older spelling that still runs, with today's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Notice {
    /// When it was first seen, on the run's clock.
    pub at_ms: f64,
    /// What to write instead.
    pub text: String,
}

/// What a run produced.
#[derive(Clone, Debug, PartialEq)]
pub struct RunReport {
    /// Everything printed, in order.
    pub lines: Vec<Line>,
    /// One notice per older construct the program used.
    pub notices: Vec<Notice>,
    /// The uncaught exception or syntax error that ended the run, if any.
    pub error: Option<PythonError>,
    /// The run's clock at its end, in milliseconds.
    pub total_ms: f64,
    /// Budget steps taken.
    pub steps: u64,
    /// Each loop's trace (by loop serial), when tracing was asked for.
    pub traces: Vec<(u64, Vec<TraceRecord>)>,
}

impl RunReport {
    /// Standard output as text, each line ending in a newline.
    pub fn stdout(&self) -> String {
        self.stream(Stream::Stdout)
    }

    /// Standard error as text.
    pub fn stderr(&self) -> String {
        self.stream(Stream::Stderr)
    }

    fn stream(&self, stream: Stream) -> String {
        self.lines
            .iter()
            .filter(|line| line.stream == stream)
            .map(|line| format!("{}\n", line.text))
            .collect()
    }

    /// Whether the program ran to its end without an uncaught exception.
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }
}
