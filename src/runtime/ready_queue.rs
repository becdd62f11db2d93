//! The ready queue: what runs next, first in first out, in batches.
//!
//! # Batches
//! Python's loop runs its ready callbacks in iterations: each iteration
//! runs exactly the callbacks that were ready when it began, and whatever
//! they make ready waits for the next one. `stop()` ends the loop at the
//! end of the current iteration. The queue keeps that boundary: a batch is
//! the items pushed before it began; [`ReadyQueue::batch_done`] says when
//! all of them have been popped, and [`ReadyQueue::begin_batch`] starts the
//! next one with everything pushed since.
//!
//! # Invariants
//! - A task is in the queue at most once: its header's `queued` flag is set
//!   when it is pushed and cleared when it is popped, and wakes in between
//!   are absorbed.
//! - Callbacks (`call_soon`, fired `call_later`) share the queue with tasks,
//!   so their relative order is exactly the order they became ready.
//! - `popped <= batch_end <= pushed` once a batch has begun: the counters
//!   only grow, and `clear` pops everything.

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

/// FIFO of ready work, with the boundary of the current batch.
#[derive(Debug, Default)]
pub(crate) struct ReadyQueue {
    items: VecDeque<ReadyItem>,
    /// Items pushed since the loop was made.
    pushed: u64,
    /// Items popped (or cleared) since the loop was made.
    popped: u64,
    /// `pushed` when the current batch began: the batch ends once `popped`
    /// reaches it.
    batch_end: u64,
    /// How many batches have begun.
    batch: u64,
}

impl ReadyQueue {
    pub(crate) fn push(&mut self, item: ReadyItem) {
        self.items.push_back(item);
        self.pushed += 1;
    }

    pub(crate) fn pop(&mut self) -> Option<ReadyItem> {
        let item = self.items.pop_front()?;
        self.popped += 1;
        debug_assert!(self.popped <= self.pushed, "popped more than was pushed");
        Some(item)
    }

    /// Whether every item of the current batch has been popped.
    pub(crate) fn batch_done(&self) -> bool {
        self.popped >= self.batch_end
    }

    /// Starts the next batch: everything queued now.
    pub(crate) fn begin_batch(&mut self) {
        debug_assert!(self.batch_done(), "a batch began before the last one ended");
        self.batch_end = self.pushed;
        self.batch += 1;
    }

    /// The number of the current batch (0 before the first).
    pub(crate) fn batch(&self) -> u64 {
        self.batch
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn clear(&mut self) {
        self.popped += self.items.len() as u64;
        self.items.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::slab::Slab;

    fn keys(n: usize) -> Vec<Key> {
        let mut slab = Slab::default();
        (0..n).map(|i| slab.insert(i)).collect()
    }

    #[test]
    fn a_batch_is_what_was_queued_when_it_began() {
        let k = keys(4);
        let mut queue = ReadyQueue::default();
        assert!(queue.batch_done());
        queue.push(ReadyItem::Task(k[0]));
        queue.push(ReadyItem::Task(k[1]));
        queue.begin_batch();
        assert_eq!(queue.batch(), 1);
        assert_eq!(queue.pop(), Some(ReadyItem::Task(k[0])));
        // Pushed during the batch: belongs to the next one.
        queue.push(ReadyItem::Callback(k[2]));
        assert!(!queue.batch_done());
        assert_eq!(queue.pop(), Some(ReadyItem::Task(k[1])));
        assert!(queue.batch_done());
        queue.begin_batch();
        assert_eq!(queue.batch(), 2);
        assert_eq!(queue.pop(), Some(ReadyItem::Callback(k[2])));
        assert!(queue.batch_done());
        assert_eq!(queue.pop(), None);
    }

    #[test]
    fn clearing_ends_the_batch() {
        let k = keys(2);
        let mut queue = ReadyQueue::default();
        queue.push(ReadyItem::Task(k[0]));
        queue.push(ReadyItem::Task(k[1]));
        queue.begin_batch();
        queue.clear();
        assert!(queue.batch_done());
        assert!(queue.is_empty());
    }
}
