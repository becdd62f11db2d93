//! The futures that wait on a queue: [`QueuePut`], [`QueueGet`] and
//! [`QueueJoin`], shared by the three queues.
//!
//! # Invariants
//! - Each joins its wait list when first polled and only then: arrival
//!   order is first-poll order.
//! - A notified put or get takes its promised slot or item when polled, in
//!   the same borrow that removes its promise, so nothing can take it
//!   between; dropped while notified, it passes the promise on (see
//!   [`core`](super::core)).
//! - An unput item lives in its `QueuePut` and is dropped with it, after
//!   the queue's state is released.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::core::{wake, QueueCore};
use crate::runtime::context;
use crate::sync::wait_list::{Removed, Standing, WaiterKey};
use crate::trace::WaitReason;

/// The future returned by `put` on a queue: waits for room, then puts the
/// item.
#[must_use = "futures do nothing unless awaited; the item is not put"]
pub struct QueuePut<T> {
    core: Rc<QueueCore<T>>,
    item: Option<T>,
    waiter: Option<WaiterKey>,
}

impl<T> QueuePut<T> {
    pub(super) fn new(core: Rc<QueueCore<T>>, item: T) -> QueuePut<T> {
        QueuePut {
            core,
            item: Some(item),
            waiter: None,
        }
    }
}

// The item is only ever moved, never pinned.
impl<T> Unpin for QueuePut<T> {}

impl<T> fmt::Debug for QueuePut<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueuePut")
            .field("queued", &self.waiter.is_some())
            .field("done", &self.item.is_none())
            .finish()
    }
}

impl<T> Future for QueuePut<T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let Some(item) = this.item.take() else {
            return Poll::Ready(());
        };
        let Some(mut state) = this.core.state() else {
            // Only reachable from inside `T`'s `Ord`: try again next turn.
            this.item = Some(item);
            cx.waker().wake_by_ref();
            return Poll::Pending;
        };
        let standing = match this.waiter {
            Some(key) => state.putters.standing(key, cx.waker()),
            None => Standing::Absent,
        };
        let waker = match standing {
            Standing::Notified => {
                // A slot was promised to us; taking it leaves room.
                if let Some(key) = this.waiter.take() {
                    state.putters.remove(key);
                }
                state.push(item)
            }
            Standing::Waiting => {
                this.item = Some(item);
                return Poll::Pending;
            }
            Standing::Absent if state.has_room() && state.putters.waiting() == 0 => {
                this.waiter = None;
                state.push(item)
            }
            Standing::Absent => {
                this.waiter = Some(state.putters.push(cx.waker().clone()));
                this.item = Some(item);
                drop(state);
                context::note_wait(WaitReason::QueuePut);
                return Poll::Pending;
            }
        };
        drop(state);
        wake(waker);
        Poll::Ready(())
    }
}

impl<T> Drop for QueuePut<T> {
    #[inline]
    fn drop(&mut self) {
        if let Some(key) = self.waiter.take() {
            self.leave(key);
        }
    }
}

impl<T> QueuePut<T> {
    /// Leaves the putters' list, dropped while waiting or promised a slot.
    #[cold]
    fn leave(&self, key: WaiterKey) {
        let waker = self.core.state().and_then(|mut state| {
            match state.putters.remove(key) {
                // Promised a slot but gone before using it: pass it on.
                Some(Removed::Notified) => state.wake_putter(),
                _ => None,
            }
        });
        wake(waker);
    }
}

/// The future returned by `get` on a queue: waits for an item and takes
/// it.
#[must_use = "futures do nothing unless awaited"]
pub struct QueueGet<T> {
    core: Rc<QueueCore<T>>,
    waiter: Option<WaiterKey>,
    done: bool,
}

impl<T> QueueGet<T> {
    pub(super) fn new(core: Rc<QueueCore<T>>) -> QueueGet<T> {
        QueueGet {
            core,
            waiter: None,
            done: false,
        }
    }
}

impl<T> fmt::Debug for QueueGet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueGet")
            .field("queued", &self.waiter.is_some())
            .field("done", &self.done)
            .finish()
    }
}

impl<T> Future for QueueGet<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = &mut *self;
        if this.done {
            // Polled again after giving its item: there is no second one.
            return Poll::Pending;
        }
        let Some(mut state) = this.core.state() else {
            // Only reachable from inside `T`'s `Ord`: try again next turn.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        };
        let standing = match this.waiter {
            Some(key) => state.getters.standing(key, cx.waker()),
            None => Standing::Absent,
        };
        let (item, waker) = match standing {
            Standing::Notified => {
                // An item was promised to us; removing the promise makes it
                // unclaimed, for us to take.
                if let Some(key) = this.waiter.take() {
                    state.getters.remove(key);
                }
                state.pop()
            }
            Standing::Waiting => return Poll::Pending,
            Standing::Absent if state.unclaimed() > 0 && state.getters.waiting() == 0 => {
                this.waiter = None;
                state.pop()
            }
            Standing::Absent => (None, None),
        };
        let Some(item) = item else {
            this.waiter = Some(state.getters.push(cx.waker().clone()));
            drop(state);
            context::note_wait(WaitReason::QueueGet);
            return Poll::Pending;
        };
        drop(state);
        this.done = true;
        wake(waker);
        Poll::Ready(item)
    }
}

impl<T> Drop for QueueGet<T> {
    #[inline]
    fn drop(&mut self) {
        if let Some(key) = self.waiter.take() {
            self.leave(key);
        }
    }
}

impl<T> QueueGet<T> {
    /// Leaves the getters' list, dropped while waiting or promised an item.
    #[cold]
    fn leave(&self, key: WaiterKey) {
        let waker = self.core.state().and_then(|mut state| {
            match state.getters.remove(key) {
                // Promised an item but gone before taking it: pass it on.
                Some(Removed::Notified) => state.wake_getter(),
                _ => None,
            }
        });
        wake(waker);
    }
}

/// The future returned by `join` on a queue: waits until every item put
/// has been marked done.
#[must_use = "futures do nothing unless awaited"]
pub struct QueueJoin<T> {
    core: Rc<QueueCore<T>>,
    waiter: Option<WaiterKey>,
    done: bool,
}

impl<T> QueueJoin<T> {
    pub(super) fn new(core: Rc<QueueCore<T>>) -> QueueJoin<T> {
        QueueJoin {
            core,
            waiter: None,
            done: false,
        }
    }
}

impl<T> fmt::Debug for QueueJoin<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueJoin")
            .field("queued", &self.waiter.is_some())
            .field("done", &self.done)
            .finish()
    }
}

impl<T> Future for QueueJoin<T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(());
        }
        let Some(mut state) = this.core.state() else {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        };
        let standing = match this.waiter {
            Some(key) => state.joiners.standing(key, cx.waker()),
            None => Standing::Absent,
        };
        match standing {
            Standing::Waiting => return Poll::Pending,
            Standing::Notified => {
                if let Some(key) = this.waiter.take() {
                    state.joiners.remove(key);
                }
            }
            Standing::Absent if state.unfinished == 0 => this.waiter = None,
            Standing::Absent => {
                this.waiter = Some(state.joiners.push(cx.waker().clone()));
                drop(state);
                // Waiting for other tasks to finish their items.
                context::note_wait(WaitReason::Task);
                return Poll::Pending;
            }
        }
        this.done = true;
        Poll::Ready(())
    }
}

impl<T> Drop for QueueJoin<T> {
    fn drop(&mut self) {
        if let Some(key) = self.waiter.take() {
            if let Some(mut state) = self.core.state() {
                state.joiners.remove(key);
            }
        }
    }
}
