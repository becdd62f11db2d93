//! What can go wrong with an executor job.

use std::error::Error;
use std::fmt;

/// Why a job gave no value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExecutorError {
    /// No job is registered under this name (in the worker that ran it).
    UnknownJob {
        /// The name asked for.
        name: String,
    },
    /// The arguments could not be serialised, or the result deserialised.
    Serialization {
        /// The job.
        name: String,
        /// What went wrong.
        message: String,
    },
    /// The job's function failed to read its arguments or panicked; a panic
    /// traps the worker's WebAssembly instance, and the worker is replaced.
    JobFailed {
        /// The job.
        name: String,
        /// The worker's message.
        message: String,
    },
    /// The worker meant to run the job could not load the package.
    WorkerFailedToLoad {
        /// The browser's message.
        message: String,
    },
    /// Workers cannot be created here (see [`Executor::inline`](super::Executor::inline)).
    WorkersUnavailable {
        /// Why.
        reason: String,
    },
    /// The executor was shut down before the job could finish.
    ShutDown,
}

impl fmt::Display for ExecutorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownJob { name } => write!(f, "no job is registered as {name:?}"),
            Self::Serialization { name, message } => {
                write!(
                    f,
                    "job {name:?}: arguments or result do not serialise: {message}"
                )
            }
            Self::JobFailed { name, message } => write!(f, "job {name:?} failed: {message}"),
            Self::WorkerFailedToLoad { message } => {
                write!(f, "a worker could not load the package: {message}")
            }
            Self::WorkersUnavailable { reason } => {
                write!(f, "Web Workers are not available: {reason}")
            }
            Self::ShutDown => f.write_str("the executor was shut down"),
        }
    }
}

impl Error for ExecutorError {}
