//! `Condition`: wait for a notification while giving up a lock (Python's
//! `asyncio.Condition`).
//!
//! Holding the lock is expressed in the types: [`Condition::wait`] takes the
//! [`LockGuard`] by value and gives it back, and [`Condition::notify`] and
//! [`Condition::notify_all`] take `&LockGuard`. Code that does not hold the
//! lock cannot call them.
//!
//! # Invariants
//! - A wait joins the condition's waiters *before* it releases the lock, so
//!   a notification sent by the next holder of the lock cannot be missed.
//! - `notify(n)` notifies the `n` oldest waiting waiters; each then queues
//!   for the lock, and returns only once it holds it again.
//! - A notified wait dropped before it returns (its task was cancelled)
//!   passes its notification to the oldest waiting waiter, so a
//!   notification is never lost to a cancellation. The lock it was
//!   re-taking, or holding, is released by its own guard or future.
//! - A guard of a different lock is a misuse that cannot be ruled out by
//!   types: it is reported with a warning and the call goes ahead (`wait`
//!   releases and re-takes the guard's own lock).

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use super::condition_wait::{ConditionWait, ConditionWaitFor};
use super::lock::{Lock, LockAcquire, LockGuard};
use super::wait_list::{wake_all, WaitList};
use crate::runtime::output::warn;

#[derive(Debug)]
struct ConditionInner {
    lock: Lock,
    waiters: RefCell<WaitList>,
}

/// A condition variable for tasks (Python's `asyncio.Condition`): tasks
/// holding its lock wait for another task to notify them.
///
/// Clones are handles to the same condition. Several conditions may share
/// one lock ([`with_lock`](Condition::with_lock)).
///
/// # Examples
/// ```
/// use asyncio::{create_task, sleep, Condition};
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async {
///     let cond = Condition::new();
///     let stock = Rc::new(Cell::new(0));
///     let consumer = {
///         let (cond, stock) = (cond.clone(), Rc::clone(&stock));
///         create_task(async move {
///             let guard = cond.lock().await;
///             let _guard = cond.wait_for(guard, || stock.get() > 0).await;
///             stock.set(stock.get() - 1);
///             asyncio::get_running_loop().unwrap().time()
///         })
///     };
///     sleep(Duration::from_secs(1)).await;
///     let guard = cond.lock().await;
///     stock.set(1);
///     cond.notify(&guard, 1);
///     drop(guard);
///     assert_eq!(consumer.await, Ok(1.0));
///     assert_eq!(stock.get(), 0);
/// })
/// .block()
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct Condition {
    inner: Rc<ConditionInner>,
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Condition");
        out.field("locked", &self.inner.lock.locked());
        match self.inner.waiters.try_borrow() {
            Ok(waiters) => out.field("waiters", &waiters.len()).finish(),
            Err(_) => out.finish_non_exhaustive(),
        }
    }
}

impl Default for Condition {
    fn default() -> Self {
        Condition::new()
    }
}

impl Condition {
    /// A condition with a lock of its own.
    ///
    /// # Examples
    /// ```
    /// assert!(!asyncio::Condition::new().locked());
    /// ```
    pub fn new() -> Condition {
        Condition::with_lock(Lock::new())
    }

    /// A condition on an existing lock (Python's `Condition(lock)`), which
    /// other conditions may share.
    ///
    /// # Examples
    /// ```
    /// let lock = asyncio::Lock::new();
    /// let cond = asyncio::Condition::with_lock(lock.clone());
    /// let _guard = lock.try_lock().unwrap();
    /// assert!(cond.locked());
    /// ```
    pub fn with_lock(lock: Lock) -> Condition {
        Condition {
            inner: Rc::new(ConditionInner {
                lock,
                waiters: RefCell::new(WaitList::default()),
            }),
        }
    }

    /// Waits for the condition's lock (Python's `async with cond:`).
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let cond = asyncio::Condition::new();
    ///     let _guard = cond.lock().await;
    ///     assert!(cond.locked());
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn lock(&self) -> LockAcquire {
        self.inner.lock.lock()
    }

    /// Takes the condition's lock if it is free and nobody is queued for it.
    ///
    /// # Examples
    /// ```
    /// let cond = asyncio::Condition::new();
    /// let _guard = cond.try_lock().unwrap();
    /// assert!(cond.try_lock().is_none());
    /// ```
    pub fn try_lock(&self) -> Option<LockGuard> {
        self.inner.lock.try_lock()
    }

    /// Whether the condition's lock is held.
    ///
    /// # Examples
    /// ```
    /// let cond = asyncio::Condition::new();
    /// assert!(!cond.locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.inner.lock.locked()
    }

    /// Releases the lock held by `guard`, waits until notified, takes the
    /// lock again and gives the guard back.
    ///
    /// If the wait is dropped (its task cancelled) after being notified, the
    /// notification goes to the next waiting task.
    ///
    /// # Examples
    /// ```
    /// use asyncio::{create_task, yield_now, Condition};
    ///
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let cond = Condition::new();
    ///     let waiter = {
    ///         let cond = cond.clone();
    ///         create_task(async move {
    ///             let guard = cond.lock().await;
    ///             let guard = cond.wait(guard).await; // the lock is free meanwhile
    ///             drop(guard);
    ///         })
    ///     };
    ///     yield_now().await;
    ///     let guard = cond.lock().await;
    ///     assert_eq!(cond.notify_all(&guard), 1);
    ///     drop(guard);
    ///     waiter.await.unwrap();
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn wait(&self, guard: LockGuard) -> ConditionWait {
        self.check_guard(&guard, "wait");
        ConditionWait::new(self.clone(), guard)
    }

    /// Waits until `predicate` is true (Python's `wait_for`): checks it with
    /// the lock held, and while it is false, [`wait`](Condition::wait)s.
    /// Gives the guard back once the predicate holds.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let cond = asyncio::Condition::new();
    ///     let guard = cond.lock().await;
    ///     let _guard = cond.wait_for(guard, || true).await; // true: no wait
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn wait_for<P>(&self, guard: LockGuard, predicate: P) -> ConditionWaitFor<P>
    where
        P: FnMut() -> bool,
    {
        self.check_guard(&guard, "wait_for");
        ConditionWaitFor::new(self.clone(), guard, predicate)
    }

    /// Wakes up to `n` waiting tasks, oldest first; returns how many. They
    /// resume one at a time, as each gets the lock.
    ///
    /// # Examples
    /// ```
    /// let cond = asyncio::Condition::new();
    /// let guard = cond.try_lock().unwrap();
    /// assert_eq!(cond.notify(&guard, 1), 0); // nobody waits
    /// ```
    pub fn notify(&self, guard: &LockGuard, n: usize) -> usize {
        self.check_guard(guard, "notify");
        self.wake(n)
    }

    /// Wakes every waiting task; returns how many.
    ///
    /// # Examples
    /// ```
    /// let cond = asyncio::Condition::new();
    /// let guard = cond.try_lock().unwrap();
    /// assert_eq!(cond.notify_all(&guard), 0);
    /// ```
    pub fn notify_all(&self, guard: &LockGuard) -> usize {
        self.check_guard(guard, "notify_all");
        self.wake(usize::MAX)
    }

    /// The waiters queued for a notification.
    pub(super) fn waiters(&self) -> &RefCell<WaitList> {
        &self.inner.waiters
    }

    /// Notifies up to `n` waiting waiters; returns how many.
    pub(super) fn wake(&self, n: usize) -> usize {
        let wakers = match self.inner.waiters.try_borrow_mut() {
            Ok(mut waiters) => waiters.notify(n),
            Err(_) => Vec::new(),
        };
        let count = wakers.len();
        wake_all(wakers);
        count
    }

    fn check_guard(&self, guard: &LockGuard, what: &str) {
        if !guard.lock().same_as(&self.inner.lock) {
            warn(&format!(
                "Condition::{what} was given the guard of a different lock; it goes ahead \
                 with that guard"
            ));
        }
    }
}
