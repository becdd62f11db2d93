//! Task wakers.
//!
//! A `Waker` must be `Send + Sync`, but a loop and its tasks live on one
//! thread. So a task's waker carries no reference to the task at all: only
//! the loop's id and the task's key. Waking on the loop's own thread finds
//! the loop through the thread's registry and queues the task directly.
//! Waking from another thread (possible natively, never in the browser
//! without shared memory) leaves the key in the loop's [`Inbox`], which the
//! loop drains at the start of every turn. No `unsafe` is involved.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Wake;

use super::context;
use super::slab::Key;

/// Keys woken from other threads, waiting for the loop's next turn.
#[derive(Debug, Default)]
pub(crate) struct Inbox {
    keys: Mutex<Vec<Key>>,
    closed: AtomicBool,
}

impl Inbox {
    fn push(&self, key: Key) {
        if self.closed.load(Ordering::Acquire) {
            return;
        }
        if let Ok(mut keys) = self.keys.lock() {
            keys.push(key);
        }
    }

    /// Takes every key woken from elsewhere since the last call.
    pub(crate) fn take(&self) -> Vec<Key> {
        match self.keys.lock() {
            Ok(mut keys) if !keys.is_empty() => std::mem::take(&mut *keys),
            _ => Vec::new(),
        }
    }

    /// Stops accepting keys (the loop is closed).
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        if let Ok(mut keys) = self.keys.lock() {
            keys.clear();
        }
    }
}

/// The data behind one task's `Waker`.
#[derive(Debug)]
pub(crate) struct TaskWaker {
    pub(crate) loop_id: u64,
    pub(crate) key: Key,
    pub(crate) inbox: Arc<Inbox>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        match context::find(self.loop_id) {
            Some(core) => core.wake_task(self.key),
            None => self.inbox.push(self.key),
        }
    }
}
