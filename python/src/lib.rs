//! Python programs on the asyncio runtime.
//!
//! A program runs in `rustpython-vm`, and its `asyncio` is this crate's:
//! every coroutine that becomes a task is a task of the runtime's
//! [`asyncio::EventLoop`], stepped with `send`/`throw` by a Rust driver;
//! `asyncio.sleep`, `Event`, `Lock`, `Queue`, `gather`, `wait_for`… are
//! thin faces over the runtime's own types and combinators, so the two
//! languages share one implementation and one trace.
//!
//! # Example
//! ```
//! let engine = asyncio_python::Engine::new();
//! let program = r#"
//! import asyncio
//!
//! async def main():
//!     print("Hello")
//!     await asyncio.sleep(1)
//!     print("World")
//!
//! asyncio.run(main())
//! "#;
//! let report = asyncio_python::run_program(&engine, program, &Default::default());
//! assert_eq!(report.stdout(), "Hello\nWorld\n");
//! assert_eq!(report.total_ms, 1000.0); // on the virtual clock, at once
//! ```
//!
//! # Limits
//! A run has a step budget ([`RunOptions::max_steps`]: every loop
//! iteration, call and comprehension item is a step, checked by code the
//! compiler inserts) and a memory budget ([`RunOptions::max_memory`]); past
//! either the program is stopped with a clear message, even inside
//! `except BaseException:`.

#![warn(missing_docs)]

mod budget;
mod combine;
mod compile;
mod driver;
mod engine;
mod errors;
mod executor;
mod futures;
mod group;
mod handle;
mod loops;
mod modules;
mod natives;
#[cfg(target_arch = "wasm32")]
mod net;
mod report;
mod run;
mod state;
mod sync;
mod tasks;
mod traceback;
mod urls;
pub mod wire;
#[cfg(target_arch = "wasm32")]
mod worker;

pub use crate::budget::{allocated_bytes, BudgetAllocator};
pub use crate::engine::Engine;
#[cfg(target_arch = "wasm32")]
pub use crate::executor::register_jobs;
pub use crate::report::{Line, Notice, RunOptions, RunReport, Stream};
pub use crate::run::{run_program, ProgramRun};
pub use crate::traceback::{PythonError, TraceFrame};
#[cfg(target_arch = "wasm32")]
pub use crate::worker::{python_worker_urls, serve_python_worker};

/// The budget's counter is the global allocator of the worker's module.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: BudgetAllocator = BudgetAllocator::new();
