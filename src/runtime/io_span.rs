//! I/O operations in the trace: a span from `IoStarted` to `IoEnded`.
//!
//! # Invariants
//! - Every started span ends exactly once: by [`IoSpan::end`] with its
//!   outcome, or, if the operation's future is dropped first (cancelled,
//!   timed out), by the drop, with the outcome `cancelled`.

use std::rc::Weak;

use super::context;
use super::core::LoopCore;
use crate::trace::TraceEvent;

/// An I/O operation being traced.
#[derive(Debug)]
pub(crate) struct IoSpan {
    core: Weak<LoopCore>,
    io: u64,
    ended: bool,
}

impl IoSpan {
    /// Starts a span in the running loop (a span outside any loop records
    /// nothing).
    pub(crate) fn start(label: impl FnOnce() -> String) -> IoSpan {
        match context::current() {
            Some(core) => IoSpan {
                io: core.start_io(label),
                core: std::rc::Rc::downgrade(&core),
                ended: false,
            },
            None => IoSpan {
                core: Weak::new(),
                io: 0,
                ended: true,
            },
        }
    }

    /// Ends the span with `outcome`.
    pub(crate) fn end(mut self, outcome: impl FnOnce() -> String) {
        self.finish(outcome);
    }

    fn finish(&mut self, outcome: impl FnOnce() -> String) {
        if self.ended {
            return;
        }
        self.ended = true;
        if let Some(core) = self.core.upgrade() {
            let io = self.io;
            core.tracer_record(|| TraceEvent::IoEnded {
                io,
                outcome: outcome(),
            });
        }
    }
}

impl Drop for IoSpan {
    fn drop(&mut self) {
        self.finish(|| "cancelled".to_string());
    }
}
