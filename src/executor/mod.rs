//! Running blocking work off the loop (Python's `loop.run_in_executor`), on
//! a pool of Web Workers.
//!
//! A process pool only takes functions and arguments that pickle; the
//! honest browser equivalent is a pool of Web Workers, each running the
//! same WebAssembly package as the page in its own instance, with jobs
//! known by name and arguments and results that serialise (JSON). No
//! `SharedArrayBuffer` is used, so pages need no cross-origin isolation.
//!
//! - Register jobs with [`register`] in a function the package exports (by
//!   default `register_jobs`), and call it on the page too: every worker
//!   calls it when it starts.
//! - Submit with [`Executor::submit`] or
//!   [`EventLoop::run_in_executor`](crate::EventLoop::run_in_executor).
//!   Jobs wait first in first out for a free worker. Dropping a job's
//!   future (cancelling its task) removes it if it has not started, and
//!   terminates its worker if it is running (a fresh one takes its place).
//! - A job that panics traps its worker's instance: that caller gets
//!   [`ExecutorError::JobFailed`] and the worker is replaced.
//! - Where workers cannot be created, [`Executor::inline`] runs jobs on the
//!   loop itself, blocking it, and says so in the loop's output.

mod error;
mod handle;
mod job;
#[cfg(target_arch = "wasm32")]
mod pool;
mod registry;
#[cfg(target_arch = "wasm32")]
mod serve;
mod table;

pub use error::ExecutorError;
pub use handle::{Executor, ExecutorKind, PoolOptions, WorkerScript};
pub use job::JobFuture;
pub use registry::{is_registered, register};
