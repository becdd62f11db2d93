//! The waiters of one primitive, first in first out: the building block of
//! every type in this folder.
//!
//! # States
//! A waiter, named by its [`WaiterKey`], is in one of two states:
//! - *waiting*: linked into the queue in arrival order, holding the waker of
//!   the task to wake;
//! - *notified*: unlinked by [`WaitList::notify_one`] (or `notify`,
//!   `notify_all`). It stays in the list until its future is next polled and
//!   takes what it was promised, or is dropped.
//!
//! # Invariants
//! - The queue links exactly the waiting entries, oldest first, and
//!   `notify_one` always picks the oldest: waiters are served in the order
//!   they arrived.
//! - [`WaitList::notified`] counts the notified entries exactly. The
//!   primitives read it as the number of resources (the lock, permits,
//!   items, free slots) promised to a waiter but not yet taken.
//! - Nothing is ever moved into a waiter. A notified waiter takes its
//!   resource itself when polled; one removed while notified is reported as
//!   [`Removed::Notified`], so its owner can pass the promise to the next
//!   waiter. That is what makes every primitive cancel-safe.
//! - The list never wakes anyone. It hands wakers back, and the primitives
//!   wake them after releasing their `RefCell` borrow, so no task code runs
//!   while a primitive's state is borrowed.
//! - Removing or notifying is O(1); keys are generational, so a stale key
//!   finds nothing rather than another waiter.

use std::task::Waker;

use crate::runtime::slab::{Key, Slab};

/// Names one waiter in a [`WaitList`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WaiterKey(Key);

/// What a removed waiter was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Removed {
    /// It was still waiting: nothing was promised to it.
    Waiting,
    /// It had been notified and had not taken what it was promised.
    Notified,
}

/// Where a waiter stands when its future is polled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Still waiting; its waker has been refreshed.
    Waiting,
    /// Notified: it may take what it was promised.
    Notified,
    /// Not in the list (never pushed, or already removed).
    Absent,
}

#[derive(Debug)]
enum Entry {
    Waiting {
        waker: Waker,
        prev: Option<Key>,
        next: Option<Key>,
    },
    Notified,
}

/// A first-in first-out list of waiters with wake-one and wake-all.
#[derive(Debug, Default)]
pub(crate) struct WaitList {
    entries: Slab<Entry>,
    head: Option<Key>,
    tail: Option<Key>,
    waiting: usize,
    notified: usize,
}

impl WaitList {
    /// Adds a waiter at the back of the queue.
    pub(crate) fn push(&mut self, waker: Waker) -> WaiterKey {
        let key = self.entries.insert(Entry::Waiting {
            waker,
            prev: self.tail,
            next: None,
        });
        match self.tail {
            Some(tail) => self.set_next(tail, Some(key)),
            None => self.head = Some(key),
        }
        self.tail = Some(key);
        self.waiting += 1;
        WaiterKey(key)
    }

    /// Where the waiter stands; a waiting one gets `waker` as its new waker
    /// (unless it would wake the same task already).
    pub(crate) fn standing(&mut self, key: WaiterKey, waker: &Waker) -> Standing {
        match self.entries.get_mut(key.0) {
            Some(Entry::Waiting { waker: old, .. }) => {
                if !old.will_wake(waker) {
                    old.clone_from(waker);
                }
                Standing::Waiting
            }
            Some(Entry::Notified) => Standing::Notified,
            None => Standing::Absent,
        }
    }

    /// Removes the waiter, wherever it stands. `None` if it was not there.
    pub(crate) fn remove(&mut self, key: WaiterKey) -> Option<Removed> {
        match self.entries.remove(key.0)? {
            Entry::Waiting { prev, next, .. } => {
                self.unlink(prev, next);
                self.waiting -= 1;
                Some(Removed::Waiting)
            }
            Entry::Notified => {
                self.notified -= 1;
                Some(Removed::Notified)
            }
        }
    }

    /// Notifies the oldest waiting waiter; returns its waker, for the caller
    /// to wake once its borrow has ended. `None` if nobody is waiting.
    pub(crate) fn notify_one(&mut self) -> Option<Waker> {
        let key = self.head?;
        let entry = self.entries.get_mut(key)?;
        let Entry::Waiting { waker, prev, next } = std::mem::replace(entry, Entry::Notified) else {
            // The queue links only waiting entries; an unlinked head would be
            // a bookkeeping error. Release builds drop it from the queue
            // rather than loop.
            debug_assert!(false, "the wait list's head is not a waiting entry");
            self.head = None;
            self.tail = None;
            return None;
        };
        self.unlink(prev, next);
        self.waiting -= 1;
        self.notified += 1;
        Some(waker)
    }

    /// Notifies up to `n` waiters, oldest first; returns their wakers.
    pub(crate) fn notify(&mut self, n: usize) -> Vec<Waker> {
        let mut wakers = Vec::with_capacity(n.min(self.waiting));
        while wakers.len() < n {
            match self.notify_one() {
                Some(waker) => wakers.push(waker),
                None => break,
            }
        }
        wakers
    }

    /// Notifies every waiting waiter; returns their wakers.
    pub(crate) fn notify_all(&mut self) -> Vec<Waker> {
        self.notify(self.waiting)
    }

    /// How many waiters are waiting (not yet notified).
    pub(crate) fn waiting(&self) -> usize {
        self.waiting
    }

    /// How many waiters are notified but have not taken their due.
    pub(crate) fn notified(&self) -> usize {
        self.notified
    }

    /// How many waiters the list holds, waiting or notified.
    pub(crate) fn len(&self) -> usize {
        self.waiting + self.notified
    }

    fn set_next(&mut self, key: Key, to: Option<Key>) {
        if let Some(Entry::Waiting { next, .. }) = self.entries.get_mut(key) {
            *next = to;
        }
    }

    fn set_prev(&mut self, key: Key, to: Option<Key>) {
        if let Some(Entry::Waiting { prev, .. }) = self.entries.get_mut(key) {
            *prev = to;
        }
    }

    /// Joins an unlinked entry's neighbours to each other.
    fn unlink(&mut self, prev: Option<Key>, next: Option<Key>) {
        match prev {
            Some(prev) => self.set_next(prev, next),
            None => self.head = next,
        }
        match next {
            Some(next) => self.set_prev(next, prev),
            None => self.tail = prev,
        }
    }
}

/// Wakes every waker handed back by a [`WaitList`].
pub(crate) fn wake_all(wakers: Vec<Waker>) {
    for waker in wakers {
        waker.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noop() -> Waker {
        Waker::noop().clone()
    }

    #[test]
    fn notifies_in_arrival_order() {
        let mut list = WaitList::default();
        let keys: Vec<_> = (0..4).map(|_| list.push(noop())).collect();
        assert!(list.notify_one().is_some());
        assert_eq!(list.standing(keys[0], &noop()), Standing::Notified);
        assert_eq!(list.standing(keys[1], &noop()), Standing::Waiting);
        assert_eq!(list.notify(2).len(), 2);
        assert_eq!(list.standing(keys[2], &noop()), Standing::Notified);
        assert_eq!(list.standing(keys[3], &noop()), Standing::Waiting);
        assert_eq!((list.waiting(), list.notified()), (1, 3));
    }

    #[test]
    fn removing_from_the_middle_keeps_the_order() {
        let mut list = WaitList::default();
        let keys: Vec<_> = (0..5).map(|_| list.push(noop())).collect();
        assert_eq!(list.remove(keys[2]), Some(Removed::Waiting));
        assert_eq!(list.remove(keys[0]), Some(Removed::Waiting));
        assert_eq!(list.remove(keys[4]), Some(Removed::Waiting));
        assert_eq!(list.remove(keys[4]), None);
        assert!(list.notify_one().is_some());
        assert_eq!(list.standing(keys[1], &noop()), Standing::Notified);
        assert!(list.notify_one().is_some());
        assert_eq!(list.standing(keys[3], &noop()), Standing::Notified);
        assert!(list.notify_one().is_none());
        assert_eq!(list.remove(keys[1]), Some(Removed::Notified));
        assert_eq!(list.remove(keys[3]), Some(Removed::Notified));
        assert_eq!(list.len(), 0);
    }

    #[test]
    fn stale_keys_find_nothing() {
        let mut list = WaitList::default();
        let first = list.push(noop());
        list.remove(first);
        let second = list.push(noop());
        assert_eq!(list.standing(first, &noop()), Standing::Absent);
        assert_eq!(list.remove(first), None);
        assert_eq!(list.standing(second, &noop()), Standing::Waiting);
    }

    #[test]
    fn notify_all_then_new_waiters_wait() {
        let mut list = WaitList::default();
        for _ in 0..3 {
            list.push(noop());
        }
        assert_eq!(list.notify_all().len(), 3);
        let late = list.push(noop());
        assert_eq!(list.standing(late, &noop()), Standing::Waiting);
        assert_eq!((list.waiting(), list.notified()), (1, 3));
    }
}
