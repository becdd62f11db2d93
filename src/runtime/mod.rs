//! The loop's internals. Nothing here is public API: the API is the files
//! beside this folder, which reach the loop through the small handles
//! below, never through the loop object itself.
//!
//! # Layering
//! - This folder names nothing above it: it builds only on the leaf types
//!   in `error`, `trace`, `stats` and `backend` (a test scans the source
//!   for it). What it needs of the layers above is handed in: the host as a
//!   [`host::Host`], per-loop values of other layers (the default executor)
//!   as type-erased extensions with close hooks.
//! - Hosts (`src/host/`) see the loop only as a [`host::HostedLoop`].
//! - The handles: [`wake_timer::WakeTimer`] (a sleep's timer),
//!   [`callbacks::CallbackQueue`] and [`callbacks::CallbackEntry`] (callbacks
//!   queued, and taken back), [`external::ExternalWait`] (work outside the
//!   loop, which holds the virtual clock), [`trace_sink::TraceSink`] (a loop's
//!   trace, for work that outlives a poll), and [`context`] for "the running
//!   loop" (spawning, printing, the current task).
//! - Within the folder, `core` (the loop object), `task_cell` (a task),
//!   `waker` and `context` know each other: a task wakes its loop, the loop
//!   polls its tasks.

pub(crate) mod callbacks;
pub(crate) mod completions;
pub(crate) mod context;
pub(crate) mod core;
pub(crate) mod external;
pub(crate) mod host;
#[cfg(target_arch = "wasm32")]
pub(crate) mod io_span;
pub(crate) mod output;
pub(crate) mod ready_queue;
pub(crate) mod slab;
pub(crate) mod task_cell;
pub(crate) mod task_rc;
pub(crate) mod timer_heap;
pub(crate) mod trace_sink;
pub(crate) mod tracer;
pub(crate) mod units;
pub(crate) mod wake_timer;
pub(crate) mod waker;

#[cfg(test)]
mod host_wake_tests;
