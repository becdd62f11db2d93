//! The timer heap: every pending timer of a loop, earliest first.
//!
//! # Invariants
//! - Ordered by `(deadline, sequence)`: timers with equal deadlines fire in
//!   the order they were set.
//! - Cancelling removes the timer's action from the slab at once; its heap
//!   entry stays behind as a tombstone and is skipped when it reaches the
//!   top. Tombstones are swept once they outnumber live timers, so a loop
//!   that sets and cancels many timeouts does not grow without bound.
//! - The loop arms exactly one host timer, for [`TimerHeap::earliest`].

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::task::Waker;

use super::slab::{Key, Slab};
use crate::trace::TimerId;

/// What happens when a timer fires.
#[derive(Debug)]
pub(crate) enum TimerAction {
    /// Wake a sleeping future.
    Wake(Waker),
    /// Queue a `call_later` / `call_at` callback.
    Callback(Key),
}

#[derive(Debug)]
struct Pending {
    id: TimerId,
    action: TimerAction,
}

#[derive(Debug)]
struct Entry {
    deadline: f64,
    seq: u64,
    key: Key,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    // Reversed: `BinaryHeap` is a max-heap and we want the earliest on top.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .deadline
            .total_cmp(&self.deadline)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A fired timer, handed back to the loop.
#[derive(Debug)]
pub(crate) struct Fired {
    pub(crate) id: TimerId,
    pub(crate) action: TimerAction,
}

/// Pending timers, earliest first.
#[derive(Debug, Default)]
pub(crate) struct TimerHeap {
    heap: BinaryHeap<Entry>,
    live: Slab<Pending>,
    next_seq: u64,
}

impl TimerHeap {
    /// Adds a timer; returns its key and its trace id.
    pub(crate) fn insert(&mut self, deadline: f64, action: TimerAction) -> (Key, TimerId) {
        self.next_seq += 1;
        let seq = self.next_seq;
        let id = TimerId(seq);
        let key = self.live.insert(Pending { id, action });
        self.heap.push(Entry { deadline, seq, key });
        (key, id)
    }

    /// Cancels a pending timer; returns its id if it was still pending.
    pub(crate) fn cancel(&mut self, key: Key) -> Option<(TimerId, TimerAction)> {
        let pending = self.live.remove(key)?;
        self.sweep_if_sparse();
        Some((pending.id, pending.action))
    }

    /// Whether the timer under `key` has neither fired nor been cancelled.
    pub(crate) fn is_pending(&self, key: Key) -> bool {
        self.live.contains(key)
    }

    /// Replaces the waker of a pending sleep timer.
    pub(crate) fn update_waker(&mut self, key: Key, waker: &Waker) {
        if let Some(Pending {
            action: TimerAction::Wake(old),
            ..
        }) = self.live.get_mut(key)
        {
            if !old.will_wake(waker) {
                old.clone_from(waker);
            }
        }
    }

    /// The earliest live deadline.
    pub(crate) fn earliest(&mut self) -> Option<f64> {
        self.drop_tombstones();
        self.heap.peek().map(|entry| entry.deadline)
    }

    /// Pops the earliest timer if its deadline is at or before `now`.
    pub(crate) fn pop_due(&mut self, now: f64) -> Option<Fired> {
        self.drop_tombstones();
        let top = self.heap.peek()?;
        if top.deadline > now {
            return None;
        }
        let entry = self.heap.pop()?;
        let pending = self.live.remove(entry.key)?;
        Some(Fired {
            id: pending.id,
            action: pending.action,
        })
    }

    /// How many timers are pending.
    pub(crate) fn len(&self) -> usize {
        self.live.len()
    }

    /// Removes every timer, returning their actions.
    pub(crate) fn clear(&mut self) -> Vec<TimerAction> {
        self.heap.clear();
        self.live.drain().into_iter().map(|p| p.action).collect()
    }

    fn drop_tombstones(&mut self) {
        while let Some(top) = self.heap.peek() {
            if self.live.contains(top.key) {
                break;
            }
            self.heap.pop();
        }
    }

    fn sweep_if_sparse(&mut self) {
        if self.heap.len() > 64 && self.heap.len() > 2 * self.live.len() {
            let live = &self.live;
            self.heap.retain(|entry| live.contains(entry.key));
        }
    }
}
