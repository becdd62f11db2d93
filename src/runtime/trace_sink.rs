//! A handle to a loop's trace, for work that outlives a poll (an executor
//! job records its start and end long after it was submitted).

use std::rc::{Rc, Weak};

use super::context;
use super::core::LoopCore;
use crate::trace::TraceEvent;

/// Records events in one loop's trace, held weakly: once the loop is gone,
/// recording does nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct TraceSink {
    core: Weak<LoopCore>,
}

impl TraceSink {
    /// The running loop's trace; outside a loop, a sink that records
    /// nothing.
    pub(crate) fn running() -> TraceSink {
        TraceSink {
            core: context::current().map_or_else(Weak::new, |core| Rc::downgrade(&core)),
        }
    }

    /// Records `event` at the loop's time, if tracing is on.
    pub(crate) fn record(&self, event: impl FnOnce() -> TraceEvent) {
        if let Some(core) = self.core.upgrade() {
            core.tracer_record(event);
        }
    }
}
