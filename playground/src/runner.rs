//! Runs a catalogue example on a fresh loop and reports what it printed,
//! when, and how long it took. Platform-free: the tests run it natively on
//! the virtual clock, the page runs it in the browser on either clock.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use asyncio::{Clock, EventLoop, LoopError, OutputLine, RunError, TraceRecord};

use crate::catalogue::{Example, Param, Params, Variant};
use crate::examples;

/// What one run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The lines printed, with their loop times.
    pub lines: Vec<OutputLine>,
    /// Loop time at the end of the run, in milliseconds.
    pub total_ms: f64,
    /// The loop's trace of the run.
    pub trace: Vec<TraceRecord>,
    /// Whether the run was stopped (every task cancelled) before it ended.
    pub stopped: bool,
}

/// Why an example could not be run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RunnerError {
    /// No example has this id.
    UnknownExample(String),
    /// The example has no variant with this id.
    UnknownVariant {
        /// The example.
        example: String,
        /// The variant asked for.
        variant: String,
    },
    /// The example has no parameter with this name.
    UnknownParam {
        /// The example.
        example: String,
        /// The name given.
        name: String,
    },
    /// A parameter outside its range, or not a number; the message says the
    /// range.
    BadParam {
        /// The parameter's name.
        name: String,
        /// What the page shows.
        message: String,
    },
    /// No clock has this name.
    UnknownClock(String),
    /// The example is one of the I/O examples, which this module was built
    /// without (the page's first module): the I/O module runs it.
    InIoModule(String),
    /// The loop could not be built.
    Loop(LoopError),
    /// The run ended without completing.
    Run(RunError),
}

impl fmt::Display for RunnerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownExample(id) => write!(f, "there is no example called '{id}'"),
            Self::UnknownVariant { example, variant } => {
                write!(f, "the example '{example}' has no '{variant}' variant")
            }
            Self::UnknownParam { example, name } => {
                write!(f, "the example '{example}' has no parameter '{name}'")
            }
            Self::BadParam { message, .. } => f.write_str(message),
            Self::UnknownClock(name) => {
                write!(f, "unknown clock '{name}': use 'real' or 'virtual'")
            }
            Self::InIoModule(id) => write!(
                f,
                "the example '{id}' runs in the playground's I/O module (playground_io.js), not this one"
            ),
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

fn range_text(param: &Param) -> String {
    let unit = if param.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", param.unit)
    };
    format!("between {} and {}{unit}", param.min, param.max)
}

/// Checks `given` against the example's parameters: every name must be
/// one of them, every value in its range (whole where its step is 1);
/// missing ones take their defaults.
pub fn check_params(
    example: &Example,
    given: &[(String, f64)],
    base_url: &str,
) -> Result<Params, RunnerError> {
    for (name, _) in given {
        if !example.params.iter().any(|p| p.name == name) {
            return Err(RunnerError::UnknownParam {
                example: example.id.to_string(),
                name: name.clone(),
            });
        }
    }
    let mut values = Vec::with_capacity(example.params.len());
    for param in example.params {
        let value = given
            .iter()
            .rev()
            .find(|(name, _)| name == param.name)
            .map_or(param.default, |(_, v)| *v);
        let whole = param.step == 1.0;
        let fits = value.is_finite()
            && (param.min..=param.max).contains(&value)
            && (!whole || value.fract() == 0.0);
        if !fits {
            let kind = if whole { "a whole number" } else { "a number" };
            return Err(RunnerError::BadParam {
                name: param.name.to_string(),
                message: format!("{} must be {kind} {}", param.label, range_text(param)),
            });
        }
        values.push((param.name, value));
    }
    Ok(Params::new(
        values,
        base_url.trim_end_matches('/').to_string(),
    ))
}

/// The example and variant with these ids.
pub fn find(id: &str, variant: &str) -> Result<(&'static Example, &'static Variant), RunnerError> {
    let example = examples::find(id).ok_or_else(|| RunnerError::UnknownExample(id.to_string()))?;
    if example.in_io_module() && !crate::catalogue::HAS_IO_EXAMPLES {
        return Err(RunnerError::InIoModule(id.to_string()));
    }
    let variant = example
        .variant(variant)
        .ok_or_else(|| RunnerError::UnknownVariant {
            example: id.to_string(),
            variant: variant.to_string(),
        })?;
    Ok((example, variant))
}

/// Runs example `id`'s `variant` with default parameters on a fresh loop.
/// `on_line` sees each printed line as it is printed.
pub async fn run_example(
    id: &str,
    clock: Clock,
    on_line: impl FnMut(&OutputLine) + 'static,
) -> Result<RunReport, RunnerError> {
    let (example, variant) = find(id, "run").or_else(|_| find(id, "concurrent"))?;
    let params = check_params(example, &[], "http://127.0.0.1:8000")?;
    let lp = new_loop(clock)?;
    run_on(&lp, variant, params, on_line).await
}

/// Runs `variant` with `params` on `lp`, then closes the loop. A run
/// stopped with [`EventLoop::stop`] is reported, with `stopped` set.
pub async fn run_on(
    lp: &EventLoop,
    variant: &Variant,
    params: Params,
    mut on_line: impl FnMut(&OutputLine) + 'static,
) -> Result<RunReport, RunnerError> {
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&lines);
    lp.set_output(move |line| {
        on_line(line);
        sink.borrow_mut().push(line.clone());
    });
    let result = lp.run_until_complete((variant.main)(params)).await;
    let total_ms = lp.time_ms();
    // As Python's asyncio.run: leftovers are cancelled and finish
    // cancelling with the loop running, then the loop closes.
    if lp.stats().pending_tasks > 0 {
        let _ = lp.cancel_leftovers().await;
    }
    let _ = lp.close();
    let stopped = match result {
        Ok(()) => false,
        Err(RunError::Stopped | RunError::Cancelled(_)) => true,
        Err(err) => return Err(RunnerError::Run(err)),
    };
    let lines = lines.borrow().clone();
    Ok(RunReport {
        lines,
        total_ms,
        trace: lp.take_trace(),
        stopped,
    })
}
