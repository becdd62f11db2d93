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
//!   are absorbed. The queue holds the task's cell itself, so running it
//!   needs no look-up; a task that ended while queued is skipped when
//!   popped.
//! - Callbacks (`call_soon`, fired `call_later`) share the queue with tasks,
//!   so their relative order is exactly the order they became ready.
//! - `popped <= batch_end <= pushed` once a batch has begun: the counters
//!   only grow, and `clear` pops everything.

use std::cell::Cell;
use std::collections::VecDeque;

use super::slab::Key;
use super::task_rc::TaskRc;

/// One unit of ready work.
pub(crate) enum ReadyItem {
    /// Poll this task.
    Task(TaskRc),
    /// Run this callback.
    Callback(Key),
}

thread_local! {
    /// The buffer a dropped loop's queue left empty, for the next loop made
    /// on this thread. A queue grows by doubling from empty, copying its
    /// items at every step; a program that makes one loop after another
    /// (each `asyncio::run`, each of the playground's runs) would pay that
    /// again for every loop.
    static SPARE: Cell<VecDeque<ReadyItem>> = const { Cell::new(VecDeque::new()) };
}

/// The largest buffer kept for the next loop, in items (1.5 MB).
const SPARE_MAX_ITEMS: usize = 1 << 17;

/// The capacity of the buffer kept for the next loop on this thread.
#[cfg(test)]
pub(crate) fn spare_capacity() -> usize {
    SPARE.with(|spare| {
        let kept = spare.take();
        let capacity = kept.capacity();
        spare.set(kept);
        capacity
    })
}

impl ReadyQueue {
    /// An empty queue, in the buffer the last loop dropped on this thread
    /// left, if any.
    pub(crate) fn recycled() -> Self {
        let items = SPARE.try_with(Cell::take).unwrap_or_default();
        debug_assert!(items.is_empty(), "a recycled ready queue held items");
        Self {
            items,
            ..Self::default()
        }
    }

    /// Leaves this queue's buffer for the next loop, if it is empty, not
    /// too large, and larger than the one kept already.
    pub(crate) fn recycle(&mut self) {
        if !self.items.is_empty() || self.items.capacity() > SPARE_MAX_ITEMS {
            return;
        }
        let items = std::mem::take(&mut self.items);
        let _ = SPARE.try_with(|spare| {
            let kept = spare.take();
            spare.set(if items.capacity() > kept.capacity() {
                items
            } else {
                kept
            });
        });
    }

    /// Queues `task`; `heavy` if its last timed step was long, so that the
    /// loop can look at the clock just before it runs (see
    /// [`heavy_ahead`](Self::heavy_ahead)).
    pub(crate) fn push_task(&mut self, task: TaskRc, heavy: bool) {
        if heavy {
            self.heavy.push_back(self.pushed);
        }
        self.push(ReadyItem::Task(task));
    }

    /// How many items come before the first task still queued that was
    /// pushed as heavy, if there is one.
    pub(crate) fn heavy_ahead(&mut self) -> Option<u64> {
        while let Some(&at) = self.heavy.front() {
            if at >= self.popped {
                return Some(at - self.popped);
            }
            self.heavy.pop_front();
        }
        None
    }

    /// The last timed step of the task at the front, in tenths of a
    /// millisecond (0 for a callback or an empty queue).
    pub(crate) fn front_step_tenths(&self) -> u8 {
        match self.items.front() {
            Some(ReadyItem::Task(task)) => task.header.last_step_tenths(),
            _ => 0,
        }
    }

    /// The tasks in the queue.
    pub(crate) fn tasks(&self) -> impl Iterator<Item = &TaskRc> {
        self.items().filter_map(|item| match item {
            ReadyItem::Task(task) => Some(task),
            ReadyItem::Callback(_) => None,
        })
    }
}

impl std::fmt::Debug for ReadyItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadyItem::Task(task) => f.debug_tuple("Task").field(&task.header.id).finish(),
            ReadyItem::Callback(key) => f.debug_tuple("Callback").field(key).finish(),
        }
    }
}

/// FIFO of ready work, with the boundary of the current batch.
#[derive(Debug)]
pub(crate) struct ReadyQueue<T = ReadyItem> {
    items: VecDeque<T>,
    /// Items pushed since the loop was made.
    pushed: u64,
    /// Items popped (or cleared) since the loop was made.
    popped: u64,
    /// `pushed` when the current batch began: the batch ends once `popped`
    /// reaches it.
    batch_end: u64,
    /// How many batches have begun.
    batch: u64,
    /// Where tasks woken with a long last step were pushed (their count in
    /// `pushed`), oldest first; some may have been popped since.
    heavy: VecDeque<u64>,
}

impl<T> Default for ReadyQueue<T> {
    fn default() -> Self {
        Self {
            items: VecDeque::new(),
            pushed: 0,
            popped: 0,
            batch_end: 0,
            batch: 0,
            heavy: VecDeque::new(),
        }
    }
}

impl<T> ReadyQueue<T> {
    pub(crate) fn push(&mut self, item: T) {
        self.items.push_back(item);
        self.pushed += 1;
    }

    pub(crate) fn pop(&mut self) -> Option<T> {
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

    /// What the queue holds, first to run first.
    pub(crate) fn items(&self) -> impl Iterator<Item = &T> {
        self.items.iter()
    }

    /// Empties the queue, handing back its buffer with what it held, for
    /// the caller to empty outside any borrow (dropping a task may run its
    /// destructors) and [`give_back`](Self::give_back).
    pub(crate) fn clear(&mut self) -> VecDeque<T> {
        self.heavy.clear();
        self.popped += self.items.len() as u64;
        std::mem::take(&mut self.items)
    }

    /// Takes back the buffer [`clear`](Self::clear) handed out, emptied, so
    /// that it stays for the next loop (see `recycle`); unless the queue
    /// has items again, or a buffer as large.
    pub(crate) fn give_back(&mut self, buffer: VecDeque<T>) {
        debug_assert!(buffer.is_empty(), "a ready queue's buffer came back full");
        if self.items.is_empty() && buffer.is_empty() && buffer.capacity() > self.items.capacity() {
            self.items = buffer;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heavy_tasks_are_found_by_their_place_until_popped() {
        let mut queue = ReadyQueue::default();
        let task = || -> TaskRc {
            let future = std::future::pending::<()>();
            crate::runtime::task_cell::TaskCell::orphan(future, "test").into_cell()
        };
        assert_eq!(queue.heavy_ahead(), None);
        queue.push(ReadyItem::Callback(Key::DETACHED));
        queue.push_task(task(), false);
        queue.push_task(task(), true);
        queue.push_task(task(), true);
        assert_eq!(queue.heavy_ahead(), Some(2));
        queue.pop();
        queue.pop();
        assert_eq!(queue.heavy_ahead(), Some(0));
        queue.pop();
        assert_eq!(
            queue.heavy_ahead(),
            Some(0),
            "the second heavy task is next"
        );
        queue.pop();
        assert_eq!(queue.heavy_ahead(), None);
        queue.push_task(task(), true);
        drop(queue.clear());
        assert_eq!(queue.heavy_ahead(), None, "cleared with the queue");
    }

    #[test]
    fn a_dropped_loop_s_empty_buffer_goes_to_the_next_loop() {
        // Whatever an earlier test on this thread left.
        drop(ReadyQueue::recycled());
        let mut first = ReadyQueue::recycled();
        for _ in 0..1000 {
            first.push(ReadyItem::Callback(Key::DETACHED));
        }
        // Not empty: kept by nobody.
        first.recycle();
        assert_eq!(ReadyQueue::recycled().items.capacity(), 0);
        while first.pop().is_some() {}
        let grown = first.items.capacity();
        assert!(grown >= 1000);
        first.recycle();
        let mut second = ReadyQueue::recycled();
        assert_eq!(second.items.capacity(), grown);
        assert_eq!(second.len(), 0);
        // A smaller buffer does not replace a larger one.
        let mut small = ReadyQueue::recycled();
        small.push(ReadyItem::Callback(Key::DETACHED));
        small.pop();
        small.recycle();
        second.recycle();
        assert_eq!(ReadyQueue::recycled().items.capacity(), grown);
        // Nor is a buffer over the bound kept.
        let mut huge = ReadyQueue::recycled();
        huge.items.reserve(SPARE_MAX_ITEMS + 1);
        huge.recycle();
        assert_eq!(ReadyQueue::recycled().items.capacity(), 0);
    }

    #[test]
    fn a_batch_is_what_was_queued_when_it_began() {
        let mut queue = ReadyQueue::<&str>::default();
        assert!(queue.batch_done());
        queue.push("task 0");
        queue.push("task 1");
        queue.begin_batch();
        assert_eq!(queue.batch(), 1);
        assert_eq!(queue.pop(), Some("task 0"));
        // Pushed during the batch: belongs to the next one.
        queue.push("callback 2");
        assert!(!queue.batch_done());
        assert_eq!(queue.pop(), Some("task 1"));
        assert!(queue.batch_done());
        queue.begin_batch();
        assert_eq!(queue.batch(), 2);
        assert_eq!(queue.pop(), Some("callback 2"));
        assert!(queue.batch_done());
        assert_eq!(queue.pop(), None);
    }

    #[test]
    fn clearing_ends_the_batch_and_hands_back_the_items() {
        let mut queue = ReadyQueue::<u32>::default();
        queue.push(0);
        queue.push(1);
        queue.begin_batch();
        assert_eq!(queue.clear(), [0, 1]);
        assert!(queue.batch_done());
        assert!(queue.is_empty());
    }
}
