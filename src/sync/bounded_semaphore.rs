//! `BoundedSemaphore`: a semaphore that refuses to be released more times
//! than it was acquired (Python's `asyncio.BoundedSemaphore`).
//!
//! # Invariants
//! - It is a [`Semaphore`] with a bound, and shares all its rules.
//! - Free permits plus permits promised to waiters never exceed the bound.
//!   [`BoundedSemaphore::release`] refuses, with [`TooManyReleases`], a
//!   release that would pass it; a permit dropped over the bound (possible
//!   only after `release` gave it back early) is discarded with a warning.

use std::error::Error;
use std::fmt;

use super::semaphore::{Semaphore, SemaphoreAcquire, SemaphorePermit};

/// A semaphore that refuses to be released more times than it was acquired
/// (Python's `asyncio.BoundedSemaphore`).
///
/// # Examples
/// ```
/// use asyncio::{BoundedSemaphore, TooManyReleases};
///
/// let sem = BoundedSemaphore::new(1);
/// assert_eq!(sem.release(), Err(TooManyReleases));
/// let permit = sem.try_acquire().unwrap();
/// permit.forget();
/// assert_eq!(sem.release(), Ok(()));
/// assert_eq!(sem.available(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct BoundedSemaphore {
    sem: Semaphore,
}

impl BoundedSemaphore {
    /// A semaphore with `permits` free permits, never more.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(asyncio::BoundedSemaphore::new(2).available(), 2);
    /// ```
    pub fn new(permits: usize) -> BoundedSemaphore {
        BoundedSemaphore {
            sem: Semaphore::with_bound(permits, Some(permits)),
        }
    }

    /// As [`Semaphore::acquire`].
    ///
    /// # Examples
    /// ```
    /// let lp = asyncio::EventLoop::virtual_clock();
    /// lp.run_until_complete(async {
    ///     let sem = asyncio::BoundedSemaphore::new(1);
    ///     let _permit = sem.acquire().await;
    ///     assert!(sem.locked());
    /// })
    /// .block()
    /// .unwrap();
    /// ```
    pub fn acquire(&self) -> SemaphoreAcquire {
        self.sem.acquire()
    }

    /// As [`Semaphore::try_acquire`].
    ///
    /// # Examples
    /// ```
    /// let sem = asyncio::BoundedSemaphore::new(1);
    /// assert!(sem.try_acquire().is_some());
    /// ```
    pub fn try_acquire(&self) -> Option<SemaphorePermit> {
        self.sem.try_acquire()
    }

    /// Gives back a permit taken by a [`forget`](SemaphorePermit::forget)-ten
    /// permit: to the oldest waiter, or freeing it.
    ///
    /// # Errors
    /// [`TooManyReleases`] if every permit is already free or promised to a
    /// waiter (Python's `ValueError`); nothing changes.
    ///
    /// # Examples
    /// ```
    /// let sem = asyncio::BoundedSemaphore::new(1);
    /// assert!(sem.release().is_err());
    /// ```
    pub fn release(&self) -> Result<(), TooManyReleases> {
        self.sem.give_back()
    }

    /// As [`Semaphore::locked`].
    ///
    /// # Examples
    /// ```
    /// assert!(asyncio::BoundedSemaphore::new(0).locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.sem.locked()
    }

    /// As [`Semaphore::available`].
    ///
    /// # Examples
    /// ```
    /// assert_eq!(asyncio::BoundedSemaphore::new(1).available(), 1);
    /// ```
    pub fn available(&self) -> usize {
        self.sem.available()
    }
}

/// [`BoundedSemaphore::release`] was called with every permit already free
/// (Python's `ValueError: BoundedSemaphore released too many times`).
///
/// # Examples
/// ```
/// let err = asyncio::BoundedSemaphore::new(1).release().unwrap_err();
/// assert_eq!(err.to_string(), "BoundedSemaphore released too many times");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyReleases;

impl fmt::Display for TooManyReleases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BoundedSemaphore released too many times")
    }
}

impl Error for TooManyReleases {}
