//! Everything that can stop a task, each with a message a person can act on.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::{ExitCode, ExitStatus};

/// Why a task stopped.
#[derive(Debug)]
pub(crate) enum Error {
    /// The command line could not be understood.
    Usage(String),
    /// `wasm-pack.toml` is missing, malformed, or inconsistent.
    Config { path: PathBuf, message: String },
    /// `Cargo.lock` is missing, malformed, or does not pin one wasm-bindgen.
    Lockfile { path: PathBuf, message: String },
    /// A tool is missing and could not be installed here.
    Missing { tool: String, hint: String },
    /// A file or directory operation failed.
    Io { action: String, source: io::Error },
    /// A program could not be started.
    Spawn { program: String, source: io::Error },
    /// A program ran and failed.
    Failed { command: String, status: ExitStatus },
    /// A program showed no sign of progress in time and was stopped.
    Stalled {
        command: String,
        sign: String,
        seconds: u64,
    },
    /// A numbered step of a task failed.
    Step { step: String, source: Box<Error> },
}

impl Error {
    /// The process exit code for this error: 2 for usage, else 1.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) => ExitCode::from(2),
            Error::Step { source, .. } => source.exit_code(),
            _ => ExitCode::FAILURE,
        }
    }

    /// Wraps an I/O error with what was being done.
    pub(crate) fn io(action: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            action: action.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(message) => write!(f, "{message}"),
            Error::Config { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Lockfile { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Missing { tool, hint } => write!(f, "{tool} is not available: {hint}"),
            Error::Io { action, source } => write!(f, "could not {action}: {source}"),
            Error::Spawn { program, source } => write!(f, "could not run `{program}`: {source}"),
            Error::Failed { command, status } => match status.code() {
                Some(code) => write!(f, "`{command}` failed with exit code {code}"),
                None => write!(f, "`{command}` was stopped by a signal"),
            },
            Error::Stalled {
                command,
                sign,
                seconds,
            } => write!(
                f,
                "`{command}` printed no {sign:?} in {seconds} s and was stopped"
            ),
            Error::Step { step, source } => write!(f, "{step} failed: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Spawn { source, .. } => Some(source),
            Error::Step { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}
