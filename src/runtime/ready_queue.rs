//! The ready queue: what runs next, first in first out.
//!
//! # Invariants
//! - A task is in the queue at most once: its header's `queued` flag is set
//!   when it is pushed and cleared when it is popped, and wakes in between
//!   are absorbed.
//! - Callbacks (`call_soon`, fired `call_later`) share the queue with tasks,
//!   so their relative order is exactly the order they became ready.

use std::collections::VecDeque;

use super::slab::Key;

/// One unit of ready work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadyItem {
    /// Poll this task.
    Task(Key),
    /// Run this callback.
    Callback(Key),
}

/// FIFO of ready work.
#[derive(Debug, Default)]
pub(crate) struct ReadyQueue {
    items: VecDeque<ReadyItem>,
}

impl ReadyQueue {
    pub(crate) fn push(&mut self, item: ReadyItem) {
        self.items.push_back(item);
    }

    pub(crate) fn pop(&mut self) -> Option<ReadyItem> {
        self.items.pop_front()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }
}
