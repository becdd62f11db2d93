//! Where a queue keeps its items, in one of three orders: first in first
//! out, last in first out, or smallest first.
//!
//! # Invariants
//! - The store only holds items; waiting and counting belong to
//!   [`QueueCore`](super::core::QueueCore), so the three queues share
//!   every rule but the order.
//! - Smallest first is a binary heap whose entries carry an insertion
//!   number: equal items come out in the order they were put (Python's
//!   heap-based queue leaves that order unspecified).
//! - The comparison is `T`'s `Ord`, captured as a function pointer when the
//!   store is made, so the store itself needs no bound on `T`. An `Ord` that
//!   is not a total order gives an unspecified order, never a panic.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// An item of a smallest-first store.
struct Ranked<T> {
    item: T,
    seq: u64,
    cmp: fn(&T, &T) -> Ordering,
}

impl<T> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T> Eq for Ranked<T> {}

impl<T> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Ranked<T> {
    // Reversed: `BinaryHeap` pops the greatest, and we want the smallest
    // item, the earliest put among equals.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.cmp)(&other.item, &self.item).then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A queue's items, in the queue's order.
pub(crate) struct Store<T>(Order<T>);

enum Order<T> {
    Fifo(VecDeque<T>),
    Lifo(Vec<T>),
    Smallest {
        heap: BinaryHeap<Ranked<T>>,
        next_seq: u64,
        cmp: fn(&T, &T) -> Ordering,
    },
}

impl<T> Store<T> {
    /// First in, first out.
    pub(crate) fn fifo() -> Store<T> {
        Store(Order::Fifo(VecDeque::new()))
    }

    /// Last in, first out.
    pub(crate) fn lifo() -> Store<T> {
        Store(Order::Lifo(Vec::new()))
    }

    /// Smallest first; equal items first in, first out.
    pub(crate) fn smallest_first() -> Store<T>
    where
        T: Ord,
    {
        Store(Order::Smallest {
            heap: BinaryHeap::new(),
            next_seq: 0,
            cmp: T::cmp,
        })
    }

    pub(crate) fn push(&mut self, item: T) {
        match &mut self.0 {
            Order::Fifo(items) => items.push_back(item),
            Order::Lifo(items) => items.push(item),
            Order::Smallest {
                heap,
                next_seq,
                cmp,
            } => {
                let seq = *next_seq;
                *next_seq = next_seq.wrapping_add(1);
                heap.push(Ranked {
                    item,
                    seq,
                    cmp: *cmp,
                });
            }
        }
    }

    pub(crate) fn pop(&mut self) -> Option<T> {
        match &mut self.0 {
            Order::Fifo(items) => items.pop_front(),
            Order::Lifo(items) => items.pop(),
            Order::Smallest { heap, .. } => heap.pop().map(|ranked| ranked.item),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match &self.0 {
            Order::Fifo(items) => items.len(),
            Order::Lifo(items) => items.len(),
            Order::Smallest { heap, .. } => heap.len(),
        }
    }

    /// The order's name, for `Debug`.
    pub(crate) fn order(&self) -> &'static str {
        match &self.0 {
            Order::Fifo(_) => "fifo",
            Order::Lifo(_) => "lifo",
            Order::Smallest { .. } => "smallest first",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Store;

    fn drain<T>(mut store: Store<T>) -> Vec<T> {
        std::iter::from_fn(|| store.pop()).collect()
    }

    fn filled(mut store: Store<(u8, char)>) -> Store<(u8, char)> {
        for item in [(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')] {
            store.push(item);
        }
        store
    }

    #[test]
    fn the_three_orders() {
        assert_eq!(
            drain(filled(Store::fifo())),
            [(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')]
        );
        assert_eq!(
            drain(filled(Store::lifo())),
            [(1, 'd'), (2, 'c'), (1, 'b'), (2, 'a')]
        );
        assert_eq!(
            drain(filled(Store::smallest_first())),
            [(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]
        );
    }

    #[test]
    fn equal_priorities_come_out_in_insertion_order() {
        /// Ordered by priority only; the label tells equal ones apart.
        struct Job(u8, char);
        impl PartialEq for Job {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }
        impl Eq for Job {}
        impl PartialOrd for Job {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for Job {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.0.cmp(&other.0)
            }
        }
        let mut store = Store::smallest_first();
        for (priority, label) in [(3, 'a'), (1, 'b'), (3, 'c'), (1, 'd'), (3, 'e')] {
            store.push(Job(priority, label));
        }
        let labels: String = drain(store).into_iter().map(|job| job.1).collect();
        assert_eq!(labels, "bdace");
    }
}
