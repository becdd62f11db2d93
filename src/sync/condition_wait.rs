//! The futures of [`Condition::wait`] and [`Condition::wait_for`].
//!
//! # Invariants
//! - A wait is in one stage at a time: holding the guard (not polled yet),
//!   queued for a notification with the lock released, re-taking the lock
//!   once notified, or done.
//! - It joins the condition's waiters before dropping the guard, so a
//!   notification sent by the next holder of the lock cannot be missed.
//! - Dropped while notified (queued and notified, or re-taking the lock), it
//!   notifies the oldest waiting waiter in its place. Dropped while holding
//!   the guard, the guard releases the lock; dropped while re-taking it, the
//!   lock's own future gives the lock on if it had been handed to it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::condition::Condition;
use super::lock::{Lock, LockAcquire, LockGuard};
use super::wait_list::{Removed, Standing, WaiterKey};
use crate::runtime::context;
use crate::trace::WaitReason;

enum WaitStage {
    /// Not polled yet: the guard still holds the lock.
    Holding(LockGuard),
    /// Queued for a notification; the lock is released.
    Waiting {
        key: WaiterKey,
        lock: Lock,
    },
    /// Notified; taking the lock again.
    Relocking(LockAcquire),
    Done,
}

/// The future returned by [`Condition::wait`]: gives the guard back.
#[must_use = "futures do nothing unless awaited"]
pub struct ConditionWait {
    cond: Condition,
    stage: WaitStage,
}

impl fmt::Debug for ConditionWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match self.stage {
            WaitStage::Holding(_) => "not started",
            WaitStage::Waiting { .. } => "waiting",
            WaitStage::Relocking(_) => "re-taking the lock",
            WaitStage::Done => "done",
        };
        f.debug_struct("ConditionWait")
            .field("stage", &stage)
            .finish()
    }
}

impl ConditionWait {
    pub(super) fn new(cond: Condition, guard: LockGuard) -> ConditionWait {
        ConditionWait {
            cond,
            stage: WaitStage::Holding(guard),
        }
    }
}

impl Future for ConditionWait {
    type Output = LockGuard;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let this = &mut *self;
        loop {
            match std::mem::replace(&mut this.stage, WaitStage::Done) {
                WaitStage::Holding(guard) => {
                    let key = this.cond.waiters().borrow_mut().push(cx.waker().clone());
                    this.stage = WaitStage::Waiting {
                        key,
                        lock: guard.lock().clone(),
                    };
                    // Queued first, released second: no notification is missed.
                    drop(guard);
                    context::note_wait(WaitReason::Condition);
                    return Poll::Pending;
                }
                WaitStage::Waiting { key, lock } => {
                    let mut waiters = this.cond.waiters().borrow_mut();
                    match waiters.standing(key, cx.waker()) {
                        Standing::Waiting => {
                            drop(waiters);
                            this.stage = WaitStage::Waiting { key, lock };
                            return Poll::Pending;
                        }
                        // Absent cannot happen; resuming is a spurious
                        // wake-up, which a condition allows.
                        Standing::Notified | Standing::Absent => {
                            waiters.remove(key);
                            drop(waiters);
                            this.stage = WaitStage::Relocking(lock.lock());
                        }
                    }
                }
                WaitStage::Relocking(mut acquire) => {
                    return match Pin::new(&mut acquire).poll(cx) {
                        Poll::Ready(guard) => Poll::Ready(guard),
                        Poll::Pending => {
                            this.stage = WaitStage::Relocking(acquire);
                            Poll::Pending
                        }
                    };
                }
                // Polled again after giving the guard back: there is no
                // second one.
                WaitStage::Done => return Poll::Pending,
            }
        }
    }
}

impl Drop for ConditionWait {
    fn drop(&mut self) {
        let owed = match &self.stage {
            WaitStage::Waiting { key, .. } => match self.cond.waiters().try_borrow_mut() {
                Ok(mut waiters) => waiters.remove(*key) == Some(Removed::Notified),
                Err(_) => false,
            },
            // Notified, but gone before returning.
            WaitStage::Relocking(_) => true,
            WaitStage::Holding(_) | WaitStage::Done => false,
        };
        if owed {
            self.cond.wake(1);
        }
    }
}

enum WaitForStage {
    Check(LockGuard),
    Waiting(ConditionWait),
    Done,
}

/// The future returned by [`Condition::wait_for`]: gives the guard back
/// once the predicate holds.
#[must_use = "futures do nothing unless awaited"]
pub struct ConditionWaitFor<P> {
    cond: Condition,
    predicate: P,
    stage: WaitForStage,
}

impl<P> ConditionWaitFor<P> {
    pub(super) fn new(cond: Condition, guard: LockGuard, predicate: P) -> ConditionWaitFor<P> {
        ConditionWaitFor {
            cond,
            predicate,
            stage: WaitForStage::Check(guard),
        }
    }
}

// The predicate is only ever called through `&mut`, never pinned.
impl<P> Unpin for ConditionWaitFor<P> {}

impl<P> fmt::Debug for ConditionWaitFor<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match &self.stage {
            WaitForStage::Check(_) => "checking",
            WaitForStage::Waiting(_) => "waiting",
            WaitForStage::Done => "done",
        };
        f.debug_struct("ConditionWaitFor")
            .field("stage", &stage)
            .finish()
    }
}

impl<P: FnMut() -> bool> Future for ConditionWaitFor<P> {
    type Output = LockGuard;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let this = &mut *self;
        loop {
            match std::mem::replace(&mut this.stage, WaitForStage::Done) {
                WaitForStage::Check(guard) => {
                    if (this.predicate)() {
                        return Poll::Ready(guard);
                    }
                    this.stage =
                        WaitForStage::Waiting(ConditionWait::new(this.cond.clone(), guard));
                }
                WaitForStage::Waiting(mut wait) => match Pin::new(&mut wait).poll(cx) {
                    Poll::Ready(guard) => this.stage = WaitForStage::Check(guard),
                    Poll::Pending => {
                        this.stage = WaitForStage::Waiting(wait);
                        return Poll::Pending;
                    }
                },
                WaitForStage::Done => return Poll::Pending,
            }
        }
    }
}
