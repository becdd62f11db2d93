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

/// Which item a store gives next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Fifo,
    Lifo,
    Smallest,
}

/// A queue's items, in the queue's order.
///
/// First in first out and last in first out share one ring buffer (popped
/// from its front or its back); smallest first uses the heap. Choosing by a
/// plain tag keeps the common operations (push, pop, length) to a compare
/// and the collection's own work: a queue reads its length several times
/// per put or get.
pub(crate) struct Store<T> {
    kind: Kind,
    ring: VecDeque<T>,
    heap: BinaryHeap<Ranked<T>>,
    next_seq: u64,
    /// `T`'s order, for smallest first; unused by the other two.
    cmp: fn(&T, &T) -> Ordering,
}

/// The comparison of a store that never compares.
fn unordered<T>(_: &T, _: &T) -> Ordering {
    Ordering::Equal
}

impl<T> Store<T> {
    fn of(kind: Kind, cmp: fn(&T, &T) -> Ordering) -> Store<T> {
        Store {
            kind,
            ring: VecDeque::new(),
            heap: BinaryHeap::new(),
            next_seq: 0,
            cmp,
        }
    }

    /// First in, first out.
    pub(crate) fn fifo() -> Store<T> {
        Store::of(Kind::Fifo, unordered)
    }

    /// Last in, first out.
    pub(crate) fn lifo() -> Store<T> {
        Store::of(Kind::Lifo, unordered)
    }

    /// Smallest first; equal items first in, first out.
    pub(crate) fn smallest_first() -> Store<T>
    where
        T: Ord,
    {
        Store::of(Kind::Smallest, T::cmp)
    }

    #[inline]
    pub(crate) fn push(&mut self, item: T) {
        if self.kind == Kind::Smallest {
            let seq = self.next_seq;
            self.next_seq = seq.wrapping_add(1);
            self.heap.push(Ranked {
                item,
                seq,
                cmp: self.cmp,
            });
        } else {
            self.ring.push_back(item);
        }
    }

    #[inline]
    pub(crate) fn pop(&mut self) -> Option<T> {
        match self.kind {
            Kind::Fifo => self.ring.pop_front(),
            Kind::Lifo => self.ring.pop_back(),
            Kind::Smallest => self.heap.pop().map(|ranked| ranked.item),
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self.kind {
            Kind::Smallest => self.heap.len(),
            _ => self.ring.len(),
        }
    }

    /// The order's name, for `Debug`.
    pub(crate) fn order(&self) -> &'static str {
        match self.kind {
            Kind::Fifo => "fifo",
            Kind::Lifo => "lifo",
            Kind::Smallest => "smallest first",
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
