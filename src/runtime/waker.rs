//! Wakes that come from other threads.
//!
//! On single-threaded WebAssembly a task's waker is the task cell itself
//! (see `task_cell.rs`) and no other thread exists, so [`ForeignWakes`] is
//! empty. Elsewhere threads may exist, and a task's waker is built here.
//!
//! A `Waker` must be `Send + Sync`, but a loop and its tasks live on one
//! thread. So this waker carries no reference to the task at all: only
//! the loop's id and the task's key. Waking on the loop's own thread finds
//! the loop through the thread's registry and queues the task directly.
//! Waking from another thread leaves the key in the loop's inbox, which the
//! loop drains at the start of every turn. No `unsafe` is involved.

#[cfg(not(single_threaded_wasm))]
pub(crate) use threaded::ForeignWakes;

#[cfg(single_threaded_wasm)]
pub(crate) use single::ForeignWakes;

#[cfg(not(single_threaded_wasm))]
mod threaded {
    use std::rc::Weak;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::task::{Wake, Waker};

    use crate::runtime::context;
    use crate::runtime::core::LoopCore;
    use crate::runtime::slab::Key;

    /// Keys woken from other threads, waiting for the loop's next turn.
    #[derive(Debug, Default)]
    struct Inbox {
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
    }

    /// The data behind one task's `Waker`.
    #[derive(Debug)]
    struct TaskWaker {
        loop_id: u64,
        key: Key,
        inbox: Arc<Inbox>,
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

    /// A loop's way to be found by its wakers, on its thread or another.
    #[derive(Debug)]
    pub(crate) struct ForeignWakes {
        loop_id: u64,
        inbox: Arc<Inbox>,
    }

    impl ForeignWakes {
        /// Registers the loop `loop_id` with this thread.
        pub(crate) fn new(loop_id: u64, core: Weak<LoopCore>) -> Self {
            context::register(loop_id, core);
            Self {
                loop_id,
                inbox: Arc::new(Inbox::default()),
            }
        }

        /// A thread-safe waker for the task under `key`.
        pub(crate) fn task_waker(&self, key: Key) -> Waker {
            Waker::from(Arc::new(TaskWaker {
                loop_id: self.loop_id,
                key,
                inbox: Arc::clone(&self.inbox),
            }))
        }

        /// Takes every key woken from elsewhere since the last call.
        pub(crate) fn take(&self) -> Vec<Key> {
            match self.inbox.keys.lock() {
                Ok(mut keys) if !keys.is_empty() => std::mem::take(&mut *keys),
                _ => Vec::new(),
            }
        }

        /// Stops accepting wakes (the loop is closed).
        pub(crate) fn close(&self) {
            self.inbox.closed.store(true, Ordering::Release);
            if let Ok(mut keys) = self.inbox.keys.lock() {
                keys.clear();
            }
            context::unregister(self.loop_id);
        }
    }

    impl Drop for ForeignWakes {
        fn drop(&mut self) {
            context::unregister(self.loop_id);
        }
    }
}

#[cfg(single_threaded_wasm)]
mod single {
    use std::rc::Weak;

    use crate::runtime::core::LoopCore;
    use crate::runtime::slab::Key;

    /// Nothing: with one thread, every wake comes through the task itself.
    #[derive(Debug)]
    pub(crate) struct ForeignWakes;

    impl ForeignWakes {
        pub(crate) fn new(_loop_id: u64, _core: Weak<LoopCore>) -> Self {
            ForeignWakes
        }

        pub(crate) fn take(&self) -> Vec<Key> {
            Vec::new()
        }

        pub(crate) fn close(&self) {}
    }
}
