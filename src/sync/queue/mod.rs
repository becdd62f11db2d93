//! The queues: `Queue` (first in first out), `LifoQueue` (last in first
//! out) and `PriorityQueue` (smallest first), as Python's three.
//!
//! # Shape
//! One core, three orders, as tokio's channels share one `chan.rs`:
//! - [`core`] holds everything the queues share, whatever their order: the
//!   bound, the waiting getters, putters and joiners, the count of
//!   unfinished items, and every rule about promises and cancellation;
//! - [`order`] is the ordering strategy: where the items sit and which
//!   comes out next;
//! - [`futures`] are the waits (`put`, `get`, `join`), the same for all
//!   three;
//! - [`fifo`] and [`ordered`] are the public types: each a handle to a core
//!   made with its order, and its documentation (`LifoQueue` and
//!   `PriorityQueue` written by one macro).

mod core;
mod error;
mod fifo;
mod futures;
mod order;
mod ordered;

pub use error::{QueueEmpty, QueueFull, TaskDoneError};
pub use fifo::Queue;
pub use futures::{QueueGet, QueueJoin, QueuePut};
pub use ordered::{LifoQueue, PriorityQueue};
