//! Synchronisation primitives for tasks of one loop: `Event`, `Lock`,
//! `Semaphore`, `BoundedSemaphore`, `Condition` and the queues.
//!
//! All are single-threaded (`Rc` and `RefCell`, no `unsafe`), and their
//! handles are cheap clones of one shared primitive, so one `Lock` or
//! `Queue` can be moved into many `'static` tasks.
//!
//! # Invariants shared by every primitive
//! - Waiters queue in a [`WaitList`](wait_list::WaitList), first in first
//!   out, when their future is first polled: they are served in that order
//!   and nothing arriving later overtakes them.
//! - Nothing is moved into a waiter. A waiter is *notified* (promised the
//!   lock, a permit, an item, a slot, a notification) and takes it itself
//!   when next polled. A notified waiter dropped first, typically because
//!   its task was cancelled, passes its promise on, so cancelling never
//!   loses anything and never leaves a stale waiter behind.
//! - Wakers are woken after the primitive's state is released, and
//!   guards release on drop, so dropping anything at any point leaves every
//!   primitive consistent.
//! - Each waiting future records what it waits on in the loop's trace
//!   ([`WaitReason`](crate::WaitReason)) the first time it returns pending.

mod bounded_semaphore;
mod condition;
mod condition_wait;
mod event;
mod lock;
mod queue;
mod semaphore;
mod wait_list;

pub use bounded_semaphore::{BoundedSemaphore, TooManyReleases};
pub use condition::Condition;
pub use condition_wait::{ConditionWait, ConditionWaitFor};
pub use event::{Event, EventWait};
pub use lock::{Lock, LockAcquire, LockGuard};
pub use queue::{
    LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueGet, QueueJoin, QueuePut,
    TaskDoneError,
};
pub use semaphore::{Semaphore, SemaphoreAcquire, SemaphorePermit};
