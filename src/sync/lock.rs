//! `Lock`: mutual exclusion between tasks (Python's `asyncio.Lock`), with a
//! guard that releases it when dropped.
//!
//! # Invariants
//! - `locked` is true exactly while one owner exists: a [`LockGuard`], or a
//!   notified waiter that has been handed the lock and not yet taken it.
//!   There is never more than one.
//! - Waiters wait only while the lock is locked. Releasing hands the lock
//!   straight to the oldest waiter (it stays locked) or, with nobody
//!   waiting, unlocks it. So waiters are served in arrival order and a new
//!   `lock()` or `try_lock()` never overtakes one already queued.
//! - A waiter handed the lock and dropped before taking it (its task was
//!   cancelled) releases it in turn: to the next waiter, or unlocking it.
//!   The lock is never lost.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::wait_list::{Removed, Standing, WaitList, WaiterKey};
use crate::runtime::context;
use crate::trace::WaitReason;

#[derive(Debug, Default)]
struct LockState {
    locked: bool,
    waiters: WaitList,
}

/// A mutual-exclusion lock for tasks (Python's `asyncio.Lock`).
///
/// [`lock`](Lock::lock) waits for the lock and gives a [`LockGuard`];
/// dropping the guard releases it, so the lock is released however the
/// holder ends, cancellation included. Waiters are served first come,
/// first served. Clones are handles to the same lock.
///
/// Where Python writes `async with lock:`, write
/// `let _guard = lock.lock().await;`.
///
/// # Examples
/// ```
/// use asyncio::{create_task, sleep, Lock};
/// use std::time::Duration;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async {
///     let lock = Lock::new();
///     let workers: Vec<_> = (0..3)
///         .map(|_| {
///             let lock = lock.clone();
///             create_task(async move {
///                 let _guard = lock.lock().await;
///                 sleep(Duration::from_secs(1)).await; // one at a time
///             })
///         })
///         .collect();
///     for worker in workers {
///         worker.await.unwrap();
///     }
/// })
/// .block()
/// .unwrap();
/// assert_eq!(lp.time(), 3.0);
/// ```
#[derive(Clone, Default)]
pub struct Lock {
    state: Rc<RefCell<LockState>>,
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.state.try_borrow() {
            Ok(state) => f
                .debug_struct("Lock")
                .field("locked", &state.locked)
                .field("waiters", &state.waiters.len())
                .finish(),
            Err(_) => f.debug_struct("Lock").finish_non_exhaustive(),
        }
    }
}

impl Lock {
    /// A new, unlocked lock.
    ///
    /// # Examples
    /// ```
    /// assert!(!asyncio::Lock::new().locked());
    /// ```
    pub fn new() -> Lock {
        Lock::default()
    }

    /// Waits for the lock and gives a guard that holds it until dropped.
    ///
    /// The future joins the queue of waiters when first polled; waiters get
    /// the lock in that order. Dropping the future (for example by
    /// cancelling its task) leaves the queue; if the lock had already been
    /// handed to it, it goes to the next waiter.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let lock = asyncio::Lock::new();
    ///     let guard = lock.lock().await;
    ///     assert!(lock.locked());
    ///     drop(guard);
    ///     assert!(!lock.locked());
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn lock(&self) -> LockAcquire {
        LockAcquire {
            lock: self.clone(),
            waiter: None,
            done: false,
        }
    }

    /// Takes the lock if it is free and nobody is queued for it.
    ///
    /// # Examples
    /// ```
    /// let lock = asyncio::Lock::new();
    /// let guard = lock.try_lock();
    /// assert!(guard.is_some());
    /// assert!(lock.try_lock().is_none());
    /// drop(guard);
    /// assert!(lock.try_lock().is_some());
    /// ```
    pub fn try_lock(&self) -> Option<LockGuard> {
        let mut state = self.state.borrow_mut();
        if state.locked || !state.waiters.is_empty() {
            return None;
        }
        state.locked = true;
        Some(LockGuard { lock: self.clone() })
    }

    /// Whether the lock is held, or has been handed to a waiter that has not
    /// run yet. When false, [`try_lock`](Lock::try_lock) succeeds.
    ///
    /// # Examples
    /// ```
    /// let lock = asyncio::Lock::new();
    /// let _guard = lock.try_lock();
    /// assert!(lock.locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.state.borrow().locked
    }

    /// Whether `self` and `other` are handles to the same lock.
    pub(crate) fn same_as(&self, other: &Lock) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }

    /// Hands the lock to the oldest waiter, or unlocks it.
    fn release(&self) {
        let waker = {
            let Ok(mut state) = self.state.try_borrow_mut() else {
                return;
            };
            let waker = state.waiters.notify_one();
            if waker.is_none() {
                state.locked = false;
            }
            waker
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Holds a [`Lock`]; dropping it releases the lock (to the oldest waiter,
/// if any).
///
/// # Examples
/// ```
/// let lock = asyncio::Lock::new();
/// {
///     let _guard = lock.try_lock().unwrap();
///     assert!(lock.locked());
/// }
/// assert!(!lock.locked());
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard {
    lock: Lock,
}

impl LockGuard {
    /// The lock this guard holds.
    pub(crate) fn lock(&self) -> &Lock {
        &self.lock
    }
}

impl fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard").finish_non_exhaustive()
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        self.lock.release();
    }
}

/// The future returned by [`Lock::lock`]: gives a [`LockGuard`].
#[must_use = "futures do nothing unless awaited"]
pub struct LockAcquire {
    lock: Lock,
    waiter: Option<WaiterKey>,
    done: bool,
}

impl fmt::Debug for LockAcquire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockAcquire")
            .field("queued", &self.waiter.is_some())
            .field("done", &self.done)
            .finish()
    }
}

impl Future for LockAcquire {
    type Output = LockGuard;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let this = &mut *self;
        if this.done {
            // Polled again after giving its guard: there is no second one.
            return Poll::Pending;
        }
        {
            let mut state = this.lock.state.borrow_mut();
            let standing = match this.waiter {
                Some(key) => state.waiters.standing(key, cx.waker()),
                None => Standing::Absent,
            };
            match standing {
                Standing::Notified => {
                    // The lock was handed to us; it is still marked locked.
                    if let Some(key) = this.waiter.take() {
                        state.waiters.remove(key);
                    }
                }
                Standing::Waiting => return Poll::Pending,
                Standing::Absent if !state.locked && state.waiters.is_empty() => {
                    state.locked = true;
                }
                Standing::Absent => {
                    this.waiter = Some(state.waiters.push(cx.waker().clone()));
                    drop(state);
                    context::note_wait(WaitReason::Lock);
                    return Poll::Pending;
                }
            }
        }
        this.done = true;
        Poll::Ready(LockGuard {
            lock: this.lock.clone(),
        })
    }
}

impl Drop for LockAcquire {
    fn drop(&mut self) {
        let Some(key) = self.waiter.take() else {
            return;
        };
        let removed = match self.lock.state.try_borrow_mut() {
            Ok(mut state) => state.waiters.remove(key),
            Err(_) => None,
        };
        if removed == Some(Removed::Notified) {
            // Handed the lock but gone before taking it: pass it on.
            self.lock.release();
        }
    }
}
