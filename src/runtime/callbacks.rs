//! Callbacks on a loop, as the layers above hold them: a queue to put
//! callbacks on (a `Future`'s home loop, a task group's), and an entry that
//! can be taken back (a `Handle`).
//!
//! # Invariants
//! - Both hold their loop weakly: a callback queue or an entry never keeps
//!   a loop alive, and finds nothing once it is gone.
//! - A callback handed to [`CallbackQueue::call_soon`] either runs on the
//!   loop or is handed back, never silently dropped.

use std::fmt;
use std::rc::{Rc, Weak};

use super::context;
use super::core::{Callback, LoopCore};
use super::slab::Key;

/// A loop to queue callbacks on, held weakly.
#[derive(Clone)]
pub(crate) struct CallbackQueue {
    core: Weak<LoopCore>,
}

impl fmt::Debug for CallbackQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackQueue")
            .field("open", &self.is_open())
            .finish()
    }
}

impl CallbackQueue {
    /// The running loop's queue, if a loop is running.
    pub(crate) fn running() -> Option<CallbackQueue> {
        context::current().map(|core| CallbackQueue {
            core: Rc::downgrade(&core),
        })
    }

    /// Whether the loop is still there and not closed.
    pub(crate) fn is_open(&self) -> bool {
        self.core.upgrade().is_some_and(|core| !core.is_closed())
    }

    /// Queues `callback` to run soon, after what is already ready; hands it
    /// back if the loop is gone or closed.
    pub(crate) fn call_soon(&self, callback: Callback) -> Result<(), Callback> {
        match self.core.upgrade() {
            Some(core) if !core.is_closed() => {
                core.call_soon(callback);
                Ok(())
            }
            _ => Err(callback),
        }
    }
}

/// A callback queued or timed on a loop, which can still be taken back.
pub(crate) struct CallbackEntry {
    core: Weak<LoopCore>,
    callback: Key,
    timer: Option<Key>,
}

impl fmt::Debug for CallbackEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackEntry")
            .field("timed", &self.timer.is_some())
            .finish()
    }
}

impl CallbackEntry {
    pub(crate) fn new(core: &Rc<LoopCore>, callback: Key, timer: Option<Key>) -> Self {
        CallbackEntry {
            core: Rc::downgrade(core),
            callback,
            timer,
        }
    }

    /// Removes the callback if it has not run; returns whether it was there.
    pub(crate) fn cancel(&self) -> bool {
        match self.core.upgrade() {
            Some(core) => core.cancel_callback(self.callback, self.timer),
            None => false,
        }
    }
}
