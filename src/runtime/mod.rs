//! The loop's internals. Nothing here is public: the API is the files
//! beside this folder.

pub(crate) mod completions;
pub(crate) mod context;
pub(crate) mod core;
pub(crate) mod external;
pub(crate) mod host;
#[cfg(target_arch = "wasm32")]
pub(crate) mod io_span;
pub(crate) mod ready_queue;
pub(crate) mod slab;
pub(crate) mod task_cell;
pub(crate) mod timer_heap;
pub(crate) mod tracer;
pub(crate) mod waker;

#[cfg(test)]
mod host_wake_tests;
