//! `Lock`: mutual exclusion between tasks (Python's `asyncio.Lock`), with a
//! guard that releases it when dropped.
//!
//! # Invariants
//! - A lock is a [`Semaphore`] of one permit (traced as a lock), so it
//!   shares the semaphore's rules: the lock is held while one owner exists
//!   (a [`LockGuard`], or a waiter it was handed to and that has not taken
//!   it yet); releasing hands it straight to the oldest waiter, so waiters
//!   are served in arrival order and a new `lock()` or `try_lock()` never
//!   overtakes a queued one; a waiter handed the lock and dropped before
//!   taking it passes it on. The lock is never lost.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::semaphore::{Semaphore, SemaphoreAcquire, SemaphorePermit};

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
#[derive(Clone)]
pub struct Lock {
    sem: Semaphore,
}

impl Default for Lock {
    fn default() -> Self {
        Lock {
            sem: Semaphore::for_lock(),
        }
    }
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sem.waiter_count() {
            Some(waiters) => f
                .debug_struct("Lock")
                .field("locked", &self.locked())
                .field("waiters", &waiters)
                .finish(),
            None => f.debug_struct("Lock").finish_non_exhaustive(),
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
            acquire: self.sem.acquire(),
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
        self.sem.try_acquire().map(|permit| LockGuard {
            lock: self.clone(),
            _permit: permit,
        })
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
        self.sem.locked()
    }

    pub(crate) fn same_as(&self, other: &Lock) -> bool {
        self.sem.same_as(&other.sem)
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
    /// Dropping the guard gives the one permit back.
    _permit: SemaphorePermit,
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

/// The future returned by [`Lock::lock`]: gives a [`LockGuard`].
#[must_use = "futures do nothing unless awaited"]
pub struct LockAcquire {
    lock: Lock,
    acquire: SemaphoreAcquire,
}

impl fmt::Debug for LockAcquire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockAcquire")
            .field("acquire", &self.acquire)
            .finish()
    }
}

impl Future for LockAcquire {
    type Output = LockGuard;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let permit = std::task::ready!(Pin::new(&mut self.acquire).poll(cx));
        Poll::Ready(LockGuard {
            lock: self.lock.clone(),
            _permit: permit,
        })
    }
}
