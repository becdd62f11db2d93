//! Python's asyncio for the browser, in Rust.
//!
//! An event loop whose ready queue runs in the browser's microtasks, whose
//! timers share one `setTimeout`, and whose core is platform-free: the same
//! loop runs natively (and in the browser) on a deterministic virtual clock,
//! where a program that sleeps for a minute finishes at once with exact
//! timestamps.
//!
//! Python's vocabulary, Rust's idioms:
//!
//! | Python | here |
//! |---|---|
//! | `asyncio.run(main())` | [`run`]`(main()).await` (or `.block()` on the virtual clock) |
//! | `loop.run_until_complete(c)` | [`EventLoop::run_until_complete`] |
//! | `asyncio.create_task(c)` | [`create_task`] → [`Task`] |
//! | `await asyncio.sleep(1)` | [`sleep`]`(Duration::from_secs(1)).await`, [`sleep_secs`]`(1.0)?.await` |
//! | `loop.call_soon / call_later / call_at` | [`EventLoop::call_soon`], [`EventLoop::call_later`], [`EventLoop::call_at`] → [`Handle`] |
//! | `loop.time()` | [`EventLoop::time`] |
//! | `asyncio.get_running_loop()` | [`get_running_loop`] |
//! | `print(...)` | [`print`](fn@print): captured per loop, with its loop time |
//!
//! # Example
//! ```
//! use std::time::Duration;
//!
//! async fn say_after(delay: u64, what: &str) {
//!     asyncio::sleep(Duration::from_secs(delay)).await;
//!     asyncio::print(what);
//! }
//!
//! let lp = asyncio::EventLoop::virtual_clock();
//! lp.run_until_complete(async {
//!     let a = asyncio::create_task(say_after(1, "hello"));
//!     let b = asyncio::create_task(say_after(2, "world"));
//!     let _ = a.await;
//!     let _ = b.await;
//! })
//! .block()
//! .unwrap();
//! assert_eq!(lp.time(), 2.0); // concurrently: 2 s, not 3 s
//! ```
//!
//! # The loop
//! Ready work is first in first out; a task woken twice is queued once. A
//! burst of ready work runs in one microtask up to a budget (4 ms by
//! default), then continues in a macrotask so the page can paint.
//! `sleep(0)` and [`yield_now`] go to the back of the queue without a timer.
//! Timers sit in one heap with one host timer armed for the earliest; equal
//! deadlines fire in the order they were set; delays beyond `setTimeout`'s
//! 2^31-1 ms are chained.
//!
//! Cancelling a task drops its future at its next turn, so its destructors
//! run: timers clear, guards release. As in Python, cancelling a task that
//! is awaiting another task cancels that one too ([`shield`] stops it), and
//! a task cancelled during the step in which it returns ends cancelled.
//! Dropping a [`Task`] handle does not cancel it.
//!
//! [`EventLoop::stop`] works as Python's `loop.stop()`: the batch of ready
//! work running now finishes, then the run ends, cancelling nothing. A run
//! ends the same way when its main task completes, so what the main task's
//! last step made ready (callbacks, the first step of tasks it created,
//! done callbacks) runs before `run_until_complete` returns.
//!
//! # Panics
//! Nothing in this crate panics on any input: misuse gives a typed error or,
//! where a type allows none, a warning and a documented fallback. (On
//! `wasm32-unknown-unknown` a panic aborts the whole module.)

#![warn(missing_docs)]

mod as_completed;
mod backend;
mod error;
mod event_loop;
pub mod executor;
mod future;
mod gather;
mod handle;
mod host;
#[cfg(target_arch = "wasm32")]
pub mod net;
mod print;
mod runtime;
mod shield;
mod stats;
mod sync;
mod task;
mod task_builder;
mod task_group;
mod task_ref;
mod time;
mod timeout;
pub mod trace;
mod wait;
mod warning;

pub use crate::as_completed::{as_completed, AsCompleted, AsCompletedError, Next};
pub use crate::backend::{Backend, Clock};
pub use crate::error::{
    Cancelled, FutureError, InvalidDelay, LoopError, NoRunningLoop, RunError, TaskResultError,
    TimeoutError, WaitForError,
};
pub use crate::event_loop::{
    get_running_loop, run, CancelLeftovers, EventLoop, LoopBuilder, Run, RunUntilComplete,
    DEFAULT_BUDGET,
};
pub use crate::future::{CallbackId, Future, FutureWait};
#[doc(hidden)]
pub use crate::gather::{__gather_slot, __gather_tuple};
/// What the `gather!` macro expands to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::gather::{GatherTuple, Slot, SlotSet, SlotTuple};
}
pub use crate::gather::{
    gather, gather_results, gather_until_error, try_gather, Gather, GatherError, GatherResults,
    GatherUntilError, TryGather,
};
pub use crate::handle::Handle;
pub use crate::print::print;
pub use crate::runtime::output::OutputLine;
pub use crate::runtime::task_cell::TaskInfo;
pub use crate::shield::{shield, Shield};
pub use crate::stats::LoopStats;
pub use crate::sync::{
    BoundedSemaphore, Condition, ConditionWait, ConditionWaitFor, Event, EventWait, LifoQueue,
    Lock, LockAcquire, LockGuard, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueGet, QueueJoin,
    QueuePut, Semaphore, SemaphoreAcquire, SemaphorePermit, TaskDoneError, TooManyReleases,
};
pub use crate::task::{create_task, ensure_task, IntoTask, JoinTask, Task};
pub use crate::task_builder::{take_cancellation, TaskBuilder};
pub use crate::task_group::{Join, TaskGroup, TaskGroupError};
pub use crate::task_ref::{all_tasks, current_task, set_task_line, TaskRef};
pub use crate::time::{blocking_sleep, sleep, sleep_secs, yield_now, Sleep};
pub use crate::timeout::{timeout, wait_for, Timeout, WaitFor};
pub use crate::trace::{
    TaskId, TimerId, TraceEvent, TraceRecord, WaitReason, WakeSource, WarningKind,
};
pub use crate::wait::{wait, Fallible, ReturnWhen, Wait};
pub use crate::warning::record_warning;
