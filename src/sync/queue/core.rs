//! What every queue shares, whatever its order: the items, the bound, the
//! waiting getters, putters and joiners, and the count of unfinished items.
//! The futures that wait on them are in
//! [`futures`](super::futures).
//!
//! # Invariants
//! - A getter notified by a put has an item promised to it; a putter
//!   notified by a get has a free slot promised to it. The wait lists'
//!   `notified()` counts are those promises, and nothing else holds them:
//!   items stay in the store, and the promised waiter takes one when next
//!   polled.
//! - Unclaimed items are the items less the ones promised to getters; they
//!   are what [`QueueCore::qsize`] counts and what `get_nowait` may take.
//!   Room exists while the items plus the slots promised to putters are
//!   below `maxsize` (0 means no bound); `put_nowait` needs room.
//! - Getters wait only while nothing is unclaimed, putters only while there
//!   is no room. Each put that finds getters waiting notifies exactly one;
//!   each get that finds putters waiting and makes room notifies exactly
//!   one. So waiters are served in arrival order and nobody overtakes them.
//! - A promised waiter dropped before taking its due (its task cancelled)
//!   passes the promise to the next waiter of its kind, or, with none,
//!   simply lets it go: no item or slot is ever lost.
//! - `unfinished` counts items put and not yet marked done; when it falls
//!   to zero every joiner is notified, and a notified joiner completes even
//!   if more items are put before it runs.
//! - The state is borrowed with `try_borrow_mut`: the only code that runs
//!   under the borrow and could re-enter is `T`'s `Ord`, and a queue used
//!   from inside it acts as busy (nothing to get, no room, nothing done)
//!   instead of panicking.

use std::cell::{RefCell, RefMut};
use std::fmt;
use std::rc::Rc;
use std::task::Waker;

use super::error::{QueueEmpty, QueueFull, TaskDoneError};
use super::futures::{QueueGet, QueueJoin, QueuePut};
use super::order::Store;
use crate::sync::wait_list::{wake_all, WaitList};

pub(super) struct QueueState<T> {
    items: Store<T>,
    maxsize: usize,
    pub(super) getters: WaitList,
    pub(super) putters: WaitList,
    pub(super) joiners: WaitList,
    pub(super) unfinished: usize,
}

impl<T> QueueState<T> {
    pub(super) fn unclaimed(&self) -> usize {
        self.items.len().saturating_sub(self.getters.notified())
    }

    pub(super) fn has_room(&self) -> bool {
        self.maxsize == 0 || self.items.len().saturating_add(self.putters.notified()) < self.maxsize
    }

    /// Stores an item there is room for; returns the getter to wake.
    pub(super) fn push(&mut self, item: T) -> Option<Waker> {
        self.items.push(item);
        self.unfinished = self.unfinished.saturating_add(1);
        self.wake_getter()
    }

    /// Takes the next item, if any; returns it and the putter to wake.
    pub(super) fn pop(&mut self) -> (Option<T>, Option<Waker>) {
        let item = self.items.pop();
        let waker = if item.is_some() {
            self.wake_putter()
        } else {
            None
        };
        (item, waker)
    }

    pub(super) fn wake_getter(&mut self) -> Option<Waker> {
        if self.getters.waiting() > 0 && self.unclaimed() > 0 {
            self.getters.notify_one()
        } else {
            None
        }
    }

    pub(super) fn wake_putter(&mut self) -> Option<Waker> {
        if self.putters.waiting() > 0 && self.has_room() {
            self.putters.notify_one()
        } else {
            None
        }
    }
}

/// Wakes the waker a queue operation handed back, if any.
pub(super) fn wake(waker: Option<Waker>) {
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// The shared state behind a [`Queue`](crate::Queue),
/// [`LifoQueue`](crate::LifoQueue) or [`PriorityQueue`](crate::PriorityQueue).
pub(crate) struct QueueCore<T> {
    state: RefCell<QueueState<T>>,
}

impl<T> QueueCore<T> {
    pub(crate) fn new(items: Store<T>, maxsize: usize) -> Rc<QueueCore<T>> {
        Rc::new(QueueCore {
            state: RefCell::new(QueueState {
                items,
                maxsize,
                getters: WaitList::default(),
                putters: WaitList::default(),
                joiners: WaitList::default(),
                unfinished: 0,
            }),
        })
    }

    pub(super) fn state(&self) -> Option<RefMut<'_, QueueState<T>>> {
        self.state.try_borrow_mut().ok()
    }

    pub(crate) fn put(self: &Rc<Self>, item: T) -> QueuePut<T> {
        QueuePut::new(Rc::clone(self), item)
    }

    pub(crate) fn get(self: &Rc<Self>) -> QueueGet<T> {
        QueueGet::new(Rc::clone(self))
    }

    pub(crate) fn join(self: &Rc<Self>) -> QueueJoin<T> {
        QueueJoin::new(Rc::clone(self))
    }

    pub(crate) fn put_nowait(&self, item: T) -> Result<(), QueueFull<T>> {
        let waker = {
            let Some(mut state) = self.state() else {
                return Err(QueueFull(item));
            };
            if !state.has_room() || state.putters.waiting() > 0 {
                return Err(QueueFull(item));
            }
            state.push(item)
        };
        wake(waker);
        Ok(())
    }

    pub(crate) fn get_nowait(&self) -> Result<T, QueueEmpty> {
        let (item, waker) = {
            let Some(mut state) = self.state() else {
                return Err(QueueEmpty);
            };
            if state.unclaimed() == 0 {
                return Err(QueueEmpty);
            }
            state.pop()
        };
        wake(waker);
        item.ok_or(QueueEmpty)
    }

    pub(crate) fn task_done(&self) -> Result<(), TaskDoneError> {
        let wakers = {
            let Some(mut state) = self.state() else {
                return Err(TaskDoneError);
            };
            if state.unfinished == 0 {
                return Err(TaskDoneError);
            }
            state.unfinished -= 1;
            if state.unfinished > 0 {
                return Ok(());
            }
            state.joiners.notify_all()
        };
        wake_all(wakers);
        Ok(())
    }

    pub(crate) fn qsize(&self) -> usize {
        self.state().map_or(0, |state| state.unclaimed())
    }

    pub(crate) fn full(&self) -> bool {
        self.state().is_none_or(|state| !state.has_room())
    }

    pub(crate) fn maxsize(&self) -> usize {
        self.state().map_or(0, |state| state.maxsize)
    }

    pub(crate) fn fmt_as(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct(name);
        match self.state.try_borrow() {
            Ok(state) => out
                .field("order", &state.items.order())
                .field("maxsize", &state.maxsize)
                .field("qsize", &state.unclaimed())
                .field("unfinished", &state.unfinished)
                .field("getters", &state.getters.len())
                .field("putters", &state.putters.len())
                .finish(),
            Err(_) => out.finish_non_exhaustive(),
        }
    }
}
