//! Waiting on the world outside the loop.
//!
//! # Invariants
//! - While an [`ExternalWait`] lives, its loop counts one operation in
//!   flight outside it; the count drops when the guard is dropped. The
//!   virtual clock does not jump ahead while the count is above zero: the
//!   outside result will come in real time, and until it does, virtual time
//!   stands still.

use std::rc::Weak;

use super::context;
use super::core::LoopCore;

/// Counts one outside operation for the running loop while it lives.
#[derive(Debug)]
pub(crate) struct ExternalWait {
    core: Weak<LoopCore>,
}

impl ExternalWait {
    /// Starts counting, in the running loop (outside any loop: nothing).
    pub(crate) fn begin() -> ExternalWait {
        match context::current() {
            Some(core) => {
                core.begin_external();
                ExternalWait {
                    core: std::rc::Rc::downgrade(&core),
                }
            }
            None => ExternalWait { core: Weak::new() },
        }
    }
}

impl Drop for ExternalWait {
    fn drop(&mut self) {
        if let Some(core) = self.core.upgrade() {
            core.end_external();
        }
    }
}
