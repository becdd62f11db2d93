//! `Semaphore`: a count of permits tasks take and give back (Python's
//! `asyncio.Semaphore`), and the permit, shared with
//! [`BoundedSemaphore`](crate::BoundedSemaphore).
//!
//! # Invariants
//! - `value` counts the free permits: neither held by a [`SemaphorePermit`]
//!   nor promised to a notified waiter. The wait list's `notified()` counts
//!   the promised ones.
//! - Waiters wait only while no permit is free: a permit given back goes
//!   straight to the oldest waiter (promised to it, `value` unchanged) and
//!   only raises `value` when nobody waits. So waiters are served in
//!   arrival order and a new `acquire()` never overtakes a queued one.
//! - A waiter promised a permit and dropped before taking it gives the
//!   permit back in turn; one dropped while waiting just leaves. Cancelling
//!   any number of waiters leaves `value` as it was.
//! - With a bound (a [`BoundedSemaphore`](crate::BoundedSemaphore)), free
//!   plus promised permits never exceed it: a release that would is refused
//!   with [`TooManyReleases`].

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::bounded_semaphore::TooManyReleases;
use super::wait_list::{Removed, Standing, WaitList, WaiterKey};
use crate::runtime::context;
use crate::runtime::output::warn;
use crate::trace::WaitReason;

#[derive(Debug)]
struct SemaphoreState {
    value: usize,
    bound: Option<usize>,
    waiters: WaitList,
    /// What a waiting task is traced as waiting on (a `Lock` is a
    /// semaphore of one permit, and says so).
    reason: WaitReason,
}

/// A count of permits for tasks (Python's `asyncio.Semaphore`): at most
/// `n` tasks hold a permit at once.
///
/// [`acquire`](Semaphore::acquire) waits for a permit and gives a
/// [`SemaphorePermit`]; dropping the permit gives it back. Waiters are served
/// first come, first served. Clones are handles to the same semaphore.
///
/// # Examples
/// ```
/// use asyncio::{create_task, sleep, Semaphore};
/// use std::time::Duration;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// lp.run_until_complete(async {
///     let slots = Semaphore::new(2);
///     let jobs: Vec<_> = (0..6)
///         .map(|_| {
///             let slots = slots.clone();
///             create_task(async move {
///                 let _permit = slots.acquire().await;
///                 sleep(Duration::from_secs(1)).await; // two at a time
///             })
///         })
///         .collect();
///     for job in jobs {
///         job.await.unwrap();
///     }
/// })
/// .block()
/// .unwrap();
/// assert_eq!(lp.time(), 3.0);
/// ```
#[derive(Clone)]
pub struct Semaphore {
    state: Rc<RefCell<SemaphoreState>>,
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.state.try_borrow() {
            Ok(state) => f
                .debug_struct("Semaphore")
                .field("available", &state.value)
                .field("bound", &state.bound)
                .field("waiters", &state.waiters.len())
                .finish(),
            Err(_) => f.debug_struct("Semaphore").finish_non_exhaustive(),
        }
    }
}

impl Semaphore {
    /// A semaphore with `permits` free permits.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(asyncio::Semaphore::new(3).available(), 3);
    /// ```
    pub fn new(permits: usize) -> Semaphore {
        Semaphore::with_bound(permits, None)
    }

    pub(super) fn with_bound(permits: usize, bound: Option<usize>) -> Semaphore {
        Semaphore {
            state: Rc::new(RefCell::new(SemaphoreState {
                value: permits,
                bound,
                waiters: WaitList::default(),
                reason: WaitReason::Semaphore,
            })),
        }
    }

    /// One permit, traced as a lock: what a [`Lock`](crate::Lock) is made of.
    pub(super) fn for_lock() -> Semaphore {
        let sem = Semaphore::new(1);
        sem.state.borrow_mut().reason = WaitReason::Lock;
        sem
    }

    /// Waiters queued or promised a permit (`None` while the state is busy).
    pub(super) fn waiter_count(&self) -> Option<usize> {
        self.state
            .try_borrow()
            .ok()
            .map(|state| state.waiters.len())
    }

    /// Whether both handles are the same semaphore.
    pub(super) fn same_as(&self, other: &Semaphore) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }

    /// Waits for a permit. The future joins the queue when first polled;
    /// waiters get permits in that order. Dropping it leaves the queue, and
    /// a permit already promised to it goes to the next waiter.
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let sem = asyncio::Semaphore::new(1);
    ///     let permit = sem.acquire().await;
    ///     assert!(sem.locked());
    ///     drop(permit);
    ///     assert_eq!(sem.available(), 1);
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn acquire(&self) -> SemaphoreAcquire {
        SemaphoreAcquire {
            sem: self.clone(),
            waiter: None,
            done: false,
        }
    }

    /// Takes a permit if one is free and nobody is queued for one.
    ///
    /// # Examples
    /// ```
    /// let sem = asyncio::Semaphore::new(1);
    /// let permit = sem.try_acquire();
    /// assert!(permit.is_some());
    /// assert!(sem.try_acquire().is_none());
    /// ```
    pub fn try_acquire(&self) -> Option<SemaphorePermit> {
        let mut state = self.state.borrow_mut();
        if state.value == 0 || state.waiters.waiting() > 0 {
            return None;
        }
        state.value -= 1;
        Some(self.permit())
    }

    /// Adds a permit: it goes to the oldest waiter, or becomes free. Use it
    /// to give back a [`forget`](SemaphorePermit::forget)-ten permit, or to
    /// grow the count. The count saturates at `usize::MAX`.
    ///
    /// # Examples
    /// ```
    /// let sem = asyncio::Semaphore::new(0);
    /// assert!(sem.locked());
    /// sem.release();
    /// assert_eq!(sem.available(), 1);
    /// ```
    pub fn release(&self) {
        let _ = self.give_back();
    }

    /// Whether no permit can be taken right now (Python's `locked()`).
    ///
    /// # Examples
    /// ```
    /// assert!(asyncio::Semaphore::new(0).locked());
    /// assert!(!asyncio::Semaphore::new(1).locked());
    /// ```
    pub fn locked(&self) -> bool {
        let state = self.state.borrow();
        state.value == 0 || state.waiters.waiting() > 0
    }

    /// How many permits are free.
    ///
    /// # Examples
    /// ```
    /// let sem = asyncio::Semaphore::new(2);
    /// let _permit = sem.try_acquire();
    /// assert_eq!(sem.available(), 1);
    /// ```
    pub fn available(&self) -> usize {
        self.state.borrow().value
    }

    fn permit(&self) -> SemaphorePermit {
        SemaphorePermit {
            sem: Some(self.clone()),
        }
    }

    /// Gives a permit to the oldest waiter, or frees it; refused when that
    /// would pass the bound.
    pub(super) fn give_back(&self) -> Result<(), TooManyReleases> {
        let waker = {
            let Ok(mut state) = self.state.try_borrow_mut() else {
                // Only code run under the state's borrow could get here, and
                // none gives permits back. In release builds the permit is
                // dropped rather than panicking.
                debug_assert!(
                    false,
                    "a permit was given back while the semaphore was borrowed"
                );
                return Ok(());
            };
            if let Some(bound) = state.bound {
                if state.value.saturating_add(state.waiters.notified()) >= bound {
                    return Err(TooManyReleases);
                }
            }
            let waker = state.waiters.notify_one();
            if waker.is_none() {
                state.value = state.value.saturating_add(1);
            }
            waker
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }
}

/// A permit from a [`Semaphore`] or
/// [`BoundedSemaphore`](crate::BoundedSemaphore); dropping it gives
/// it back (to the oldest waiter, if any).
///
/// # Examples
/// ```
/// let sem = asyncio::Semaphore::new(1);
/// {
///     let _permit = sem.try_acquire().unwrap();
///     assert_eq!(sem.available(), 0);
/// }
/// assert_eq!(sem.available(), 1);
/// ```
#[must_use = "the permit is given back as soon as it is dropped"]
pub struct SemaphorePermit {
    sem: Option<Semaphore>,
}

impl SemaphorePermit {
    /// Keeps the permit taken: dropping it no longer gives it back, and the
    /// semaphore has one permit fewer until [`Semaphore::release`] adds one.
    ///
    /// # Examples
    /// ```
    /// let sem = asyncio::Semaphore::new(1);
    /// sem.try_acquire().unwrap().forget();
    /// assert_eq!(sem.available(), 0);
    /// sem.release();
    /// assert_eq!(sem.available(), 1);
    /// ```
    pub fn forget(mut self) {
        self.sem = None;
    }
}

impl fmt::Debug for SemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit")
            .field("held", &self.sem.is_some())
            .finish()
    }
}

impl Drop for SemaphorePermit {
    fn drop(&mut self) {
        if let Some(sem) = self.sem.take() {
            if sem.give_back().is_err() {
                warn(
                    "a BoundedSemaphore permit was dropped after release() had already given it \
                     back; the extra permit is discarded",
                );
            }
        }
    }
}

/// The future returned by [`Semaphore::acquire`] and
/// [`BoundedSemaphore::acquire`](crate::BoundedSemaphore::acquire): gives a
/// [`SemaphorePermit`].
#[must_use = "futures do nothing unless awaited"]
pub struct SemaphoreAcquire {
    sem: Semaphore,
    waiter: Option<WaiterKey>,
    done: bool,
}

impl fmt::Debug for SemaphoreAcquire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphoreAcquire")
            .field("queued", &self.waiter.is_some())
            .field("done", &self.done)
            .finish()
    }
}

impl Future for SemaphoreAcquire {
    type Output = SemaphorePermit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<SemaphorePermit> {
        let this = &mut *self;
        if this.done {
            // Polled again after giving its permit: there is no second one.
            return Poll::Pending;
        }
        {
            let mut state = this.sem.state.borrow_mut();
            let standing = match this.waiter {
                Some(key) => state.waiters.standing(key, cx.waker()),
                None => Standing::Absent,
            };
            match standing {
                Standing::Notified => {
                    // A permit was promised to us; `value` already excludes it.
                    if let Some(key) = this.waiter.take() {
                        state.waiters.remove(key);
                    }
                }
                Standing::Waiting => return Poll::Pending,
                Standing::Absent if state.value > 0 && state.waiters.waiting() == 0 => {
                    state.value -= 1;
                }
                Standing::Absent => {
                    this.waiter = Some(state.waiters.push(cx.waker().clone()));
                    let reason = state.reason;
                    drop(state);
                    context::note_wait(reason);
                    return Poll::Pending;
                }
            }
        }
        this.done = true;
        Poll::Ready(this.sem.permit())
    }
}

impl Drop for SemaphoreAcquire {
    fn drop(&mut self) {
        let Some(key) = self.waiter.take() else {
            return;
        };
        let removed = match self.sem.state.try_borrow_mut() {
            Ok(mut state) => state.waiters.remove(key),
            Err(_) => {
                // As in `give_back`: unreachable while the state's borrow
                // runs no user code; release builds lose this waiter's due.
                debug_assert!(
                    false,
                    "an acquire was dropped while the semaphore was borrowed"
                );
                None
            }
        };
        if removed == Some(Removed::Notified) {
            // Promised a permit but gone before taking it: pass it on. Its
            // promise counted against the bound, so this is never refused.
            let _ = self.sem.give_back();
        }
    }
}
