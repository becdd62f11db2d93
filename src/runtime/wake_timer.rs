//! A timer that wakes a task: what `sleep` holds instead of the loop.
//!
//! # Invariants
//! - While a [`WakeTimer`] lives and has not fired, its loop's timer heap
//!   holds its entry; dropping the handle cancels the entry, so a dropped
//!   sleep never fires and never keeps the host's wake-up armed.

use std::rc::{Rc, Weak};
use std::task::Waker;

use super::context;
use super::core::LoopCore;
use super::slab::Key;

/// A timer in a loop's heap that wakes a waker at its deadline.
#[derive(Debug)]
pub(crate) struct WakeTimer {
    core: Weak<LoopCore>,
    key: Key,
}

/// What arming a timer in the running loop gave.
#[derive(Debug)]
pub(crate) enum Arming {
    /// No loop is running here.
    NoLoop,
    /// The running loop is closed: nothing will fire.
    Closed,
    /// Armed.
    Armed(WakeTimer),
}

impl WakeTimer {
    /// Arms a timer in the running loop that wakes `waker` `delay_ms` from
    /// now.
    pub(crate) fn arm(delay_ms: f64, waker: &Waker) -> Arming {
        let Some(core) = context::current() else {
            return Arming::NoLoop;
        };
        let deadline = core.now_ms() + delay_ms;
        match core.add_wake_timer(deadline, waker.clone()) {
            Some(key) => Arming::Armed(WakeTimer {
                core: Rc::downgrade(&core),
                key,
            }),
            None => Arming::Closed,
        }
    }

    /// Whether the timer has yet to fire (false once fired or if its loop
    /// is gone).
    pub(crate) fn pending(&self) -> bool {
        self.core
            .upgrade()
            .is_some_and(|core| core.timer_pending(self.key))
    }

    /// Makes the timer wake `waker` instead (the task moved).
    pub(crate) fn set_waker(&self, waker: &Waker) {
        if let Some(core) = self.core.upgrade() {
            core.update_timer_waker(self.key, waker);
        }
    }
}

impl Drop for WakeTimer {
    fn drop(&mut self) {
        if let Some(core) = self.core.upgrade() {
            core.cancel_timer(self.key);
        }
    }
}
