//! Handles to scheduled callbacks.

use std::cell::Cell;
use std::fmt;

use crate::runtime::callbacks::CallbackEntry;

/// A callback scheduled with [`EventLoop::call_soon`](crate::EventLoop::call_soon),
/// [`call_later`](crate::EventLoop::call_later) or
/// [`call_at`](crate::EventLoop::call_at) (Python's `Handle` and
/// `TimerHandle`). Dropping the handle leaves the callback scheduled.
///
/// # Examples
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
///
/// let lp = asyncio::EventLoop::virtual_clock();
/// let ran = Rc::new(Cell::new(false));
/// let flag = Rc::clone(&ran);
/// let handle = lp.call_later(Duration::from_secs(1), move || flag.set(true));
/// assert_eq!(handle.when(), Some(1.0));
/// assert!(handle.cancel());
/// lp.run_until_complete(asyncio::sleep(Duration::from_secs(2))).block().unwrap();
/// assert!(!ran.get());
/// ```
pub struct Handle {
    /// `None` where the loop was closed and nothing was scheduled.
    entry: Option<CallbackEntry>,
    when_ms: Option<f64>,
    cancelled: Cell<bool>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("when_ms", &self.when_ms)
            .field("cancelled", &self.cancelled.get())
            .finish()
    }
}

impl Handle {
    pub(crate) fn new(entry: Option<CallbackEntry>, when_ms: Option<f64>) -> Handle {
        Handle {
            entry,
            when_ms,
            cancelled: Cell::new(false),
        }
    }

    /// Unschedules the callback. Returns `true` if it had not run yet (and
    /// now never will), `false` if it already ran, was already cancelled, or
    /// its loop is closed.
    pub fn cancel(&self) -> bool {
        if self.cancelled.replace(true) {
            return false;
        }
        self.entry.as_ref().is_some_and(CallbackEntry::cancel)
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn cancelled(&self) -> bool {
        self.cancelled.get()
    }

    /// When a timed callback is due, in loop seconds; `None` for `call_soon`.
    pub fn when(&self) -> Option<f64> {
        self.when_ms.map(|ms| ms / 1000.0)
    }
}
